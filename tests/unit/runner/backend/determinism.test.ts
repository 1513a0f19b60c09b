/**
 * Determinism on the default backend: the same seed and data give bit-identical weights, in the
 * main thread and in worker threads training side by side.
 */
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { trainSteps, type TrainStepsOptions, type TrainStepsResult } from "./fixtures/train-steps";

const BOOTSTRAP = new URL("./fixtures/tsx-worker-bootstrap.mjs", import.meta.url);
const ENTRY = new URL("./fixtures/train-worker.ts", import.meta.url).href;

function trainInWorker(options: TrainStepsOptions[]): Promise<TrainStepsResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY, options }, stdout: true });
    worker.once("message", (message: { ok: true; results: TrainStepsResult[] } | { ok: false; error: string }) => {
      void worker.terminate();
      if (message.ok) resolve(message.results);
      else reject(new Error(message.error));
    });
    worker.once("error", reject);
  });
}

const lenet5: TrainStepsOptions = { backend: "wasm", architecture: "lenet5", seed: 7, steps: 3, batchSize: 16 };
const resnet8: TrainStepsOptions = { backend: "wasm", architecture: "resnet8", seed: 7, steps: 2, batchSize: 8 };

describe("fixed-seed training on the wasm backend", () => {
  it("gives bit-identical weights when repeated, and different weights for another seed", async () => {
    const first = await trainSteps(lenet5);
    const second = await trainSteps(lenet5);
    const otherSeed = await trainSteps({ ...lenet5, seed: 8 });
    expect(first.backend).toMatchObject({ name: "wasm", threads: 1, deterministic: true });
    expect(second.weightsSha256).toBe(first.weightsSha256);
    expect(otherSeed.weightsSha256).not.toBe(first.weightsSha256);
  });

  it("leaks no tensors: the count returns to its baseline after a run (LeNet-5 and ResNet-8)", async () => {
    for (const options of [lenet5, resnet8]) {
      const result = await trainSteps(options);
      expect(result.tensorsAfter, options.architecture).toBe(result.tensorsBefore);
    }
  });

  it("is bit-identical in two worker threads running in parallel and in the main thread", async () => {
    const list = [lenet5, resnet8];
    const inWorkers = await Promise.all([trainInWorker(list), trainInWorker(list)]);
    for (const [index, options] of list.entries()) {
      const inMain = await trainSteps(options);
      for (const results of inWorkers) {
        expect(results[index]!.backend).toMatchObject({ name: "wasm", threads: 1 });
        expect(results[index]!.weightsSha256, options.architecture).toBe(inMain.weightsSha256);
      }
    }
  });
});
