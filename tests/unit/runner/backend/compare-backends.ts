/**
 * Test helpers: run the same computation on the cpu (reference) and wasm backends and compare.
 *
 * Tolerance used throughout: the two backends sum products in different orders, so a float32 result
 * can differ by a few ulps of the *sum of absolute terms*, not of the (possibly cancelling) result.
 * For a kernel that is linear in each input, that sum is the same kernel applied to |inputs|, which
 * the helpers compute on the cpu backend. An element passes when
 *   |wasm - cpu| <= RELATIVE_TOLERANCE * kernel(|inputs|) + ABSOLUTE_FLOOR.
 * 1e-5 is ~84 float32 ulps of the magnitude: loose enough for reordered sums over thousands of
 * terms, tight enough that any indexing, padding or stride mistake (errors of order 1) fails.
 */
import * as tf from "@tensorflow/tfjs";
import { describe, expect } from "vitest";
import { createRng, type Rng } from "@/lib/stats/random";
import { initBackend, tensorflowInstallStatus } from "@/lib/runner/backend";

/** Backends whose kernels are checked against the cpu reference: ours (wasm) and, where installed, tensorflow. */
export type BackendUnderTest = "wasm" | "tensorflow";

/**
 * Declares the same suite for wasm and for tensorflow. The tensorflow copy is skipped where
 * `npm run setup:tensorflow` was not run; its title starts with "[tensorflow]" so npm test's summary counts it.
 */
export function describeOnBackends(title: (backend: BackendUnderTest) => string, body: (backend: BackendUnderTest) => void): void {
  describe(title("wasm"), () => body("wasm"));
  describe.skipIf(!tensorflowInstallStatus().installed)(`[tensorflow] ${title("tensorflow")}`, () => body("tensorflow"));
}

export const RELATIVE_TOLERANCE = 1e-5;
export const ABSOLUTE_FLOOR = 1e-7;

/** Plain input description: values are generated once and uploaded to each backend. */
export type HostTensor = { values: Float32Array; shape: number[] };

/** Standard-normal values from a seeded generator (Box–Muller), so every case is reproducible. */
export function randomHostTensor(rng: Rng, shape: number[]): HostTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const u = 1 - rng();
    values[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  }
  return { values, shape };
}

/** The absolute values of a host tensor. */
export function absolute(t: HostTensor): HostTensor {
  return { values: t.values.map(Math.abs), shape: t.shape };
}

/**
 * Runs `compute` on `backendName` with the host inputs uploaded as tensors and returns the values.
 * All tensors are disposed; the active backend is left as `backendName`.
 */
export async function runOn(
  backendName: "cpu" | BackendUnderTest,
  inputs: HostTensor[],
  compute: (tensors: tf.Tensor[]) => tf.Tensor,
): Promise<{ values: Float32Array; shape: number[] }> {
  await initBackend(backendName);
  const tensors = inputs.map((input) => tf.tensor(input.values, input.shape, "float32"));
  const out = compute(tensors);
  const result = { values: (await out.data()) as Float32Array, shape: out.shape.slice() };
  out.dispose();
  tensors.forEach((t) => t.dispose());
  return result;
}

/**
 * Asserts that the wasm result matches the cpu result within the tolerance described above.
 * @param scale cpu result of the same kernel on absolute inputs (same shape).
 * @returns the largest error measured, as a multiple of the allowed error (≤ 1 passes).
 */
export function expectWithinTolerance(
  actual: { values: Float32Array; shape: number[] },
  expected: { values: Float32Array; shape: number[] },
  scale: { values: Float32Array },
  label: string,
): number {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < expected.values.length; i++) {
    const allowed = RELATIVE_TOLERANCE * Math.abs(scale.values[i]!) + ABSOLUTE_FLOOR;
    const ratio = Math.abs(actual.values[i]! - expected.values[i]!) / allowed;
    if (!(ratio <= worst)) {
      worst = ratio;
      worstIndex = i;
    }
  }
  expect(
    worst,
    `${label}: element ${worstIndex} wasm=${actual.values[worstIndex]} cpu=${expected.values[worstIndex]} scale=${scale.values[worstIndex]}`,
  ).toBeLessThanOrEqual(1);
  return worst;
}

/** A seeded generator for one test file. */
export function testRng(label: string): Rng {
  let seed = 0;
  for (let i = 0; i < label.length; i++) seed = (Math.imul(seed, 31) + label.charCodeAt(i)) | 0;
  return createRng(seed);
}

/** Uniform integer in [low, high]. */
export function intBetween(rng: Rng, low: number, high: number): number {
  return low + Math.floor(rng() * (high - low + 1));
}

type Shape4 = [number, number, number, number];

/** A 2-D convolution's geometry, shapes in the case's data format (what the Conv2D gradient kernels take). */
export type ConvCase = {
  inputShape: Shape4;
  filterShape: Shape4;
  strides: [number, number];
  pad: tf.Conv2DBackpropFilterAttrs["pad"];
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
};

/**
 * A random convolution: the pad kind cycles with `index` (valid, same, a number, explicit), every fifth case is
 * NCHW, and some numeric pads name a rounding mode. Explicit pads go up to `outerPadMax` rows on the top and
 * columns on the right (up to 3 on the other sides).
 */
export function randomConvCase(rng: Rng, index: number, outerPadMax: number): ConvCase {
  const batch = intBetween(rng, 1, 3);
  const height = intBetween(rng, 3, 11);
  const width = intBetween(rng, 3, 11);
  const inChannels = intBetween(rng, 1, 4);
  const outChannels = intBetween(rng, 1, 5);
  const kh = intBetween(rng, 1, Math.min(5, height));
  const kw = intBetween(rng, 1, Math.min(5, width));
  const strides: [number, number] = [intBetween(rng, 1, 3), intBetween(rng, 1, 3)];
  const padKinds = ["valid", "same", "number", "explicit"] as const;
  const kind = padKinds[index % padKinds.length]!;
  let pad: ConvCase["pad"] = kind === "valid" || kind === "same" ? kind : intBetween(rng, 0, 2);
  if (kind === "explicit") {
    pad = [
      [0, 0],
      [intBetween(rng, 0, outerPadMax), intBetween(rng, 0, 3)],
      [intBetween(rng, 0, 3), intBetween(rng, 0, outerPadMax)],
      [0, 0],
    ];
  }
  const dataFormat = index % 5 === 4 ? "NCHW" : "NHWC";
  const inputShape: Shape4 = dataFormat === "NHWC" ? [batch, height, width, inChannels] : [batch, inChannels, height, width];
  if (dataFormat === "NCHW" && Array.isArray(pad)) {
    // Explicit padding is given in data-format order: [N, C, H, W].
    pad = [pad[0]!, pad[3]!, pad[1]!, pad[2]!] as ConvCase["pad"];
  }
  const dimRoundingMode = kind === "number" && index % 3 === 0 ? (["floor", "round", "ceil"] as const)[Math.floor((index % 9) / 3)] : undefined;
  return { inputShape, filterShape: [kh, kw, inChannels, outChannels], strides, pad, dataFormat, ...(dimRoundingMode ? { dimRoundingMode } : {}) };
}

/** The forward output shape of a case, in the case's data format (the shape of dy). */
export function convOutputShape(c: ConvCase): Shape4 {
  const format = c.dataFormat === "NHWC" ? "channelsLast" : "channelsFirst";
  const info = tf.backend_util.computeConv2DInfo(c.inputShape, c.filterShape, c.strides, 1, c.pad, c.dimRoundingMode, false, format);
  return info.outShape;
}

/**
 * A Conv2D gradient kernel of a case, as a function of its two inputs: the filter's gradient from (x, dy), or the
 * input's gradient from (dy, filter).
 */
export function convGradient(kernel: "Conv2DBackpropFilter" | "Conv2DBackpropInput", c: ConvCase) {
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: c.dataFormat, dimRoundingMode: c.dimRoundingMode };
  return ([first, second]: tf.Tensor[]) =>
    (kernel === "Conv2DBackpropFilter"
      ? tf.engine().runKernel(kernel, { x: first!, dy: second! }, { ...attrs, filterShape: c.filterShape } as unknown as tf.NamedAttrMap)
      : tf.engine().runKernel(kernel, { dy: first!, filter: second! }, { ...attrs, inputShape: c.inputShape } as unknown as tf.NamedAttrMap)) as tf.Tensor;
}
