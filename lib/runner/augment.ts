import { createRng, randomInt } from "../stats/random";
import type { AugmentationConfig } from "./presets";
import type { ImageShape } from "./data/types";

/**
 * Applies a random shift (edge pixels repeated, like Keras fill_mode="nearest") and an optional
 * horizontal flip to one image, in place into `out`.
 * @param image source pixels (height × width × channels).
 * @param out destination of the same length (must not alias `image`).
 * @param shiftX,shiftY whole-pixel offsets; positive moves the content right/down.
 */
export function shiftAndFlip(
  image: Float32Array,
  out: Float32Array,
  shape: ImageShape,
  shiftX: number,
  shiftY: number,
  flip: boolean,
): void {
  const { height, width, channels } = shape;
  for (let y = 0; y < height; y++) {
    const sourceY = Math.min(height - 1, Math.max(0, y - shiftY));
    for (let x = 0; x < width; x++) {
      const shiftedX = Math.min(width - 1, Math.max(0, x - shiftX));
      const sourceX = flip ? width - 1 - shiftedX : shiftedX;
      const from = (sourceY * width + sourceX) * channels;
      const to = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = image[from + c]!;
    }
  }
}

/**
 * Copies the images at `indices` into one batch buffer, augmenting each when a config is given.
 * The random draws come only from `augmentationSeed`, so a batch is reproducible.
 * @param source all training images, flat.
 * @param indices which images, in batch order.
 * @param augmentation null for no augmentation.
 * @param augmentationSeed seed for this batch (derive it from the run's augmentation seed, epoch and step).
 * @returns a new Float32Array of indices.length images.
 */
export function gatherBatch(
  source: Float32Array,
  indices: readonly number[],
  shape: ImageShape,
  augmentation: AugmentationConfig | null,
  augmentationSeed: number,
): Float32Array {
  const size = shape.height * shape.width * shape.channels;
  const batch = new Float32Array(indices.length * size);
  const rng = augmentation ? createRng(augmentationSeed) : null;
  indices.forEach((index, position) => {
    const image = source.subarray(index * size, (index + 1) * size);
    if (!augmentation || !rng) {
      batch.set(image, position * size);
      return;
    }
    const maxShiftX = Math.round(augmentation.shift * shape.width);
    const maxShiftY = Math.round(augmentation.shift * shape.height);
    const shiftX = maxShiftX === 0 ? 0 : randomInt(rng, 2 * maxShiftX + 1) - maxShiftX;
    const shiftY = maxShiftY === 0 ? 0 : randomInt(rng, 2 * maxShiftY + 1) - maxShiftY;
    const flip = augmentation.horizontalFlip && rng() < 0.5;
    shiftAndFlip(image, batch.subarray(position * size, (position + 1) * size), shape, shiftX, shiftY, flip);
  });
  return batch;
}
