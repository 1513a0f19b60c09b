/**
 * How often a comparison of k runs per configuration picks the wrong winner, simulated by resampling the
 * observed runs: draw k runs of A and k of B (with replacement), compare their means, count how often the
 * configuration with the lower observed mean comes out ahead (ties count half). For k = 1 the rate is exactly
 * P(B > A) (if A has the higher mean; ties half) on the observed runs, which the simulation estimates and the
 * result also reports exactly.
 */
import { StatsInputError } from "./errors";
import { mean } from "./descriptive";
import { assertFiniteValues } from "./guards";
import { wilsonScoreLimits } from "./proportion-ci";
import { normalQuantile } from "./distributions";
import { createRng, randomInt } from "./random";

export type WrongWinnerOptions = {
  a: readonly number[];
  b: readonly number[];
  /** runs per configuration in each simulated comparison; default 1 (the single-run comparison) */
  runsPerSide?: number;
  /** simulated comparisons, whole number in [100, 1e7]; default 20000 */
  simulations?: number;
  seed: number;
};

export type WrongWinnerResult = {
  /** share of simulated comparisons won by the configuration with the lower observed mean (ties half) */
  rate: number;
  /** 95% Wilson interval of the simulation error only (the observed runs are taken as the truth) */
  lower: number;
  upper: number;
  /** k = 1 only: the exact rate on the observed runs, min(P(A > B), P(B > A)) with ties half; null for k > 1 */
  exactSingleRun: number | null;
  /** the configuration with the higher observed mean */
  better: "a" | "b";
  runsPerSide: number;
  simulations: number;
  seed: number;
  nA: number;
  nB: number;
  method: "resampling the observed runs";
};

/**
 * Simulated wrong-winner rate of comparisons with `runsPerSide` runs per configuration.
 * @throws StatsInputError for fewer than two values in a group, equal observed means (no winner to get
 *   wrong), or invalid runsPerSide, simulations or seed.
 */
export function wrongWinnerRate(options: WrongWinnerOptions): WrongWinnerResult {
  const { a, b, runsPerSide = 1, simulations = 20_000, seed } = options;
  assertFiniteValues(a, "a", 2);
  assertFiniteValues(b, "b", 2);
  if (!Number.isInteger(runsPerSide) || runsPerSide < 1) throw new StatsInputError(`runsPerSide must be a positive whole number, got ${runsPerSide}.`);
  if (!Number.isInteger(simulations) || simulations < 100 || simulations > 10_000_000) {
    throw new StatsInputError(`simulations must be a whole number between 100 and 10000000, got ${simulations}.`);
  }
  if (!Number.isInteger(seed)) throw new StatsInputError(`seed must be an integer, got ${seed}.`);
  const meanA = mean(a);
  const meanB = mean(b);
  if (meanA === meanB) throw new StatsInputError("The two configurations have the same mean: there is no winner to get wrong.");
  const better = meanA > meanB ? "a" : "b";
  const rng = createRng(seed);
  let wrong = 0;
  for (let s = 0; s < simulations; s++) {
    let sumA = 0;
    let sumB = 0;
    for (let k = 0; k < runsPerSide; k++) {
      sumA += a[randomInt(rng, a.length)]!;
      sumB += b[randomInt(rng, b.length)]!;
    }
    if (sumA === sumB) wrong += 0.5;
    else if ((sumA > sumB) !== (better === "a")) wrong += 1;
  }
  const rate = wrong / simulations;
  let exactSingleRun: number | null = null;
  if (runsPerSide === 1) {
    let wins = 0;
    for (const x of a) for (const y of b) wins += x > y ? 1 : x === y ? 0.5 : 0;
    const pA = wins / (a.length * b.length);
    exactSingleRun = better === "a" ? 1 - pA : pA;
  }
  const limits = wilsonScoreLimits(wrong, simulations, normalQuantile(0.975));
  return { rate, lower: limits.lower, upper: limits.upper, exactSingleRun, better, runsPerSide, simulations, seed, nA: a.length, nB: b.length, method: "resampling the observed runs" };
}
