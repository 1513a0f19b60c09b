import * as tf from "@tensorflow/tfjs";
import type { ImageSet, ImageShape } from "./data/types";

/** Keras clips probabilities to [1e-7, 1 - 1e-7] before the log in cross-entropy; we do the same. */
const PROBABILITY_EPSILON = 1e-7;

export type Evaluation = {
  /** Mean categorical cross-entropy of the predictions (weight-decay penalties not included). */
  loss: number;
  /** Fraction correct in [0, 1]. */
  accuracy: number;
  /** Per class (index = class): correct predictions and images of that class. */
  perClass: Array<{ correct: number; total: number }>;
  /** The predicted class of every image, in the set's order (what prediction disagreement between runs is measured on). */
  predictions: number[];
};

/**
 * Evaluates a classifier on a labelled set in inference mode (batch norm uses moving statistics,
 * dropout is off). Ties in the arg-max go to the lowest class index.
 * @param model a built model with softmax outputs.
 * @param set the images and labels.
 * @param batchSize images per forward pass (memory bound only; does not change the numbers).
 * @throws RangeError on an empty set.
 */
export async function evaluateModel(
  model: tf.LayersModel,
  set: ImageSet,
  shape: ImageShape,
  numClasses: number,
  batchSize: number,
): Promise<Evaluation> {
  if (set.count === 0) throw new RangeError("cannot evaluate on an empty set");
  const size = shape.height * shape.width * shape.channels;
  const perClass = Array.from({ length: numClasses }, () => ({ correct: 0, total: 0 }));
  let lossSum = 0;
  let correct = 0;
  const predictions = new Array<number>(set.count);
  for (let start = 0; start < set.count; start += batchSize) {
    const count = Math.min(batchSize, set.count - start);
    const probabilitiesTensor = tf.tidy(() => {
      const input = tf.tensor4d(set.images.subarray(start * size, (start + count) * size), [count, shape.height, shape.width, shape.channels]);
      return model.predict(input) as tf.Tensor;
    });
    const probabilities = await probabilitiesTensor.data();
    probabilitiesTensor.dispose();
    for (let i = 0; i < count; i++) {
      const label = set.labels[start + i]!;
      const row = probabilities.subarray(i * numClasses, (i + 1) * numClasses);
      let predicted = 0;
      for (let c = 1; c < numClasses; c++) if (row[c]! > row[predicted]!) predicted = c;
      predictions[start + i] = predicted;
      const p = Math.min(1 - PROBABILITY_EPSILON, Math.max(PROBABILITY_EPSILON, row[label]!));
      lossSum -= Math.log(p);
      const bucket = perClass[label]!;
      bucket.total += 1;
      if (predicted === label) {
        bucket.correct += 1;
        correct += 1;
      }
    }
  }
  return { loss: lossSum / set.count, accuracy: correct / set.count, perClass, predictions };
}
