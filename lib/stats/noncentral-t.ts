/**
 * The noncentral t distribution's CDF, which the power of a t test needs (the @stdlib packages we use have
 * only the central t). Algorithm AS 243 (Lenth, "Cumulative distribution function of the non-central t
 * distribution", Applied Statistics 38, 1989): for t ≥ 0,
 * F(t; ν, δ) = Φ(−δ) + ½ Σ_j [p_j·I_x(j + ½, ν/2) + q_j·I_x(j + 1, ν/2)], x = t²/(t² + ν),
 * p_j = e^{−λ}λ^j/j!, q_j = e^{−λ}λ^j·δ/(√2·Γ(j + 3/2)), λ = δ²/2; and F(t; ν, δ) = 1 − F(−t; ν, −δ) for t < 0.
 * The Poisson weights are summed outward from their mode in log space, so large δ does not underflow.
 */
import { betaCdf, normalCdf } from "./distributions";
import { StatsInputError } from "./errors";

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15). */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

function nonnegativeTailSum(t: number, df: number, delta: number): number {
  const x = (t * t) / (t * t + df);
  const lambda = (delta * delta) / 2;
  let sum = 0;
  if (x > 0 && lambda > 0) {
    const half = df / 2;
    const logLambda = Math.log(lambda);
    const term = (j: number) => {
      const p = Math.exp(-lambda + j * logLambda - logGamma(j + 1));
      const q = Math.sign(delta) * Math.exp(-lambda + (j + 0.5) * logLambda - logGamma(j + 1.5));
      return p * betaCdf(x, j + 0.5, half) + q * betaCdf(x, j + 1, half);
    };
    const mode = Math.floor(lambda);
    // Poisson weights beyond mode ± (12√λ + 40) are below 1e-30 of the total.
    const reach = Math.ceil(12 * Math.sqrt(lambda) + 40);
    for (let j = mode; j <= mode + reach; j++) sum += term(j);
    for (let j = mode - 1; j >= Math.max(0, mode - reach); j--) sum += term(j);
  } else if (x > 0) {
    // δ = 0: only p_0 = 1 contributes.
    sum = betaCdf(x, 0.5, df / 2);
  }
  return normalCdf(-delta) + sum / 2;
}

/**
 * CDF of the noncentral t distribution with `df` degrees of freedom and noncentrality `delta`.
 * @throws StatsInputError for df ≤ 0 or non-finite arguments.
 */
export function noncentralTCdf(t: number, df: number, delta: number): number {
  if (!Number.isFinite(df) || df <= 0) throw new StatsInputError(`df must be positive, got ${df}.`);
  if (!Number.isFinite(delta)) throw new StatsInputError(`delta must be a finite number, got ${delta}.`);
  if (Number.isNaN(t)) throw new StatsInputError("t must be a number.");
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const value = t >= 0 ? nonnegativeTailSum(t, df, delta) : 1 - nonnegativeTailSum(-t, df, -delta);
  return Math.min(1, Math.max(0, value));
}
