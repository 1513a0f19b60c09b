import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createSyntheticDataset } from "@/lib/runner/data/synthetic";
import { findPreset, type TrainingConfig } from "@/lib/runner/presets";
import { chooseRunSeeds, deriveRunSeeds } from "@/lib/runner/seeds";
import { trainRun } from "@/lib/runner/train";
import { gatherBatch } from "@/lib/runner/augment";
import { useTestBackend } from "./helpers";

const dataset = createSyntheticDataset({ kind: "synthetic-mnist", sizes: { train: 128, validation: 64, test: 64 }, dataSeed: 3 });
const training: TrainingConfig = { ...findPreset("lenet1-quick")!.training, epochs: 3, batchSize: 32 };

describe("trainRun", () => {
  beforeAll(async () => {
    await useTestBackend();
  });

  it("fixed seeds give bit-identical weights and identical metrics; tensors return to baseline", async () => {
    const baseline = tf.memory().numTensors;
    const first = await trainRun({ training, seeds: deriveRunSeeds(11), dataset });
    expect(tf.memory().numTensors).toBe(baseline);
    const second = await trainRun({ training, seeds: deriveRunSeeds(11), dataset });
    expect(tf.memory().numTensors).toBe(baseline);
    expect(second.finalWeightsSha256).toBe(first.finalWeightsSha256);
    expect(second.initialWeightsSha256).toBe(first.initialWeightsSha256);
    const metrics = (run: typeof first) => run.epochs.map(({ trainLoss, validationLoss, validationAccuracy }) => [trainLoss, validationLoss, validationAccuracy]);
    expect(metrics(second)).toEqual(metrics(first));
    expect(second.checkpoints.bestLoss.test).toEqual(first.checkpoints.bestLoss.test);
  });

  it("default-setting runs draw fresh seeds and end with different weights", async () => {
    const seedsA = chooseRunSeeds("default", 42);
    const seedsB = chooseRunSeeds("default", 42);
    expect(seedsA.master).not.toBe(seedsB.master);
    const a = await trainRun({ training: { ...training, epochs: 1 }, seeds: seedsA, dataset });
    const b = await trainRun({ training: { ...training, epochs: 1 }, seeds: seedsB, dataset });
    expect(a.initialWeightsSha256).not.toBe(b.initialWeightsSha256);
    expect(a.finalWeightsSha256).not.toBe(b.finalWeightsSha256);
  });

  it("the batch-order seed alone changes the trained weights (fit never shuffles by itself)", async () => {
    const base = deriveRunSeeds(5);
    const a = await trainRun({ training: { ...training, epochs: 1 }, seeds: base, dataset });
    const b = await trainRun({ training: { ...training, epochs: 1 }, seeds: { ...base, order: base.order + 1 }, dataset });
    expect(b.initialWeightsSha256).toBe(a.initialWeightsSha256);
    expect(b.finalWeightsSha256).not.toBe(a.finalWeightsSha256);
  });

  it("learns the synthetic digits and records consistent checkpoints", async () => {
    const larger = createSyntheticDataset({ kind: "synthetic-mnist", sizes: { train: 640, validation: 128, test: 128 }, dataSeed: 4 });
    const run = await trainRun({ training: { ...training, epochs: 4, batchSize: 32, optimizer: { type: "sgd", learningRate: 0.1, momentum: 0.9, nesterov: false } }, seeds: deriveRunSeeds(1), dataset: larger });
    const best = run.checkpoints.bestAccuracy;
    // Chance is 10%; the digits are learnable.
    expect(best.test.accuracy).toBeGreaterThan(0.5);
    expect(Math.max(...run.epochs.map((e) => e.validationAccuracy))).toBe(best.validationAccuracy);
    expect(Math.min(...run.epochs.map((e) => e.validationLoss))).toBe(run.checkpoints.bestLoss.validationLoss);
    expect(run.checkpoints.bestLoss.seconds).toBe(run.epochs[run.checkpoints.bestLoss.epoch - 1]!.cumulativeSeconds);
    const perClassTotal = best.test.perClass.reduce((sum, c) => sum + c.total, 0);
    const perClassCorrect = best.test.perClass.reduce((sum, c) => sum + c.correct, 0);
    expect(perClassTotal).toBe(128);
    expect(perClassCorrect / perClassTotal).toBeCloseTo(best.test.accuracy, 12);
    expect(run.parameterCount).toBe(7_206);
  });
});

describe("gatherBatch augmentation", () => {
  it("is reproducible from its seed, changes with the seed, and is a no-op without augmentation", () => {
    const shape = { height: 4, width: 4, channels: 1 };
    const source = Float32Array.from({ length: 32 }, (_, i) => i);
    const augmentation = { shift: 0.25, horizontalFlip: true };
    const a = gatherBatch(source, [1, 0], shape, augmentation, 9);
    expect(Array.from(gatherBatch(source, [1, 0], shape, augmentation, 9))).toEqual(Array.from(a));
    const variants = new Set([1, 2, 3, 4, 5, 6].map((seed) => Array.from(gatherBatch(source, [1, 0], shape, augmentation, seed)).join(",")));
    expect(variants.size).toBeGreaterThan(1);
    expect(Array.from(gatherBatch(source, [1, 0], shape, null, 9))).toEqual([...Array.from(source.slice(16)), ...Array.from(source.slice(0, 16))]);
  });
});
