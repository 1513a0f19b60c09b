/**
 * The native tensorflow backend (@tensorflow/tfjs-node, installed by `npm run setup:tensorflow`):
 * determinism for a fixed intra-op thread count and oneDNN setting, provenance, and the once-per-process
 * rule for those options. Each case trains in fresh child processes, because TensorFlow fixes its options
 * when it is first loaded in a process.
 *
 * Where the backend is not installed every test here is skipped, and named "[tensorflow]" so that npm test's
 * summary can say so (scripts/lib/test-summary.mjs).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tensorflowInstallStatus } from "@/lib/runner/backend";
import type { TrainStepsOptions, TrainStepsResult } from "./fixtures/train-steps";

const status = tensorflowInstallStatus();
if (!status.installed) {
  console.warn(`[tensorflow] backend tests skipped: ${status.reason}`);
}

const ENTRY = path.join(import.meta.dirname, "fixtures", "train-process.ts");
const run = promisify(execFile);

/** Trains each options object in turn in one new process; returns the results or the process's error line. */
async function trainInProcess(list: TrainStepsOptions[]): Promise<TrainStepsResult[]> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", ENTRY, JSON.stringify(list)], {
    cwd: path.resolve(import.meta.dirname, "../../../.."),
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = JSON.parse(stdout.trim().split("\n").at(-1)!) as { results?: TrainStepsResult[]; error?: string };
  if (last.error !== undefined) throw new Error(last.error);
  return last.results!;
}

const tensorflow = { backend: "tensorflow" as const, threads: 1, onednn: true };
const lenet5: TrainStepsOptions = { backend: tensorflow, architecture: "lenet5", seed: 7, steps: 3, batchSize: 16 };
const resnet8: TrainStepsOptions = { backend: tensorflow, architecture: "resnet8", seed: 7, steps: 2, batchSize: 8 };

describe.skipIf(!status.installed)("[tensorflow] fixed-seed training on the tensorflow backend", () => {
  it("records the backend's threads, oneDNN switch and versions, and marks one thread deterministic", async () => {
    const [result] = await trainInProcess([lenet5]);
    expect(result!.backend).toMatchObject({
      name: "tensorflow",
      threads: 1,
      onednn: true,
      deterministic: true,
      nativeVersions: { tensorflow: expect.stringMatching(/^2\.\d+/), tfjsNode: "4.22.0" },
    });
  });

  it("gives bit-identical weights repeated in one process and in two processes in parallel; another seed differs; no tensors leak", async () => {
    const list = [lenet5, resnet8, lenet5, { ...lenet5, seed: 8 }];
    const [first, second] = await Promise.all([trainInProcess(list), trainInProcess(list)]);
    for (const results of [first!, second!]) {
      expect(results[0]!.weightsSha256).toBe(first![0]!.weightsSha256);
      expect(results[1]!.weightsSha256).toBe(first![1]!.weightsSha256);
      expect(results[2]!.weightsSha256).toBe(first![0]!.weightsSha256);
      expect(results[3]!.weightsSha256).not.toBe(first![0]!.weightsSha256);
      for (const result of results) expect(result.tensorsAfter).toBe(result.tensorsBefore);
    }
  });

  it("records other thread counts and oneDNN off as such (several threads: not marked deterministic); oneDNN off repeats bit for bit", async () => {
    const off = { ...lenet5, backend: { ...tensorflow, onednn: false } };
    const [offFirst, offSecond] = await trainInProcess([off, off]);
    expect(offFirst!.backend).toMatchObject({ threads: 1, onednn: false, deterministic: true });
    expect(offSecond!.weightsSha256).toBe(offFirst!.weightsSha256);
    const [twoThreads] = await trainInProcess([{ ...lenet5, backend: { ...tensorflow, threads: 2 } }]);
    expect(twoThreads!.backend).toMatchObject({ threads: 2, onednn: true, deterministic: false });
  });

  it("refuses another thread count or oneDNN setting in a process that already loaded TensorFlow", async () => {
    await expect(trainInProcess([lenet5, { ...lenet5, backend: { ...tensorflow, threads: 2 } }])).rejects.toThrow(
      /already runs TensorFlow with 1 intra-op thread, oneDNN on; 2 intra-op threads, oneDNN on needs a new process/,
    );
  });
});
