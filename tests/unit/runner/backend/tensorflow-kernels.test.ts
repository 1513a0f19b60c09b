/**
 * Our replacement of tfjs-node's Step kernel (lib/runner/backend/kernels/tensorflow-step.ts): tfjs's definition
 * exactly, NaN included, so that training on tensorflow gives the same bits as with the kernel it replaces.
 * Skipped, named "[tensorflow]", where the backend is not installed.
 */
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend, tensorflowInstallStatus } from "@/lib/runner/backend";
import { randomHostTensor, testRng } from "./compare-backends";

const installed = tensorflowInstallStatus().installed;

/** tfjs's Step: x > 0 ? 1 : alpha, and NaN stays NaN. */
const reference = (x: number, alpha: number) => (Number.isNaN(x) ? Number.NaN : x > 0 ? 1 : alpha);

describe.skipIf(!installed)("[tensorflow] replaced Step kernel", () => {
  it("is recorded as replaced and computes tfjs's Step exactly, for alpha 0 and 0.2, with NaN, ±0 and ±Infinity", async () => {
    const info = await initBackend("tensorflow");
    expect(info.addedKernels).toEqual(["Step"]);
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
