/**
 * FlatAdamOptimizer (lib/runner/flat-adam.ts) must train to exactly the bits tf.train.adam gives: same weights,
 * same saved moments, on the wasm backend and on tensorflow (where the runner uses it). The tensorflow cases are
 * skipped, named "[tensorflow]", where that backend is not installed.
 */
import { createHash } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend, tensorflowInstallStatus, type BackendName } from "@/lib/runner/backend";
import { FlatAdamOptimizer, createAdam } from "@/lib/runner/flat-adam";
import { buildModel } from "@/lib/runner/models";
import { createRng, deriveSeed } from "@/lib/stats/random";

const installed = tensorflowInstallStatus().installed;

async function hashOf(tensors: tf.Tensor[]): Promise<string> {
  const hash = createHash("sha256");
  for (const tensor of tensors) {
    hash.update(JSON.stringify(tensor.shape));
    hash.update(Buffer.from((await tensor.data<"float32">()).buffer));
  }
  return hash.digest("hex");
}

/** Trains a seeded ResNet-8 (convolutions, batch norm, dense: 30-odd variables) and hashes weights and moments. */
async function train(backend: BackendName, makeOptimizer: () => tf.Optimizer, steps: number) {
  await initBackend(backend);
  const seed = 4242;
  const model = buildModel({
    architecture: "resnet8",
    inputShape: [32, 32, 3],
    numClasses: 10,
    initSeed: deriveSeed(seed, "init"),
    dropoutSeed: deriveSeed(seed, "dropout"),
  });
  const optimizer = makeOptimizer();
  model.compile({ optimizer, loss: "categoricalCrossentropy" });
  for (let step = 0; step < steps; step++) {
    const rng = createRng(deriveSeed(seed, "batch", step));
    const xs = tf.tensor4d(Float32Array.from({ length: 4 * 32 * 32 * 3 }, () => rng() * 2 - 1), [4, 32, 32, 3]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from({ length: 4 }, () => Math.floor(rng() * 10)), "int32"), 10));
    await model.trainOnBatch(xs, ys);
    tf.dispose([xs, ys]);
  }
  const weights = await hashOf(model.getWeights());
  const saved = await optimizer.getWeights();
  // Layer names carry a per-process counter (conv_1, then conv_26 for the next model): compared without it.
  const moments = { names: saved.slice(1).map((entry) => entry.name.replace(/_\d+/g, "")), hash: await hashOf(saved.slice(1).map((entry) => entry.tensor)) };
  tf.dispose(saved.map((entry) => entry.tensor));
  model.dispose();
  optimizer.dispose();
  return { weights, moments };
}

describe("FlatAdamOptimizer", () => {
  it("trains to the same bits as tf.train.adam and saves the same moments (wasm backend)", async () => {
    const stock = await train("wasm", () => tf.train.adam(0.01), 3);
    const flat = await train("wasm", () => new FlatAdamOptimizer(0.01), 3);
    expect(flat).toEqual(stock);
  });

  it("restores saved moments so that training continues identically", async () => {
    await initBackend("cpu");
    const variable = tf.variable(tf.tensor1d([0.5, -1, 2]), true, "restore-test/w");
    const loss = () => tf.sum(tf.square(tf.sub(variable, tf.tensor1d([1, 2, 3])))) as tf.Scalar;
    const first = new FlatAdamOptimizer(0.1);
    first.minimize(loss);
    const saved = await first.getWeights();
    const second = new FlatAdamOptimizer(0.1);
    await second.setWeights(saved);
    const copy = variable.clone();
    first.minimize(loss);
    const afterFirst = Array.from(await variable.data());
    variable.assign(copy);
    second.minimize(loss);
    expect(Array.from(await variable.data())).toEqual(afterFirst);
    tf.dispose([variable, copy, ...saved.map((entry) => entry.tensor)]);
    first.dispose();
    second.dispose();
  });

  it.skipIf(!installed)("[tensorflow] trains to the same bits as tf.train.adam, and createAdam picks it there", async () => {
    await initBackend("tensorflow");
    // Not toBeInstanceOf: tfjs's Optimizer answers instanceof by duck typing, true for every optimizer.
    expect(createAdam(0.001).constructor).toBe(FlatAdamOptimizer);
    const stock = await train("tensorflow", () => tf.train.adam(0.01), 3);
    const flat = await train("tensorflow", () => new FlatAdamOptimizer(0.01), 3);
    expect(flat).toEqual(stock);
    await initBackend("cpu");
    expect(createAdam(0.001).constructor).toBe(tf.AdamOptimizer);
  });
});
