import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { drawSample } from "@/lib/coding/sampling";
import { getAdjudicationView, listConflicts, resolvePaper } from "@/lib/db/adjudication";
import { exportLiteratureSample, getLiteratureAgreement, getLiteratureResults, settingsForIntervalChoice } from "@/lib/db/literature-results";
import { getCodingTask, getCoderQueue, getOwnCoding, saveCoding } from "@/lib/db/coding";
import { findLiteratureStudy } from "@/lib/db/codebooks";
import { getPopulationOverview, importPapers, listPaperImports } from "@/lib/db/papers";
import { assignSampleCoders, drawStudySample, extendStudySample, getSampleOverview } from "@/lib/db/samples";
import { AppError } from "@/lib/errors";
import { codingTeam, userRow } from "./accounts";
import { freshDatabase, MODES } from "./database-modes";

const root = path.resolve(import.meta.dirname, "../..");
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(root, "tests/fixtures/papers", name)));
const demoBib = () => new Uint8Array(readFileSync(path.join(root, "data/demo/pham2020-demo-population.bib")));

const relevantYes = { trainsDL: "yes", multipleRuns: "no", seedsReported: "no", networks: ["resnet"] };

describe.each(MODES)("literature survey in the database (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Actor;
  let ada: Actor;
  let grace: Actor;
  let outsider: Actor;
  let studyId: string;

  beforeAll(async () => {
    db = await freshDatabase(mode);
    ({ admin, ada, grace } = await codingTeam(db));
    outsider = await userRow(db, "olga@example.org", "ANNOTATOR", false);
    studyId = (await db.prisma.study.create({ data: { slug: "s1", name: "Study one" } })).id;
  });
  afterAll(async () => db.drop());

  it("refuses a broken file as a whole and writes nothing", async () => {
    const broken = await importPapers(db, admin, { studyId, fileName: "broken.csv", bytes: fixture("broken-unclosed-quote.csv") });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.errors.join(" ")).toMatch(/quote/i);
    const notBib = await importPapers(db, admin, { studyId, fileName: "notes.txt", bytes: fixture("not-a-bibliography.txt") });
    expect(notBib.ok).toBe(false);
    expect(await db.prisma.paper.count()).toBe(0);
    expect(await db.prisma.paperImport.count()).toBe(0);
  });

  it("imports DBLP BibTeX, a reference manager's RIS and a messy CSV with counts, rejects and merges", async () => {
    const bib = await importPapers(db, admin, { studyId, fileName: "dblp.bib", bytes: fixture("dblp-icse-neurips.bib") });
    if (!bib.ok) throw new Error(bib.errors.join("; "));
    expect(bib.report.counts.new).toBeGreaterThan(0);
    const ris = await importPapers(db, admin, { studyId, fileName: "zotero.ris", bytes: fixture("zotero-export.ris") });
    if (!ris.ok) throw new Error(ris.errors.join("; "));
    expect(ris.report.counts.new).toBeGreaterThan(0);
    expect(ris.report.counts.entriesFound).toBe(ris.report.counts.parsed + ris.report.counts.rejected);
    const csv = await importPapers(db, admin, { studyId, fileName: "messy.csv", bytes: fixture("messy-papers.csv") });
    if (!csv.ok) throw new Error(csv.errors.join("; "));
    expect(csv.report.rejected.length).toBeGreaterThan(0);
    expect(csv.report.rejected[0]!.location).toMatch(/row \d+/);
    const papers = await db.prisma.paper.count({ where: { studyId } });
    expect(papers).toBe(bib.report.counts.new + ris.report.counts.new + csv.report.counts.new);
    expect((await listPaperImports(db, admin, studyId)).map((item) => item.fileName)).toEqual(["messy.csv", "zotero.ris", "dblp.bib"]);
    // Importing the same file again adds nothing.
    const again = await importPapers(db, admin, { studyId, fileName: "dblp.bib", bytes: fixture("dblp-icse-neurips.bib") });
    if (!again.ok) throw new Error(again.errors.join("; "));
    expect(again.report.counts.new).toBe(0);
    // Duplicates of papers already in the study are recognised (DOI or title + year), not stored again.
    expect(again.report.counts.alreadyInStudy).toBeGreaterThan(0);
    expect(again.report.merges.every((merge) => merge.kept.isExisting)).toBe(true);
    expect(await db.prisma.paper.count({ where: { studyId } })).toBe(papers);
  });

  it("lets only admins import and read the population", async () => {
    await expect(importPapers(db, ada, { studyId, fileName: "x.bib", bytes: fixture("dblp-icse-neurips.bib") })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const study = (await findLiteratureStudy(db, admin, "s1"))!;
    await expect(getPopulationOverview(db, ada, study)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("draws a stratified sample reproducible from its seed and extends it without redrawing", async () => {
    const second = (await db.prisma.study.create({ data: { slug: "demo", name: "Demo population" } })).id;
    const imported = await importPapers(db, admin, { studyId: second, fileName: "demo.bib", bytes: demoBib() });
    if (!imported.ok) throw new Error(imported.errors.join("; "));
    expect(imported.report.population.strata.map((stratum) => stratum.size)).toEqual([31, 29]);
    expect(imported.report.counts.mergedDuplicates).toBe(1);

    const design = { kind: "stratified-fixed" as const, perStratum: { "se-systems": 5, ai: 6 } };
    await drawStudySample(db, admin, { studyId: second, design, seed: 99 });
    const items = await db.prisma.sampleItem.findMany({ where: { draw: { studyId: second } }, select: { paperId: true } });
    // The same seed over the same population snapshot, drawn by the pure engine, gives the same papers.
    const population = (await db.prisma.paper.findMany({ where: { studyId: second, stratum: { not: null } }, select: { id: true, stratum: true } })).map((paper) => ({ key: paper.id, stratumId: paper.stratum! }));
    const replay = drawSample(population, design, 99);
    if (!replay.ok) throw new Error(replay.error);
    expect(items.map((item) => item.paperId).sort()).toEqual(replay.draw.papers.map((paper) => paper.key).sort());
    const overview = await getSampleOverview(db, admin, second);
    expect(overview.draw?.populationChanged).toBe(false);
    expect(overview.draw?.recordedFingerprint).toBe(replay.draw.populationFingerprint);

    await expect(drawStudySample(db, admin, { studyId: second, design, seed: 1 })).rejects.toThrow(AppError);
    const before = new Set(items.map((item) => item.paperId));
    const extended = await extendStudySample(db, admin, { studyId: second, additional: { ai: 2 } });
    expect(extended.added).toBe(2);
    const after = await db.prisma.sampleItem.findMany({ where: { draw: { studyId: second } }, select: { paperId: true } });
    expect(after.filter((item) => before.has(item.paperId))).toHaveLength(before.size);
    const larger = drawSample(population, { kind: "stratified-fixed", perStratum: { "se-systems": 5, ai: 8 } }, 99);
    if (!larger.ok) throw new Error(larger.error);
    expect(after.map((item) => item.paperId).sort()).toEqual(larger.draw.papers.map((paper) => paper.key).sort());
    await expect(drawStudySample(db, ada, { studyId: second, design, seed: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("codes blind, opens conflicts only when both coders submitted, and feeds final codes into results", async () => {
    const second = (await db.prisma.study.findUniqueOrThrow({ where: { slug: "demo" } })).id;
    const assigned = await assignSampleCoders(db, admin, { studyId: second, coderIds: [ada.id, grace.id], codersPerPaper: 2, calibrationSize: 2, seed: 5 });
    expect(assigned.calibration).toBe(2);
    const adaQueue = await getCoderQueue(db, ada);
    expect(adaQueue.studies.map((study) => [study.studySlug, study.isInCalibration])).toEqual([["demo", true]]);
    expect(adaQueue.remaining.every((item) => item.round === "calibration")).toBe(true);
    // Never the same coder twice on a paper: the unique (paper, coder, round) holds and every paper has two coders.
    const perPaper = await db.prisma.assignment.groupBy({ by: ["paperId"], where: { paper: { studyId: second } }, _count: { coderId: true } });
    expect(perPaper.every((row) => row._count.coderId === 2)).toBe(true);

    // Main-round papers wait for calibration.
    const adaMain = await db.prisma.assignment.findFirstOrThrow({ where: { coderId: ada.id, round: "MAIN" } });
    await expect(saveCoding(db, ada, { assignmentId: adaMain.id, answers: { trainsDL: "no" }, note: "", intent: "submit" })).rejects.toThrow(/calibration/);

    // Submitting needs complete answers; nothing is saved otherwise.
    const first = adaQueue.next!;
    const incomplete = await saveCoding(db, ada, { assignmentId: first, answers: { trainsDL: "yes" }, note: "", intent: "submit" });
    expect(incomplete.ok).toBe(false);
    if (!incomplete.ok) expect(Object.keys(incomplete.errors)).toContain("multipleRuns");
    expect(await db.prisma.coding.count()).toBe(0);

    const calibration = await db.prisma.assignment.findMany({ where: { round: "CALIBRATION" }, orderBy: { paperId: "asc" } });
    for (const assignment of calibration) {
      const coder = assignment.coderId === ada.id ? ada : grace;
      const saved = await saveCoding(db, coder, { assignmentId: assignment.id, answers: { trainsDL: "no" }, note: "", intent: "submit" });
      expect(saved.ok).toBe(true);
    }
    // Ada codes a main paper; grace has not yet: the paper is not open for adjudication.
    const paperId = adaMain.paperId;
    expect((await saveCoding(db, ada, { assignmentId: adaMain.id, answers: relevantYes, note: "ada's note", intent: "submit" })).ok).toBe(true);
    const graceMain = await db.prisma.assignment.findFirstOrThrow({ where: { coderId: grace.id, paperId, round: "MAIN" } });
    await expect(getAdjudicationView(db, grace, paperId)).rejects.toThrow(expect.objectContaining({ code: "NOT_FOUND" }));

    /*
     * Blind coding (regression guard): a coder asking for another coder's assignment or coding by id — guessed
     * or leaked — must get NOT_FOUND, never the codes, and never FORBIDDEN (which would confirm the id exists).
     */
    await expect(getCodingTask(db, grace, adaMain.id)).rejects.toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    await expect(getOwnCoding(db, grace, adaMain.id)).rejects.toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    await expect(getCodingTask(db, outsider, adaMain.id)).rejects.toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    await expect(saveCoding(db, grace, { assignmentId: adaMain.id, answers: { trainsDL: "no" }, note: "", intent: "submit" })).rejects.toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    expect((await getOwnCoding(db, ada, adaMain.id)).answers).toMatchObject({ trainsDL: "yes" });
    const graceTask = await getCodingTask(db, grace, graceMain.id);
    expect(graceTask.answers).toEqual({});
    expect(JSON.stringify(graceTask)).not.toContain("ada's note");
    // Non-adjudicators cannot list conflicts or read anyone's codes in bulk.
    await expect(listConflicts(db, ada)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getAdjudicationView(db, ada, paperId)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(exportLiteratureSample(db, grace, second, "csv")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getLiteratureAgreement(db, grace, second)).rejects.toMatchObject({ code: "FORBIDDEN" });

    // Grace disagrees; the conflict opens once both have submitted.
    expect((await saveCoding(db, grace, { assignmentId: graceMain.id, answers: { trainsDL: "no" }, note: "", intent: "submit" })).ok).toBe(true);
    const conflicts = await listConflicts(db, grace);
    expect(conflicts.map((item) => item.paperId)).toEqual([paperId]);
    expect(conflicts[0]!.questions).toEqual(["trainsDL"]);
    const view = await getAdjudicationView(db, grace, paperId);
    expect(view.codings.map((coding) => coding.answers.trainsDL).sort()).toEqual(["no", "yes"]);

    // Grace coded the paper: she sees the conflict but may not settle it; a third person (the admin) does.
    expect(conflicts[0]!.standing).toBe("coded-may-not");
    await expect(resolvePaper(db, grace, { paperId, answers: relevantYes, reason: "Mine." })).rejects.toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    expect((await listConflicts(db, admin))[0]!.standing).toBe("third-person");
    const noReason = await resolvePaper(db, admin, { paperId, answers: relevantYes, reason: " " });
    expect(noReason.ok).toBe(false);
    expect((await resolvePaper(db, admin, { paperId, answers: relevantYes, reason: "Section 5 retrains ResNet-20." })).ok).toBe(true);
    expect((await listConflicts(db, admin))[0]!.resolution?.reason).toBe("Section 5 retrains ResNet-20.");
    // After adjudication the coders' codes are frozen.
    await expect(saveCoding(db, ada, { assignmentId: adaMain.id, answers: { trainsDL: "no" }, note: "", intent: "submit" })).rejects.toThrow(expect.objectContaining({ code: "CONFLICT" }));

    const results = await getLiteratureResults(db, admin, second, settingsForIntervalChoice("wilson"));
    expect(results.counts).toMatchObject({ adjudicated: 1, agreed: 2 });
    const relevant = results.measures.find((measure) => measure.measureId === "relevant")!;
    expect(relevant.pooled).toMatchObject({ x: 1, n: 3 });
    const wald = await getLiteratureResults(db, admin, second, settingsForIntervalChoice("wald-fpc"));
    const waldShare = wald.measures[0]!.strata.find((share) => share.n > 0)!;
    expect(waldShare.estimate === null ? null : waldShare.method).toMatch(/Wald with finite population correction/);

    const agreement = await getLiteratureAgreement(db, admin, second, { bootstrapResamples: 50 });
    expect(agreement.calibration?.papers).toBe(2);
    expect(agreement.main?.papers).toBe(1);

    const csv = await exportLiteratureSample(db, admin, second, "csv");
    expect(csv.body.split("\r\n")[0]).toContain("coder1_trainsDL");
    expect(csv.body).toContain("ada@example.org");
    expect(csv.body).toContain("Section 5 retrains ResNet-20.");
    const json = JSON.parse((await exportLiteratureSample(db, admin, second, "json")).body);
    expect(json.papers.find((paper: { key: string }) => paper.key === paperId).final.status).toBe("adjudicated");
  });
});
