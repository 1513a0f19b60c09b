import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { getShippedWasmKernel, REPLACED_WASM_KERNELS } from "@/lib/runner/backend/kernels/register";
import { initBackend } from "@/lib/runner/backend";
import { tileInto } from "@/lib/runner/backend/kernels/tile";
import {
  absolute,
  expectWithinTolerance,
  intBetween,
  randomHostTensor,
  runOn,
  testRng,
  type HostTensor,
} from "./compare-backends";

type Pad = tf.Conv2DBackpropInputAttrs["pad"];
type InputCase = {
  inputShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
};

function backpropInput(c: InputCase) {
  return ([dy, filter]: tf.Tensor[]) =>
    tf.engine().runKernel("Conv2DBackpropInput", { dy: dy!, filter: filter! }, {
      strides: c.strides,
      pad: c.pad,
      dataFormat: c.dataFormat,
      dimRoundingMode: c.dimRoundingMode,
      inputShape: c.inputShape,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

function randomInputCase(rng: () => number, index: number): InputCase {
  const [batch, height, width] = [intBetween(rng, 1, 3), intBetween(rng, 3, 11), intBetween(rng, 3, 11)];
  const [inChannels, outChannels] = [intBetween(rng, 1, 4), intBetween(rng, 1, 5)];
  const kh = intBetween(rng, 1, Math.min(5, height));
  const kw = intBetween(rng, 1, Math.min(5, width));
  const kind = (["valid", "same", "number", "explicit"] as const)[index % 4]!;
  let pad: Pad = kind === "valid" || kind === "same" ? kind : intBetween(rng, 0, 2);
  if (kind === "explicit") {
    // Up to 6 rows of padding, more than kh-1, to exercise dy entries that fall outside the spread.
    pad = [[0, 0], [intBetween(rng, 0, 6), intBetween(rng, 0, 3)], [intBetween(rng, 0, 3), intBetween(rng, 0, 6)], [0, 0]];
  }
  const dataFormat = index % 5 === 4 ? "NCHW" : "NHWC";
  if (dataFormat === "NCHW" && Array.isArray(pad)) pad = [pad[0]!, pad[3]!, pad[1]!, pad[2]!] as Pad;
  const inputShape: InputCase["inputShape"] =
    dataFormat === "NHWC" ? [batch, height, width, inChannels] : [batch, inChannels, height, width];
  const dimRoundingMode = kind === "number" && index % 3 === 0 ? (["floor", "round", "ceil"] as const)[Math.floor((index % 9) / 3)] : undefined;
  return {
    inputShape,
    filterShape: [kh, kw, inChannels, outChannels],
    strides: [intBetween(rng, 1, 3), intBetween(rng, 1, 3)],
    pad,
    dataFormat,
    ...(dimRoundingMode ? { dimRoundingMode } : {}),
  };
}

describe("replaced wasm kernels match the cpu backend", () => {
  it("lists the kernels it replaces and keeps the shipped ones reachable", async () => {
    await initBackend("wasm");
    expect(REPLACED_WASM_KERNELS).toEqual(["BatchMatMul", "Conv2D", "Conv2DBackpropInput", "MaxPoolGrad", "Sum", "Tile"]);
    for (const name of REPLACED_WASM_KERNELS) {
      expect(getShippedWasmKernel(name)?.kernelFunc).not.toBe(tf.getKernel(name, "wasm")?.kernelFunc);
    }
  });

  it("Conv2DBackpropInput on 40 random shapes, strides, paddings and data formats", async () => {
    const rng = testRng("conv2d-backprop-input");
    for (let index = 0; index < 40; index++) {
      const c = randomInputCase(rng, index);
      const format = c.dataFormat === "NHWC" ? "channelsLast" : "channelsFirst";
      const info = tf.backend_util.computeConv2DInfo(c.inputShape, c.filterShape, c.strides, 1, c.pad, c.dimRoundingMode, false, format);
      const dy = randomHostTensor(rng, info.outShape);
      const filter = randomHostTensor(rng, c.filterShape);
      const expected = await runOn("cpu", [dy, filter], backpropInput(c));
      const scale = await runOn("cpu", [absolute(dy), absolute(filter)], backpropInput(c));
      const actual = await runOn("wasm", [dy, filter], backpropInput(c));
      expectWithinTolerance(actual, expected, scale, `case ${index} ${JSON.stringify(c)}`);
    }
  });

  it("Conv2DBackpropInput: the tolerance rejects a gradient with the padding on the wrong side (the check can fail)", async () => {
    const rng = testRng("conv2d-backprop-input-negative");
    const right: InputCase = { inputShape: [1, 6, 6, 2], filterShape: [3, 3, 2, 2], strides: [2, 2], pad: "same", dataFormat: "NHWC" };
    const wrong: InputCase = { ...right, pad: [[0, 0], [1, 0], [1, 0], [0, 0]] };
    const dy = randomHostTensor(rng, [1, 3, 3, 2]);
    const filter = randomHostTensor(rng, right.filterShape);
    const expected = await runOn("cpu", [dy, filter], backpropInput(right));
    const scale = await runOn("cpu", [absolute(dy), absolute(filter)], backpropInput(right));
    const actual = await runOn("wasm", [dy, filter], backpropInput(wrong));
    expect(() => expectWithinTolerance(actual, expected, scale, "wrong padding")).toThrow();
  });

  it("BatchMatMul with every transpose combination, batched and broadcast", async () => {
    const rng = testRng("batch-mat-mul");
    for (let index = 0; index < 24; index++) {
      const transposeA = index % 2 === 1;
      const transposeB = index % 4 >= 2;
      const [m, k, n] = [intBetween(rng, 1, 9), intBetween(rng, 1, 9), intBetween(rng, 1, 9)];
      const batch = index < 8 ? [] : index < 16 ? [intBetween(rng, 1, 3)] : [2, 1];
      const batchB = index < 16 ? batch : [1, 3];
      const a = randomHostTensor(rng, [...batch, ...(transposeA ? [k, m] : [m, k])]);
      const b = randomHostTensor(rng, [...batchB, ...(transposeB ? [n, k] : [k, n])]);
      const matMul = ([x, y]: tf.Tensor[]) => tf.matMul(x!, y!, transposeA, transposeB);
      const expected = await runOn("cpu", [a, b], matMul);
      const scale = await runOn("cpu", [absolute(a), absolute(b)], matMul);
      const actual = await runOn("wasm", [a, b], matMul);
      expectWithinTolerance(actual, expected, scale, `matMul ${index} ta=${transposeA} tb=${transposeB} a=[${a.shape}] b=[${b.shape}]`);
    }
  });

  it("Tile is an exact copy (float32 and int32, ranks 1-5, zero and one repetitions)", async () => {
    const rng = testRng("tile");
    for (let index = 0; index < 30; index++) {
      const rank = 1 + (index % 5);
      const shape = Array.from({ length: rank }, () => intBetween(rng, 1, 4));
      const reps = Array.from({ length: rank }, () => intBetween(rng, index === 7 ? 0 : 1, 3));
      const input: HostTensor = randomHostTensor(rng, shape);
      const tile = ([x]: tf.Tensor[]) => tf.tile(x!, reps);
      const expected = await runOn("cpu", [input], tile);
      const actual = await runOn("wasm", [input], tile);
      expect(actual.shape, `tile ${index}`).toEqual(expected.shape);
      expect(Array.from(actual.values), `tile ${index} shape=[${shape}] reps=[${reps}]`).toEqual(Array.from(expected.values));
    }
    await initBackend("wasm");
    const ints = tf.tensor2d([1, 2, 3, 4], [2, 2], "int32");
    expect(await tf.tile(ints, [2, 3]).array()).toEqual([
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
    ]);
    ints.dispose();
  });

  it("tileInto broadcasts a per-channel vector to a batch the way BatchNormalization's gradient does", () => {
    const channels = Float32Array.from([1, 2, 3]);
    const out = new Float32Array(2 * 2 * 2 * 3);
    tileInto(channels, [1, 1, 1, 3], [2, 2, 2, 1], out);
    expect(Array.from(out)).toEqual(Array.from({ length: 8 }, () => [1, 2, 3]).flat());
  });
});
