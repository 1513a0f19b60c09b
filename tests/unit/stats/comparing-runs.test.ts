/**
 * Properties and edge cases of the run-comparison statistics (issue 20); their reference values against
 * scipy/statsmodels are in tests/fixtures/stats/comparing-runs.json (checked by reference-values.test.ts).
 */
import { describe, expect, test } from "vitest";
import {
  bestOfKInflation,
  binomialAccuracySd,
  mannWhitneyU,
  predictionDisagreement,
  probabilityOfOutperforming,
  runsNeeded,
  StatsInputError,
  testSetNoise,
  twoSampleTPower,
  wrongWinnerRate,
} from "@/lib/stats";

const lenetLike = [96.5, 97.7, 96.0, 96.3, 97.2, 97.0, 96.8, 97.0];
const better = [97.3, 97.2, 98.0, 97.5, 97.8, 97.4, 96.9, 97.6];

describe("test-set noise", () => {
  test("binomial SD of an accuracy: √(p(1 − p)/n)", () => {
    expect(binomialAccuracySd(0.5, 100)).toBeCloseTo(0.05, 15);
    expect(binomialAccuracySd(1, 21)).toBe(0);
    expect(() => binomialAccuracySd(1.2, 10)).toThrow(StatsInputError);
    expect(() => binomialAccuracySd(0.5, 0)).toThrow(StatsInputError);
  });

  test("a class of 21 images: a 52.4%–95.2% spread over runs is more than sampling explains, a 2-image spread is not", () => {
    const wide = testSetNoise({ accuracies: [11 / 21, 15 / 21, 18 / 21, 19 / 21, 20 / 21], testImages: 21 });
    expect(wide.noiseSd).toBeCloseTo(Math.sqrt((wide.meanAccuracy * (1 - wide.meanAccuracy)) / 21), 12);
    expect(wide.withinNoise).toBe(false);
    expect(wide.observedSd).toBeGreaterThan(wide.noiseSdUpperBound);
    const narrow = testSetNoise({ accuracies: [18 / 21, 19 / 21, 20 / 21, 19 / 21], testImages: 21 });
    expect(narrow.withinNoise).toBe(true);
    expect(narrow.observedSd).toBeLessThanOrEqual(narrow.noiseSdUpperBound);
    expect(narrow.observedDiff).toBeCloseTo(2 / 21, 12);
  });

  test("the flag is the chi-square rule: within noise exactly when observedSd ≤ noiseSdUpperBound", () => {
    for (const spread of [0, 0.005, 0.01, 0.02, 0.04, 0.08]) {
      const result = testSetNoise({ accuracies: [0.9 - spread, 0.9, 0.9 + spread, 0.9], testImages: 100 });
      expect(result.withinNoise, String(spread)).toBe(result.observedSd <= result.noiseSdUpperBound + 1e-15);
    }
  });

  test("every run at 100%: no noise and no spread, within noise, ratio undefined", () => {
    const result = testSetNoise({ accuracies: [1, 1, 1], testImages: 50 });
    expect(result).toMatchObject({ noiseSd: 0, observedSd: 0, ratio: null, chiSquare: null, pValue: 1, withinNoise: true });
  });

  test("bad input is one clear error", () => {
    expect(() => testSetNoise({ accuracies: [0.9], testImages: 10 })).toThrow("at least 2");
    expect(() => testSetNoise({ accuracies: [0.9, 97], testImages: 10 })).toThrow("proportion between 0 and 1");
    expect(() => testSetNoise({ accuracies: [0.9, 0.8], testImages: 0 })).toThrow(StatsInputError);
  });
});

describe("prediction disagreement", () => {
  test("identical runs never disagree; the rate is the mean over pairs", () => {
    const same = predictionDisagreement({ predictions: [[1, 2, 3], [1, 2, 3], [1, 2, 3]], seed: 1, resamples: 200 });
    expect(same).toMatchObject({ meanRate: 0, lower: 0, upper: 0, pairs: 3 });
    // Pairs (0,1): 1 of 4 differ, (0,2): 2 of 4, (1,2): 1 of 4 → mean 4/12.
    const mixed = predictionDisagreement({ predictions: [[0, 1, 2, 3], [0, 1, 2, 4], [0, 1, 5, 4]], seed: 3, resamples: 500 });
    expect(mixed.meanRate).toBeCloseTo(4 / 12, 15);
    expect(mixed.minPairRate).toBeCloseTo(0.25, 15);
    expect(mixed.maxPairRate).toBeCloseTo(0.5, 15);
    expect(mixed.lower).toBeLessThanOrEqual(mixed.meanRate);
    expect(mixed.upper).toBeGreaterThanOrEqual(mixed.meanRate);
  });

  test("seeded: the same seed gives the same interval", () => {
    const predictions = [[0, 1, 1, 0, 2, 2, 1], [0, 1, 0, 0, 2, 1, 1], [1, 1, 1, 0, 2, 2, 0]];
    expect(predictionDisagreement({ predictions, seed: 9 })).toEqual(predictionDisagreement({ predictions, seed: 9 }));
  });

  test("runs predicting different numbers of images, or non-class labels, are rejected", () => {
    expect(() => predictionDisagreement({ predictions: [[1, 2], [1]], seed: 1 })).toThrow("same 2 test images");
    expect(() => predictionDisagreement({ predictions: [[1, 2]], seed: 1 })).toThrow("at least 2 runs");
    expect(() => predictionDisagreement({ predictions: [[1, 2.5], [1, 2]], seed: 1 })).toThrow("class index");
  });
});

describe("P(A > B)", () => {
  test("the estimate is Mann–Whitney U over n_A·n_B, and P(B > A) = 1 − P(A > B)", () => {
    const ab = probabilityOfOutperforming({ a: lenetLike, b: better, seed: 5, resamples: 2000 });
    expect(ab.estimate).toBeCloseTo(mannWhitneyU(lenetLike, better).u / 64, 15);
    const ba = probabilityOfOutperforming({ a: better, b: lenetLike, seed: 5, resamples: 2000 });
    expect(ba.estimate).toBeCloseTo(1 - ab.estimate, 15);
    expect(ab.lower).toBeLessThanOrEqual(ab.estimate);
    expect(ab.upper).toBeGreaterThanOrEqual(ab.estimate);
  });

  test("Bouthillier et al.'s rule: significant needs the interval to clear 0.5, meaningful also needs γ", () => {
    const separated = probabilityOfOutperforming({ a: [5, 6, 7, 8], b: [1, 2, 3, 4], seed: 1, resamples: 1000 });
    expect(separated).toMatchObject({ estimate: 1, lower: 1, upper: 1, significant: true, meaningful: true, verdict: "a-better" });
    expect(probabilityOfOutperforming({ a: [1, 2, 3, 4], b: [5, 6, 7, 8], seed: 1, resamples: 1000 }).verdict).toBe("b-better");
    const overlapping = probabilityOfOutperforming({ a: [1, 2, 3, 4, 5], b: [2, 3, 4, 5, 6], seed: 1, resamples: 1000 });
    expect(overlapping.verdict).toBe("not-significant");
    // Significant but short of a stricter γ.
    const strict = probabilityOfOutperforming({ a: better, b: lenetLike, seed: 2, resamples: 4000, threshold: 0.95 });
    expect(strict.significant).toBe(true);
    expect(strict.verdict).toBe("significant-not-meaningful");
  });

  test("reproducible from its seed; the threshold must lie in (0.5, 1)", () => {
    expect(probabilityOfOutperforming({ a: lenetLike, b: better, seed: 42 })).toEqual(probabilityOfOutperforming({ a: lenetLike, b: better, seed: 42 }));
    expect(() => probabilityOfOutperforming({ a: lenetLike, b: better, seed: 1, threshold: 0.4 })).toThrow("threshold");
    expect(() => probabilityOfOutperforming({ a: [1], b: better, seed: 1 })).toThrow(StatsInputError);
  });
});

describe("runs needed", () => {
  test("the answer is the smallest n whose power reaches the target", () => {
    for (const [sdA, sdB, difference] of [[0.54, 0.66, 0.5], [0.6, 0.6, 0.25], [2.6, 1.0, 1.0]] as const) {
      const result = runsNeeded({ sdA, sdB, difference, power: 0.8 });
      expect(result.runs).not.toBeNull();
      const n = result.runs!;
      expect(twoSampleTPower({ runs: n, sdA, sdB, difference })).toBeGreaterThanOrEqual(0.8);
      if (n > 2) expect(twoSampleTPower({ runs: n - 1, sdA, sdB, difference })).toBeLessThan(0.8);
      // The normal approximation never asks for more runs than the t test.
      expect(result.normalApproximation).toBeLessThanOrEqual(n);
    }
  });

  test("power rises with runs and with the difference; the sign of the difference does not matter", () => {
    const p = (runs: number, difference: number) => twoSampleTPower({ runs, sdA: 0.6, sdB: 0.6, difference });
    expect(p(10, 0.5)).toBeLessThan(p(20, 0.5));
    expect(p(10, 0.5)).toBeLessThan(p(10, 0.8));
    expect(p(10, -0.5)).toBeCloseTo(p(10, 0.5), 14);
  });

  test("not reachable within maxRuns gives null with the power reached; zero spread is an error", () => {
    const result = runsNeeded({ sdA: 5, sdB: 5, difference: 0.01, maxRuns: 50 });
    expect(result.runs).toBeNull();
    expect(result.achievedPower).toBeLessThan(0.8);
    expect(() => runsNeeded({ sdA: 0, sdB: 0, difference: 0.5 })).toThrow("Both SDs are 0");
    expect(() => runsNeeded({ sdA: 1, sdB: 1, difference: 0 })).toThrow("difference");
    expect(() => runsNeeded({ sdA: 1, sdB: 1, difference: 1, power: 80 })).toThrow("power");
  });
});

describe("wrong-winner rate", () => {
  test("more runs per side pick the wrong winner less often", () => {
    const one = wrongWinnerRate({ a: lenetLike, b: better, seed: 1 });
    expect(one.exactSingleRun).toBeCloseTo(probabilityOfOutperforming({ a: lenetLike, b: better, seed: 1, resamples: 100 }).estimate, 15);
    expect(Math.abs(one.rate - one.exactSingleRun!)).toBeLessThan(0.015);
    const five = wrongWinnerRate({ a: lenetLike, b: better, runsPerSide: 5, seed: 1 });
    expect(one.better).toBe("b");
    expect(five.rate).toBeLessThan(one.rate);
    expect(one.lower).toBeLessThanOrEqual(one.rate);
    expect(one.upper).toBeGreaterThanOrEqual(one.rate);
  });

  test("equal means have no winner to get wrong", () => {
    expect(() => wrongWinnerRate({ a: [1, 3], b: [2, 2], seed: 1 })).toThrow("same mean");
  });
});

describe("best-of-k inflation", () => {
  test("k = 1 is the mean, k = n the maximum, and the expected best never falls as k grows", () => {
    const result = bestOfKInflation({ values: lenetLike, seed: 1, resamples: 500 });
    const mean = lenetLike.reduce((a, b) => a + b, 0) / lenetLike.length;
    expect(result.rows[0]).toMatchObject({ k: 1, inflation: 0, lower: 0, upper: 0 });
    expect(result.rows.at(-1)!.expectedBest).toBeCloseTo(Math.max(...lenetLike), 12);
    expect(result.rows.at(-1)!.inflation).toBeCloseTo(Math.max(...lenetLike) - mean, 12);
    for (let k = 1; k < result.rows.length; k++) expect(result.rows[k]!.expectedBest).toBeGreaterThanOrEqual(result.rows[k - 1]!.expectedBest - 1e-12);
    for (const row of result.rows) expect(row.lower).toBeLessThanOrEqual(row.upper);
  });

  test("identical runs inflate nothing; seeded", () => {
    expect(bestOfKInflation({ values: [97.1, 97.1, 97.1], seed: 1, resamples: 200 }).rows.map((row) => row.inflation)).toEqual([0, 0, 0]);
    expect(bestOfKInflation({ values: lenetLike, seed: 4 })).toEqual(bestOfKInflation({ values: lenetLike, seed: 4 }));
  });
});
