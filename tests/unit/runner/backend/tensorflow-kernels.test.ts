/**
 * Our replacements of tfjs-node's kernels (lib/runner/backend/kernels/tensorflow-*.ts): Step exactly as tfjs
 * defines it, NaN included; ReLU's gradient and 2×2 max pooling with the bits of the kernels they replace.
 * Skipped, named "[tensorflow]", where the backend is not installed.
 */
import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend, tensorflowInstallStatus } from "@/lib/runner/backend";
import { TFJS_NODE_PACKAGE } from "@/lib/runner/backend/tensorflow-install";
import { randomHostTensor, testRng } from "./compare-backends";

const installed = tensorflowInstallStatus().installed;
const require = createRequire(import.meta.url);

/** tfjs's Step: x > 0 ? 1 : alpha, and NaN stays NaN. */
const reference = (x: number, alpha: number) => (Number.isNaN(x) ? Number.NaN : x > 0 ? 1 : alpha);

describe.skipIf(!installed)("[tensorflow] replaced Step kernel", () => {
  it("is recorded as replaced and computes tfjs's Step exactly, for alpha 0 and 0.2, with NaN, ±0 and ±Infinity", async () => {
    const info = await initBackend("tensorflow");
    expect(info.addedKernels).toEqual(["Step", "MaxPool", "MaxPoolGrad", "Reshape", "Transpose", "Sum", "Mean", "Max"]);
    const special = [Number.NaN, 0, -0, 1e-30, -1e-30, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const random = Array.from(randomHostTensor(testRng("step"), [200]).values);
    const values = Float32Array.from([...special, ...random]);
    for (const alpha of [0, 0.2]) {
      const x = tf.tensor2d(values, [values.length / 1, 1]);
      const out = tf.step(x, alpha);
      const actual = Array.from(await out.data());
      expect(out.shape).toEqual(x.shape);
      expect(actual).toEqual(Array.from(values, (value) => Math.fround(reference(value, alpha))));
      tf.dispose([x, out]);
    }
  });

  it("gives ReLU's gradient, the way training calls it, identical to the cpu backend", async () => {
    const host = randomHostTensor(testRng("relu-grad"), [4, 7, 7, 3]);
    const gradient = async (backend: "cpu" | "tensorflow") => {
      await initBackend(backend);
      const x = tf.tensor(host.values, host.shape);
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), tf.range(0, v.size).reshape(v.shape))))(x);
      const values = Array.from(await dx.data());
      tf.dispose([x, dx]);
      return values;
    };
    expect(await gradient("tensorflow")).toEqual(await gradient("cpu"));
  });
});

describe.skipIf(!installed)("[tensorflow] ReLU's gradient in one op (kernels/tensorflow-relu-grad.ts)", () => {
  it("gives the same bits as tfjs's dy · step(x), signed zeros included, and NaN only where x is NaN", async () => {
    await initBackend("tensorflow");
    const special = [0, -0, 1e-30, -1e-30, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3, -3];
    const xValues = Float32Array.from([...special, ...Array.from(randomHostTensor(testRng("relu-x"), [300]).values)]);
    const dyValues = Float32Array.from({ length: xValues.length }, (_, i) => (i % 3 === 0 ? -1 : 1) * (randomHostTensor(testRng(`dy${i}`), [1]).values[0] ?? 1));
    const x = tf.tensor1d(xValues);
    const dy = tf.tensor1d(dyValues);
    const ours = tf.grad((v: tf.Tensor) => tf.relu(v))(x, dy);
    const reference = tf.mul(dy, tf.cast(tf.step(x), "float32"));
    const bits = async (t: tf.Tensor) => Array.from(new Uint32Array((await t.data<"float32">()).slice().buffer));
    expect(await bits(ours)).toEqual(await bits(reference));
    tf.dispose([x, dy, ours, reference]);
  });

  it("leaves other backends on tfjs's gradient", async () => {
    await initBackend("tensorflow");
    await initBackend("cpu");
    const x = tf.tensor1d([Number.NaN, 1, -1]);
    const dx = tf.grad((v: tf.Tensor) => tf.relu(v))(x);
    expect(Array.from(await dx.data())).toEqual([Number.NaN, 1, 0]);
    tf.dispose([x, dx]);
  });
});

describe.skipIf(!installed)("[tensorflow] 2×2 max pooling in our WebAssembly kernel (kernels/tensorflow-max-pool.ts)", () => {
  type RawBackend = {
    binding: { TF_ATTR_INT: number; TF_ATTR_STRING: number };
    executeSingleOutput(name: string, opAttrs: unknown[], inputs: tf.TensorInfo[]): tf.Tensor;
  };
  const bits = async (t: tf.Tensor) => Array.from(new Uint32Array((await t.data<"float32">()).slice().buffer));

  /** TensorFlow's own kernel, called by op name as tfjs-node's kernels do. */
  function tensorflowOp(name: "MaxPool" | "MaxPoolGrad", inputs: tf.Tensor[]): tf.Tensor {
    const backend = tf.backend() as unknown as RawBackend;
    const { createTensorsTypeOpAttr } = require(`${TFJS_NODE_PACKAGE}/dist/nodejs_kernel_backend`) as {
      createTensorsTypeOpAttr(attrName: string, dtype: tf.DataType): unknown;
    };
    const attrs = [
      createTensorsTypeOpAttr("T", "float32"),
      { name: "ksize", type: backend.binding.TF_ATTR_INT, value: [1, 2, 2, 1] },
      { name: "strides", type: backend.binding.TF_ATTR_INT, value: [1, 2, 2, 1] },
      { name: "padding", type: backend.binding.TF_ATTR_STRING, value: "VALID" },
      { name: "data_format", type: backend.binding.TF_ATTR_STRING, value: "NHWC" },
    ];
    return backend.executeSingleOutput(name, attrs, inputs);
  }

  /** Values with many ties: ReLU'd and rounded to quarters, signed zeros and negatives among them. */
  function tiedValues(label: string, size: number): Float32Array {
    const random = randomHostTensor(testRng(label), [size]).values;
    return random.map((v, i) => (i % 7 === 0 ? -0 : i % 5 === 0 ? Math.round(v * 4) / 4 : Math.max(0, Math.round(v * 4) / 4)));
  }

  for (const shape of [
    [64, 28, 28, 6],
    [3, 9, 7, 5],
  ] as [number, number, number, number][]) {
    it(`gives TensorFlow's forward and gradient bits on ${shape.join("×")}, ties included`, async () => {
      await initBackend("tensorflow");
      const x = tf.tensor4d(tiedValues(`pool-x-${shape.join("x")}`, tf.util.sizeFromShape(shape)), shape);
      const y = tf.maxPool(x, 2, 2, "valid");
      const reference = tensorflowOp("MaxPool", [x]);
      expect(y.shape).toEqual(reference.shape);
      expect(await bits(y)).toEqual(await bits(reference));

      const dy = tf.tensor(randomHostTensor(testRng(`pool-dy-${shape.join("x")}`), y.shape).values, y.shape);
      const dx = tf.grad((v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, 2, 2, "valid"))(x, dy);
      const referenceDx = tensorflowOp("MaxPoolGrad", [x, reference, dy]);
      expect(await bits(dx)).toEqual(await bits(referenceDx));
      tf.dispose([x, y, reference, dy, dx, referenceDx]);
    });
  }

  it("leaves other poolings to TensorFlow ('same' padding, 3×3 windows) with the cpu backend's results", async () => {
    const host = randomHostTensor(testRng("pool-other"), [2, 7, 7, 3]);
    const pooled = async (backend: "cpu" | "tensorflow") => {
      await initBackend(backend);
      const x = tf.tensor4d(host.values, host.shape as [number, number, number, number]);
      const values = [
        ...(await tf.maxPool(x, 2, 2, "same").data()),
        ...(await tf.maxPool(x, 3, 2, "valid").data()),
        ...(await tf.grad((v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, 3, 1, "same"))(x).data()),
      ];
      x.dispose();
      return values;
    };
    expect(await pooled("tensorflow")).toEqual(await pooled("cpu"));
  });
});

describe.skipIf(!installed)("[tensorflow] kept shape and axis operands (kernels/tensorflow-constant-inputs.ts)", () => {
  type RawBackend = { executeSingleOutput(name: string, opAttrs: unknown[], inputs: tf.TensorInfo[]): tf.Tensor; createReductionOpAttrs(x: tf.TensorInfo, keepDims: boolean): unknown[] };
  const bits = async (t: tf.Tensor) => Array.from(new Uint32Array((await t.data<"float32">()).slice().buffer));

  /** A reduction the way tfjs-node's own kernel runs it: a new axis tensor for the call. */
  function tensorflowReduction(name: "Sum" | "Mean" | "Max", x: tf.Tensor, axes: number[], keepDims: boolean): tf.Tensor {
    const backend = tf.backend() as unknown as RawBackend;
    const axisTensor = tf.tensor1d(axes, "int32");
    const result = backend.executeSingleOutput(name, backend.createReductionOpAttrs(x, keepDims), [x, axisTensor]);
    axisTensor.dispose();
    return result;
  }

  it("reduces with TensorFlow's bits and reshapes and transposes exactly", async () => {
    await initBackend("tensorflow");
    const host = randomHostTensor(testRng("constant-inputs"), [4, 6, 5, 3]);
    const x = tf.tensor4d(host.values, host.shape as [number, number, number, number]);
    // undefined: all axes.
    for (const [axes, keepDims] of [[undefined, false], [[0, 1, 2], false], [[3], true], [[1], false]] as [number[] | undefined, boolean][]) {
      const all = axes ?? [0, 1, 2, 3];
      const pairs: [tf.Tensor, tf.Tensor][] = [
        [tf.sum(x, axes, keepDims), tensorflowReduction("Sum", x, all, keepDims)],
        [tf.mean(x, axes, keepDims), tensorflowReduction("Mean", x, all, keepDims)],
        [tf.max(x, axes, keepDims), tensorflowReduction("Max", x, all, keepDims)],
      ];
      for (const [ours, reference] of pairs) {
        expect(ours.shape).toEqual(reference.shape);
        expect(await bits(ours)).toEqual(await bits(reference));
      }
      tf.dispose(pairs.flat());
    }
    const reshaped = tf.reshape(x, [24, 15]);
    expect(reshaped.shape).toEqual([24, 15]);
    expect(Array.from(await reshaped.data())).toEqual(Array.from(host.values));
    const transposed = tf.transpose(x, [3, 0, 2, 1]);
    expect(transposed.shape).toEqual([3, 4, 5, 6]);
    expect(Array.from(await transposed.data())).toEqual(Array.from(await tf.transpose(tf.tensor4d(host.values, [4, 6, 5, 3]).arraySync() as unknown as tf.Tensor4D, [3, 0, 2, 1]).data()));
    tf.dispose([x, reshaped, transposed]);
  });

  it("stays right past its cache of 512 operands, and leaves no tensor behind", async () => {
    await initBackend("tensorflow");
    const before = tf.memory().numTensors;
    const x = tf.range(0, 1200, 1, "float32");
    for (let rows = 1; rows <= 600; rows++) {
      if (1200 % rows !== 0) continue;
      const reshaped = tf.reshape(x, [rows, 1200 / rows]);
      expect(reshaped.shape).toEqual([rows, 1200 / rows]);
      expect((await reshaped.data())[1199]).toBe(1199);
      reshaped.dispose();
    }
    for (let n = 1; n <= 600; n++) {
      const total = tf.tidy(() => tf.sum(tf.reshape(tf.slice(x, 0, n), [n, 1]), 0));
      expect((await total.data())[0]).toBe((n * (n - 1)) / 2);
      total.dispose();
    }
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
