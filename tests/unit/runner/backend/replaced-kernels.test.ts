import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { getShippedWasmKernel, REPLACED_WASM_KERNELS } from "@/lib/runner/backend/kernels/register";
import { initBackend } from "@/lib/runner/backend";
import { tileInto } from "@/lib/runner/backend/kernels/tile";
import {
  absolute,
  convGradient,
  convOutputShape,
  expectWithinTolerance,
  intBetween,
  randomConvCase,
  randomHostTensor,
  runOn,
  testRng,
  type ConvCase,
  type HostTensor,
} from "./compare-backends";

const backpropInput = (c: ConvCase) => convGradient("Conv2DBackpropInput", c);

describe("replaced wasm kernels match the cpu backend", () => {
  it("lists the kernels it replaces and keeps the shipped ones reachable", async () => {
    await initBackend("wasm");
    expect(REPLACED_WASM_KERNELS).toEqual(["BatchMatMul", "Conv2D", "Conv2DBackpropInput", "Identity", "MaxPoolGrad", "Sum", "Tile"]);
    for (const name of REPLACED_WASM_KERNELS) {
      expect(getShippedWasmKernel(name)?.kernelFunc).not.toBe(tf.getKernel(name, "wasm")?.kernelFunc);
    }
  });

  it("Conv2DBackpropInput on 40 random shapes, strides, paddings and data formats", async () => {
    const rng = testRng("conv2d-backprop-input");
    for (let index = 0; index < 40; index++) {
      // Up to 6 rows of explicit padding, more than kh-1, to exercise dy entries that fall outside the spread.
      const c = randomConvCase(rng, index, 6);
      const dy = randomHostTensor(rng, convOutputShape(c));
      const filter = randomHostTensor(rng, c.filterShape);
      const expected = await runOn("cpu", [dy, filter], backpropInput(c));
      const scale = await runOn("cpu", [absolute(dy), absolute(filter)], backpropInput(c));
      const actual = await runOn("wasm", [dy, filter], backpropInput(c));
      expectWithinTolerance(actual, expected, scale, `case ${index} ${JSON.stringify(c)}`);
    }
  });

  it("Conv2DBackpropInput: the tolerance rejects a gradient with the padding on the wrong side (the check can fail)", async () => {
    const rng = testRng("conv2d-backprop-input-negative");
    const right: ConvCase = { inputShape: [1, 6, 6, 2], filterShape: [3, 3, 2, 2], strides: [2, 2], pad: "same", dataFormat: "NHWC" };
    const wrong: ConvCase = { ...right, pad: [[0, 0], [1, 0], [1, 0], [0, 0]] };
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

  it("Identity shares the buffer: same values, the copy outlives its source, and the memory is freed with the last one", async () => {
    await initBackend("wasm");
    const before = tf.memory().numBytes;
    for (const dtype of ["float32", "int32", "bool"] as const) {
      const source = tf.tensor([1, 0, 3, 4], [2, 2], dtype);
      const copy = tf.clone(source);
      expect(copy.dataId).toBe(source.dataId);
      source.dispose();
      expect(copy.dtype).toBe(dtype);
      expect(await copy.array()).toEqual(dtype === "bool" ? [[1, 0], [1, 1]] : [[1, 0], [3, 4]]);
      copy.dispose();
    }
    expect(tf.memory().numBytes).toBe(before);
    const word = tf.clone(tf.tensor(["a", "b"]));
    expect(await word.array()).toEqual(["a", "b"]);
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
