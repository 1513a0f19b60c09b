/**
 * Gradient kernels that training relies on, checked against the cpu backend through tf.grads on
 * random shapes. Most are the wasm backend's own (AvgPoolGrad, the batch-norm gradient ops); a wrong
 * one would silently corrupt every run. This check is how the shipped MaxPoolGrad was found to drop
 * the gradient of all-negative windows; it now runs against our replacement.
 */
import * as tf from "@tensorflow/tfjs";
import { expect, it } from "vitest";
import { absolute, describeOnBackends, expectWithinTolerance, intBetween, randomHostTensor, runOn, testRng } from "./compare-backends";

describeOnBackends((backend) => `${backend} gradient kernels used in training match the cpu backend`, (backend) => {
  it("MaxPoolGrad and AvgPoolGrad on random shapes, pool sizes, strides and paddings", async () => {
    const rng = testRng("pool-grads");
    for (let index = 0; index < 24; index++) {
      const shape = [intBetween(rng, 1, 3), intBetween(rng, 2, 10), intBetween(rng, 2, 10), intBetween(rng, 1, 4)];
      const pool: [number, number] = [intBetween(rng, 1, Math.min(3, shape[1]!)), intBetween(rng, 1, Math.min(3, shape[2]!))];
      const strides: [number, number] = [intBetween(rng, 1, 3), intBetween(rng, 1, 3)];
      const pad = index % 2 === 0 ? "valid" : "same";
      const kind = index % 4 < 2 ? "max" : "avg";
      // tfjs's cpu reference divides the AvgPool gradient by the full window at 'same' borders while its forward
      // pass divides by the valid count (so does wasm); TensorFlow gets it right: checked separately below.
      if (backend === "tensorflow" && kind === "avg" && pad === "same") continue;
      const x = randomHostTensor(rng, shape);
      const forwardShape = tf.backend_util.computePool2DInfo(shape as [number, number, number, number], pool, strides, 1, pad).outShape;
      const dy = randomHostTensor(rng, forwardShape);
      // Gradient of sum(pool(x) * dy) with respect to x is the pooling gradient applied to dy.
      const gradient =
        (absoluteDy: boolean) =>
        ([input, upstream]: tf.Tensor[]) =>
          tf.grad((v: tf.Tensor) => {
            const pooled = kind === "max" ? tf.maxPool(v as tf.Tensor4D, pool, strides, pad) : tf.avgPool(v as tf.Tensor4D, pool, strides, pad);
            return tf.sum(tf.mul(pooled, absoluteDy ? tf.abs(upstream!) : upstream!));
          })(input!);
      const expected = await runOn("cpu", [x, dy], gradient(false));
      const scale = await runOn("cpu", [x, dy], gradient(true));
      const actual = await runOn(backend, [x, dy], gradient(false));
      expectWithinTolerance(actual, expected, scale, `${kind}Pool ${index} x=[${shape}] pool=[${pool}] strides=[${strides}] ${pad}`);
    }
  });

  it("MaxPoolGrad routes dy to the maximum of an all-negative window (regression: tfjs-backend-wasm 4.22 drops it)", async () => {
    const x = { values: Float32Array.from([-1, -1.5, -1.9, -1.3, -1.75, -1.2, -1.6, -1.05, -1.5, -1.9, -1.4, -1.8, -1.25, -1.7, -1.1, -1.6]), shape: [1, 4, 4, 1] };
    const gradient = ([input]: tf.Tensor[]) => tf.grad((v: tf.Tensor) => tf.sum(tf.maxPool(v as tf.Tensor4D, 2, 2, "valid")))(input!);
    const expected = await runOn("cpu", [x], gradient);
    const actual = await runOn(backend, [x], gradient);
    expect(Array.from(expected.values)).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0]);
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
  });

  if (backend === "tensorflow") {
    it("AvgPoolGrad with 'same' padding equals the finite-difference gradient at the borders", async () => {
      const x = { values: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), shape: [1, 3, 3, 1] };
      const gradient = ([input]: tf.Tensor[]) => tf.grad((v: tf.Tensor) => tf.sum(tf.avgPool(v as tf.Tensor4D, 2, 1, "same")))(input!);
      const actual = await runOn(backend, [x], gradient);
      // d/dx of the sum of 2x2 window means, each divided by the number of its pixels inside the image.
      const expected = [1 / 4, 2 / 4, 1 / 4 + 2 / 4, 2 / 4, 4 / 4, 2 / 4 + 4 / 4, 1 / 4 + 2 / 4, 2 / 4 + 4 / 4, 1 / 4 + 2 / 4 + 2 / 4 + 1];
      Array.from(actual.values).forEach((value, index) => expect(value, `element ${index}`).toBeCloseTo(expected[index]!, 6));
    });
  }

  it("batch-normalisation training gradients (moments, normalise, scale, shift) on random shapes", async () => {
    const rng = testRng("batch-norm-grads");
    for (let index = 0; index < 8; index++) {
      const shape = [intBetween(rng, 2, 4), intBetween(rng, 1, 5), intBetween(rng, 1, 5), intBetween(rng, 1, 6)];
      const channels = shape[3]!;
      const inputs = [randomHostTensor(rng, shape), randomHostTensor(rng, [channels]), randomHostTensor(rng, [channels]), randomHostTensor(rng, shape)];
      // The same computation tfjs-layers runs for BatchNormalization in training mode.
      const gradients = ([x, gamma, beta, dy]: tf.Tensor[]) => {
        const grads = tf.grads((v: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
          const { mean, variance } = tf.moments(v, [0, 1, 2]);
          const normalised = tf.batchNorm(v, mean, variance, b, g, 1e-3);
          return tf.sum(tf.mul(normalised, dy!));
        })([x!, gamma!, beta!]);
        return tf.concat(grads.map((g) => g.flatten()));
      };
      const expected = await runOn("cpu", inputs, gradients);
      const actual = await runOn(backend, inputs, gradients);
      // Non-linear in x, so the |inputs| trick does not bound the error; use the gradient magnitudes
      // with a looser 1e-3 factor (x is normalised by a variance computed in float32 on both sides).
      const magnitude = expected.values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const scale = { values: new Float32Array(expected.values.length).fill(100 * magnitude) };
      expectWithinTolerance(actual, expected, scale, `batchNorm ${index} x=[${shape}]`);
    }
  });

  it("dense-layer gradients through the replaced BatchMatMul, at LeNet-5's fc1 size", async () => {
    const rng = testRng("dense-grads");
    const x = randomHostTensor(rng, [16, 784]);
    const w = randomHostTensor(rng, [784, 120]);
    const dy = randomHostTensor(rng, [16, 120]);
    const gradients =
      (useAbs: boolean) =>
      ([input, weights, upstream]: tf.Tensor[]) => {
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a, b), useAbs ? tf.abs(upstream!) : upstream!)))([
          input!,
          weights!,
        ]);
        return tf.concat(grads.map((g) => g.flatten()));
      };
    const expected = await runOn("cpu", [x, w, dy], gradients(false));
    const scale = await runOn("cpu", [absolute(x), absolute(w), dy], gradients(true));
    const actual = await runOn(backend, [x, w, dy], gradients(false));
    expectWithinTolerance(actual, expected, scale, "dense gradients");
  });
});
