/**
 * Seeded nonparametric bootstrap intervals (Efron & Tibshirani 1993): percentile and BCa
 * (bias-corrected and accelerated, acceleration from the jackknife). The same seed always gives the same
 * interval; the seed is returned with the result so it can be recorded.
 */
import { normalCdf, normalQuantile } from "./distributions";
import { StatsInputError } from "./errors";
import { mean, median, quantileOfSorted } from "./descriptive";
import { assertFiniteValues, assertLevel, assertOneOf } from "./guards";
import { createRng, randomInt } from "./random";

export const BOOTSTRAP_STATISTICS = ["mean", "median"] as const;
export type BootstrapStatistic = (typeof BOOTSTRAP_STATISTICS)[number];
export const BOOTSTRAP_METHODS = ["percentile", "bca"] as const;
export type BootstrapMethod = (typeof BOOTSTRAP_METHODS)[number];

export type BootstrapCIOptions = {
  /** the sample, at least two finite values */
  values: readonly number[];
  /** default "mean" */
  statistic?: BootstrapStatistic;
  /** confidence level in (0, 1); default 0.95 */
  level?: number;
  /** number of resamples, whole number in [100, 1e6]; default 9999 */
  resamples?: number;
  /** integer seed for createRng; required so that every interval can be reproduced */
  seed: number;
  /** default "percentile" */
  method?: BootstrapMethod;
};

export type BootstrapCIResult = {
  estimate: number;
  lower: number;
  upper: number;
  statistic: BootstrapStatistic;
  method: BootstrapMethod;
  level: number;
  resamples: number;
  seed: number;
};

const statisticFunction = (statistic: BootstrapStatistic) => (statistic === "mean" ? mean : median);

/**
 * Bootstrap confidence interval for the mean or median.
 * Quantiles of the bootstrap distribution use linear interpolation (type 7).
 * @returns estimate (the statistic of the sample) and limits in the unit of the values. When every
 *   resample gives the same value (e.g. all values tied) the interval is [estimate, estimate].
 * @throws StatsInputError for fewer than two values, an invalid level, resamples outside [100, 1e6],
 *   a non-integer seed, or BCa when the bootstrap distribution lies entirely on one side of the estimate
 *   (the bias correction is infinite; use "percentile").
 */
export function bootstrapCI(options: BootstrapCIOptions): BootstrapCIResult {
  const { values, statistic = "mean", level = 0.95, resamples = 9999, seed, method = "percentile" } = options;
  assertFiniteValues(values, "values", 2);
  assertLevel(level);
  assertOneOf(statistic, BOOTSTRAP_STATISTICS, "statistic");
  assertOneOf(method, BOOTSTRAP_METHODS, "method");
  if (!Number.isInteger(resamples) || resamples < 100 || resamples > 1_000_000) {
    throw new StatsInputError(`resamples must be a whole number between 100 and 1000000, got ${resamples}.`);
  }
  if (!Number.isInteger(seed)) throw new StatsInputError(`seed must be an integer, got ${seed}.`);
  const compute = statisticFunction(statistic);
  const estimate = compute(values);
  const rng = createRng(seed);
  const n = values.length;
  const resample = new Array<number>(n);
  const replicates = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) resample[i] = values[randomInt(rng, n)]!;
    replicates[b] = compute(resample);
  }
  replicates.sort((a, b) => a - b);
  const result = { estimate, statistic, method, level, resamples, seed };
  if (replicates[0] === replicates[resamples - 1]) return { ...result, lower: estimate, upper: estimate };
  const alpha = 1 - level;
  let lowerProbability = alpha / 2;
  let upperProbability = 1 - alpha / 2;
  if (method === "bca") {
    const below = replicates.filter((value) => value < estimate).length;
    if (below === 0 || below === resamples) {
      throw new StatsInputError("BCa is undefined here: every bootstrap replicate lies on one side of the estimate; use method \"percentile\".");
    }
    const bias = normalQuantile(below / resamples);
    const jackknife = values.map((_, left) => compute(values.filter((__, index) => index !== left)));
    const jackknifeMean = jackknife.reduce((a, b) => a + b, 0) / n;
    const squared = jackknife.reduce((s, v) => s + (jackknifeMean - v) ** 2, 0);
    const cubed = jackknife.reduce((s, v) => s + (jackknifeMean - v) ** 3, 0);
    const acceleration = squared === 0 ? 0 : cubed / (6 * squared ** 1.5);
    const adjust = (probability: number) => {
      const z = normalQuantile(probability);
      return normalCdf(bias + (bias + z) / (1 - acceleration * (bias + z)));
    };
    lowerProbability = adjust(alpha / 2);
    upperProbability = adjust(1 - alpha / 2);
  }
  return {
    ...result,
    lower: quantileOfSorted(replicates, lowerProbability),
    upper: quantileOfSorted(replicates, upperProbability),
  };
}
