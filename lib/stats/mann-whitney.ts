/**
 * Mann–Whitney U (Wilcoxon rank-sum) test. U is the statistic for x: the number of (x_i, y_j) pairs with
 * x_i > y_j plus half the ties, equal to R's W and scipy's U1.
 */
import { normalCdf } from "./distributions";
import { StatsInputError } from "./errors";
import { assertFiniteValues, assertOneOf } from "./guards";
import { ALTERNATIVES, type Alternative } from "./proportion-ci";

export const MANN_WHITNEY_METHODS = ["auto", "exact", "asymptotic"] as const;
export type MannWhitneyMethod = (typeof MANN_WHITNEY_METHODS)[number];

export type MannWhitneyOptions = {
  /** "two-sided" (default); "greater" tests whether x tends to be larger than y */
  alternative?: Alternative;
  /** "auto" (default: exact when there are no ties and both samples are smaller than 50, as R does) */
  method?: MannWhitneyMethod;
  /** continuity correction of the normal approximation; default true (R and scipy default) */
  continuity?: boolean;
};

export type MannWhitneyResult = {
  u: number;
  pValue: number;
  /** the method actually used */
  method: "exact" | "asymptotic";
  alternative: Alternative;
};

/** Mid-ranks of the pooled sample (1-based) and the tie-group sizes. */
function midRanks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[order[i]!.index] = rank;
    tieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { ranks, tieSizes };
}

/**
 * Exact null distribution of U without ties: P(U = u) for u = 0..m·n, by the recurrence
 * f(m, n, u) = f(m − 1, n, u − n) + f(m, n − 1, u) on probabilities (not counts) to avoid overflow.
 */
export function exactUDistribution(m: number, n: number): number[] {
  // table[j][u] = P(U = u) for sample sizes (i, j) as i grows row by row.
  let previous: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i++) {
    const current: number[][] = [[1]];
    for (let j = 1; j <= n; j++) {
      const size = i * j + 1;
      const probabilities = new Array<number>(size).fill(0);
      const withLargestInX = previous[j]!; // (i − 1, j): the largest value is an x, adds j to U
      const withLargestInY = current[j - 1]!; // (i, j − 1)
      const weightX = i / (i + j);
      const weightY = j / (i + j);
      withLargestInX.forEach((p, u) => (probabilities[u + j]! += weightX * p));
      withLargestInY.forEach((p, u) => (probabilities[u]! += weightY * p));
      current.push(probabilities);
    }
    previous = current;
  }
  return previous[n]!;
}

/**
 * Mann–Whitney U test of x against y.
 * @param x, y at least one finite value each.
 * @returns U for x and its p-value. All values tied gives U = n_x·n_y/2 and p = 1 (no evidence either way).
 * @throws StatsInputError for empty samples, non-finite values, unknown method/alternative, or
 *   method "exact" with ties (the exact distribution assumes none).
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], options: MannWhitneyOptions = {}): MannWhitneyResult {
  const alternative = options.alternative ?? "two-sided";
  const requested = options.method ?? "auto";
  const continuity = options.continuity ?? true;
  assertOneOf(alternative, ALTERNATIVES, "alternative");
  assertOneOf(requested, MANN_WHITNEY_METHODS, "method");
  assertFiniteValues(x, "x", 1);
  assertFiniteValues(y, "y", 1);
  const nx = x.length;
  const ny = y.length;
  const { ranks, tieSizes } = midRanks([...x, ...y]);
  const rankSumX = ranks.slice(0, nx).reduce((a, b) => a + b, 0);
  const u = rankSumX - (nx * (nx + 1)) / 2;
  const hasTies = tieSizes.some((size) => size > 1);
  if (requested === "exact" && hasTies) {
    throw new StatsInputError("The exact Mann–Whitney distribution assumes no ties; use method \"asymptotic\" or \"auto\".");
  }
  const method: "exact" | "asymptotic" =
    requested === "auto" ? (!hasTies && nx < 50 && ny < 50 ? "exact" : "asymptotic") : requested;

  if (method === "exact") {
    const distribution = exactUDistribution(nx, ny);
    const roundedU = Math.round(u);
    const atMost = distribution.slice(0, roundedU + 1).reduce((a, b) => a + b, 0);
    const atLeast = distribution.slice(roundedU).reduce((a, b) => a + b, 0);
    const pValue =
      alternative === "less" ? atMost : alternative === "greater" ? atLeast : Math.min(1, 2 * Math.min(atMost, atLeast));
    return { u, pValue: Math.min(1, pValue), method, alternative };
  }
  const total = nx + ny;
  const tieTerm = tieSizes.reduce((sum, t) => sum + (t * t * t - t), 0) / (total * (total - 1));
  const sigma = Math.sqrt(((nx * ny) / 12) * (total + 1 - tieTerm));
  if (sigma === 0) return { u, pValue: 1, method, alternative };
  const centred = u - (nx * ny) / 2;
  // R's wilcox.test: the correction moves the statistic 0.5 toward the null in the tested direction.
  const correction = !continuity
    ? 0
    : alternative === "two-sided"
      ? Math.sign(centred) * 0.5
      : alternative === "greater"
        ? 0.5
        : -0.5;
  const z = (centred - correction) / sigma;
  const pValue =
    alternative === "less"
      ? normalCdf(z)
      : alternative === "greater"
        ? normalCdf(-z)
        : Math.min(1, 2 * Math.min(normalCdf(z), normalCdf(-z)));
  return { u, pValue, method, alternative };
}
