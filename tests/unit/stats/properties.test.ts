/**
 * Invariants that must hold for any input, checked on seeded random cases (createRng) so failures
 * reproduce exactly.
 */
import { describe, expect, test } from "vitest";
import {
  PROPORTION_CI_METHODS,
  PROPORTION_DIFF_CI_METHODS,
  betaCdf,
  binomialCdf,
  binomialPmf,
  bootstrapCI,
  cohenKappa,
  createRng,
  deriveSeed,
  fleissKappa,
  krippendorffAlpha,
  mannWhitneyU,
  proportionCI,
  proportionDiffCI,
  randomInt,
  sampleVariance,
} from "@/lib/stats";

const rng = createRng(deriveSeed(20201, "stats-properties"));
const randomCases = Array.from({ length: 40 }, () => {
  const n = 1 + randomInt(rng, 120);
  return { x: randomInt(rng, n + 1), n };
});

describe("proportion interval invariants", () => {
  test.each(PROPORTION_CI_METHODS.map((method) => [method]))("%s contains x/n at 80–99% and lies in [0, 1]", (method) => {
    for (const { x, n } of randomCases) {
      for (const level of [0.8, 0.9, 0.95, 0.99]) {
        const { estimate, lower, upper } = proportionCI({ x, n, method, level });
        expect(lower).toBeGreaterThanOrEqual(0);
        expect(upper).toBeLessThanOrEqual(1);
        expect(lower, `${method} ${x}/${n}`).toBeLessThanOrEqual(estimate + 1e-12);
        expect(upper, `${method} ${x}/${n}`).toBeGreaterThanOrEqual(estimate - 1e-12);
      }
    }
  });

  test.each(PROPORTION_CI_METHODS.map((method) => [method]))("%s is symmetric under x ↔ n − x", (method) => {
    for (const { x, n } of randomCases) {
      const direct = proportionCI({ x, n, method });
      const mirrored = proportionCI({ x: n - x, n, method });
      expect(direct.lower).toBeCloseTo(1 - mirrored.upper, 9);
      expect(direct.upper).toBeCloseTo(1 - mirrored.lower, 9);
    }
  });

  test.each(PROPORTION_CI_METHODS.map((method) => [method]))("%s widens as the level rises", (method) => {
    for (const { x, n } of randomCases) {
      let previous = proportionCI({ x, n, method, level: 0.5 });
      for (const level of [0.8, 0.9, 0.95, 0.99, 0.999]) {
        const current = proportionCI({ x, n, method, level });
        expect(current.lower).toBeLessThanOrEqual(previous.lower + 1e-12);
        expect(current.upper).toBeGreaterThanOrEqual(previous.upper - 1e-12);
        previous = current;
      }
    }
  });

  test("one-sided bounds use the full level on one side", () => {
    const twoSided90 = proportionCI({ x: 12, n: 40, method: "clopper-pearson", level: 0.9 });
    const less = proportionCI({ x: 12, n: 40, method: "clopper-pearson", level: 0.95, alternative: "less" });
    const greater = proportionCI({ x: 12, n: 40, method: "clopper-pearson", level: 0.95, alternative: "greater" });
    expect(less.lower).toBe(0);
    expect(less.upper).toBeCloseTo(twoSided90.upper, 12);
    expect(greater.upper).toBe(1);
    expect(greater.lower).toBeCloseTo(twoSided90.lower, 12);
  });

  test("Jeffreys limits are equal-tailed Beta(x + ½, n − x + ½) quantiles", () => {
    for (const { x, n } of randomCases.filter((c) => c.x > 0 && c.x < c.n)) {
      const { lower, upper } = proportionCI({ x, n, method: "jeffreys" });
      expect(betaCdf(lower, x + 0.5, n - x + 0.5)).toBeCloseTo(0.025, 9);
      expect(betaCdf(upper, x + 0.5, n - x + 0.5)).toBeCloseTo(0.975, 9);
    }
  });

  test("mid-p limits solve their defining tail equations", () => {
    const { lower, upper } = proportionCI({ x: 7, n: 30, method: "mid-p" });
    expect(1 - binomialCdf(7, 30, lower) + 0.5 * binomialPmf(7, 30, lower)).toBeCloseTo(0.025, 10);
    expect(binomialCdf(6, 30, upper) + 0.5 * binomialPmf(7, 30, upper)).toBeCloseTo(0.025, 10);
  });

  test("the finite population correction narrows Wald intervals and collapses them for a census", () => {
    const plain = proportionCI({ x: 30, n: 100, method: "wald" });
    const corrected = proportionCI({ x: 30, n: 100, method: "wald", populationSize: 200 });
    expect(corrected.upper - corrected.lower).toBeLessThan(plain.upper - plain.lower);
    const census = proportionCI({ x: 30, n: 100, method: "wald", populationSize: 100 });
    expect(census.lower).toBe(0.3);
    expect(census.upper).toBe(0.3);
  });
});

describe("difference interval invariants", () => {
  test.each(PROPORTION_DIFF_CI_METHODS.map((method) => [method]))("%s: swapping groups negates the interval", (method) => {
    for (let i = 0; i + 1 < randomCases.length; i += 2) {
      const a = randomCases[i]!;
      const b = randomCases[i + 1]!;
      const forward = proportionDiffCI({ x1: a.x, n1: a.n, x2: b.x, n2: b.n, method });
      const backward = proportionDiffCI({ x1: b.x, n1: b.n, x2: a.x, n2: a.n, method });
      expect(forward.difference).toBeCloseTo(-backward.difference, 12);
      expect(forward.lower).toBeCloseTo(-backward.upper, 7);
      expect(forward.upper).toBeCloseTo(-backward.lower, 7);
      expect(forward.lower).toBeGreaterThanOrEqual(-1);
      expect(forward.upper).toBeLessThanOrEqual(1);
    }
  });
});

describe("agreement invariants", () => {
  const labels = ["a", "b", "c", "d"];
  const ratings = Array.from({ length: 60 }, () => labels[randomInt(rng, labels.length)]!);

  test("identical raters give kappa = 1 for every weighting", () => {
    for (const weights of ["none", "linear", "quadratic"] as const) {
      const result = cohenKappa({ rater1: ratings, rater2: ratings, weights });
      expect(result.kappa).toBeCloseTo(1, 12);
      expect(result.upper).toBe(1);
    }
  });

  test("Fleiss' kappa is 1 when every rater agrees on every subject", () => {
    const subjects = ratings.slice(0, 20).map((label) => [label, label, label]);
    expect(fleissKappa({ ratings: subjects }).kappa).toBeCloseTo(1, 12);
  });

  test("nominal alpha is unchanged by relabelling categories", () => {
    const coder2 = ratings.map((label) => (randomInt(rng, 4) === 0 ? labels[randomInt(rng, 4)]! : label));
    const coder3 = ratings.map((label, index) => (index % 7 === 0 ? null : label));
    const relabel = new Map<string | number, string | number>([["a", 10], ["b", "zeta"], ["c", -3], ["d", "alpha"]]);
    const original = krippendorffAlpha({ data: [ratings, coder2, coder3] }).alpha;
    const renamed = krippendorffAlpha({
      data: [ratings, coder2, coder3].map((row) => row.map((label) => (label === null ? null : relabel.get(label)!))),
    }).alpha;
    expect(renamed).toBeCloseTo(original, 12);
  });

  test("interval alpha is unchanged by a linear rescaling of the values", () => {
    const coder1 = Array.from({ length: 30 }, () => randomInt(rng, 7));
    const coder2 = coder1.map((value) => value + (randomInt(rng, 3) - 1));
    const scaled = (row: number[]) => row.map((value) => 3 * value + 11);
    expect(krippendorffAlpha({ data: [scaled(coder1), scaled(coder2)], level: "interval" }).alpha).toBeCloseTo(
      krippendorffAlpha({ data: [coder1, coder2], level: "interval" }).alpha,
      12,
    );
  });
});

describe("variance and tests", () => {
  test("sample variance is shift invariant and scales with c²", () => {
    const values = Array.from({ length: 25 }, () => rng() * 10);
    const variance = sampleVariance(values);
    expect(variance).toBeGreaterThanOrEqual(0);
    expect(sampleVariance(values.map((v) => v + 1e6))).toBeCloseTo(variance, 6);
    expect(sampleVariance(values.map((v) => v * 3))).toBeCloseTo(variance * 9, 9);
  });

  test("Mann–Whitney U(x, y) + U(y, x) = n_x·n_y and the exact distribution sums to 1", () => {
    const x = Array.from({ length: 7 }, () => rng());
    const y = Array.from({ length: 9 }, () => rng());
    expect(mannWhitneyU(x, y).u + mannWhitneyU(y, x).u).toBe(63);
    expect(mannWhitneyU(x, y).pValue).toBeCloseTo(mannWhitneyU(y, x).pValue, 12);
  });

  test("the same seed gives the same bootstrap interval, another seed a different one", () => {
    const values = Array.from({ length: 16 }, () => 90 + rng() * 2);
    const first = bootstrapCI({ values, seed: 7, resamples: 2000, method: "bca" });
    const again = bootstrapCI({ values, seed: 7, resamples: 2000, method: "bca" });
    const other = bootstrapCI({ values, seed: 8, resamples: 2000, method: "bca" });
    expect(again).toEqual(first);
    expect(other.lower === first.lower && other.upper === first.upper).toBe(false);
    expect(first.lower).toBeLessThan(first.estimate);
    expect(first.upper).toBeGreaterThan(first.estimate);
  });
});
