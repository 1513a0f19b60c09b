/**
 * Disagreement between runs' predictions on the same test images (Jordan, ICLR 2024): the share of test images
 * on which two runs predict different classes, averaged over every pair of runs. Two runs can have the same
 * accuracy and still disagree on many images ("different models"), or differ in accuracy while agreeing on
 * nearly all of them ("different test luck" on a handful of images).
 */
import { StatsInputError } from "./errors";
import { quantileOfSorted } from "./descriptive";
import { assertLevel } from "./guards";
import { createRng, randomInt } from "./random";

export type PredictionDisagreementOptions = {
  /** one array per run: the predicted class of every test image, in the same test-set order */
  predictions: ReadonlyArray<readonly number[]>;
  /** default 0.95 */
  level?: number;
  /** bootstrap resamples of the test images, whole number in [100, 1e6]; default 2000 */
  resamples?: number;
  /** integer seed of the bootstrap */
  seed: number;
};

export type PredictionDisagreementResult = {
  runs: number;
  images: number;
  /** number of run pairs averaged over: runs·(runs − 1)/2 */
  pairs: number;
  /** mean over run pairs of the share of images predicted differently, in [0, 1] */
  meanRate: number;
  /** percentile bootstrap interval over test images (runs held fixed) */
  lower: number;
  upper: number;
  /** the least and most disagreeing pair of runs */
  minPairRate: number;
  maxPairRate: number;
  method: "percentile bootstrap over test images";
  level: number;
  resamples: number;
  seed: number;
};

/**
 * Mean pairwise prediction disagreement with a percentile bootstrap interval. The bootstrap resamples test
 * images (with the runs fixed), so the interval says how much the rate depends on which images the test set
 * happens to hold; it does not include the uncertainty from having only these runs.
 * Per image, the number of disagreeing pairs is C(R, 2) − Σ_c C(m_c, 2) for m_c runs predicting class c, so
 * each resample costs O(images).
 * @throws StatsInputError for fewer than two runs, no images, runs of different lengths, labels that are
 *   not non-negative whole numbers, or invalid level/resamples/seed.
 */
export function predictionDisagreement(options: PredictionDisagreementOptions): PredictionDisagreementResult {
  const { predictions, level = 0.95, resamples = 2000, seed } = options;
  assertLevel(level);
  if (!Number.isInteger(resamples) || resamples < 100 || resamples > 1_000_000) {
    throw new StatsInputError(`resamples must be a whole number between 100 and 1000000, got ${resamples}.`);
  }
  if (!Number.isInteger(seed)) throw new StatsInputError(`seed must be an integer, got ${seed}.`);
  const runs = predictions.length;
  if (runs < 2) throw new StatsInputError(`predictions needs at least 2 runs, got ${runs}.`);
  const images = predictions[0]!.length;
  if (images < 1) throw new StatsInputError("predictions needs at least one test image per run.");
  predictions.forEach((run, r) => {
    if (run.length !== images) throw new StatsInputError(`Every run must predict the same ${images} test images; run ${r} has ${run.length}.`);
    run.forEach((label, i) => {
      if (!Number.isInteger(label) || label < 0) throw new StatsInputError(`predictions[${r}][${i}] must be a class index (a non-negative whole number), got ${label}.`);
    });
  });
  const pairs = (runs * (runs - 1)) / 2;
  const disagreeingPairs = new Float64Array(images);
  const counts = new Map<number, number>();
  for (let i = 0; i < images; i++) {
    counts.clear();
    for (let r = 0; r < runs; r++) counts.set(predictions[r]![i]!, (counts.get(predictions[r]![i]!) ?? 0) + 1);
    let agreeing = 0;
    for (const m of counts.values()) agreeing += (m * (m - 1)) / 2;
    disagreeingPairs[i] = pairs - agreeing;
  }
  const rateOf = (total: number) => total / (images * pairs);
  let total = 0;
  for (let i = 0; i < images; i++) total += disagreeingPairs[i]!;
  const meanRate = rateOf(total);
  let minPairRate = Infinity;
  let maxPairRate = -Infinity;
  for (let r = 0; r < runs; r++) {
    for (let s = r + 1; s < runs; s++) {
      let differ = 0;
      for (let i = 0; i < images; i++) if (predictions[r]![i] !== predictions[s]![i]) differ++;
      minPairRate = Math.min(minPairRate, differ / images);
      maxPairRate = Math.max(maxPairRate, differ / images);
    }
  }
  const rng = createRng(seed);
  const replicates = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < images; i++) sum += disagreeingPairs[randomInt(rng, images)]!;
    replicates[b] = rateOf(sum);
  }
  replicates.sort((x, y) => x - y);
  const alpha = 1 - level;
  return {
    runs,
    images,
    pairs,
    meanRate,
    lower: quantileOfSorted(replicates, alpha / 2),
    upper: quantileOfSorted(replicates, 1 - alpha / 2),
    minPairRate,
    maxPairRate,
    method: "percentile bootstrap over test images",
    level,
    resamples,
    seed,
  };
}
