/**
 * The Analysis of a pair of sets on the shipped demo runs: every figure is the lib/stats function's on the
 * runs' accuracies, predictions are used only when recorded, and `variance compare` prints the same numbers.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { pairAnalysisMethods } from "@/lib/dashboard/methods";
import { DEMO_RESULTS_DIR } from "@/lib/db/seed/demo-experiments";
import { groupRunsBySet } from "@/lib/runner/analysis";
import { analyzePair, PREDICTIONS_NOT_RECORDED } from "@/lib/runner/pair-analysis";
import type { RunResult } from "@/lib/runner/result-schema";
import { readResultsDirectory } from "@/lib/runner/results-io";
import { mannWhitneyU, probabilityOfOutperforming, runsNeeded, sampleStdDev } from "@/lib/stats";

const ROOT = path.resolve(import.meta.dirname, "../../..");

async function demoSets() {
  const read = await readResultsDirectory(DEMO_RESULTS_DIR);
  // The shipped sets of results.jsonl, not the variance-by-source family beside them (lenet1-sources.jsonl).
  const sets = groupRunsBySet(read.runs.filter((run) => !run.family));
  const find = (prefix: string) => [...sets.entries()].find(([id]) => id.startsWith(prefix))![1];
  return { lenet1: find("lenet1-digits/default"), lenet5: find("lenet5-digits/default"), fixed1: find("lenet1-digits/fixed-seed") };
}

const accuracies = (runs: RunResult[]) => runs.map((run) => run.checkpoints.bestLoss.test.accuracy * 100);

describe("pair analysis", () => {
  test("LeNet-1 vs LeNet-5: the figures are lib/stats' on the runs' accuracies", async () => {
    const { lenet1, lenet5 } = await demoSets();
    const analysis = analyzePair(lenet1, lenet5);
    const a = accuracies(lenet1);
    const b = accuracies(lenet5);
    expect(analysis.a.accuracies).toEqual(a);
    expect(analysis.outperforming.ok && analysis.outperforming.value.estimate).toBeCloseTo(mannWhitneyU(a, b).u / (a.length * b.length), 15);
    expect(analysis.outperforming).toEqual({ ok: true, value: probabilityOfOutperforming({ a, b, seed: analysis.seed }) });
    expect(analysis.planner.result).toEqual({ ok: true, value: runsNeeded({ sdA: sampleStdDev(a), sdB: sampleStdDev(b), difference: 0.5, power: 0.8, alpha: 0.05 }) });
    expect(analysis.sameTestSet).toBe(true);
    expect(analysis.a.perClassNoise).toHaveLength(10);
    expect(analysis.a.perClassNoise.map((c) => c.testImages)).toEqual(lenet1[0]!.checkpoints.bestLoss.test.perClass.map((c) => c.total));
    // The demo runs predate recorded predictions: said, not invented.
    expect(analysis.a.disagreement).toEqual({ ok: false, reason: PREDICTIONS_NOT_RECORDED });
    expect(pairAnalysisMethods(analysis)).toContain("not recorded for these runs");
  });

  test("with predictions recorded, the disagreement is computed from them", async () => {
    const { lenet1, lenet5 } = await demoSets();
    const withPredictions = lenet1.map((run, index) => ({
      ...run,
      checkpoints: { ...run.checkpoints, bestLoss: { ...run.checkpoints.bestLoss, test: { ...run.checkpoints.bestLoss.test, predictions: [0, 1, 2, index % 2] } } },
    }));
    const analysis = analyzePair(withPredictions, lenet5);
    expect(analysis.a.disagreement.ok).toBe(true);
    // Half the pairs differ on one image of four: 8·8 of 120 pairs → 64/120/4.
    expect(analysis.a.disagreement.ok && analysis.a.disagreement.value.meanRate).toBeCloseTo(64 / 120 / 4, 15);
    expect(analysis.b.disagreement.ok).toBe(false);
  });

  test("fixed-seed runs have no spread: the planner says why instead of a number; a guessed SD answers", async () => {
    const { fixed1, lenet5 } = await demoSets();
    const fixedPair = analyzePair(fixed1, fixed1.map((run) => ({ ...run, setId: "copy" })));
    expect(fixedPair.planner.result.ok).toBe(false);
    expect(!fixedPair.planner.result.ok && fixedPair.planner.result.reason).toContain("Both SDs are 0");
    const guessed = analyzePair(fixed1, lenet5, { planner: { difference: 0.5, power: 0.8, alpha: 0.05, guessedSd: 0.6 } });
    expect(guessed.planner.result).toEqual({ ok: true, value: runsNeeded({ sdA: 0.6, sdB: 0.6, difference: 0.5 }) });
  });

  test("npm run variance -- compare prints the same P(A > B) and runs needed", async () => {
    const { lenet1, lenet5 } = await demoSets();
    const analysis = analyzePair(lenet1, lenet5);
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/variance.ts", "compare", DEMO_RESULTS_DIR, "--a", lenet1[0]!.setId, "--b", lenet5[0]!.setId], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const p = analysis.outperforming.ok ? analysis.outperforming.value : null;
    expect(result.stdout).toContain(`P(A > B) = ${p!.estimate.toFixed(3)}  [${p!.lower.toFixed(3)}, ${p!.upper.toFixed(3)}]`);
    expect(result.stdout).toContain(`: ${analysis.planner.result.ok ? analysis.planner.result.value.runs : "?"} (power`);
    expect(result.stdout).toContain("Prediction disagreement, A: not defined: not recorded for these runs");
    const ambiguous = spawnSync(process.execPath, ["--import", "tsx", "scripts/variance.ts", "compare", DEMO_RESULTS_DIR, "--a", "lenet1-digits"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toMatch(/matches \d+ sets/);
  });
});
