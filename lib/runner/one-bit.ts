import * as tf from "@tensorflow/tfjs";
import { createRng, randomInt } from "../stats/random";

/**
 * The smallest possible change to a network's initial weights, for the instability set ("one-bit") of
 * Summers & Dinneen (ICML 2021): one bit of one initial weight flipped, everything else (all seeds, the
 * implementation) as in the fixed-seed control. If training were stable, such runs would end where the
 * control ends; their spread measures how far the training amplifies a one-ulp difference.
 */
export type OneBitFlip = {
  /** The weight variable's name as tfjs builds it ("conv2d_1/kernel"). */
  weight: string;
  /** Flat index of the scalar within that variable (row-major). */
  index: number;
  /** Bit flipped in the float32 word: 0 is the least significant bit of the mantissa (one unit in the last place). */
  bit: number;
  /** The scalar before and after the flip. */
  before: number;
  after: number;
};

/** The least significant mantissa bit: the flip changes the weight by one unit in the last place. */
export const FLIPPED_BIT = 0;

/**
 * Flips one bit of one initial kernel weight, chosen uniformly over all kernel scalars by `seed`.
 * Kernels only (not biases, which start at zero: flipping a zero's last bit makes a subnormal, which some
 * kernels flush to zero, so the change could vanish; nor batch-norm statistics, which are not trained).
 * @param model a freshly built model (before any training step).
 * @param seed which scalar: runs of a one-bit set pass different seeds (derived from master seed and run index).
 * @returns what was flipped, for the run's record.
 * @throws Error when the model has no kernel weights.
 */
export function flipOneInitialBit(model: tf.LayersModel, seed: number): OneBitFlip {
  const kernels = model.trainableWeights.filter((weight) => weight.shape.length >= 2);
  const sizes = kernels.map((weight) => weight.shape.reduce<number>((a, b) => a * (b ?? 0), 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total === 0) throw new Error("the model has no kernel weights to perturb");
  let position = randomInt(createRng(seed), total);
  let which = 0;
  while (position >= sizes[which]!) position -= sizes[which++]!;
  const variable = kernels[which]!;
  const values = variable.read().dataSync().slice() as Float32Array;
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const before = values[position]!;
  bits[position] = (bits[position]! ^ (1 << FLIPPED_BIT)) >>> 0;
  const after = values[position]!;
  const replacement = tf.tensor(values, variable.shape as number[], "float32");
  variable.write(replacement);
  replacement.dispose();
  return { weight: variable.originalName, index: position, bit: FLIPPED_BIT, before, after };
}
