/**
 * Variance analysis of repeated identical training runs: summary (Diff = max − min, RelDiff, CV), the
 * chi-square interval of a standard deviation, and Cohen's d between two sets of runs.
 */
import { chiSquareQuantile } from "./distributions";
import { StatsInputError } from "./errors";
import { mean, range, sampleStdDev, sampleVariance } from "./descriptive";
import { assertFiniteValues, assertLevel, assertSampleSize } from "./guards";

export type VarianceSummary = {
  n: number;
  mean: number;
  /** sample standard deviation (n − 1) */
  sd: number;
  min: number;
  max: number;
  /** max − min, in the unit of the values (percentage points for accuracies in %) */
  diff: number;
  /** (max − min)/min; null when min ≤ 0, where a relative difference has no meaning */
  relativeDiff: number | null;
  /** sd/mean; null when mean ≤ 0 */
  cv: number | null;
};

/**
 * Summary of a set of runs as reported by Pham et al. (2020): Diff, SD, RelDiff = (max − min)/min and
 * RelSDev/CV = SD/mean.
 * @param values one metric per run (e.g. accuracy in %, time in s), at least two.
 * @throws StatsInputError for fewer than two values or non-finite values.
 */
export function varianceSummary(values: readonly number[]): VarianceSummary {
  assertFiniteValues(values, "values", 2);
  const { min, max } = range(values);
  const average = mean(values);
  const sd = sampleStdDev(values);
  return {
    n: values.length,
    mean: average,
    sd,
    min,
    max,
    diff: max - min,
    relativeDiff: min > 0 ? (max - min) / min : null,
    cv: average > 0 ? sd / average : null,
  };
}

export type SdConfidenceIntervalOptions =
  | { sd: number; n: number; level?: number; values?: undefined }
  | { values: readonly number[]; level?: number; sd?: undefined; n?: undefined };

export type SdConfidenceIntervalResult = { sd: number; lower: number; upper: number; n: number; level: number };

/**
 * Two-sided interval for a normal population's standard deviation:
 * [s·√((n − 1)/χ²_{1−α/2, n−1}), s·√((n − 1)/χ²_{α/2, n−1})].
 * @param options either `values` (at least two) or a sample `sd` ≥ 0 with its `n` ≥ 2; `level` defaults
 *   to 0.90, the level of the reference study's SD intervals.
 * @returns limits in the unit of the values. sd = 0 (all runs identical) gives [0, 0].
 * @throws StatsInputError for n < 2, a negative sd, or an invalid level.
 */
export function sdConfidenceInterval(options: SdConfidenceIntervalOptions): SdConfidenceIntervalResult {
  const level = options.level ?? 0.9;
  assertLevel(level);
  let sd: number;
  let n: number;
  if (options.values !== undefined) {
    assertFiniteValues(options.values, "values", 2);
    sd = sampleStdDev(options.values);
    n = options.values.length;
  } else {
    sd = options.sd;
    n = options.n;
    assertSampleSize(n, "n");
    if (n < 2) throw new StatsInputError(`n must be at least 2 for a standard deviation, got ${n}.`);
    if (!Number.isFinite(sd) || sd < 0) throw new StatsInputError(`sd must be a non-negative number, got ${sd}.`);
  }
  const alpha = 1 - level;
  const df = n - 1;
  return {
    sd,
    lower: sd * Math.sqrt(df / chiSquareQuantile(1 - alpha / 2, df)),
    upper: sd * Math.sqrt(df / chiSquareQuantile(alpha / 2, df)),
    n,
    level,
  };
}

/**
 * Cohen's d = (mean(x) − mean(y)) / s_pooled with s_pooled² = ((n_x − 1)s_x² + (n_y − 1)s_y²)/(n_x + n_y − 2).
 * Positive when x is larger. Conventional reading (Sawilowsky 2009): 0.01 very small … 2 huge.
 * @param x, y at least two values each.
 * @throws StatsInputError for fewer than two values in a group, or a pooled SD of 0 (all values tied
 *   within both groups), where d is undefined.
 */
export function cohensD(x: readonly number[], y: readonly number[]): number {
  assertFiniteValues(x, "x", 2);
  assertFiniteValues(y, "y", 2);
  const pooledVariance =
    ((x.length - 1) * sampleVariance(x) + (y.length - 1) * sampleVariance(y)) / (x.length + y.length - 2);
  if (pooledVariance === 0) {
    throw new StatsInputError("Cohen's d is undefined when both groups have zero spread (pooled SD is 0).");
  }
  return (mean(x) - mean(y)) / Math.sqrt(pooledVariance);
}
