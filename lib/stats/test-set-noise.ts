/**
 * Test-set sampling noise beside run-to-run spread. A model with accuracy p on a class, scored on n test
 * images drawn from that class, shows an accuracy whose SD from the draw of images alone is √(p(1 − p)/n)
 * (binomial). Jordan (ICLR 2024) shows that runs of one training procedure differ on a fixed test set mostly as
 * if each test image were an independent coin with its own probability of being right; the variance of that
 * model, Σ p_i(1 − p_i)/n², never exceeds the binomial p̄(1 − p̄)/n. So the binomial SD is the most spread
 * that runs of equal distribution-level accuracy can show through "test luck" alone, and observed spread
 * clearly above it means the runs really differ on that class.
 */
import { chiSquareQuantile, chiSquareUpperTail } from "./distributions";
import { StatsInputError } from "./errors";
import { mean, sampleStdDev } from "./descriptive";
import { assertFiniteValues, assertLevel, assertSampleSize } from "./guards";
import { sdConfidenceInterval } from "./variance";

/**
 * SD of an accuracy measured on n images when the true accuracy is p: √(p(1 − p)/n).
 * @param p accuracy as a proportion in [0, 1]; @param n test images, a positive whole number.
 * @returns the SD on the proportion scale (multiply by 100 for percentage points).
 * @throws StatsInputError for p outside [0, 1] or an invalid n.
 */
export function binomialAccuracySd(p: number, n: number): number {
  if (!Number.isFinite(p) || p < 0 || p > 1) throw new StatsInputError(`p must be between 0 and 1, got ${p}.`);
  assertSampleSize(n, "n");
  return Math.sqrt((p * (1 - p)) / n);
}

export type TestSetNoiseOptions = {
  /** one accuracy per run on the same test images, as proportions in [0, 1]; at least two runs */
  accuracies: readonly number[];
  /** number of test images the accuracy is computed on (all, or one class's) */
  testImages: number;
  /** significance level of the one-sided chi-square comparison; default 0.05 */
  alpha?: number;
  /** level of the two-sided interval of the observed SD; default 0.90 (the study's level) */
  level?: number;
};

export type TestSetNoiseResult = {
  runs: number;
  testImages: number;
  /** mean accuracy over the runs (proportion) */
  meanAccuracy: number;
  /** sample SD of the accuracies across runs (n − 1), proportion scale */
  observedSd: number;
  /** chi-square interval of the observed SD at `level` */
  observedSdInterval: { lower: number; upper: number; level: number };
  /** max − min of the accuracies across runs */
  observedDiff: number;
  /** binomial SD √(p̄(1 − p̄)/n) at the mean accuracy */
  noiseSd: number;
  /**
   * The largest observed SD that `runs` runs differing only by sampling noise would show with probability
   * 1 − alpha: noiseSd·√(χ²_{1−α, r−1}/(r − 1)).
   */
  noiseSdUpperBound: number;
  /** observedSd / noiseSd; null when noiseSd is 0 (every run at 0% or 100%) */
  ratio: number | null;
  /** (r − 1)·s²/σ²_noise, chi-square with r − 1 df when only sampling noise acts; null when noiseSd is 0 */
  chiSquare: number | null;
  df: number;
  /** P(χ²_{r−1} ≥ chiSquare): small means more spread than sampling noise explains; 1 when noiseSd is 0 */
  pValue: number;
  alpha: number;
  /** true when the chi-square comparison does not reject "sampling noise alone" (pValue ≥ alpha) */
  withinNoise: boolean;
};

/**
 * Compares the run-to-run SD of an accuracy with the SD that binomial sampling of the test images implies.
 * Rule: the spread is "within noise" unless the one-sided chi-square test of H0: σ_runs ≤ σ_noise rejects at
 * `alpha`, i.e. unless observedSd > noiseSdUpperBound. The test treats the runs' accuracies as normal; with few
 * images and accuracies near 100% the binomial is skewed, and the flag is a screen, not a proof.
 * @throws StatsInputError for fewer than two runs, accuracies outside [0, 1], an invalid count or level.
 */
export function testSetNoise(options: TestSetNoiseOptions): TestSetNoiseResult {
  const { accuracies, testImages, alpha = 0.05, level = 0.9 } = options;
  assertFiniteValues(accuracies, "accuracies", 2);
  accuracies.forEach((value, index) => {
    if (value < 0 || value > 1) throw new StatsInputError(`accuracies[${index}] must be a proportion between 0 and 1, got ${value}.`);
  });
  assertSampleSize(testImages, "testImages");
  assertLevel(alpha, "alpha");
  assertLevel(level);
  const runs = accuracies.length;
  const df = runs - 1;
  const meanAccuracy = mean(accuracies);
  const observedSd = sampleStdDev(accuracies);
  const noiseSd = binomialAccuracySd(Math.min(1, Math.max(0, meanAccuracy)), testImages);
  const interval = sdConfidenceInterval({ sd: observedSd, n: runs, level });
  const noiseSdUpperBound = noiseSd * Math.sqrt(chiSquareQuantile(1 - alpha, df) / df);
  const chiSquare = noiseSd === 0 ? null : (df * observedSd * observedSd) / (noiseSd * noiseSd);
  const pValue = chiSquare === null ? 1 : Math.min(1, Math.max(0, chiSquareUpperTail(chiSquare, df)));
  let min = Infinity;
  let max = -Infinity;
  for (const value of accuracies) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return {
    runs,
    testImages,
    meanAccuracy,
    observedSd,
    observedSdInterval: { lower: interval.lower, upper: interval.upper, level },
    observedDiff: max - min,
    noiseSd,
    noiseSdUpperBound,
    ratio: noiseSd === 0 ? null : observedSd / noiseSd,
    chiSquare,
    df,
    pValue,
    alpha,
    withinNoise: pValue >= alpha,
  };
}
