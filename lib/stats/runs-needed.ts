/**
 * How many runs per configuration a comparison needs: the power of a two-sided two-sample t test (Welch's
 * degrees of freedom when the SDs differ) from the noncentral t distribution, and the smallest number of runs
 * per configuration whose power reaches the target. With equal SDs this is the classical pooled t test and
 * matches statsmodels' TTestIndPower.
 */
import { normalQuantile, tQuantile } from "./distributions";
import { StatsInputError } from "./errors";
import { assertLevel } from "./guards";
import { noncentralTCdf } from "./noncentral-t";

export type TwoSamplePowerOptions = {
  /** runs per configuration (equal for both), whole number ≥ 2 */
  runs: number;
  /** SD of the metric across runs of A and of B (same unit as `difference`), at least one positive */
  sdA: number;
  sdB: number;
  /** the true difference of means to detect, e.g. 0.5 accuracy points; its sign does not matter */
  difference: number;
  /** significance level of the two-sided test; default 0.05 */
  alpha?: number;
};

function validatePowerInputs(sdA: number, sdB: number, difference: number, alpha: number): void {
  for (const [name, value] of [["sdA", sdA], ["sdB", sdB]] as const) {
    if (!Number.isFinite(value) || value < 0) throw new StatsInputError(`${name} must be a non-negative number, got ${value}.`);
  }
  if (sdA === 0 && sdB === 0) {
    throw new StatsInputError("Both SDs are 0: the runs are identical, so one run of each shows the difference and a t test is undefined.");
  }
  if (!Number.isFinite(difference) || difference === 0) throw new StatsInputError(`difference must be a non-zero number, got ${difference}.`);
  assertLevel(alpha, "alpha");
}

/** Welch–Satterthwaite df for two groups of n runs: (n − 1)(s_A² + s_B²)²/(s_A⁴ + s_B⁴); 2n − 2 for equal SDs. */
export function welchDf(runs: number, sdA: number, sdB: number): number {
  const va = sdA * sdA;
  const vb = sdB * sdB;
  return ((runs - 1) * (va + vb) ** 2) / (va * va + vb * vb);
}

/**
 * Power of the two-sided two-sample t test with `runs` runs per configuration:
 * P(T' > t_{1−α/2, ν}) + P(T' < −t_{1−α/2, ν}), T' noncentral t with ν = Welch df and δ = d/√((s_A² + s_B²)/n).
 * @throws StatsInputError for runs < 2, negative or both-zero SDs, a zero difference, or an invalid alpha.
 */
export function twoSampleTPower(options: TwoSamplePowerOptions): number {
  const { runs, sdA, sdB, difference, alpha = 0.05 } = options;
  if (!Number.isInteger(runs) || runs < 2) throw new StatsInputError(`runs must be a whole number of at least 2, got ${runs}.`);
  validatePowerInputs(sdA, sdB, difference, alpha);
  const df = welchDf(runs, sdA, sdB);
  const delta = Math.abs(difference) / Math.sqrt((sdA * sdA + sdB * sdB) / runs);
  const critical = tQuantile(1 - alpha / 2, df);
  return 1 - noncentralTCdf(critical, df, delta) + noncentralTCdf(-critical, df, delta);
}

export type RunsNeededOptions = Omit<TwoSamplePowerOptions, "runs"> & {
  /** target power in (0, 1); default 0.8 */
  power?: number;
  /** stop searching beyond this many runs per configuration; default 100000 */
  maxRuns?: number;
};

export type RunsNeededResult = {
  /** smallest runs per configuration with power ≥ target; null when even maxRuns is not enough */
  runs: number | null;
  /** power at `runs` (at maxRuns when runs is null) */
  achievedPower: number;
  /** Welch df at `runs` */
  df: number;
  /** the normal-approximation answer ⌈(z_{1−α/2} + z_{power})²(s_A² + s_B²)/d²⌉, for comparison */
  normalApproximation: number;
  sdA: number;
  sdB: number;
  difference: number;
  power: number;
  alpha: number;
  method: "two-sided two-sample t test (Welch df), noncentral t";
};

/**
 * Runs per configuration needed to detect a difference of means `difference` with the given power at level
 * alpha. Power rises with the number of runs, so the smallest sufficient number is found by bisection on
 * whole numbers using the exact (noncentral t) power, not the normal approximation, which undercounts for
 * small samples.
 * @throws StatsInputError as {@link twoSampleTPower}, and for a power outside (0, 1) or maxRuns < 2.
 */
export function runsNeeded(options: RunsNeededOptions): RunsNeededResult {
  const { sdA, sdB, difference, alpha = 0.05, power = 0.8, maxRuns = 100_000 } = options;
  validatePowerInputs(sdA, sdB, difference, alpha);
  assertLevel(power, "power");
  if (!Number.isInteger(maxRuns) || maxRuns < 2) throw new StatsInputError(`maxRuns must be a whole number of at least 2, got ${maxRuns}.`);
  const powerAt = (runs: number) => twoSampleTPower({ runs, sdA, sdB, difference, alpha });
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  const normalApproximation = Math.max(2, Math.ceil((z * z * (sdA * sdA + sdB * sdB)) / (difference * difference) - 1e-9));
  const base = { sdA, sdB, difference, power, alpha, normalApproximation, method: "two-sided two-sample t test (Welch df), noncentral t" as const };
  const powerAtMax = powerAt(maxRuns);
  if (powerAtMax < power) return { ...base, runs: null, achievedPower: powerAtMax, df: welchDf(maxRuns, sdA, sdB) };
  let low = 2;
  let high = maxRuns;
  if (powerAt(low) >= power) high = low;
  // Invariant: power(high) ≥ target, power(low) < target unless low = high = 2.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (powerAt(middle) >= power) high = middle;
    else low = middle;
  }
  return { ...base, runs: high, achievedPower: powerAt(high), df: welchDf(high, sdA, sdB) };
}
