/**
 * One source for the Table-2 numbers of a set: the study overview (and with it the report and the export) shows
 * for every set the same Diff, SD with its interval, per-class Diff and SD, weak runs and time RelDiff as the
 * Experiments area, both read from the runner's analysis. Two studies, so each view shows its own study's sets only.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { surveyFilterParamsSchema } from "@/lib/db/dashboard/filters";
import { loadStudyResults } from "@/lib/db/dashboard/results";
import { getExperimentOverview } from "@/lib/db/experiments";
import { importRunResults } from "@/lib/db/runs";
import { insertExperimentSet } from "@/lib/db/seed/synthetic";
import { readResultsDirectory } from "@/lib/runner/results-io";
import { sdConfidenceInterval } from "@/lib/stats/variance";
import { freshDatabase, MODES } from "./database-modes";

const root = path.resolve(import.meta.dirname, "../..");
const settings = { method: "wilson" as const, level: 0.95, adjust: "holm" as const };

/** Brute force, independent of lib/stats: sample SD with n − 1. */
function sampleSd(values: number[]): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1));
}

// The best-loss checkpoint has the larger Diff (7 points), the best-accuracy checkpoint the larger SD: the study
// reports each figure as the larger over the two, so a view that took both from the checkpoint with the larger
// Diff would show another SD.
const LOSS = [0.9, 0.97, 0.95, 0.96];
const ACCURACY = [0.93, 0.99, 0.93, 0.99];

describe.each(MODES)("the Table-2 numbers of a set in the Experiments area and the study overview (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Actor;
  const ids = { alpha: "", beta: "" };

  beforeAll(async () => {
    db = await freshDatabase(mode);
    admin = { id: (await db.prisma.user.create({ data: { email: "admin@example.org", name: "Admin", role: "ADMIN", canAdjudicate: true } })).id, role: "ADMIN", canAdjudicate: true };
    ids.alpha = (await db.prisma.study.create({ data: { slug: "alpha", name: "Alpha" } })).id;
    ids.beta = (await db.prisma.study.create({ data: { slug: "beta", name: "Beta" } })).id;
    await insertExperimentSet(db, { studyId: ids.alpha, id: "alpha/checkpoints-differ", preset: "lenet1", setting: "default", accuracies: LOSS, bestAccuracyAccuracies: ACCURACY, seconds: [10, 12, 11, 15] });
    // Real runner output: weak models (the tiny fixture), and cross-implementation sets, whose implementations count once.
    const demo = await readResultsDirectory(path.join(root, "data/demo/runner"));
    await importRunResults(db, admin, { runs: demo.runs.filter((run) => run.preset === "lenet1-digits"), studyId: ids.alpha });
    await importRunResults(db, admin, { runs: (await readResultsDirectory(path.join(root, "tests/fixtures/runner/lenet1-quick-tiny"))).runs, studyId: ids.beta });
  }, 120_000);
  afterAll(async () => db.drop());

  const overviewRows = async (slug: string) => (await loadStudyResults(db, admin, slug, { settings, filterParams: surveyFilterParamsSchema.parse({}) })).experiments!;

  it("shows every set's figures as the runner's analysis computed them for the Experiments area", async () => {
    for (const slug of ["alpha", "beta"] as const) {
      const { sets } = await getExperimentOverview(db, admin, { studyId: ids[slug] });
      const rows = await overviewRows(slug);
      expect(rows.map((row) => row.id)).toEqual(sets.map((set) => set.id));
      for (const set of sets) {
        const row = rows.find((candidate) => candidate.id === set.id)!;
        const largest = set.summary?.largest;
        expect(row.runs, set.id).toBe(set.runs.length);
        expect(row.weakRuns, set.id).toBe(set.runs.filter((run) => run.weak).length);
        expect(row.accuracyDiff, set.id).toBe(largest?.overallDiff ?? null);
        expect(row.accuracySd, set.id).toEqual(largest ? { sd: largest.overallSd, ...largest.overallSdInterval } : null);
        expect(row.perClassDiff, set.id).toBe(largest?.perClassDiff ?? null);
        expect(row.perClassSd, set.id).toBe(largest?.perClassSd ?? null);
        expect(row.timeRelDiff, set.id).toBe(largest?.timeRelativeDiff ?? null);
        expect(row.reference, set.id).toEqual(set.reference?.accuracy ?? null);
      }
    }
    expect((await overviewRows("beta")).every((row) => row.id.startsWith("lenet1-quick/"))).toBe(true);
  });

  it("takes Diff and SD each as the larger over the two checkpoints, as the study reports them", async () => {
    const [row] = (await overviewRows("alpha")).filter((candidate) => candidate.id === "alpha/checkpoints-differ");
    const percent = (values: number[]) => values.map((value) => value * 100);
    expect(row!.accuracyDiff).toBeCloseTo(7, 9);
    const sd = Math.max(sampleSd(percent(LOSS)), sampleSd(percent(ACCURACY)));
    expect(sampleSd(percent(ACCURACY))).toBeGreaterThan(sampleSd(percent(LOSS)));
    expect(row!.accuracySd!.sd).toBeCloseTo(sd, 9);
    const interval = sdConfidenceInterval({ values: percent(ACCURACY), level: 0.9 });
    expect([row!.accuracySd!.lower, row!.accuracySd!.upper]).toEqual([interval.lower, interval.upper]);
    expect(row!.timeRelDiff).toBeCloseTo(0.5, 9);
  });

  it("counts each implementation of a cross-implementation set once", async () => {
    const { sets } = await getExperimentOverview(db, admin, { studyId: ids.alpha });
    const cross = sets.filter((set) => set.setting === "cross-implementation");
    expect(cross.length).toBeGreaterThan(0);
    const rows = await overviewRows("alpha");
    for (const set of cross) {
      const implementations = set.summary!.implementations!;
      const firsts = implementations.implementations.map((item) => item.bestLossAccuracy);
      const row = rows.find((candidate) => candidate.id === set.id)!;
      expect(row.accuracyDiff).toBeCloseTo(implementations.accuracyDiff, 9);
      expect(row.accuracyDiff).toBeGreaterThanOrEqual(Math.max(...firsts) - Math.min(...firsts) - 1e-9);
    }
  });
});
