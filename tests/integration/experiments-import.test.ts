import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { deleteExperimentSet, exportExperimentSetLines, getExperimentOverview, getExperimentSet } from "@/lib/db/experiments";
import { importResultsUpload, importRunResults, parseResultsText } from "@/lib/db/runs";
import { readResultsDirectory } from "@/lib/runner/results-io";
import type { RunResult } from "@/lib/runner/result-schema";
import { STUDY_TABLE_2 } from "@/lib/runner/study-reference";
import { adminAnnotatorAndStudy } from "./accounts";
import { freshDatabase, MODES } from "./database-modes";

process.env.VARSTUDY_BCRYPT_COST = "4";
const FIXTURE = path.join(import.meta.dirname, "../fixtures/runner/lenet1-quick-tiny");

/** Brute force, independent of lib/stats: sample SD with n − 1. */
function bruteSd(values: number[]): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1));
}

describe.each(MODES)("experiment import and overview (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Actor;
  let studyId: string;
  let annotator: Actor;
  let runs: RunResult[];
  let fileText: string;

  beforeAll(async () => {
    db = await freshDatabase(mode);
    ({ admin, annotator, studyId } = await adminAnnotatorAndStudy(db, { slug: "runs", name: "Runs study" }));
    const read = await readResultsDirectory(FIXTURE);
    runs = read.runs;
    fileText = runs.map((run) => JSON.stringify(run)).join("\n");
    expect(runs).toHaveLength(6);
  });
  afterAll(async () => db.drop());

  it("refuse an annotator in the data layer and write nothing", async () => {
    await expect(importRunResults(db, annotator, { studyId, runs })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(importResultsUpload(db, annotator, { studyId, text: fileText, fileName: "results.jsonl", importValidDespiteErrors: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getExperimentOverview(db, annotator, { studyId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.prisma.experimentRun.count()).toBe(0);
  });

  it("roll back the whole import when any part fails (nothing half-imported)", async () => {
    // PostgreSQL refuses NUL characters in text: the second set's row fails after the first set was written.
    const broken = runs.map((run, index) => (index === 3 ? { ...run, setId: "broken/set", preset: "bad\u0000preset" } : run));
    await expect(importRunResults(db, admin, { studyId, runs: broken })).rejects.toThrow();
    expect(await db.prisma.experimentSet.count()).toBe(0);
    expect(await db.prisma.experimentRun.count()).toBe(0);
  });

  it("import a results directory once; importing again changes nothing", async () => {
    const first = await importRunResults(db, admin, { studyId, runs, source: "test" });
    expect(first).toMatchObject({ imported: 6, alreadyPresent: 0 });
    expect(first.sets).toHaveLength(2);
    const again = await importRunResults(db, admin, { studyId, runs: [...runs].reverse() });
    expect(again).toMatchObject({ imported: 0, alreadyPresent: 6 });
    expect(await db.prisma.experimentRun.count()).toBe(6);
    const stored = await db.prisma.experimentRun.findFirstOrThrow({ where: { setId: runs[0]!.setId, runIndex: runs[0]!.runIndex } });
    expect(stored.bestLossTestAccuracy).toBe(runs[0]!.checkpoints.bestLoss.test.accuracy);
    const audits = await db.prisma.auditEntry.findMany({ where: { action: "experiments.import" } });
    expect(audits).toHaveLength(2);
  });

  it("summarise each set like the study's Table 2 and 3, matching a brute-force computation", async () => {
    const { sets, comparisons } = await getExperimentOverview(db, admin, { studyId });
    expect(sets).toHaveLength(2);
    for (const set of sets) {
      const own = runs.filter((run) => run.setId === set.id);
      const lossAcc = own.map((run) => run.checkpoints.bestLoss.test.accuracy * 100);
      const accAcc = own.map((run) => run.checkpoints.bestAccuracy.test.accuracy * 100);
      const summary = set.summary!;
      expect(summary.criteria.bestLoss.accuracy.diff).toBeCloseTo(Math.max(...lossAcc) - Math.min(...lossAcc), 10);
      expect(summary.criteria.bestLoss.accuracy.sd).toBeCloseTo(bruteSd(lossAcc), 10);
      expect(summary.largest.overallDiff).toBeCloseTo(Math.max(Math.max(...lossAcc) - Math.min(...lossAcc), Math.max(...accAcc) - Math.min(...accAcc)), 10);
      const times = own.map((run) => run.checkpoints.bestAccuracy.seconds);
      expect(summary.criteria.bestAccuracy.time.relativeDiff).toBeCloseTo((Math.max(...times) - Math.min(...times)) / Math.min(...times), 10);
      expect(summary.criteria.bestAccuracy.time.cv).toBeCloseTo(bruteSd(times) / (times.reduce((a, b) => a + b, 0) / times.length), 10);
      // The SD interval brackets the SD.
      expect(summary.criteria.bestLoss.accuracySdInterval.lower).toBeLessThanOrEqual(summary.criteria.bestLoss.accuracy.sd);
      expect(summary.criteria.bestLoss.accuracySdInterval.upper).toBeGreaterThanOrEqual(summary.criteria.bestLoss.accuracy.sd);
      // The study's own LeNet1 row is put beside the quick LeNet1 preset.
      expect(set.studyNetwork).toBe("LeNet1");
      expect(set.reference?.accuracy).toEqual(STUDY_TABLE_2[set.setting === "default" ? "default" : "fixed-seed"].LeNet1);
      // Every fixture run is undertrained: all are listed as weak models.
      expect(set.runs.every((run) => run.weak)).toBe(true);
    }
    const fixed = sets.find((set) => set.setting === "fixed-seed")!;
    expect(fixed.summary!.identicalFinalWeights).toBe(true);
    expect(fixed.summary!.largest.overallDiff).toBe(0);
    expect(comparisons).toHaveLength(1);
    expect(comparisons[0]!.byCriterion).toHaveLength(2);
    // Fixed-seed accuracies are all tied: Levene's test is undefined and says why instead of giving a number.
    const levene = comparisons[0]!.byCriterion[0]!.levene;
    expect(levene.ok === false || Number.isFinite(levene.value.pValue)).toBe(true);
  });

  it("exclude weak models on request and explain why no summary remains", async () => {
    const { sets, comparisons } = await getExperimentOverview(db, admin, { excludeWeak: true, studyId });
    for (const set of sets) {
      expect(set.summary).toBeNull();
      expect(set.summaryError).toMatch(/at least 2 runs/);
      expect(set.runs).toHaveLength(3);
    }
    expect(comparisons).toHaveLength(0);
  });

  it("give a set's per-class spread, provenance and its lines for download", async () => {
    const defaultSet = runs.find((run) => run.setting === "default")!;
    const detail = await getExperimentSet(db, admin, { setId: defaultSet.setId });
    const own = runs.filter((run) => run.setId === defaultSet.setId);
    for (const spread of detail.perClass.bestLoss) {
      const values = own.map((run) => run.checkpoints.bestLoss.test.perClass[spread.classIndex]!.accuracy! * 100);
      expect(spread.diff).toBeCloseTo(Math.max(...values) - Math.min(...values), 10);
      expect(spread.testImages).toBe(own[0]!.checkpoints.bestLoss.test.perClass[spread.classIndex]!.total);
      expect(spread.testNoiseHalfWidth).toBeGreaterThan(0);
    }
    expect(detail.provenance.dataset.sha256).toBe(defaultSet.dataset.sha256);
    expect(detail.provenance.masterSeeds).toHaveLength(3); // default: a fresh master seed per run
    expect(detail.provenance.tfjsVersions).toEqual(["4.22.0"]);
    const lines = (await exportExperimentSetLines(db, admin, { setId: defaultSet.setId })).trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).runIndex)).toEqual([0, 1, 2]);
    await expect(getExperimentSet(db, admin, { setId: "no/such/set" })).rejects.toThrow(/no experiment set/);
  });

  it("validate an upload line by line: all-or-nothing unless the valid lines are asked for", async () => {
    await deleteExperimentSet(db, admin, { setId: runs[0]!.setId });
    await deleteExperimentSet(db, admin, { setId: runs[3]!.setId });
    expect(await db.prisma.experimentRun.count()).toBe(0);
    const lines = fileText.split("\n");
    lines.splice(1, 0, '{"schemaVersion":2,"kind":"run"}');
    lines.splice(4, 0, lines[4]!.slice(0, 200));
    const text = lines.join("\n");
    const parsed = parseResultsText(text, "results.jsonl");
    expect(parsed.errors.map((error) => error.line)).toEqual([2, 5]);
    expect(parsed.errors[0]!.message).toMatch(/unknown schemaVersion 2/);
    expect(parsed.errors[1]!.message).toMatch(/not valid JSON/);

    const refused = await importResultsUpload(db, admin, { studyId, text, fileName: "results.jsonl", importValidDespiteErrors: false });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error).toMatch(/2 of 8 line\(s\) were rejected, so nothing was imported/);
      expect(refused.validRuns).toBe(6);
    }
    expect(await db.prisma.experimentRun.count()).toBe(0);

    const accepted = await importResultsUpload(db, admin, { studyId, text, fileName: "results.jsonl", importValidDespiteErrors: true });
    expect(accepted.ok).toBe(true);
    if (accepted.ok) {
      expect(accepted.outcome.imported).toBe(6);
      expect(accepted.skippedLines.map((error) => error.line)).toEqual([2, 5]);
    }
    const empty = await importResultsUpload(db, admin, { studyId, text: "\n\n", fileName: "empty.jsonl", importValidDespiteErrors: true });
    expect(empty).toMatchObject({ ok: false, error: expect.stringMatching(/empty/) });
  });
});

describe("variance import from the command line (embedded database on disk)", () => {
  it("refuses while another process holds the embedded database, saying what to do; imports when it is free", async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const os = await import("node:os");
    const { importRunsFromCommandLine } = await import("@/lib/db/runs");
    const dir = mkdtempSync(path.join(os.tmpdir(), "varstudy-cli-"));
    const saved = { data: process.env.VARSTUDY_DATA_DIR, url: process.env.DATABASE_URL };
    process.env.VARSTUDY_DATA_DIR = path.join(dir, "pglite");
    delete process.env.DATABASE_URL;
    try {
      const { runs } = await readResultsDirectory(FIXTURE);
      // The parent process (alive) stands in for a running app server holding the lock.
      writeFileSync(path.join(dir, "pglite.lock"), String(process.ppid));
      await expect(importRunsFromCommandLine({ runs, directory: FIXTURE })).rejects.toThrow(/open in another process.*stop the app.*upload .*results\.jsonl/);
      rmSync(path.join(dir, "pglite.lock"));
      // A set must go into a study: none yet, then two to choose from, then an unknown one: each a clear refusal.
      await expect(importRunsFromCommandLine({ runs, directory: FIXTURE })).rejects.toThrow(/no study yet.*create one first.*nothing was imported/);
      const { openDatabase } = await import("@/lib/db/engine/connection");
      const { databaseTargetFromEnv } = await import("@/lib/db/engine/target");
      const opened = await openDatabase(databaseTargetFromEnv());
      await opened.prisma.study.createMany({ data: [{ slug: "one", name: "One" }, { slug: "two", name: "Two" }] });
      await opened.close();
      await expect(importRunsFromCommandLine({ runs, directory: FIXTURE })).rejects.toThrow(/2 studies; say which one.*one, two.*--study <slug>/);
      await expect(importRunsFromCommandLine({ runs, directory: FIXTURE, studySlug: "three" })).rejects.toThrow(/no study "three".*one, two/);
      const outcome = await importRunsFromCommandLine({ runs, directory: FIXTURE, studySlug: "two" });
      expect(outcome).toMatchObject({ imported: 6, alreadyPresent: 0, study: "two" });
      expect((await importRunsFromCommandLine({ runs, directory: FIXTURE, studySlug: "two" })).alreadyPresent).toBe(6);
    } finally {
      if (saved.data === undefined) delete process.env.VARSTUDY_DATA_DIR;
      else process.env.VARSTUDY_DATA_DIR = saved.data;
      if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000); // Five opens of a database on disk, each checking migrations: slow on a shared machine.
});
