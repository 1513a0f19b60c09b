import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildModel, countTrainableParameters, STUDY_PARAMETER_COUNTS, type Architecture } from "@/lib/runner/models";
import { useTestBackend } from "./helpers";

const SHAPES: Record<string, { inputShape: [number, number, number]; numClasses: number }> = {
  mnist: { inputShape: [28, 28, 1], numClasses: 10 },
  cifar10: { inputShape: [32, 32, 3], numClasses: 10 },
  cifar100: { inputShape: [32, 32, 3], numClasses: 100 },
};

const build = (architecture: Architecture, data: keyof typeof SHAPES, initSeed = 1) =>
  buildModel({ architecture, ...SHAPES[data]!, initSeed, dropoutSeed: 2 });

describe("model builders", () => {
  beforeAll(async () => {
    await useTestBackend();
  });

  it.each([
    ["lenet1", "mnist", 7_206],
    ["lenet4", "mnist", 69_362],
    ["lenet5", "mnist", 107_786],
    ["resnet38", "cifar10", 565_386],
    ["resnet56", "cifar10", 857_706],
  ] as const)("%s has the study's trainable parameter count", (architecture, data, expected) => {
    expect(STUDY_PARAMETER_COUNTS[architecture]).toBe(expected);
    const model = build(architecture, data);
    try {
      expect(countTrainableParameters(model)).toBe(expected);
    } finally {
      model.dispose();
    }
  });

  // WRN-28-10 is only built to count (146 MB of float32 weights); it is never trained in tests.
  it("WRN-28-10 on CIFAR-100 has 36,536,884 trainable parameters and frees its memory", () => {
    const before = tf.memory().numBytes;
    const model = build("wrn-28-10", "cifar100");
    try {
      expect(countTrainableParameters(model)).toBe(36_536_884);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numBytes).toBe(before);
  });

  it("gives bit-identical initial weights for the same seed and different ones for another seed", async () => {
    const weightsOf = async (seed: number) => {
      const model = build("lenet4", "mnist", seed);
      const values = await Promise.all(model.getWeights().map((weight) => weight.data()));
      model.dispose();
      return values.map((array) => Array.from(array));
    };
    const a = await weightsOf(7);
    const b = await weightsOf(7);
    const c = await weightsOf(8);
    expect(b).toEqual(a);
    expect(c[0]).not.toEqual(a[0]);
  });

  it("rejects ResNet depths that are not 6n+2", async () => {
    const { buildResNetV1 } = await import("@/lib/runner/models/resnet");
    const { createLayerSeeder } = await import("@/lib/runner/models/layer-seeds");
    expect(() => buildResNetV1({ depth: 40, inputShape: [32, 32, 3], numClasses: 10, seeder: createLayerSeeder(1) })).toThrow(/6n\+2/);
  });
});
