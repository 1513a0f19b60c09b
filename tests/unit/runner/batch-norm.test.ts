/**
 * The ResNets' batch normalization (lib/runner/models/batch-norm.ts): on tensorflow, training goes through
 * TensorFlow's fused kernels and must agree with tfjs-layers' composition (to float32 rounding: the order of
 * operations differs) in output, gradients and moving statistics, and be deterministic; elsewhere it is
 * tfjs-layers' layer, bit for bit. The tensorflow cases are skipped, named "[tensorflow]", where it is not installed.
 */
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it, vi } from "vitest";
import { initBackend, tensorflowInstallStatus, type BackendName } from "@/lib/runner/backend";
import { batchNormalization, fusedBatchNormTraining } from "@/lib/runner/models/batch-norm";
import { createRng } from "@/lib/stats/random";

const installed = tensorflowInstallStatus().installed;

function seeded(seed: number, shape: number[]): tf.Tensor {
  const rng = createRng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 4 - 1.5), shape);
}

/** Output, moving statistics after one training call, and gradients of a weighted sum w.r.t. input, gamma and beta. */
async function trainingCall(backend: BackendName, layerFactory: (config: { name: string }) => tf.layers.Layer) {
  await initBackend(backend);
  const x = seeded(1, [4, 5, 5, 3]);
  const weights = seeded(2, [4, 5, 5, 3]);
  const layer = layerFactory({ name: `bn_test_${backend}` });
  layer.build([null, 5, 5, 3]);
  layer.setWeights([seeded(3, [3]), seeded(4, [3]), tf.zeros([3]), tf.ones([3])]);
  const [gamma, beta] = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const loss = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, weights)) as tf.Scalar;
  const { value, grads } = tf.variableGrads(() => loss(x), [gamma!, beta!]);
  const dx = tf.grad((input: tf.Tensor) => loss(input))(x);
  const result = {
    loss: (await value.data())[0]!,
    output: Array.from(await (layer.apply(x, { training: true }) as tf.Tensor).data()),
    dx: Array.from(await dx.data()),
    dGamma: Array.from(await grads[gamma!.name]!.data()),
    dBeta: Array.from(await grads[beta!.name]!.data()),
    moving: await Promise.all(layer.getWeights().slice(2).map(async (w) => Array.from(await w.data()))),
  };
  // Not layer.dispose(): tfjs-layers refuses to dispose a layer never applied to a symbolic input.
  tf.dispose(layer.weights.map((w) => w.read()));
  return result;
}

function expectClose(actual: number[], expected: number[], tolerance: number) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, index) => expect(Math.abs(value - expected[index]!)).toBeLessThanOrEqual(tolerance * (1 + Math.abs(expected[index]!))));
}

describe("ResNet batch normalization", () => {
  it("is tfjs-layers' own layer, bit for bit, on wasm", async () => {
    const ours = await trainingCall("wasm", batchNormalization);
    const stock = await trainingCall("wasm", (config) => tf.layers.batchNormalization(config));
    expect(ours).toEqual(stock);
  });

  it.skipIf(!installed)("[tensorflow] trains through the fused kernels, agreeing with tfjs-layers to float32 rounding", async () => {
    await initBackend("tensorflow");
    const spy = vi.spyOn(tf.backend() as unknown as { executeMultipleOutputs: (name: string) => unknown }, "executeMultipleOutputs");
    const fused = await trainingCall("tensorflow", batchNormalization);
    const names = spy.mock.calls.map((call) => call[0]);
    expect(names.filter((name) => name === "FusedBatchNorm").length).toBeGreaterThanOrEqual(2);
    expect(names).toContain("FusedBatchNormGrad");
    spy.mockRestore();
    const stock = await trainingCall("tensorflow", (config) => tf.layers.batchNormalization(config));
    expectClose(fused.output, stock.output, 1e-5);
    expectClose(fused.dx, stock.dx, 1e-4);
    expectClose(fused.dGamma, stock.dGamma, 1e-4);
    expectClose(fused.dBeta, stock.dBeta, 1e-5);
    // The second training call in trainingCall moved the statistics twice in both.
    expectClose(fused.moving.flat(), stock.moving.flat(), 1e-5);
    // Deterministic: the same call twice gives the same bits.
    expect(await trainingCall("tensorflow", batchNormalization)).toEqual(fused);
  });

  it.skipIf(!installed)("[tensorflow] leaves no tensors behind", async () => {
    await initBackend("tensorflow");
    const x = seeded(5, [2, 3, 3, 4]) as tf.Tensor4D;
    const scale = tf.ones([4]) as tf.Tensor1D;
    const offset = tf.zeros([4]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    const dx = tf.grad((input: tf.Tensor) => tf.tidy(() => {
      const out = fusedBatchNormTraining(input as tf.Tensor4D, scale, offset, 1e-3);
      tf.dispose([out.mean, out.variance]);
      return tf.sum(out.normalised);
    }))(x);
    dx.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, scale, offset]);
  });
});
