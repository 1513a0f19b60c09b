/**
 * Confidence intervals for the difference p1 − p2 of two independent binomial proportions.
 * Methods follow Newcombe (1998), "Interval estimation for the difference between independent
 * proportions: comparison of eleven methods", Stat Med 17:873–890 (method numbers in brackets):
 * wald [1], wald-cc [2], mee [5], miettinen-nurminen [6], newcombe (hybrid score) [10],
 * newcombe-cc [11]; plus Agresti & Caffo (2000), who add one success and one failure to each group.
 * Limits are clipped to [−1, 1]; `difference` is always x1/n1 − x2/n2.
 */
import { normalQuantile } from "./distributions";
import { assertLevel, assertOneOf, assertSuccesses } from "./guards";
import { wilsonScoreLimits } from "./proportion-ci";
import { bisect } from "./root-finding";

export const PROPORTION_DIFF_CI_METHODS = [
  "newcombe",
  "newcombe-cc",
  "wald",
  "wald-cc",
  "agresti-caffo",
  "miettinen-nurminen",
  "mee",
] as const;
export type ProportionDiffCIMethod = (typeof PROPORTION_DIFF_CI_METHODS)[number];

export type ProportionDiffCIOptions = {
  x1: number;
  n1: number;
  x2: number;
  n2: number;
  /** confidence level in (0, 1); default 0.95 */
  level?: number;
  /** default "newcombe" */
  method?: ProportionDiffCIMethod;
};

export type ProportionDiffCIResult = {
  /** p1 − p2 = x1/n1 − x2/n2 */
  difference: number;
  lower: number;
  upper: number;
  method: ProportionDiffCIMethod;
  level: number;
  x1: number;
  n1: number;
  x2: number;
  n2: number;
};

type Limits = { lower: number; upper: number };

const clipDifference = (value: number): number => Math.min(1, Math.max(-1, value));

/**
 * Maximum-likelihood p2 under the constraint p1 = p2 + delta (the "restricted MLE" of the score
 * methods). The restricted log-likelihood is concave in p2, so its derivative is decreasing and a
 * bisection on it is exact to double precision; this avoids the cubic's acos form, which is 0/0 in
 * some zero-count tables.
 */
export function restrictedMaximumLikelihood(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  delta: number,
): { p1: number; p2: number } {
  const low = Math.max(0, -delta);
  const high = Math.min(1, 1 - delta);
  if (high <= low) return { p1: low + delta, p2: low };
  // Terms with a zero count are dropped: their limit contribution is 0, not 0/0.
  const term = (count: number, denominator: number) => (count === 0 ? 0 : count / denominator);
  const slope = (p2: number) => {
    const p1 = p2 + delta;
    return term(x1, p1) - term(n1 - x1, 1 - p1) + term(x2, p2) - term(n2 - x2, 1 - p2);
  };
  const slopeLow = slope(low);
  const slopeHigh = slope(high);
  let p2: number;
  if (slopeLow <= 0) p2 = low;
  else if (slopeHigh >= 0) p2 = high;
  else p2 = bisect(slope, low, high);
  return { p1: Math.min(1, Math.max(0, p2 + delta)), p2 };
}

/** Inverts the score test of Mee (1984) or Miettinen & Nurminen (1985, with the N/(N − 1) factor). */
function scoreLimits(x1: number, n1: number, x2: number, n2: number, z: number, nurminenFactor: boolean): Limits {
  const difference = x1 / n1 - x2 / n2;
  const varianceFactor = nurminenFactor ? (n1 + n2) / (n1 + n2 - 1) : 1;
  const score = (delta: number) => {
    const { p1, p2 } = restrictedMaximumLikelihood(x1, n1, x2, n2, delta);
    const variance = ((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2) * varianceFactor;
    return (difference - delta) / Math.sqrt(variance);
  };
  // At delta = difference the statistic is 0 by definition (the formula can be 0/0 there).
  const lowerEquation = (delta: number) => (delta === difference ? -z : score(delta) - z);
  const upperEquation = (delta: number) => (delta === difference ? -z : -score(delta) - z);
  const lower = difference <= -1 ? -1 : bisect(lowerEquation, -1, difference);
  const upper = difference >= 1 ? 1 : bisect(upperEquation, difference, 1);
  return { lower, upper };
}

function newcombeLimits(x1: number, n1: number, x2: number, n2: number, z: number, correction: number): Limits {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const first = wilsonScoreLimits(x1, n1, z, correction);
  const second = wilsonScoreLimits(x2, n2, z, correction);
  const difference = p1 - p2;
  return {
    lower: difference - Math.sqrt((p1 - first.lower) ** 2 + (second.upper - p2) ** 2),
    upper: difference + Math.sqrt((first.upper - p1) ** 2 + (p2 - second.lower) ** 2),
  };
}

function waldDifferenceLimits(p1: number, size1: number, p2: number, size2: number, z: number, extra: number): Limits {
  const halfWidth = z * Math.sqrt((p1 * (1 - p1)) / size1 + (p2 * (1 - p2)) / size2) + extra;
  return { lower: p1 - p2 - halfWidth, upper: p1 - p2 + halfWidth };
}

/**
 * Two-sided confidence interval for p1 − p2 from two independent binomial samples.
 * @param options.x1, options.n1 successes and trials of group 1 (whole numbers, 0 ≤ x1 ≤ n1, n1 ≥ 1).
 * @param options.x2, options.n2 the same for group 2.
 * @param options.level confidence level in (0, 1), default 0.95.
 * @param options.method one of {@link PROPORTION_DIFF_CI_METHODS}, default "newcombe" (hybrid score).
 * @returns difference and limits on the proportion scale, clipped to [−1, 1]. Edge cases: all-zero or
 *   all-success groups are valid (e.g. 0/10 − 0/20 gives an interval around 0); the Wald methods then
 *   collapse to a point or are wide, which is why they are not the default.
 * @throws StatsInputError for invalid counts, level or method.
 */
export function proportionDiffCI(options: ProportionDiffCIOptions): ProportionDiffCIResult {
  const { x1, n1, x2, n2, level = 0.95, method = "newcombe" } = options;
  assertSuccesses(x1, n1, "x1", "n1");
  assertSuccesses(x2, n2, "x2", "n2");
  assertLevel(level);
  assertOneOf(method, PROPORTION_DIFF_CI_METHODS, "method");
  const z = normalQuantile(1 - (1 - level) / 2);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  let limits: Limits;
  switch (method) {
    case "newcombe":
      limits = newcombeLimits(x1, n1, x2, n2, z, 0);
      break;
    case "newcombe-cc":
      limits = newcombeLimits(x1, n1, x2, n2, z, 0.5);
      break;
    case "wald":
      limits = waldDifferenceLimits(p1, n1, p2, n2, z, 0);
      break;
    case "wald-cc":
      limits = waldDifferenceLimits(p1, n1, p2, n2, z, (1 / n1 + 1 / n2) / 2);
      break;
    case "agresti-caffo": {
      const adjusted = waldDifferenceLimits((x1 + 1) / (n1 + 2), n1 + 2, (x2 + 1) / (n2 + 2), n2 + 2, z, 0);
      limits = adjusted;
      break;
    }
    case "miettinen-nurminen":
      limits = scoreLimits(x1, n1, x2, n2, z, true);
      break;
    case "mee":
      limits = scoreLimits(x1, n1, x2, n2, z, false);
      break;
  }
  return {
    difference: p1 - p2,
    lower: clipDifference(limits.lower),
    upper: clipDifference(limits.upper),
    method,
    level,
    x1,
    n1,
    x2,
    n2,
  };
}
