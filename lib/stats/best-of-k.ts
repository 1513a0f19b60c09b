/**
 * Best-of-k inflation (seed picking; Picard, "torch.manual_seed(3407) is all you need", 2021): how much the best
 * of k runs overstates the mean of the procedure. The expected maximum of k runs picked without replacement
 * from the n observed runs is Σ_{j=k}^{n} x_(j)·C(j − 1, k − 1)/C(n, k) (x_(j) the j-th smallest), the unbiased
 * estimate of E[max of k runs]; the inflation is that minus the mean of all n runs.
 */
import { StatsInputError } from "./errors";
import { mean, quantileOfSorted, sortedAscending } from "./descriptive";
import { assertFiniteValues, assertLevel } from "./guards";
import { createRng, randomInt } from "./random";

export type BestOfKRow = {
  k: number;
  /** expected best of k runs */
  expectedBest: number;
  /** expectedBest − mean */
  inflation: number;
  /** percentile bootstrap interval of the inflation (runs resampled with replacement) */
  lower: number;
  upper: number;
};

export type BestOfKResult = {
  n: number;
  mean: number;
  rows: BestOfKRow[];
  level: number;
  resamples: number;
  seed: number;
  method: "expected maximum of k of the n runs (without replacement), percentile bootstrap over runs";
};

/** log C(n, k) from a table of log factorials. */
const logChoose = (logFactorial: Float64Array, n: number, k: number) => logFactorial[n]! - logFactorial[k]! - logFactorial[n - k]!;

function logFactorials(n: number): Float64Array {
  const table = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) table[i] = table[i - 1]! + Math.log(i);
  return table;
}

/** Expected best of k for every k = 1..n, from values sorted ascending. */
function expectedBests(sorted: ArrayLike<number>, logFactorial: Float64Array): number[] {
  const n = sorted.length;
  const out = new Array<number>(n);
  for (let k = 1; k <= n; k++) {
    let sum = 0;
    const denominator = logChoose(logFactorial, n, k);
    for (let j = k; j <= n; j++) sum += sorted[j - 1]! * Math.exp(logChoose(logFactorial, j - 1, k - 1) - denominator);
    out[k - 1] = sum;
  }
  return out;
}

/**
 * Expected best of k runs minus the mean, for k = 1..n, each with a percentile bootstrap interval.
 * At k = 1 the inflation is 0 by definition; at k = n the expected best is the observed maximum, and the
 * bootstrap of a maximum is known to be too narrow, so read the last rows with care.
 * @throws StatsInputError for fewer than two values, or invalid level, resamples or seed.
 */
export function bestOfKInflation(options: { values: readonly number[]; level?: number; resamples?: number; seed: number }): BestOfKResult {
  const { values, level = 0.95, resamples = 2000, seed } = options;
  assertFiniteValues(values, "values", 2);
  assertLevel(level);
  if (!Number.isInteger(resamples) || resamples < 100 || resamples > 1_000_000) {
    throw new StatsInputError(`resamples must be a whole number between 100 and 1000000, got ${resamples}.`);
  }
  if (!Number.isInteger(seed)) throw new StatsInputError(`seed must be an integer, got ${seed}.`);
  const n = values.length;
  const logFactorial = logFactorials(n);
  const average = mean(values);
  const bests = expectedBests(sortedAscending(values), logFactorial);
  const rng = createRng(seed);
  const replicates: number[][] = Array.from({ length: n }, () => new Array<number>(resamples));
  const resample = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      resample[i] = values[randomInt(rng, n)]!;
      sum += resample[i]!;
    }
    resample.sort((x, y) => x - y);
    const resampleMean = sum / n;
    expectedBests(resample, logFactorial).forEach((best, index) => (replicates[index]![r] = best - resampleMean));
  }
  const alpha = 1 - level;
  const rows = bests.map((expectedBest, index) => {
    const sorted = replicates[index]!.sort((x, y) => x - y);
    // k = 1 is the mean itself: inflation exactly 0, whatever rounding the bootstrap adds.
    const exact = index === 0;
    return {
      k: index + 1,
      expectedBest: exact ? average : expectedBest,
      inflation: exact ? 0 : expectedBest - average,
      lower: exact ? 0 : quantileOfSorted(sorted, alpha / 2),
      upper: exact ? 0 : quantileOfSorted(sorted, 1 - alpha / 2),
    };
  });
  return { n, mean: average, rows, level, resamples, seed, method: "expected maximum of k of the n runs (without replacement), percentile bootstrap over runs" };
}
