import { cohensD, leveneTest, mannWhitneyU, sdConfidenceInterval, varianceSummary, type VarianceSummary } from "../stats";
import type { RunResult } from "./result-schema";

/** The study's threshold: a run whose test accuracy is below 20% is a "weak model". */
export const WEAK_MODEL_ACCURACY = 0.2;
/** Level of the SD interval the study reports. */
export const SD_INTERVAL_LEVEL = 0.9;

export const SELECTION_CRITERIA = ["bestLoss", "bestAccuracy"] as const;
export type SelectionCriterion = (typeof SELECTION_CRITERIA)[number];

export type CriterionSummary = {
  criterion: SelectionCriterion;
  /** Runs the numbers below are computed on (weak runs removed when asked). */
  n: number;
  /** Test accuracy in percent: n, mean, sd (sample, n−1), min, max, diff = max − min. */
  accuracy: VarianceSummary;
  /** Two-sided chi-square interval for the SD of accuracy (percentage points). */
  accuracySdInterval: { lower: number; upper: number; level: number };
  /** Class with the largest max − min of per-class test accuracy (percentage points). */
  largestPerClassDiff: { classIndex: number; diff: number };
  /** Class with the largest per-class SD (percentage points). */
  largestPerClassSd: { classIndex: number; sd: number };
  /** Time to checkpoint (s): diff, relativeDiff = diff / min, cv = RelSDev = sd / mean. */
  time: VarianceSummary;
  /** Epoch of the selected checkpoint (epochs to convergence). */
  epochs: VarianceSummary;
};

export type SetSummary = {
  setId: string;
  preset: string;
  setting: RunResult["setting"];
  /** The implementation ("wasm", "tensorflow threads=1 onednn=on"); for a cross-implementation set, its backends ("wasm, tensorflow"). */
  backend: string;
  command: string;
  /** All runs found for the set, including weak ones. */
  runCount: number;
  plannedRunCount: number;
  /** Runs below 20% test accuracy under either criterion, by run index. */
  weakRuns: Array<{ runIndex: number; bestLossAccuracy: number; bestAccuracyAccuracy: number }>;
  weakExcluded: boolean;
  /** Whether the runs' final weights were all bit-identical. */
  identicalFinalWeights: boolean;
  /** Cross-implementation sets: one row per implementation and the spread between them; null otherwise. */
  implementations: ImplementationSpread | null;
  criteria: Record<SelectionCriterion, CriterionSummary>;
  /**
   * Table-2/3-style figures: the larger value over the two criteria, as the study reports. Every view of a set's
   * Table-2 row (the Experiments area, the study overview, its report and export) reads these.
   */
  largest: {
    overallDiff: number;
    overallSd: number;
    /** The chi-square interval of the criterion whose SD is `overallSd`. */
    overallSdInterval: { lower: number; upper: number; level: number };
    perClassDiff: number;
    perClassSd: number;
    /** Training-time RelDiff = (max − min) / min, the larger over the two criteria; null where min is 0. */
    timeRelativeDiff: number | null;
  };
};

export type SetSummaryResult = { ok: true; summary: SetSummary } | { ok: false; setId: string; error: string };

const percent = (fraction: number) => fraction * 100;

function summarizeCriterion(runs: readonly RunResult[], criterion: SelectionCriterion): CriterionSummary {
  const accuracies = runs.map((run) => percent(run.checkpoints[criterion].test.accuracy));
  const accuracy = varianceSummary(accuracies);
  const interval = sdConfidenceInterval({ values: accuracies, level: SD_INTERVAL_LEVEL });
  const numClasses = runs[0]!.checkpoints[criterion].test.perClass.length;
  let largestPerClassDiff = { classIndex: 0, diff: -Infinity };
  let largestPerClassSd = { classIndex: 0, sd: -Infinity };
  for (let classIndex = 0; classIndex < numClasses; classIndex++) {
    const values = runs
      .map((run) => run.checkpoints[criterion].test.perClass[classIndex]?.accuracy)
      .filter((value): value is number => value !== null && value !== undefined)
      .map(percent);
    // A class absent from a small test set has no accuracy; it cannot be compared across runs.
    if (values.length < 2) continue;
    const summary = varianceSummary(values);
    if (summary.diff > largestPerClassDiff.diff) largestPerClassDiff = { classIndex, diff: summary.diff };
    if (summary.sd > largestPerClassSd.sd) largestPerClassSd = { classIndex, sd: summary.sd };
  }
  if (!Number.isFinite(largestPerClassDiff.diff)) largestPerClassDiff = { classIndex: 0, diff: 0 };
  if (!Number.isFinite(largestPerClassSd.sd)) largestPerClassSd = { classIndex: 0, sd: 0 };
  return {
    criterion,
    n: runs.length,
    accuracy,
    accuracySdInterval: { lower: interval.lower, upper: interval.upper, level: interval.level },
    largestPerClassDiff,
    largestPerClassSd,
    time: varianceSummary(runs.map((run) => run.checkpoints[criterion].seconds)),
    epochs: varianceSummary(runs.map((run) => run.checkpoints[criterion].epoch)),
  };
}

/**
 * Summarises one set of identical runs the way the study's Tables 2 and 3 do, with the statistics
 * engine (lib/stats) doing every computation.
 * @param runs the runs of one set (same setId); order does not matter.
 * @param options.excludeWeak drop weak runs (< 20% test accuracy under either criterion) before computing.
 * @returns the summary, or an error when fewer than two runs remain (an SD needs two).
 */
export function summarizeSet(runs: readonly RunResult[], options: { excludeWeak?: boolean } = {}): SetSummaryResult {
  const first = runs[0];
  if (!first) return { ok: false, setId: "(empty)", error: "no runs" };
  if (runs.some((run) => run.setId !== first.setId)) return { ok: false, setId: first.setId, error: "runs from different sets cannot be summarised together" };
  const weakRuns = runs
    .filter((run) => SELECTION_CRITERIA.some((criterion) => run.checkpoints[criterion].test.accuracy < WEAK_MODEL_ACCURACY))
    .map((run) => ({
      runIndex: run.runIndex,
      bestLossAccuracy: percent(run.checkpoints.bestLoss.test.accuracy),
      bestAccuracyAccuracy: percent(run.checkpoints.bestAccuracy.test.accuracy),
    }));
  const weakIndices = new Set(weakRuns.map((run) => run.runIndex));
  // A cross-implementation set counts each implementation once (see runsForSpread).
  const included = runsForSpread(options.excludeWeak ? runs.filter((run) => !weakIndices.has(run.runIndex)) : runs);
  if (included.length < 2) {
    return { ok: false, setId: first.setId, error: `needs at least 2 runs to measure variance, has ${included.length}` };
  }
  const criteria = {
    bestLoss: summarizeCriterion(included, "bestLoss"),
    bestAccuracy: summarizeCriterion(included, "bestAccuracy"),
  };
  const widerSd = criteria.bestLoss.accuracy.sd >= criteria.bestAccuracy.accuracy.sd ? criteria.bestLoss : criteria.bestAccuracy;
  const timeRelativeDiffs = SELECTION_CRITERIA.map((criterion) => criteria[criterion].time.relativeDiff).filter((value): value is number => value !== null);
  return {
    ok: true,
    summary: {
      setId: first.setId,
      preset: first.preset,
      setting: first.setting,
      backend: first.setting === "cross-implementation" ? [...new Set(runs.map((run) => run.environment.backend))].join(", ") : implementationOfRun(first),
      command: first.command,
      runCount: runs.length,
      plannedRunCount: first.runCount,
      weakRuns,
      weakExcluded: options.excludeWeak ?? false,
      identicalFinalWeights: runs.every((run) => run.finalWeightsSha256 === first.finalWeightsSha256),
      implementations: first.setting === "cross-implementation" ? summarizeImplementations(runs) : null,
      criteria,
      largest: {
        overallDiff: Math.max(criteria.bestLoss.accuracy.diff, criteria.bestAccuracy.accuracy.diff),
        overallSd: widerSd.accuracy.sd,
        overallSdInterval: widerSd.accuracySdInterval,
        perClassDiff: Math.max(criteria.bestLoss.largestPerClassDiff.diff, criteria.bestAccuracy.largestPerClassDiff.diff),
        perClassSd: Math.max(criteria.bestLoss.largestPerClassSd.sd, criteria.bestAccuracy.largestPerClassSd.sd),
        timeRelativeDiff: timeRelativeDiffs.length > 0 ? Math.max(...timeRelativeDiffs) : null,
      },
    },
  };
}

/** Groups runs by set id, sets in id order. */
export function groupRunsBySet(runs: readonly RunResult[]): Map<string, RunResult[]> {
  const groups = new Map<string, RunResult[]>();
  for (const run of [...runs].sort((a, b) => (a.setId < b.setId ? -1 : a.setId > b.setId ? 1 : a.runIndex - b.runIndex))) {
    const group = groups.get(run.setId) ?? [];
    group.push(run);
    groups.set(run.setId, group);
  }
  return groups;
}

/** A test result, or why it could not be computed (e.g. every accuracy tied). */
type Maybe<T> = { ok: true; value: T } | { ok: false; reason: string };
const attempt = <T>(compute: () => T): Maybe<T> => {
  try {
    return { ok: true, value: compute() };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
};

export type SetComparison = {
  criterion: SelectionCriterion;
  a: string;
  b: string;
  /** Brown–Forsythe (median-centred Levene) test of equal accuracy variances. */
  levene: Maybe<{ statistic: number; pValue: number }>;
  /** Two-sided Mann–Whitney U test of accuracies. */
  mannWhitney: Maybe<{ u: number; pValue: number }>;
  /** Cohen's d of a's accuracies minus b's (pooled SD). */
  cohensD: Maybe<number>;
};

/**
 * Compares the test accuracies (percent) of two sets under one selection criterion.
 * Tests that are undefined for the data (e.g. all accuracies identical in both sets, as fixed-seed
 * runs on a deterministic backend are) are reported with the statistics engine's reason instead of a number.
 */
export function compareSets(a: readonly RunResult[], b: readonly RunResult[], criterion: SelectionCriterion): SetComparison {
  const x = a.map((run) => percent(run.checkpoints[criterion].test.accuracy));
  const y = b.map((run) => percent(run.checkpoints[criterion].test.accuracy));
  return {
    criterion,
    a: a[0]?.setId ?? "(empty)",
    b: b[0]?.setId ?? "(empty)",
    levene: attempt(() => {
      const result = leveneTest([x, y]);
      return { statistic: result.statistic, pValue: result.pValue };
    }),
    mannWhitney: attempt(() => {
      const result = mannWhitneyU(x, y, { alternative: "two-sided" });
      return { u: result.u, pValue: result.pValue };
    }),
    cohensD: attempt(() => cohensD(x, y)),
  };
}

/** One implementation's runs within a cross-implementation set. */
export type ImplementationRow = {
  implementation: string;
  runIndices: number[];
  /** Test accuracy (%) of this implementation's first run, at each checkpoint. */
  bestLossAccuracy: number;
  bestAccuracyAccuracy: number;
  finalWeightsSha256: string;
  /** The determinism audit: every repeat of this implementation ended with the same weights (null with one run). */
  repeatsIdentical: boolean | null;
};

export type ImplementationSpread = {
  implementations: ImplementationRow[];
  /** Distinct final weights over all implementations (1 means every implementation computed the same bits). */
  distinctFinalWeights: number;
  /** Largest minus smallest test accuracy (points) between implementations, larger over the two checkpoints. */
  accuracyDiff: number;
  /** Largest per-class Diff (points) between implementations, larger over the two checkpoints, and its class. */
  perClassDiff: { classIndex: number; diff: number };
};

/**
 * The spread between the implementations of a cross-implementation set: one row per implementation (its
 * runs grouped by the implementation recorded in their provenance), the determinism audit of each, and
 * the differences between implementations. Within-implementation repeats are not counted twice: each
 * implementation contributes its first run.
 * @param runs the runs of one cross-implementation set.
 * @returns null when fewer than two implementations have finished runs.
 */
export function summarizeImplementations(runs: readonly RunResult[]): ImplementationSpread | null {
  const groups = new Map<string, RunResult[]>();
  for (const run of [...runs].sort((a, b) => a.runIndex - b.runIndex)) {
    const key = implementationOfRun(run);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  if (groups.size < 2) return null;
  const firsts = [...groups.values()].map((group) => group[0]!);
  const implementations = [...groups.entries()].map(([implementation, group]) => ({
    implementation,
    runIndices: group.map((run) => run.runIndex),
    bestLossAccuracy: percent(group[0]!.checkpoints.bestLoss.test.accuracy),
    bestAccuracyAccuracy: percent(group[0]!.checkpoints.bestAccuracy.test.accuracy),
    finalWeightsSha256: group[0]!.finalWeightsSha256,
    repeatsIdentical: group.length < 2 ? null : group.every((run) => run.finalWeightsSha256 === group[0]!.finalWeightsSha256),
  }));
  const largestPerClass = SELECTION_CRITERIA.map((criterion) => summarizeCriterion(firsts, criterion).largestPerClassDiff).reduce((a, b) => (b.diff > a.diff ? b : a));
  return {
    implementations,
    distinctFinalWeights: new Set(firsts.map((run) => run.finalWeightsSha256)).size,
    accuracyDiff: Math.max(...SELECTION_CRITERIA.map((criterion) => varianceSummary(firsts.map((run) => percent(run.checkpoints[criterion].test.accuracy))).diff)),
    perClassDiff: largestPerClass,
  };
}

/**
 * The implementation a finished run trained on, from its provenance: the requested key when recorded
 * ("tensorflow threads=2 onednn=off"), otherwise rebuilt from backend, threads and oneDNN. (Here rather than
 * in implementation.ts, which loads TensorFlow.js: the app reads results without it.)
 */
export function implementationOfRun(run: Pick<RunResult, "environment">): string {
  const e = run.environment;
  if (e.implementation) return e.implementation;
  if (e.backend !== "tensorflow") return e.backend;
  return `tensorflow threads=${e.backendThreads}${e.onednn === undefined || e.onednn === null ? "" : ` onednn=${e.onednn ? "on" : "off"}`}`;
}

/**
 * The runs a set's Table-2 row is computed on: all runs, except in a cross-implementation set, where each
 * implementation counts once (its repeats are the determinism audit, not more implementations).
 */
export function runsForSpread(runs: readonly RunResult[]): RunResult[] {
  if (runs[0]?.setting !== "cross-implementation") return [...runs];
  const seen = new Set<string>();
  return [...runs]
    .sort((a, b) => a.runIndex - b.runIndex)
    .filter((run) => {
      const key = implementationOfRun(run);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
