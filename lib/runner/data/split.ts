import { sliceSet, takeFirst, type ImageSet, type ImageShape, type SplitSizes } from "./types";

/** The study's split of the official 10,000-image test set: 7,500 for validation, 2,500 for test. */
export const STUDY_VALIDATION_SIZE = 7_500;
export const STUDY_TEST_SIZE = 2_500;

/**
 * Applies the study's split and the requested sizes.
 *
 * The official test set is split by position: images [0, 7500) are the validation pool and
 * [7500, 10000) the test pool (the paper does not say how it split; a positional split needs no seed,
 * so every run and every setting sees the same validation and test images). Smaller requested sizes
 * take the first images of each pool, so a small preset's test images are also in the full preset's.
 * @param official the official train and test sets as loaded.
 * @param sizes requested sizes; each must not exceed its pool.
 * @throws RangeError when a requested size is larger than its pool, with the pool size in the message.
 */
export function splitOfficialSets(
  official: { train: ImageSet; test: ImageSet },
  shape: ImageShape,
  sizes: SplitSizes,
): { train: ImageSet; validation: ImageSet; test: ImageSet } {
  const validationPool = Math.min(STUDY_VALIDATION_SIZE, Math.round(official.test.count * 0.75));
  const testPool = official.test.count - validationPool;
  const want = {
    train: sizes.train ?? official.train.count,
    validation: sizes.validation ?? validationPool,
    test: sizes.test ?? testPool,
  };
  if (want.train > official.train.count) throw new RangeError(`train size ${want.train} exceeds the ${official.train.count} training images`);
  if (want.validation > validationPool) throw new RangeError(`validation size ${want.validation} exceeds the validation pool of ${validationPool}`);
  if (want.test > testPool) throw new RangeError(`test size ${want.test} exceeds the test pool of ${testPool}`);
  return {
    train: takeFirst(official.train, want.train, shape),
    validation: sliceSet(official.test, 0, want.validation, shape),
    test: sliceSet(official.test, validationPool, want.test, shape),
  };
}
