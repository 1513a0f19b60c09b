/**
 * Descriptive statistics. Estimator names say which estimator they are (sampleVariance divides by
 * n − 1); edge cases throw instead of returning NaN so that no NaN ever reaches a table or a chart.
 */
import { normalQuantile } from "./distributions";
import { assertFiniteValues, assertLevel } from "./guards";
import { StatsInputError } from "./errors";

/**
 * Arithmetic mean.
 * @param values finite numbers, at least one.
 * @throws StatsInputError for an empty array or a non-finite value.
 */
export function mean(values: readonly number[]): number {
  assertFiniteValues(values, "values", 1);
  // Two-pass: a first mean, then the mean residual, which removes most rounding error for long arrays.
  let sum = 0;
  for (const value of values) sum += value;
  const first = sum / values.length;
  let residual = 0;
  for (const value of values) residual += value - first;
  return first + residual / values.length;
}

/**
 * Sample variance with the n − 1 denominator (two-pass algorithm, never E[x²] − E[x]²).
 * @param values finite numbers, at least two.
 * @throws StatsInputError for fewer than two values (the variance of one value is undefined, not 0).
 */
export function sampleVariance(values: readonly number[]): number {
  assertFiniteValues(values, "values", 2);
  const center = mean(values);
  let squares = 0;
  let residual = 0;
  for (const value of values) {
    const deviation = value - center;
    squares += deviation * deviation;
    residual += deviation;
  }
  // Corrected two-pass (Chan, Golub & LeVeque): subtract the rounding residual of the mean.
  return Math.max(0, (squares - (residual * residual) / values.length) / (values.length - 1));
}

/**
 * Population variance with the n denominator.
 * @param values finite numbers, at least one.
 * @throws StatsInputError for an empty array.
 */
export function populationVariance(values: readonly number[]): number {
  assertFiniteValues(values, "values", 1);
  if (values.length === 1) return 0;
  return (sampleVariance(values) * (values.length - 1)) / values.length;
}

/**
 * Sample standard deviation √sampleVariance (n − 1 denominator).
 * @throws StatsInputError for fewer than two values.
 */
export function sampleStdDev(values: readonly number[]): number {
  return Math.sqrt(sampleVariance(values));
}

/** Returns a sorted copy (ascending, numeric); the input is not changed. */
export function sortedAscending(values: readonly number[]): number[] {
  return values.slice().sort((a, b) => a - b);
}

/**
 * Quantile by linear interpolation between order statistics (Hyndman & Fan type 7, the default of R's
 * `quantile` and NumPy's `percentile`): h = (n − 1)·p, result = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 * @param values finite numbers, at least one (need not be sorted).
 * @param probability in [0, 1]; 0 gives the minimum, 1 the maximum.
 * @throws StatsInputError for an empty array or a probability outside [0, 1].
 */
export function quantile(values: readonly number[], probability: number): number {
  assertFiniteValues(values, "values", 1);
  if (!Number.isFinite(probability) || probability < 0 || probability > 1) {
    throw new StatsInputError(`probability must be between 0 and 1, got ${probability}.`);
  }
  return quantileOfSorted(sortedAscending(values), probability);
}

/**
 * {@link quantile} for input that is already sorted ascending (no validation; for hot loops such as the
 * bootstrap).
 */
export function quantileOfSorted(sorted: readonly number[], probability: number): number {
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const lowerValue = sorted[below]!;
  return lowerValue + (position - below) * (sorted[above]! - lowerValue);
}

/**
 * Median (type 7 quantile at 0.5: the mean of the two middle values for even n).
 * @throws StatsInputError for an empty array.
 */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * Minimum and maximum.
 * @throws StatsInputError for an empty array.
 */
export function range(values: readonly number[]): { min: number; max: number } {
  assertFiniteValues(values, "values", 1);
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

/**
 * Two-sided standard normal critical value z_{1−α/2} for a confidence level (1.959964… for 0.95).
 * @throws StatsInputError for a level outside (0, 1).
 */
export function twoSidedZ(level: number): number {
  assertLevel(level);
  return zForUpperTailProbability((1 - level) / 2);
}

/** z such that P(Z > z) = tailProbability. */
export function zForUpperTailProbability(tailProbability: number): number {
  return normalQuantile(1 - tailProbability);
}
