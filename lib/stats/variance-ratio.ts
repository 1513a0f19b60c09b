import { fQuantile } from "./distributions";
import { assertLevel } from "./guards";
import { StatsInputError } from "./errors";

export type VarianceRatioInterval = { ratio: number; lower: number; upper: number; level: number; dfNumerator: number; dfDenominator: number };

/**
 * The ratio of two population variances, σ²ₓ / σ²ᵧ, estimated by s²ₓ / s²ᵧ with the two-sided F interval for
 * independent normal samples: [R / F(1 − α/2; dfₓ, dfᵧ), R / F(α/2; dfₓ, dfᵧ)], df = n − 1. Used for a variance
 * source's share of the default setting's variance. Sensitive to non-normality, as every F interval is.
 * @param options.varianceNumerator, options.nNumerator sample variance and size of the numerator sample (n ≥ 2).
 * @param options.varianceDenominator, options.nDenominator the same for the denominator (variance > 0).
 * @param options.level coverage, default 0.9.
 * @throws StatsInputError for n < 2, a negative variance or a zero denominator variance.
 */
export function varianceRatioInterval(options: {
  varianceNumerator: number;
  nNumerator: number;
  varianceDenominator: number;
  nDenominator: number;
  level?: number;
}): VarianceRatioInterval {
  const level = options.level ?? 0.9;
  assertLevel(level);
  const { varianceNumerator, varianceDenominator, nNumerator, nDenominator } = options;
  for (const [name, n] of [["nNumerator", nNumerator], ["nDenominator", nDenominator]] as const) {
    if (!Number.isInteger(n) || n < 2) throw new StatsInputError(`${name} must be an integer of at least 2, got ${n}.`);
  }
  if (!Number.isFinite(varianceNumerator) || varianceNumerator < 0) throw new StatsInputError(`varianceNumerator must be a non-negative number, got ${varianceNumerator}.`);
  if (!Number.isFinite(varianceDenominator) || varianceDenominator <= 0) {
    throw new StatsInputError(`varianceDenominator must be positive (a ratio to a zero variance is undefined), got ${varianceDenominator}.`);
  }
  const ratio = varianceNumerator / varianceDenominator;
  const alpha = 1 - level;
  const d1 = nNumerator - 1;
  const d2 = nDenominator - 1;
  return { ratio, lower: ratio / fQuantile(1 - alpha / 2, d1, d2), upper: ratio / fQuantile(alpha / 2, d1, d2), level, dfNumerator: d1, dfDenominator: d2 };
}
