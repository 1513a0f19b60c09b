/**
 * Stratified estimate of a population proportion (Cochran 1977, ch. 5): p_st = Σ W_h·p_h with
 * W_h = N_h/N, and Var(p_st) = Σ W_h²·p_h(1 − p_h)/n_h·(N_h − n_h)/(N_h − 1). This is the same
 * per-stratum variance as the Wald interval with finite population correction, so a one-stratum
 * "stratified" estimate equals proportionCI({method: "wald", populationSize}). Cochran's unbiased variant
 * divides by n_h − 1 instead of n_h; the difference is below 1% of the variance for n_h ≥ 100.
 */
import { StatsInputError } from "./errors";
import { assertLevel, assertOneOf, assertSuccesses } from "./guards";
import { normalQuantile } from "./distributions";

export const STRATIFIED_METHODS = ["wald"] as const;
export type StratifiedMethod = (typeof STRATIFIED_METHODS)[number];

export type Stratum = {
  /** successes in the stratum sample */
  x: number;
  /** stratum sample size */
  n: number;
  /** stratum population size N_h ≥ n_h, N_h ≥ 2 */
  populationSize: number;
};

export type StratifiedProportionOptions = {
  strata: readonly Stratum[];
  /** confidence level in (0, 1); default 0.95 */
  level?: number;
  /** "wald" (normal approximation with the stratified variance); default "wald" */
  method?: StratifiedMethod;
};

export type StratifiedProportionResult = {
  estimate: number;
  lower: number;
  upper: number;
  /** standard error of the stratified estimate */
  se: number;
  level: number;
  method: StratifiedMethod;
  /** Σ N_h */
  populationSize: number;
  /** Σ n_h */
  n: number;
  /** per-stratum weight W_h = N_h/N and proportion p_h, in input order */
  strata: { weight: number; estimate: number; x: number; n: number; populationSize: number }[];
};

/**
 * Stratified proportion with a two-sided interval, clipped to [0, 1].
 * @throws StatsInputError for no strata, invalid counts, N_h < n_h or N_h < 2, or an invalid level.
 */
export function stratifiedProportion(options: StratifiedProportionOptions): StratifiedProportionResult {
  const { strata, level = 0.95, method = "wald" } = options;
  if (strata.length === 0) throw new StatsInputError("strata must contain at least one stratum.");
  assertLevel(level);
  assertOneOf(method, STRATIFIED_METHODS, "method");
  strata.forEach((stratum, index) => {
    assertSuccesses(stratum.x, stratum.n, `strata[${index}].x`, `strata[${index}].n`);
    if (!Number.isInteger(stratum.populationSize) || stratum.populationSize < Math.max(2, stratum.n)) {
      throw new StatsInputError(
        `strata[${index}].populationSize must be a whole number at least n (${stratum.n}) and at least 2, got ${stratum.populationSize}.`,
      );
    }
  });
  const populationSize = strata.reduce((sum, stratum) => sum + stratum.populationSize, 0);
  let estimate = 0;
  let variance = 0;
  const described = strata.map((stratum) => {
    const weight = stratum.populationSize / populationSize;
    const proportion = stratum.x / stratum.n;
    const fpc = (stratum.populationSize - stratum.n) / (stratum.populationSize - 1);
    estimate += weight * proportion;
    variance += ((weight * weight * proportion * (1 - proportion)) / stratum.n) * fpc;
    return { weight, estimate: proportion, x: stratum.x, n: stratum.n, populationSize: stratum.populationSize };
  });
  const se = Math.sqrt(variance);
  const z = normalQuantile(1 - (1 - level) / 2);
  return {
    estimate,
    lower: Math.max(0, estimate - z * se),
    upper: Math.min(1, estimate + z * se),
    se,
    level,
    method,
    populationSize,
    n: strata.reduce((sum, stratum) => sum + stratum.n, 0),
    strata: described,
  };
}
