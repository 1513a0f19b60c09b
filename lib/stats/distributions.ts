/**
 * Typed wrappers around the @stdlib distribution packages. The packages are CommonJS with `export =`
 * declarations; default imports work under tsx, Vitest and Next because of esModuleInterop. Keeping every
 * distribution call behind this file means the rest of lib/stats never hand-writes a series.
 *
 * Upper tails are computed from the complementary lower tail where a symmetric or reciprocal identity
 * exists (normal, t, F) so that small p-values keep their precision; the chi-square upper tail is
 * 1 − CDF and therefore bottoms out near 1e-16.
 */
import betaCdfImpl from "@stdlib/stats-base-dists-beta-cdf";
import betaQuantileImpl from "@stdlib/stats-base-dists-beta-quantile";
import binomialCdfImpl from "@stdlib/stats-base-dists-binomial-cdf";
import binomialPmfImpl from "@stdlib/stats-base-dists-binomial-pmf";
import chiSquareCdfImpl from "@stdlib/stats-base-dists-chisquare-cdf";
import chiSquareQuantileImpl from "@stdlib/stats-base-dists-chisquare-quantile";
import fCdfImpl from "@stdlib/stats-base-dists-f-cdf";
import fQuantileImpl from "@stdlib/stats-base-dists-f-quantile";
import normalCdfImpl from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileImpl from "@stdlib/stats-base-dists-normal-quantile";
import tCdfImpl from "@stdlib/stats-base-dists-t-cdf";
import tQuantileImpl from "@stdlib/stats-base-dists-t-quantile";

/** Standard normal CDF Φ(z). */
export const normalCdf = (z: number): number => normalCdfImpl(z, 0, 1);

/** Standard normal upper tail 1 − Φ(z), computed as Φ(−z) to keep precision for large z. */
export const normalUpperTail = (z: number): number => normalCdfImpl(-z, 0, 1);

/** Standard normal quantile Φ⁻¹(p); p in [0, 1] (0 → −∞, 1 → +∞). */
export const normalQuantile = (p: number): number => normalQuantileImpl(p, 0, 1);

/** Two-sided p-value 2·(1 − Φ(|z|)) for a standard normal statistic, capped at 1. */
export const normalTwoSidedP = (z: number): number => Math.min(1, 2 * normalCdfImpl(-Math.abs(z), 0, 1));

/** Chi-square CDF with `df` degrees of freedom. */
export const chiSquareCdf = (x: number, df: number): number => chiSquareCdfImpl(x, df);

/** Chi-square upper tail P(X > x). */
export const chiSquareUpperTail = (x: number, df: number): number => 1 - chiSquareCdfImpl(x, df);

/** Chi-square quantile with `df` degrees of freedom. */
export const chiSquareQuantile = (p: number, df: number): number => chiSquareQuantileImpl(p, df);

/** Beta(a, b) CDF. */
export const betaCdf = (x: number, a: number, b: number): number => betaCdfImpl(x, a, b);

/** Beta(a, b) quantile. */
export const betaQuantile = (p: number, a: number, b: number): number => betaQuantileImpl(p, a, b);

/** F(d1, d2) CDF. */
export const fCdf = (x: number, d1: number, d2: number): number => fCdfImpl(x, d1, d2);

/** F(d1, d2) upper tail P(F > x), via P(F(d2, d1) < 1/x) so small p-values keep precision. */
export const fUpperTail = (x: number, d1: number, d2: number): number =>
  x <= 0 ? 1 : fCdfImpl(1 / x, d2, d1);

/** F(d1, d2) quantile. */
export const fQuantile = (p: number, d1: number, d2: number): number => fQuantileImpl(p, d1, d2);

/** Student t CDF with `df` degrees of freedom. */
export const tCdf = (t: number, df: number): number => tCdfImpl(t, df);

/** Two-sided p-value for a t statistic: 2·P(T < −|t|). */
export const tTwoSidedP = (t: number, df: number): number => Math.min(1, 2 * tCdfImpl(-Math.abs(t), df));

/** Student t quantile with `df` degrees of freedom. */
export const tQuantile = (p: number, df: number): number => tQuantileImpl(p, df);

/** Binomial CDF P(X ≤ k) for X ~ Bin(n, p). */
export const binomialCdf = (k: number, n: number, p: number): number => binomialCdfImpl(k, n, p);

/** Binomial PMF P(X = k) for X ~ Bin(n, p). */
export const binomialPmf = (k: number, n: number, p: number): number => binomialPmfImpl(k, n, p);
