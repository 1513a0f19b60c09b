import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../scratch-dir";
import { compareSets, summarizeSet } from "@/lib/runner/analysis";
import { formatProgressLine, ProgressTracker } from "@/lib/runner/progress";
import { formatSetSummary } from "@/lib/runner/report";
import { resultLineSchema, runResultSchema, type RunResult } from "@/lib/runner/result-schema";
import { parseResultLine, readResultsDirectory, selectRunsToImport } from "@/lib/runner/results-io";
import { createRng } from "@/lib/stats/random";

/** A schema-valid run with chosen test accuracies (fractions), checkpoint times and per-class correct counts. */
function fakeRun(options: { runIndex: number; lossAcc: number; accAcc: number; lossSeconds: number; accSeconds: number; perClassCorrect: number[]; weights?: string }): RunResult {
  const perClass = options.perClassCorrect.map((correct, classIndex) => ({ classIndex, correct, total: 20, accuracy: correct / 20 }));
  const checkpoint = (accuracy: number, seconds: number, epoch: number) => ({
    epoch,
    seconds,
    validationLoss: 0.5,
    validationAccuracy: 0.8,
    test: { accuracy, loss: 0.4, perClass },
  });
  return runResultSchema.parse({
    schemaVersion: 1,
    kind: "run",
    setId: "lenet1/default/abcdef123456",
    preset: "lenet1",
    setting: "default",
    runIndex: options.runIndex,
    runCount: 16,
    command: "npm run variance -- run --preset lenet1 --setting default --runs 16 --backend wasm --out out",
    training: { architecture: "lenet1", dataset: "mnist", epochs: 3, batchSize: 128, optimizer: { type: "sgd", learningRate: 0.05 }, learningRateSchedule: [], augmentation: null, dropoutRate: 0 },
    seeds: { master: 1, init: 2, order: 3, dropout: 4, augmentation: 5 },
    environment: {
      backend: "wasm", tfjsVersion: "4.22.0", backendThreads: 1, simd: true, backendDeterministic: true, addedKernels: [],
      nodeVersion: "v20.0.0", varstudyVersion: "0.1.0", gitCommit: null, platform: "linux", arch: "x64", cpuModel: "cpu", hostname: "h",
    },
    dataset: { name: "mnist", sha256: "a".repeat(64), trainSize: 100, validationSize: 50, testSize: 60, numClasses: 3 },
    parameterCount: 7206,
    epochs: [1, 2, 3].map((epoch) => ({ epoch, learningRate: 0.05, trainLoss: 1, trainAccuracy: 0.5, validationLoss: 0.5, validationAccuracy: 0.8, seconds: 1, cumulativeSeconds: epoch })),
    checkpoints: { bestLoss: checkpoint(options.lossAcc, options.lossSeconds, 2), bestAccuracy: checkpoint(options.accAcc, options.accSeconds, 3) },
    initialWeightsSha256: "b".repeat(64),
    finalWeightsSha256: options.weights ?? options.runIndex.toString(16).padStart(64, "c"),
    trainingSeconds: 3,
    startedAt: "2026-11-01T10:00:00.000Z",
    finishedAt: "2026-11-01T10:00:03.000Z",
  });
}

/** Brute force, written independently of lib/stats: sample SD by its definition. */
const bruteSd = (values: number[]) => {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
};

describe("summarizeSet", () => {
  const rng = createRng(2024);
  const runs = Array.from({ length: 8 }, (_, runIndex) =>
    fakeRun({
      runIndex,
      lossAcc: 0.9 + rng() * 0.05,
      accAcc: 0.9 + rng() * 0.05,
      lossSeconds: 10 + rng() * 5,
      accSeconds: 12 + rng() * 8,
      perClassCorrect: [10 + Math.floor(rng() * 10), 15, 5 + Math.floor(rng() * 15)],
    }),
  );

  it("matches a brute-force computation of Diff, SD, per-class maxima and time spreads", () => {
    const result = summarizeSet(runs);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    for (const criterion of ["bestLoss", "bestAccuracy"] as const) {
      const c = result.summary.criteria[criterion];
      const accuracies = runs.map((run) => run.checkpoints[criterion].test.accuracy * 100);
      expect(c.accuracy.diff).toBeCloseTo(Math.max(...accuracies) - Math.min(...accuracies), 10);
      expect(c.accuracy.sd).toBeCloseTo(bruteSd(accuracies), 10);
      expect(c.accuracySdInterval.lower).toBeLessThan(c.accuracy.sd);
      expect(c.accuracySdInterval.upper).toBeGreaterThan(c.accuracy.sd);
      const perClass = [0, 1, 2].map((k) => runs.map((run) => (run.checkpoints[criterion].test.perClass[k]!.correct / 20) * 100));
      const diffs = perClass.map((values) => Math.max(...values) - Math.min(...values));
      const sds = perClass.map(bruteSd);
      expect(c.largestPerClassDiff.diff).toBeCloseTo(Math.max(...diffs), 10);
      expect(c.largestPerClassDiff.classIndex).toBe(diffs.indexOf(Math.max(...diffs)));
      expect(c.largestPerClassSd.sd).toBeCloseTo(Math.max(...sds), 10);
      const times = runs.map((run) => run.checkpoints[criterion].seconds);
      const tMin = Math.min(...times);
      const tMean = times.reduce((a, b) => a + b, 0) / times.length;
      expect(c.time.diff).toBeCloseTo(Math.max(...times) - tMin, 10);
      expect(c.time.relativeDiff!).toBeCloseTo((Math.max(...times) - tMin) / tMin, 10);
      expect(c.time.cv!).toBeCloseTo(bruteSd(times) / tMean, 10);
    }
    expect(result.summary.largest.overallDiff).toBe(Math.max(result.summary.criteria.bestLoss.accuracy.diff, result.summary.criteria.bestAccuracy.accuracy.diff));
    expect(result.summary.identicalFinalWeights).toBe(false);
  });

  it("lists weak models (<20%) and excludes them only when asked", () => {
    const withWeak = [...runs, fakeRun({ runIndex: 8, lossAcc: 0.11, accAcc: 0.95, lossSeconds: 9, accSeconds: 9, perClassCorrect: [2, 2, 2] })];
    const kept = summarizeSet(withWeak);
    const dropped = summarizeSet(withWeak, { excludeWeak: true });
    if (!kept.ok || !dropped.ok) throw new Error("expected summaries");
    expect(kept.summary.weakRuns.map((run) => run.runIndex)).toEqual([8]);
    expect(kept.summary.criteria.bestLoss.n).toBe(9);
    expect(dropped.summary.criteria.bestLoss.n).toBe(8);
    expect(kept.summary.criteria.bestLoss.accuracy.min).toBeCloseTo(11, 10);
  });

  it("names a tensorflow set's implementation with its threads and oneDNN switch", () => {
    const onTensorflow = runs.map((run) => ({ ...run, environment: { ...run.environment, backend: "tensorflow" as const, backendThreads: 2, onednn: false, simd: false } }));
    const result = summarizeSet(onTensorflow);
    if (!result.ok) throw new Error(result.error);
    expect(result.summary.backend).toBe("tensorflow threads=2 onednn=off");
    expect(formatSetSummary(result.summary)).toContain("(8/16 runs, backend tensorflow threads=2 onednn=off)");
  });

  it("needs two runs", () => {
    expect(summarizeSet(runs.slice(0, 1))).toEqual({ ok: false, setId: runs[0]!.setId, error: expect.stringMatching(/at least 2 runs/) });
  });

  it("compares sets with Levene, Mann–Whitney and Cohen's d, and explains undefined tests", () => {
    const shifted = runs.map((run) => fakeRun({ runIndex: run.runIndex, lossAcc: run.checkpoints.bestLoss.test.accuracy - 0.2, accAcc: 0.5, lossSeconds: 1, accSeconds: 1, perClassCorrect: [1, 1, 1] }));
    const comparison = compareSets(runs, shifted, "bestLoss");
    expect(comparison.mannWhitney.ok && comparison.mannWhitney.value.pValue).toBeLessThan(0.01);
    expect(comparison.cohensD.ok && comparison.cohensD.value).toBeGreaterThan(2);
    expect(comparison.levene.ok).toBe(true);
    const identical = runs.map((run) => fakeRun({ runIndex: run.runIndex, lossAcc: 0.9, accAcc: 0.9, lossSeconds: 1, accSeconds: 1, perClassCorrect: [1, 1, 1] }));
    const tied = compareSets(identical, identical, "bestLoss");
    expect(tied.cohensD.ok).toBe(false);
  });
});

describe("result lines", () => {
  const directory = scratchDir("varstudy-results-");

  it("rejects unknown versions, broken JSON and schema violations with clear messages", () => {
    const good = fakeRun({ runIndex: 0, lossAcc: 0.9, accAcc: 0.9, lossSeconds: 1, accSeconds: 1, perClassCorrect: [1, 1, 1] });
    expect(parseResultLine(JSON.stringify(good))).toEqual({ ok: true, value: good });
    expect(parseResultLine(JSON.stringify({ ...good, schemaVersion: 2 }))).toEqual({ ok: false, message: expect.stringMatching(/unknown schemaVersion 2 \(this VarStudy reads version 1\)/) });
    expect(parseResultLine(JSON.stringify(good).slice(0, 80))).toEqual({ ok: false, message: expect.stringMatching(/not valid JSON/) });
    const broken = { ...good, checkpoints: { ...good.checkpoints, bestLoss: { ...good.checkpoints.bestLoss, test: { ...good.checkpoints.bestLoss.test, accuracy: 1.5 } } } };
    expect(parseResultLine(JSON.stringify(broken))).toEqual({ ok: false, message: expect.stringContaining("checkpoints.bestLoss.test.accuracy") });
    expect(resultLineSchema.safeParse({ ...good, kind: "other" }).success).toBe(false);
  });

  it("reads a directory, reports bad lines, and imports the rest only when asked", async () => {
    const a = fakeRun({ runIndex: 0, lossAcc: 0.9, accAcc: 0.9, lossSeconds: 1, accSeconds: 1, perClassCorrect: [1, 1, 1] });
    const b = fakeRun({ runIndex: 1, lossAcc: 0.8, accAcc: 0.8, lossSeconds: 1, accSeconds: 1, perClassCorrect: [1, 1, 1] });
    await writeFile(path.join(directory, "results.jsonl"), `${JSON.stringify(a)}\n{"schemaVersion":99}\n\n${JSON.stringify(b)}\n${JSON.stringify(a)}\n{"trunc`);
    const read = await readResultsDirectory(directory);
    expect(read.runs.map((run) => run.runIndex)).toEqual([0, 1]);
    expect(read.errors.map((error) => error.line)).toEqual([2, 6]);
    expect(read.duplicates).toEqual([{ key: `${a.setId}#0`, conflicting: false }]);
    const strict = selectRunsToImport(read, { importValidDespiteErrors: false });
    expect(strict).toEqual({ ok: false, error: expect.stringMatching(/^2 line\(s\) rejected \(results\.jsonl:2 unknown schemaVersion 99/) });
    expect(selectRunsToImport(read, { importValidDespiteErrors: true })).toEqual({ ok: true, runs: read.runs, skippedLines: 2 });
  });
});

describe("ProgressTracker", () => {
  it("counts runs and estimates time left from the work done so far", () => {
    const spec = (runIndex: number) => ({ setId: "s", runIndex, setting: "fixed-seed", training: { epochs: 2 } }) as never;
    const tracker = new ProgressTracker(4, 1, 0);
    tracker.record({ type: "started", spec: spec(0), worker: 1 });
    tracker.record({ type: "progress", spec: spec(0), worker: 1, progress: { epoch: 2, epochs: 2, step: 5, steps: 10, samplesPerSecond: 300 } });
    // 15 of 20 units of run 0 done after 15 s: 1 unit/s; 3 runs remain = 60 units − 15 done = 45 s.
    const snapshot = tracker.snapshot(15_000);
    expect(snapshot.secondsLeft).toBeCloseTo(45, 10);
    expect(formatProgressLine(snapshot)).toBe("runs 1/4 done (1 resumed) | fixed-seed #1 epoch 2/2 step 5/10 | 300 img/s | 45s left");
    tracker.record({ type: "finished", spec: spec(0), worker: 1, result: {} as never });
    expect(tracker.snapshot(20_000)).toMatchObject({ done: 1, active: [] });
  });
});
