import { createHash } from "node:crypto";
import { createRng, deriveSeed, randomInt, type Rng } from "../../stats/random";
import type { DatasetSplits, ImageSet, ImageShape } from "./types";

/**
 * Project-generated datasets, so the runner works offline and in tests.
 *
 * synthetic-mnist: 28×28×1 digits drawn as seven-segment strokes with per-image jitter (shift, scale,
 * slant, stroke width, segment endpoints, intensity) plus pixel noise. The class decides which strokes
 * are drawn, so the task is learnable but not trivial (noise and jitter blur 1/7, 3/9, 5/6/8).
 * synthetic-cifar: 32×32×3 images whose class decides a shape (disc, square, stripes, ring, ...)
 * drawn in a random colour on a random background with noise.
 * Everything is deterministic from the data seed; no Math.random, no trigonometry (whose last bits
 * may differ between JavaScript engines).
 */
export type SyntheticKind = "synthetic-mnist" | "synthetic-cifar";

export const SYNTHETIC_SHAPES: Record<SyntheticKind, ImageShape> = {
  "synthetic-mnist": { height: 28, width: 28, channels: 1 },
  "synthetic-cifar": { height: 32, width: 32, channels: 3 },
};

type Segment = [x0: number, y0: number, x1: number, y1: number];

/** Seven-segment strokes in a 12×20 box: a top, b upper right, c lower right, d bottom, e lower left, f upper left, g middle. */
const SEGMENTS: Record<string, Segment> = {
  a: [0, 0, 12, 0],
  b: [12, 0, 12, 10],
  c: [12, 10, 12, 20],
  d: [0, 20, 12, 20],
  e: [0, 10, 0, 20],
  f: [0, 0, 0, 10],
  g: [0, 10, 12, 10],
};
const DIGIT_SEGMENTS = ["abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg"];

const uniform = (rng: Rng, low: number, high: number) => low + (high - low) * rng();

function distanceToSegment(px: number, py: number, [x0, y0, x1, y1]: Segment): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / lengthSquared));
  const ex = px - (x0 + t * dx);
  const ey = py - (y0 + t * dy);
  return Math.sqrt(ex * ex + ey * ey);
}

function drawDigit(rng: Rng, label: number, out: Float32Array, offset: number): void {
  const scale = uniform(rng, 0.85, 1.1);
  const slant = uniform(rng, -0.25, 0.25);
  const shiftX = uniform(rng, 6, 10);
  const shiftY = uniform(rng, 3, 6);
  const halfWidth = uniform(rng, 0.8, 1.6);
  const intensity = uniform(rng, 0.7, 1);
  const segments = [...DIGIT_SEGMENTS[label]!].map((key): Segment => {
    const [x0, y0, x1, y1] = SEGMENTS[key]!;
    const place = (x: number, y: number): [number, number] => {
      const jx = x + uniform(rng, -1.2, 1.2);
      const jy = y + uniform(rng, -1.2, 1.2);
      return [shiftX + scale * (jx + slant * (20 - jy)), shiftY + scale * jy];
    };
    return [...place(x0, y0), ...place(x1, y1)];
  });
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      let nearest = Infinity;
      for (const segment of segments) nearest = Math.min(nearest, distanceToSegment(x + 0.5, y + 0.5, segment));
      const stroke = Math.max(0, Math.min(1, halfWidth + 0.5 - nearest)) * intensity;
      const noise = rng() < 0.04 ? uniform(rng, 0, 0.6) : 0;
      out[offset + y * 28 + x] = Math.min(1, stroke + noise);
    }
  }
}

/** Membership test of pixel (x, y) in shape `label`, relative to a centre (cx, cy) and size r. */
function insideShape(label: number, x: number, y: number, cx: number, cy: number, r: number): boolean {
  const dx = x - cx;
  const dy = y - cy;
  const inBox = Math.abs(dx) <= r && Math.abs(dy) <= r;
  const radiusSquared = dx * dx + dy * dy;
  switch (label % 10) {
    case 0: return radiusSquared <= r * r; // disc
    case 1: return inBox; // square
    case 2: return inBox && Math.floor((dy + r) / 3) % 2 === 0; // horizontal stripes
    case 3: return inBox && Math.floor((dx + r) / 3) % 2 === 0; // vertical stripes
    case 4: return radiusSquared <= r * r && radiusSquared >= (r * 0.55) ** 2; // ring
    case 5: return inBox && (Math.abs(dx) <= r * 0.3 || Math.abs(dy) <= r * 0.3); // plus
    case 6: return inBox && dy >= -r + Math.abs(dx) * 2 - r; // triangle
    case 7: return inBox && (Math.floor((dx + r) / 4) + Math.floor((dy + r) / 4)) % 2 === 0; // checker
    case 8: return inBox && Math.abs(dx - dy) <= r * 0.35; // diagonal bar
    default: return inBox && Math.abs(dx) + Math.abs(dy) <= r; // diamond
  }
}

function drawShape(rng: Rng, label: number, out: Float32Array, offset: number): void {
  const background = [rng(), rng(), rng()];
  const foreground = background.map((value) => (value + uniform(rng, 0.35, 0.65)) % 1);
  const cx = uniform(rng, 12, 20);
  const cy = uniform(rng, 12, 20);
  const r = uniform(rng, 7, 11);
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const colour = insideShape(label, x + 0.5, y + 0.5, cx, cy, r) ? foreground : background;
      for (let c = 0; c < 3; c++) {
        const noisy = colour[c]! + uniform(rng, -0.08, 0.08);
        out[offset + (y * 32 + x) * 3 + c] = Math.max(0, Math.min(1, noisy));
      }
    }
  }
}

/**
 * Generates `count` labelled images from one seed stream. Image i depends only on the seed and on
 * images before it, so a larger set starts with the smaller one.
 * @param kind which synthetic dataset.
 * @param count number of images (>= 0).
 * @param seed integer seed of this split.
 * @param numClasses classes to draw from (at most 10).
 * @throws RangeError on a negative count or numClasses outside 2..10.
 */
export function generateSyntheticSet(kind: SyntheticKind, count: number, seed: number, numClasses = 10): ImageSet {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (!Number.isInteger(numClasses) || numClasses < 2 || numClasses > 10) throw new RangeError(`numClasses must be 2..10, got ${numClasses}`);
  const shape = SYNTHETIC_SHAPES[kind];
  const size = shape.height * shape.width * shape.channels;
  const images = new Float32Array(count * size);
  const labels = new Uint8Array(count);
  const rng = createRng(seed);
  for (let i = 0; i < count; i++) {
    const label = randomInt(rng, numClasses);
    labels[i] = label;
    if (kind === "synthetic-mnist") drawDigit(rng, label, images, i * size);
    else drawShape(rng, label, images, i * size);
  }
  return { images, labels, count };
}

/**
 * Builds train/validation/test splits of a synthetic dataset. Each split has its own seed stream
 * derived from `dataSeed`, so changing one split's size leaves the others unchanged.
 * @param options.sizes split sizes (all required: there is no "official" size for generated data).
 * @param options.dataSeed the dataset's seed; part of the dataset identity, never varied between runs.
 * @returns splits with a checksum over the generated bytes.
 */
export function createSyntheticDataset(options: {
  kind: SyntheticKind;
  sizes: { train: number; validation: number; test: number };
  dataSeed: number;
  numClasses?: number;
}): DatasetSplits {
  const numClasses = options.numClasses ?? 10;
  const make = (split: string, count: number) =>
    generateSyntheticSet(options.kind, count, deriveSeed(options.dataSeed, options.kind, split), numClasses);
  const train = make("train", options.sizes.train);
  const validation = make("validation", options.sizes.validation);
  const test = make("test", options.sizes.test);
  const hash = createHash("sha256");
  for (const set of [train, validation, test]) {
    hash.update(new Uint8Array(set.images.buffer, set.images.byteOffset, set.images.byteLength));
    hash.update(set.labels);
  }
  return { name: options.kind, checksum: hash.digest("hex"), shape: SYNTHETIC_SHAPES[options.kind], numClasses, train, validation, test };
}
