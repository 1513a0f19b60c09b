/**
 * Two studies side by side, each with the same paper population (same titles), its own sample, codings (some
 * agreed, some adjudicated, one still pending) and experiment runs, written through the app's own functions.
 * Every literature and experiments loader, export and the dashboard assembly must return only its own study's
 * numbers, and every view of the literature survey must show the figure of the one function that computes it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { getAdjudicationView, listConflicts, resolvePaper } from "@/lib/db/adjudication";
import { getCoderQueue, saveCoding } from "@/lib/db/coding";
import { experimentSetAggregates } from "@/lib/db/dashboard/experiments";
import { surveyFilterParamsSchema } from "@/lib/db/dashboard/filters";
import { loadStudyResults } from "@/lib/db/dashboard/results";
import { listDashboardStudies } from "@/lib/db/dashboard/studies";
import { chooseExperimentStudy, moveExperimentSet } from "@/lib/db/experiment-studies";
import { getExperimentOverview } from "@/lib/db/experiments";
import { exportLiteratureSample, getLiteratureAgreement, getLiteratureCounts, getLiteratureResults, settingsForIntervalChoice } from "@/lib/db/literature-results";
import { importPapers } from "@/lib/db/papers";
import { importRunResults } from "@/lib/db/runs";
import { createRunnerJob, listRunnerJobs } from "@/lib/db/runner-jobs";
import { jobRequestSchema } from "@/lib/jobs/request";
import { assignSampleCoders, drawStudySample } from "@/lib/db/samples";
import { resultRows } from "@/lib/dashboard/export";
import { methodsParagraphs } from "@/lib/dashboard/methods";
import { readResultsDirectory } from "@/lib/runner/results-io";
import type { RunResult } from "@/lib/runner/result-schema";
import { codingTeam } from "./accounts";
import { freshDatabase, MODES } from "./database-modes";

const root = path.resolve(import.meta.dirname, "../..");
const demoBib = () => new Uint8Array(readFileSync(path.join(root, "data/demo/pham2020-demo-population.bib")));
const RUNS_FIXTURE = path.join(root, "tests/fixtures/runner/lenet1-quick-tiny");

const relevant = { trainsDL: "yes", multipleRuns: "no", seedsReported: "no", networks: ["resnet"] };
const irrelevant = { trainsDL: "no" };
const wilson = settingsForIntervalChoice("wilson");
const dashboardSettings = { method: "wilson" as const, level: 0.95, adjust: "holm" as const };

describe.each(MODES)("two studies, literature and experiments (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Actor;
  let ada: Actor;
  let grace: Actor;
  const ids: Record<"alpha" | "beta", string> = { alpha: "", beta: "" };
  const sampled: Record<"alpha" | "beta", string[]> = { alpha: [], beta: [] };
  let runs: RunResult[];

  /** Submits `answers` for the coder's assignment of a paper; the paper's round is whatever the sample says. */
  async function code(coder: Actor, paperId: string, answers: Record<string, unknown>) {
    const assignment = await db.prisma.assignment.findFirstOrThrow({ where: { coderId: coder.id, paperId } });
    const saved = await saveCoding(db, coder, { assignmentId: assignment.id, answers, note: "", intent: "submit" });
    if (!saved.ok) throw new Error(`${saved.message} ${JSON.stringify(saved.errors)}`);
  }

  beforeAll(async () => {
    db = await freshDatabase(mode);
    ({ admin, ada, grace } = await codingTeam(db));
    for (const [slug, name] of [["alpha", "Study Alpha"], ["beta", "Study Beta"]] as const) {
      ids[slug] = (await db.prisma.study.create({ data: { slug, name } })).id;
      // The same population in both studies: the same titles and venues, so a leak cannot hide behind different data.
      const imported = await importPapers(db, admin, { studyId: ids[slug], fileName: "demo.bib", bytes: demoBib() });
      if (!imported.ok) throw new Error(imported.errors.join("; "));
    }
    await drawStudySample(db, admin, { studyId: ids.alpha, design: { kind: "stratified-fixed", perStratum: { "se-systems": 3, ai: 3 } }, seed: 11 });
    await drawStudySample(db, admin, { studyId: ids.beta, design: { kind: "stratified-fixed", perStratum: { "se-systems": 2, ai: 2 } }, seed: 22 });
    // Alpha: ada and grace code, the admin adjudicates as a third person. Beta: ada and the admin code, with a calibration paper.
    await assignSampleCoders(db, admin, { studyId: ids.alpha, coderIds: [ada.id, grace.id], codersPerPaper: 2, calibrationSize: 0, seed: 1 });
    await assignSampleCoders(db, admin, { studyId: ids.beta, coderIds: [ada.id, admin.id], codersPerPaper: 2, calibrationSize: 1, seed: 2 });
    for (const slug of ["alpha", "beta"] as const) {
      const items = await db.prisma.sampleItem.findMany({ where: { draw: { studyId: ids[slug] } }, orderBy: [{ round: "asc" }, { drawIndex: "asc" }], select: { paperId: true, round: true } });
      // Calibration first (beta's one), then the main round in draw order.
      sampled[slug] = [...items.filter((item) => item.round === "CALIBRATION"), ...items.filter((item) => item.round === "MAIN")].map((item) => item.paperId);
    }
    runs = (await readResultsDirectory(RUNS_FIXTURE)).runs;
  });
  afterAll(async () => db.drop());

  it("keeps each study's coding queue apart: beta's open calibration does not block alpha's main round", async () => {
    const queue = await getCoderQueue(db, ada);
    expect(queue.studies.map((study) => [study.studyName, study.isInCalibration])).toEqual([
      ["Study Alpha", false],
      ["Study Beta", true],
    ]);
    expect(queue.remaining.every((item) => item.studySlug === "alpha" || item.studySlug === "beta")).toBe(true);
    expect((await getCoderQueue(db, ada, { studySlug: "beta" })).studies.map((study) => study.studySlug)).toEqual(["beta"]);
    expect((await getCoderQueue(db, ada, { studySlug: "nope" })).studies).toEqual([]);

    // Alpha: 4 agreed, 2 disagreements (one adjudicated below, one left pending). Ada codes alpha's main round
    // while her beta calibration paper is still open: that must be allowed.
    const [a1, a2, a3, a4, a5, a6] = sampled.alpha;
    for (const paperId of [a1!, a2!]) {
      await code(ada, paperId, relevant);
      await code(grace, paperId, relevant);
    }
    for (const paperId of [a3!, a4!]) {
      await code(ada, paperId, irrelevant);
      await code(grace, paperId, irrelevant);
    }
    for (const paperId of [a5!, a6!]) {
      await code(ada, paperId, relevant);
      await code(grace, paperId, irrelevant);
    }
    // Beta's main round still waits for beta's calibration.
    const [b1, b2, b3, b4] = sampled.beta;
    const betaMain = await db.prisma.assignment.findFirstOrThrow({ where: { coderId: ada.id, paperId: b2! } });
    await expect(saveCoding(db, ada, { assignmentId: betaMain.id, answers: irrelevant, note: "", intent: "submit" })).rejects.toThrow(/calibration/);
    // Beta: the calibration paper and two main papers agreed, one disagreement.
    for (const paperId of [b1!, b2!, b3!]) {
      await code(ada, paperId, irrelevant);
      await code(admin, paperId, irrelevant);
    }
    await code(ada, b4!, relevant);
    await code(admin, b4!, irrelevant);
  });

  it("lets only a third person adjudicate; an admin who coded the paper overrides with a recorded reason", async () => {
    const alphaConflicts = await listConflicts(db, grace, { studySlug: "alpha" });
    expect(alphaConflicts.map((item) => item.paperId).sort()).toEqual([sampled.alpha[4]!, sampled.alpha[5]!].sort());
    expect(alphaConflicts.every((item) => item.studyName === "Study Alpha" && item.standing === "coded-may-not")).toBe(true);
    expect((await listConflicts(db, grace, { studySlug: "beta" })).map((item) => item.paperId)).toEqual([sampled.beta[3]!]);
    // Strata by their labels in the population definition, not their ids.
    const STRATUM_LABELS: Record<string, string> = { "se-systems": "SE and systems", ai: "AI (machine learning and vision)" };
    expect(alphaConflicts.map((item) => item.stratumLabel)).toEqual(alphaConflicts.map((item) => STRATUM_LABELS[item.stratum]));

    const disputed = sampled.alpha[4]!;
    await expect(resolvePaper(db, grace, { paperId: disputed, answers: irrelevant, reason: "I coded it." })).rejects.toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    const view = await getAdjudicationView(db, admin, disputed);
    expect(view.standing).toBe("third-person");
    expect(view.stratumLabel).toBe(STRATUM_LABELS[view.paper.stratum]);
    expect(await resolvePaper(db, admin, { paperId: disputed, answers: relevant, reason: "Section 4 trains a ResNet." })).toEqual({ ok: true });

    // Beta: the admin coded the disputed paper; without an override reason nothing is saved.
    const betaDisputed = sampled.beta[3]!;
    const refused = await resolvePaper(db, admin, { paperId: betaDisputed, answers: irrelevant, reason: "Only inference." });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(Object.keys(refused.errors)).toEqual(["overrideReason"]);
    expect(await db.prisma.finalCode.count({ where: { paperId: betaDisputed } })).toBe(0);
    expect(await resolvePaper(db, admin, { paperId: betaDisputed, answers: irrelevant, reason: "Only inference.", overrideReason: "No third adjudicator on this team." })).toEqual({ ok: true });
    const audit = await db.prisma.auditEntry.findFirstOrThrow({ where: { action: "coding.adjudicate.override", target: betaDisputed } });
    expect(audit.details).toMatchObject({ overrideReason: "No third adjudicator on this team.", study: "beta" });
    expect((await db.prisma.finalCode.findUniqueOrThrow({ where: { paperId: betaDisputed } })).overrideReason).toBe("No third adjudicator on this team.");
  });

  it("files experiment sets under the chosen study only, refuses a set of another study, and audits a move", async () => {
    expect(await chooseExperimentStudy(db, null)).toMatchObject({ ok: false, error: expect.stringMatching(/2 studies.*alpha, beta/) });
    expect(await chooseExperimentStudy(db, "gamma")).toMatchObject({ ok: false, error: expect.stringMatching(/no study "gamma".*alpha, beta/) });
    await importRunResults(db, admin, { runs, studyId: ids.alpha, source: "test" });
    const betaRuns = runs.filter((run) => run.runIndex < 2).map((run) => ({ ...run, setId: `${run.setId}-beta` }));
    await importRunResults(db, admin, { runs: betaRuns, studyId: ids.beta, source: "test" });
    // Alpha's sets cannot be imported into beta silently: nothing is written.
    await expect(importRunResults(db, admin, { runs, studyId: ids.beta })).rejects.toThrow(expect.objectContaining({ code: "CONFLICT" }));
    expect(await db.prisma.experimentRun.count()).toBe(runs.length + betaRuns.length);

    const alphaSets = await experimentSetAggregates(db, admin, ids.alpha);
    const betaSets = await experimentSetAggregates(db, admin, ids.beta);
    expect(alphaSets.map((set) => set.runs).reduce((a, b) => a + b, 0)).toBe(runs.length);
    expect(betaSets.map((set) => set.runs).reduce((a, b) => a + b, 0)).toBe(betaRuns.length);
    const overview = await getExperimentOverview(db, admin, { studyId: ids.beta });
    expect(overview.sets.every((set) => set.id.endsWith("-beta"))).toBe(true);
    expect(overview.comparisons.every((pair) => pair.defaultSetId.endsWith("-beta") && pair.fixedSeedSetId.endsWith("-beta"))).toBe(true);

    // Background jobs are listed per study too.
    const request = jobRequestSchema.parse({ preset: "lenet1-quick", setting: "fixed-seed", runs: 2, workers: 1 });
    for (const slug of ["alpha", "beta"] as const) {
      await createRunnerJob(db, admin, { request, outDir: `/tmp/jobs-${slug}`, command: `variance run (${slug})`, owner: { host: "test", pid: 1 }, studyId: ids[slug] });
    }
    for (const slug of ["alpha", "beta"] as const) {
      expect((await listRunnerJobs(db, admin, { studyId: ids[slug] })).map((job) => job.command)).toEqual([`variance run (${slug})`]);
    }

    const setId = betaRuns[0]!.setId;
    await moveExperimentSet(db, admin, { setId, studySlug: "alpha", reason: "imported into the wrong study" });
    expect((await db.prisma.experimentSet.findUniqueOrThrow({ where: { id: setId } })).studyId).toBe(ids.alpha);
    expect((await db.prisma.auditEntry.findFirstOrThrow({ where: { action: "experiments.move-set", target: setId } })).details).toMatchObject({ from: "beta", to: "alpha" });
    await moveExperimentSet(db, admin, { setId, studySlug: "beta" });
  });

  it("counts agreed papers everywhere: results page, overview, report, exports and the study list agree per study", async () => {
    const expected = {
      alpha: { sampled: 6, agreed: 4, adjudicated: 1, pending: 1, finalCoded: 5 },
      beta: { sampled: 4, agreed: 3, adjudicated: 1, pending: 0, finalCoded: 4 },
    };
    const studies = await listDashboardStudies(db, admin);
    for (const slug of ["alpha", "beta"] as const) {
      // The results page (/admin/literature/results) and the one function behind every view.
      const results = await getLiteratureResults(db, admin, ids[slug], wilson);
      expect(results.counts).toEqual(expected[slug]);
      expect(await getLiteratureCounts(db, admin, ids[slug])).toEqual(expected[slug]);

      // The overview and the printable report both render loadStudyResults: the same object as the function's.
      const dashboard = await loadStudyResults(db, admin, slug, { settings: dashboardSettings, filterParams: surveyFilterParamsSchema.parse({}) });
      expect(dashboard.study.slug).toBe(slug);
      expect(dashboard.literature!.results).toEqual(await getLiteratureResults(db, admin, ids[slug], { method: "wilson", level: 0.95, finitePopulationCorrection: false }));
      expect(dashboard.literature!.agreement.main).toEqual((await getLiteratureAgreement(db, admin, ids[slug], { bootstrapResamples: 0 })).main);
      expect(dashboard.study.finalCodes).toBe(expected[slug].finalCoded);
      expect(studies.find((study) => study.slug === slug)!.finalCodes).toBe(expected[slug].finalCoded);

      // The dashboard export (CSV/JSON of /api/studies/[slug]/results) and its methods text.
      const finalRow = resultRows(dashboard).find((row) => row[0] === "literature" && row[1] === "papers")!;
      expect([finalRow[5], finalRow[6]]).toEqual([expected[slug].finalCoded, expected[slug].sampled]);
      expect(methodsParagraphs(dashboard).join(" ")).toContain(`${expected[slug].agreed} on which the coders agreed`);
      const experimentRuns = (dashboard.experiments ?? []).reduce((sum, row) => sum + row.runs, 0);
      expect(experimentRuns).toBe(slug === "alpha" ? runs.length : 4);

      // The coded-sample export (/api/literature/export): one row per sampled paper of this study only.
      const json = JSON.parse((await exportLiteratureSample(db, admin, ids[slug], "json")).body) as { papers: { key: string; final: { status: string } }[] };
      expect(json.papers.map((paper) => paper.key).sort()).toEqual([...sampled[slug]].sort());
      const statuses = json.papers.map((paper) => paper.final.status);
      expect(statuses.filter((status) => status === "agreed")).toHaveLength(expected[slug].agreed);
      expect(statuses.filter((status) => status === "adjudicated")).toHaveLength(expected[slug].adjudicated);
      const csv = (await exportLiteratureSample(db, admin, ids[slug], "csv")).body;
      const other = slug === "alpha" ? "beta" : "alpha";
      for (const paperId of sampled[other].filter((id) => !sampled[slug].includes(id))) expect(csv).not.toContain(paperId);

      // Strata carry their labels from the population definition, not raw ids.
      expect(results.strata.map((stratum) => stratum.label)).toEqual(["SE and systems", "AI (machine learning and vision)"]);
    }
  });
});
