/**
 * Pearson correlation with a Fisher z interval and the t-test p-value, as R's `cor.test`.
 */
import { normalQuantile, tTwoSidedP } from "./distributions";
import { StatsInputError } from "./errors";
import { mean } from "./descriptive";
import { assertFiniteValues, assertLevel } from "./guards";

export type PearsonCorrelationResult = {
  r: number;
  /** Fisher z interval limits: tanh(atanh r ∓ z_{1−α/2}/√(n − 3)) */
  lower: number;
  upper: number;
  n: number;
  /** two-sided p-value of t = r√((n − 2)/(1 − r²)) on n − 2 degrees of freedom */
  pValue: number;
  level: number;
};

/**
 * Pearson product-moment correlation of paired samples.
 * @param x, y equal-length arrays of at least 4 finite values (n − 3 > 0 for the interval).
 * @param options.level confidence level in (0, 1), default 0.95.
 * @returns r in [−1, 1]. |r| = 1 gives the interval [r, r] and p-value 0.
 * @throws StatsInputError for unequal lengths, n < 4, or a constant x or y (r undefined).
 */
export function pearsonCorrelation(
  x: readonly number[],
  y: readonly number[],
  options: { level?: number } = {},
): PearsonCorrelationResult {
  const level = options.level ?? 0.95;
  assertLevel(level);
  if (x.length !== y.length) {
    throw new StatsInputError(`x and y must have the same length, got ${x.length} and ${y.length}.`);
  }
  assertFiniteValues(x, "x", 4);
  assertFiniteValues(y, "y", 4);
  const meanX = mean(x);
  const meanY = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) {
    throw new StatsInputError("Pearson correlation is undefined when x or y is constant.");
  }
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  const n = x.length;
  if (Math.abs(r) === 1) return { r, lower: r, upper: r, n, pValue: 0, level };
  const halfWidth = normalQuantile(1 - (1 - level) / 2) / Math.sqrt(n - 3);
  const zr = Math.atanh(r);
  const t = r * Math.sqrt((n - 2) / (1 - r * r));
  return { r, lower: Math.tanh(zr - halfWidth), upper: Math.tanh(zr + halfWidth), n, pValue: tTwoSidedP(t, n - 2), level };
}
