/**
 * Sample size for estimating a proportion to a given margin of error (Cochran 1977, §4.4):
 * n0 = z²·p(1 − p)/margin², and with a finite population of size N, n = n0 / (1 + (n0 − 1)/N).
 */
import { StatsInputError } from "./errors";
import { assertLevel, assertOneOf } from "./guards";
import { normalQuantile } from "./distributions";

export const SAMPLE_SIZE_ROUNDING = ["up", "nearest"] as const;
export type SampleSizeRounding = (typeof SAMPLE_SIZE_ROUNDING)[number];

export type SampleSizeOptions = {
  /** half-width of the two-sided interval on the proportion scale, in (0, 1) (0.05 = ±5 points) */
  margin: number;
  /** confidence level in (0, 1); default 0.95 */
  level?: number;
  /** anticipated proportion in [0, 1]; default 0.5 (the most conservative) */
  p?: number;
  /** finite population size N (whole number ≥ 1) */
  populationSize?: number;
  /** "up" (default, guarantees the margin) or "nearest" */
  rounding?: SampleSizeRounding;
};

export type SampleSizeResult = {
  /** required sample size after the finite population correction, rounded */
  n: number;
  /** unrounded infinite-population size z²p(1 − p)/margin² */
  n0: number;
  margin: number;
  level: number;
  p: number;
  populationSize: number | null;
  rounding: SampleSizeRounding;
};

/**
 * Required sample size for a proportion.
 * @returns n (rounded, at least 1, at most N when N is given) and the unrounded n0. With p = 0 or 1 the
 *   variance is 0 and n is 1: any single observation pins the proportion, which is rarely what a study
 *   means, so use p = 0.5 when unsure.
 * @throws StatsInputError for margin outside (0, 1), p outside [0, 1], invalid level, N or rounding.
 */
export function sampleSize(options: SampleSizeOptions): SampleSizeResult {
  const { margin, level = 0.95, p = 0.5, populationSize, rounding = "up" } = options;
  if (!Number.isFinite(margin) || margin <= 0 || margin >= 1) {
    throw new StatsInputError(`margin must be strictly between 0 and 1 (e.g. 0.05 for ±5 points), got ${margin}.`);
  }
  assertLevel(level);
  if (!Number.isFinite(p) || p < 0 || p > 1) throw new StatsInputError(`p must be between 0 and 1, got ${p}.`);
  assertOneOf(rounding, SAMPLE_SIZE_ROUNDING, "rounding");
  if (populationSize !== undefined && (!Number.isInteger(populationSize) || populationSize < 1)) {
    throw new StatsInputError(`populationSize must be a positive whole number, got ${populationSize}.`);
  }
  const z = normalQuantile(1 - (1 - level) / 2);
  const n0 = (z * z * p * (1 - p)) / (margin * margin);
  const corrected = populationSize === undefined ? n0 : n0 / (1 + (n0 - 1) / populationSize);
  // Guard against 200.00000000000003 becoming 201 under "up".
  const cleaned = Math.abs(corrected - Math.round(corrected)) < 1e-9 ? Math.round(corrected) : corrected;
  let n = rounding === "up" ? Math.ceil(cleaned) : Math.round(cleaned);
  n = Math.max(1, n);
  if (populationSize !== undefined) n = Math.min(n, populationSize);
  return { n, n0, margin, level, p, populationSize: populationSize ?? null, rounding };
}
