/**
 * P(A > B), the probability that a run of configuration A scores higher than a run of B, and the decision rule
 * of Bouthillier et al. ("Accounting for Variance in Machine Learning Benchmarks", MLSys 2021, §4): A is
 * better when the interval of P(A > B) lies above 0.5 (significant) and the estimate reaches a threshold γ
 * (meaningful; they propose γ = 0.75). The estimate is the Mann–Whitney U of A against B over n_A·n_B (ties count
 * half): the common-language effect size.
 */
import { StatsInputError } from "./errors";
import { quantileOfSorted } from "./descriptive";
import { assertFiniteValues, assertLevel } from "./guards";
import { mannWhitneyU } from "./mann-whitney";
import { createRng, randomInt } from "./random";

/** Bouthillier et al.'s default meaningfulness threshold γ. */
export const DEFAULT_OUTPERFORMING_THRESHOLD = 0.75;

export const OUTPERFORMING_VERDICTS = ["a-better", "b-better", "significant-not-meaningful", "not-significant"] as const;
export type OutperformingVerdict = (typeof OUTPERFORMING_VERDICTS)[number];

export type ProbabilityOfOutperformingOptions = {
  /** metric of each run of A (higher is better), at least two */
  a: readonly number[];
  /** metric of each run of B, at least two */
  b: readonly number[];
  /** default 0.95 */
  level?: number;
  /** γ in (0.5, 1); default 0.75 */
  threshold?: number;
  /** bootstrap resamples, whole number in [100, 1e6]; default 9999 */
  resamples?: number;
  /** integer seed of the bootstrap */
  seed: number;
};

export type ProbabilityOfOutperformingResult = {
  /** P(A > B) = U_A/(n_A·n_B) */
  estimate: number;
  /** percentile bootstrap interval: A and B resampled independently, each with replacement */
  lower: number;
  upper: number;
  /** Mann–Whitney U of A against B (pairs with a > b plus half the ties) */
  u: number;
  nA: number;
  nB: number;
  level: number;
  threshold: number;
  resamples: number;
  seed: number;
  method: "percentile bootstrap";
  /** the interval excludes 0.5 */
  significant: boolean;
  /** significant and the estimate is ≥ γ (A better) or ≤ 1 − γ (B better) */
  meaningful: boolean;
  verdict: OutperformingVerdict;
};

/** P(x > y) over all pairs, ties counting half; O(n_x·n_y), which is small for sets of runs. */
function pairwiseProbability(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let wins = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < y.length; j++) {
      if (x[i]! > y[j]!) wins += 1;
      else if (x[i] === y[j]) wins += 0.5;
    }
  }
  return wins / (x.length * y.length);
}

/**
 * P(A > B) with its bootstrap interval and the verdict of Bouthillier et al.'s rule.
 * @throws StatsInputError for fewer than two values in a group, a threshold outside (0.5, 1), or invalid
 *   level, resamples or seed.
 */
export function probabilityOfOutperforming(options: ProbabilityOfOutperformingOptions): ProbabilityOfOutperformingResult {
  const { a, b, level = 0.95, threshold = DEFAULT_OUTPERFORMING_THRESHOLD, resamples = 9999, seed } = options;
  assertFiniteValues(a, "a", 2);
  assertFiniteValues(b, "b", 2);
  assertLevel(level);
  if (!Number.isFinite(threshold) || threshold <= 0.5 || threshold >= 1) {
    throw new StatsInputError(`threshold must be strictly between 0.5 and 1 (e.g. 0.75), got ${threshold}.`);
  }
  if (!Number.isInteger(resamples) || resamples < 100 || resamples > 1_000_000) {
    throw new StatsInputError(`resamples must be a whole number between 100 and 1000000, got ${resamples}.`);
  }
  if (!Number.isInteger(seed)) throw new StatsInputError(`seed must be an integer, got ${seed}.`);
  const nA = a.length;
  const nB = b.length;
  const { u } = mannWhitneyU(a, b);
  const estimate = u / (nA * nB);
  const rng = createRng(seed);
  const resampleA = new Float64Array(nA);
  const resampleB = new Float64Array(nB);
  const replicates = new Array<number>(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < nA; i++) resampleA[i] = a[randomInt(rng, nA)]!;
    for (let j = 0; j < nB; j++) resampleB[j] = b[randomInt(rng, nB)]!;
    replicates[r] = pairwiseProbability(resampleA, resampleB);
  }
  replicates.sort((x, y) => x - y);
  const alpha = 1 - level;
  const lower = quantileOfSorted(replicates, alpha / 2);
  const upper = quantileOfSorted(replicates, 1 - alpha / 2);
  const significant = lower > 0.5 || upper < 0.5;
  const aBetter = significant && lower > 0.5 && estimate >= threshold;
  const bBetter = significant && upper < 0.5 && estimate <= 1 - threshold;
  const verdict: OutperformingVerdict = aBetter ? "a-better" : bBetter ? "b-better" : significant ? "significant-not-meaningful" : "not-significant";
  return { estimate, lower, upper, u, nA, nB, level, threshold, resamples, seed, method: "percentile bootstrap", significant, meaningful: aBetter || bBetter, verdict };
}
