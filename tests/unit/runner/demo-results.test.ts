/**
 * The shipped demo results (data/demo/runner/results.jsonl) are proof, not decoration: a fixed-seed run
 * from the file is trained again here and must end with the same weights, bit for bit. This fails when the
 * file was edited, or when a change to the runner (data, split, model, kernels, training loop) changes what
 * a fixed-seed run computes, in which case the demo must be recomputed (data/demo/runner/README.md).
 */
import { describe, expect, it } from "vitest";
import { DEMO_RESULTS_DIR } from "@/lib/db/seed/demo-experiments";
import { groupRunsBySet, summarizeSet } from "@/lib/runner/analysis";
import { resolveTraining, type RunSpec } from "@/lib/runner/plan";
import { findPreset } from "@/lib/runner/presets";
import type { RunResult } from "@/lib/runner/result-schema";
import { readResultsDirectory } from "@/lib/runner/results-io";
import { executeRun } from "@/lib/runner/run-one";

/** The spec that produced a result line: its preset with the epochs and split sizes the line records. */
function specOf(run: RunResult): RunSpec {
  const preset = findPreset(run.preset);
  if (!preset) throw new Error(`unknown preset ${run.preset}`);
  const training = resolveTraining(preset, {
    epochs: run.training.epochs,
    batchSize: run.training.batchSize,
    trainSize: run.dataset.trainSize,
    validationSize: run.dataset.validationSize,
    testSize: run.dataset.testSize,
  });
  return {
    setId: run.setId,
    preset: run.preset,
    setting: run.setting,
    runIndex: run.runIndex,
    runCount: run.runCount,
    command: run.command,
    training,
    masterSeed: run.seeds.master,
    backend:
      run.environment.backend === "tensorflow"
        ? { backend: "tensorflow", threads: run.environment.backendThreads, onednn: run.environment.onednn ?? true }
        : { backend: run.environment.backend },
    dataDir: "data/datasets",
  };
}

describe("the shipped demo results", () => {
  it("are complete, valid runner output on the real digits: LeNet-1/4/5 default and fixed-seed sets of 16 and 4 runs, and two cross-implementation sets", async () => {
    const read = await readResultsDirectory(DEMO_RESULTS_DIR);
    expect(read.errors).toEqual([]);
    expect(read.failures).toEqual([]);
    // The LeNet-1 variance-by-source family (lenet1-sources.jsonl) shares the folder; it has sets of its own.
    const shipped = read.runs.filter((run) => !run.family);
    const sets = groupRunsBySet(shipped);
    const shape = [...sets.values()].map((runs) => [runs[0]!.preset, runs[0]!.setting, runs.length]);
    expect(shape).toEqual(
      expect.arrayContaining([
        ["lenet1-digits", "default", 16],
        ["lenet1-digits", "fixed-seed", 4],
        ["lenet5-digits", "default", 16],
        ["lenet5-digits", "fixed-seed", 4],
        ["lenet4-digits", "default", 16],
        ["lenet4-digits", "fixed-seed", 4],
        ["lenet1-digits", "cross-implementation", 4],
        ["lenet1-digits", "cross-implementation", 5],
      ]),
    );
    for (const run of shipped) {
      expect(run.dataset).toMatchObject({ name: "mnist-digits-10k", sha256: "34b86aa3c0321bfd52282cf88656e438edc3a47cea3ffda8d3f649e957961d4f" });
      expect(run.runCount).toBe(sets.get(run.setId)!.length);
    }
    // The determinism audit, on the shipped sets: fixed seeds on one implementation give one set of weights.
    for (const runs of sets.values()) {
      const summary = summarizeSet(runs);
      if (!summary.ok) throw new Error(summary.error);
      if (runs[0]!.setting === "fixed-seed") expect(summary.summary.identicalFinalWeights).toBe(true);
      if (runs[0]!.setting === "default") expect(new Set(runs.map((run) => run.finalWeightsSha256)).size).toBe(runs.length);
      // Every implementation that promises determinism (wasm, cpu, tensorflow with one thread) kept it; TensorFlow with
      // several intra-op threads promises nothing, and its repeats are shown as they came.
      for (const row of summary.summary.implementations?.implementations ?? []) {
        const deterministic = runs.filter((run) => row.runIndices.includes(run.runIndex)).every((run) => run.environment.backendDeterministic);
        if (deterministic) expect(row.repeatsIdentical).not.toBe(false);
      }
    }
    // The full-size cross-implementation set compares the native backend's settings with wasm; its wasm run is the
    // fixed-seed LeNet-1 set's run (same configuration, same seed, same implementation), so it has the same weights.
    const full = [...sets.values()].find((runs) => runs[0]!.setting === "cross-implementation" && runs[0]!.training.epochs === 5)!;
    expect(new Set(full.map((run) => run.environment.implementation)).size).toBe(5);
    expect(full.map((run) => run.environment.backend)).toEqual(expect.arrayContaining(["wasm", "tensorflow"]));
    const fixedLenet1 = [...sets.values()].find((runs) => runs[0]!.preset === "lenet1-digits" && runs[0]!.setting === "fixed-seed")!;
    expect(full.find((run) => run.environment.backend === "wasm")!.finalWeightsSha256).toBe(fixedLenet1[0]!.finalWeightsSha256);
  });

  /**
   * Only wasm runs are trained again: its arithmetic is the same on every x86-64 and ARM machine, and it is always
   * installed. The native tensorflow runs in the file are not re-run here: oneDNN picks kernels by CPU model, so
   * their bits are a property of the machine that made them (recorded in their provenance).
   */
  it.each(["fixed-seed", "cross-implementation"] as const)("reproduce: the quickest %s wasm run in the file, trained again, ends with the same weights bit for bit", async (setting) => {
    const read = await readResultsDirectory(DEMO_RESULTS_DIR);
    const candidates = read.runs
      .filter((run) => run.setting === setting && run.environment.backend === "wasm")
      .sort((a, b) => a.training.epochs * a.dataset.trainSize * a.parameterCount - b.training.epochs * b.dataset.trainSize * b.parameterCount);
    const stored = candidates[0];
    if (!stored) throw new Error(`no ${setting} wasm run in the demo results`);
    const spec = specOf(stored);
    // The line must describe exactly the configuration we re-run (nothing silently different).
    expect(spec.training).toMatchObject({ ...stored.training, optimizer: expect.objectContaining(stored.training.optimizer) });
    const again = await executeRun(spec);
    expect(again.seeds).toEqual(stored.seeds);
    expect(again.dataset.sha256).toBe(stored.dataset.sha256);
    expect(again.initialWeightsSha256).toBe(stored.initialWeightsSha256);
    expect(again.finalWeightsSha256).toBe(stored.finalWeightsSha256);
    expect(again.checkpoints.bestLoss.test.accuracy).toBe(stored.checkpoints.bestLoss.test.accuracy);
  }, 600_000);
});
