/**
 * Confidence intervals for a single binomial proportion x/n.
 *
 * Conventions (decided once, documented in docs/statistics.md):
 * - `estimate` is always the sample proportion x/n, whatever the method's centre.
 * - Limits are clipped to [0, 1]. Agresti–Coull and plus-four pin lower = 0 at x = 0 and upper = 1 at
 *   x = n (their shifted centre would otherwise exclude x/n); Jeffreys does the same, as specified.
 * - One-sided intervals use the full level on one side: `less` → [0, upper], `greater` → [lower, 1].
 * - The finite population correction √((N − n)/(N − 1)) scales the half-width of the Wald-type methods
 *   (wald, agresti-coull, plus-four) around their own centre; other methods reject `populationSize`.
 */
import { betaQuantile, binomialCdf, binomialPmf, normalQuantile } from "./distributions";
import { StatsInputError } from "./errors";
import { assertLevel, assertOneOf, assertSuccesses } from "./guards";
import { bisect } from "./root-finding";

export const PROPORTION_CI_METHODS = [
  "wald",
  "wald-cc",
  "wilson",
  "wilson-cc",
  "agresti-coull",
  "plus-four",
  "clopper-pearson",
  "jeffreys",
  "mid-p",
  "likelihood-ratio",
] as const;
export type ProportionCIMethod = (typeof PROPORTION_CI_METHODS)[number];

export const ALTERNATIVES = ["two-sided", "less", "greater"] as const;
export type Alternative = (typeof ALTERNATIVES)[number];

/** Methods whose variance is a plain p(1 − p)/n and may therefore take a finite population correction. */
export const FINITE_POPULATION_METHODS: readonly ProportionCIMethod[] = ["wald", "agresti-coull", "plus-four"];

export type ProportionCIOptions = {
  /** successes, a whole number 0 ≤ x ≤ n */
  x: number;
  /** trials, a whole number ≥ 1 */
  n: number;
  /** confidence level in (0, 1); default 0.95 */
  level?: number;
  /** default "wilson" */
  method?: ProportionCIMethod;
  /** default "two-sided" */
  alternative?: Alternative;
  /** size N of a finite population sampled without replacement (N ≥ n, N ≥ 2); Wald-type methods only */
  populationSize?: number;
};

export type ProportionCIResult = {
  estimate: number;
  lower: number;
  upper: number;
  method: ProportionCIMethod;
  level: number;
  x: number;
  n: number;
  alternative: Alternative;
  /** N when a finite population correction was applied, otherwise null */
  populationSize: number | null;
};

type Limits = { lower: number; upper: number };

const clip01 = (value: number): number => Math.min(1, Math.max(0, value));

/** x·log(y) with the convention 0·log(0) = 0 used by binomial likelihoods. */
const xLogY = (x: number, y: number): number => (x === 0 ? 0 : x * Math.log(y));

/**
 * Wilson score limits with an optional continuity correction, in the form R's `prop.test` uses.
 * @param x successes, @param n trials, @param z critical value for one tail.
 * @param correction continuity correction in counts: 0 (plain Wilson) or 0.5 (Newcombe 1998 method 4).
 * @returns limits clipped to [0, 1]; lower is 0 when x − correction ≤ 0, upper is 1 when x + correction ≥ n.
 */
export function wilsonScoreLimits(x: number, n: number, z: number, correction = 0): Limits {
  const estimate = x / n;
  const z22n = (z * z) / (2 * n);
  const denominator = 1 + 2 * z22n;
  const shiftedUp = estimate + correction / n;
  const upper =
    shiftedUp >= 1
      ? 1
      : (shiftedUp + z22n + z * Math.sqrt((shiftedUp * (1 - shiftedUp)) / n + z22n / (2 * n))) / denominator;
  const shiftedDown = estimate - correction / n;
  const lower =
    shiftedDown <= 0
      ? 0
      : (shiftedDown + z22n - z * Math.sqrt((shiftedDown * (1 - shiftedDown)) / n + z22n / (2 * n))) / denominator;
  return { lower: clip01(lower), upper: clip01(upper) };
}

/** Centre ± z·√(centre(1 − centre)/size)·fpc, the shape shared by Wald, Agresti–Coull and plus-four. */
function waldTypeLimits(centre: number, size: number, z: number, fpc: number): Limits {
  const halfWidth = z * Math.sqrt((centre * (1 - centre)) / size) * fpc;
  return { lower: clip01(centre - halfWidth), upper: clip01(centre + halfWidth) };
}

/**
 * The adjusted-centre methods can exclude x/n at x = 0 or x = n (e.g. plus-four, 0/24 at 80%); as Brown,
 * Cai & DasGupta (2001) do for Jeffreys, the limit at an observed end is pinned to that end.
 */
function pinObservedEnds(x: number, n: number, limits: Limits): Limits {
  return { lower: x === 0 ? 0 : limits.lower, upper: x === n ? 1 : limits.upper };
}

/** Mid-p limits: P(X > x) + ½P(X = x) = tail at the lower limit, P(X < x) + ½P(X = x) = tail at the upper. */
function midPLimits(x: number, n: number, tail: number): Limits {
  const upperTailMass = (p: number) => 1 - binomialCdf(x, n, p) + 0.5 * binomialPmf(x, n, p) - tail;
  const lowerTailMass = (p: number) => (x === 0 ? 0 : binomialCdf(x - 1, n, p)) + 0.5 * binomialPmf(x, n, p) - tail;
  // Both masses are monotone in p; a level so low that the mass never reaches `tail` leaves the end point.
  const lower = x === 0 ? 0 : upperTailMass(1) <= 0 ? 1 : bisect(upperTailMass, 0, 1);
  const upper = x === n ? 1 : lowerTailMass(0) <= 0 ? 0 : bisect(lowerTailMass, 0, 1);
  return { lower, upper };
}

/** Likelihood-ratio limits: the p with 2[ℓ(p̂) − ℓ(p)] = z², on each side of p̂. */
function likelihoodRatioLimits(x: number, n: number, z: number): Limits {
  const estimate = x / n;
  const logLikelihood = (p: number) => xLogY(x, p) + xLogY(n - x, 1 - p);
  const maximum = logLikelihood(estimate);
  const deviance = (p: number) => 2 * (maximum - logLikelihood(p)) - z * z;
  const lower = x === 0 ? 0 : bisect(deviance, 0, estimate);
  const upper = x === n ? 1 : bisect(deviance, estimate, 1);
  return { lower, upper };
}

function finitePopulationFactor(n: number, populationSize: number | undefined, method: ProportionCIMethod): number {
  if (populationSize === undefined) return 1;
  if (!FINITE_POPULATION_METHODS.includes(method)) {
    throw new StatsInputError(
      `populationSize (finite population correction) applies only to the methods ${FINITE_POPULATION_METHODS.join(", ")}, not "${method}".`,
    );
  }
  if (!Number.isInteger(populationSize) || populationSize < 2) {
    throw new StatsInputError(`populationSize must be a whole number of at least 2, got ${populationSize}.`);
  }
  if (populationSize < n) {
    throw new StatsInputError(`populationSize (${populationSize}) cannot be smaller than n (${n}).`);
  }
  return Math.sqrt((populationSize - n) / (populationSize - 1));
}

/**
 * Two-sided limits with probability `tail` excluded on each side (tail = (1 − level)/2 for a two-sided
 * interval, 1 − level for a one-sided bound). Inputs are assumed valid.
 */
export function proportionLimits(x: number, n: number, tail: number, method: ProportionCIMethod, fpc = 1): Limits {
  const z = normalQuantile(1 - tail);
  const estimate = x / n;
  switch (method) {
    case "wald":
      return waldTypeLimits(estimate, n, z, fpc);
    case "wald-cc": {
      const halfWidth = z * Math.sqrt((estimate * (1 - estimate)) / n) + 1 / (2 * n);
      return { lower: clip01(estimate - halfWidth), upper: clip01(estimate + halfWidth) };
    }
    case "wilson":
      return wilsonScoreLimits(x, n, z, 0);
    case "wilson-cc":
      // R's prop.test shrinks the correction to |x − n/2| (its null p = 0.5), which only matters at x = n/2.
      return wilsonScoreLimits(x, n, z, Math.min(0.5, Math.abs(x - n / 2)));
    case "agresti-coull": {
      const adjustedN = n + z * z;
      return pinObservedEnds(x, n, waldTypeLimits((x + (z * z) / 2) / adjustedN, adjustedN, z, fpc));
    }
    case "plus-four":
      return pinObservedEnds(x, n, waldTypeLimits((x + 2) / (n + 4), n + 4, z, fpc));
    case "clopper-pearson":
      return {
        lower: x === 0 ? 0 : betaQuantile(tail, x, n - x + 1),
        upper: x === n ? 1 : betaQuantile(1 - tail, x + 1, n - x),
      };
    case "jeffreys":
      return {
        lower: x === 0 ? 0 : betaQuantile(tail, x + 0.5, n - x + 0.5),
        upper: x === n ? 1 : betaQuantile(1 - tail, x + 0.5, n - x + 0.5),
      };
    case "mid-p":
      return midPLimits(x, n, tail);
    case "likelihood-ratio":
      return likelihoodRatioLimits(x, n, z);
  }
}

/**
 * Confidence interval for a binomial proportion.
 * @param options.x successes (whole number, 0 ≤ x ≤ n); options.n trials (whole number ≥ 1).
 * @param options.level confidence level in (0, 1), default 0.95.
 * @param options.method one of {@link PROPORTION_CI_METHODS}, default "wilson".
 * @param options.alternative "two-sided" (default), "less" → [0, upper], "greater" → [lower, 1].
 * @param options.populationSize finite population size N for the Wald-type methods.
 * @returns estimate x/n and limits in [0, 1] (proportions, not percent). Edge cases: x = 0 gives lower 0
 *   for every method except Wald-type ones, whose lower limit is clipped at 0; x = n mirrors this; n = 1 is
 *   allowed (wide intervals).
 * @throws StatsInputError for invalid counts, level, method, alternative or populationSize.
 */
export function proportionCI(options: ProportionCIOptions): ProportionCIResult {
  const { x, n, level = 0.95, method = "wilson", alternative = "two-sided", populationSize } = options;
  assertSuccesses(x, n);
  assertLevel(level);
  assertOneOf(method, PROPORTION_CI_METHODS, "method");
  assertOneOf(alternative, ALTERNATIVES, "alternative");
  const fpc = finitePopulationFactor(n, populationSize, method);
  const tail = alternative === "two-sided" ? (1 - level) / 2 : 1 - level;
  const limits = proportionLimits(x, n, tail, method, fpc);
  return {
    estimate: x / n,
    lower: alternative === "less" ? 0 : limits.lower,
    upper: alternative === "greater" ? 1 : limits.upper,
    method,
    level,
    x,
    n,
    alternative,
    populationSize: populationSize ?? null,
  };
}
