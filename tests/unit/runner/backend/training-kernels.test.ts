/**
 * Re-derives the kernels that training the runner's networks uses (by profiling real training) and
 * checks that TRAINING_KERNELS lists them and the wasm backend has them all. Kernel names are chosen
 * by the ops, not the backend, so profiling on wasm lists the same names as on cpu, much faster; a
 * kernel wasm lacked would make the training throw "not registered", failing the test with its name.
 */
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { findMissingTrainingKernels, initBackend, TRAINING_KERNELS } from "@/lib/runner/backend";
import { buildModel, type Architecture } from "@/lib/runner/models";

/** Kernel names run by one fit + evaluate + predict; tf.profile also lists op scopes ("name__op"). */
async function kernelsRunBy(architecture: Architecture, optimizer: tf.Optimizer, shape: [number, number, number]): Promise<string[]> {
  const info = await tf.profile(async () => {
    const model = buildModel({ architecture, inputShape: shape, numClasses: 10, initSeed: 1, dropoutSeed: 2, dropoutRate: 0.3 });
    model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    const xs = tf.randomUniform([4, ...shape], 0, 1, "float32", 3);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3], "int32"), 10);
    await model.fit(xs, ys, { batchSize: 2, epochs: 1, verbose: 0, shuffle: false, validationData: [xs, ys] });
    tf.dispose([model.predict(xs) as tf.Tensor, model.evaluate(xs, ys) as tf.Scalar[]]);
    model.dispose();
    tf.dispose([xs, ys]);
  });
  return info.kernelNames.filter((name) => !name.endsWith("__op"));
}

describe("kernels needed for training", () => {
  it("are all listed in TRAINING_KERNELS and all available on wasm after initBackend", async () => {
    await initBackend("wasm");
    const used = new Set<string>();
    const runs: Array<[Architecture, () => tf.Optimizer, [number, number, number]]> = [
      ["lenet1", () => tf.train.sgd(0.01), [28, 28, 1]],
      ["lenet5", () => tf.train.momentum(0.01, 0.9), [28, 28, 1]],
      ["resnet8", () => tf.train.adam(1e-3), [32, 32, 3]],
    ];
    for (const [architecture, optimizer, shape] of runs) {
      for (const name of await kernelsRunBy(architecture, optimizer(), shape)) used.add(name);
    }
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((name) => !TRAINING_KERNELS.includes(name))).toEqual([]);
    expect(findMissingTrainingKernels("wasm", [...used])).toEqual([]);
    expect(findMissingTrainingKernels("wasm")).toEqual([]);
  });

  it("findMissingTrainingKernels reports kernels a backend lacks", async () => {
    await initBackend("wasm");
    expect(findMissingTrainingKernels("wasm", ["Conv2D", "NoSuchKernel"])).toEqual(["NoSuchKernel"]);
  });
});
