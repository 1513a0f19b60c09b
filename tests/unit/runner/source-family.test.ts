/**
 * Variance by source: the family's plan (exactly one source varies per set, the control varies none, sources a
 * preset does not use are skipped), the one-bit perturbation, the decomposition (lib/runner/source-family.ts),
 * and a small real family run on lenet1-quick whose control has zero spread while its init set does not.
 */
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { scratchDir } from "../scratch-dir";
import { loadDataset } from "@/lib/runner/data/load";
import { executeRequest } from "@/lib/runner/execute";
import { buildModel } from "@/lib/runner/models";
import { flipOneInitialBit } from "@/lib/runner/one-bit";
import { planFamily, planRuns, runRequestSchema, type RunRequest } from "@/lib/runner/plan";
import { findPreset } from "@/lib/runner/presets";
import { formatFamilyDecomposition } from "@/lib/runner/report";
import type { RunResult } from "@/lib/runner/result-schema";
import { readResultsDirectory } from "@/lib/runner/results-io";
import { chooseRunSeeds, deriveRunSeeds, VARIED_SEED } from "@/lib/runner/seeds";
import { decomposeFamily, familiesIn, sourceApplicability } from "@/lib/runner/source-family";
import { varianceRatioInterval } from "@/lib/stats";
import { TINY, useTestBackend } from "./helpers";

const FIXTURE = path.join(import.meta.dirname, "../../fixtures/runner/lenet1-quick-family");

const familyRequest = (extra: Partial<RunRequest> = {}): RunRequest =>
  runRequestSchema.parse({ preset: "lenet1-quick", sources: ["init", "order", "dropout", "augmentation", "one-bit"], runs: 3, outDir: "unused", workers: 1, overrides: TINY, ...extra });

/** Brute force, independent of lib/stats: sample variance by its definition. */
const bruteVariance = (values: number[]) => {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1);
};

describe("the family's seeds: exactly one source varies", () => {
  it("each vary-* setting changes only its own seed, to a different value in every run; the control and one-bit change none", () => {
    const fixed = deriveRunSeeds(42);
    for (const [setting, varied] of Object.entries(VARIED_SEED)) {
      const seen = new Set<number>();
      for (let runIndex = 0; runIndex < 6; runIndex++) {
        const seeds = chooseRunSeeds(setting as keyof typeof VARIED_SEED, 42, runIndex);
        const changed = (Object.keys(fixed) as Array<keyof typeof fixed>).filter((key) => seeds[key] !== fixed[key]);
        expect(changed).toEqual([varied]);
        seen.add(seeds[varied]);
        // Replayable: the same run index gives the same seed.
        expect(chooseRunSeeds(setting as keyof typeof VARIED_SEED, 42, runIndex)).toEqual(seeds);
      }
      expect(seen.size).toBe(6);
    }
    for (const setting of ["fixed-seed", "one-bit", "cross-implementation"] as const) {
      for (let runIndex = 0; runIndex < 3; runIndex++) expect(chooseRunSeeds(setting, 42, runIndex)).toEqual(fixed);
    }
    // The default setting draws a fresh master seed: all four derived seeds differ from the control's.
    const fresh = chooseRunSeeds("default", 42, 0);
    expect(fresh.master).not.toBe(42);
  });

  it("plans the reference, the control and one set per applicable source; LeNet's dropout and augmentation are skipped, not trained", () => {
    const request = familyRequest();
    const plan = planFamily(request);
    expect(plan.members).toEqual([
      { source: "all", setting: "default" },
      { source: "none", setting: "fixed-seed" },
      { source: "init", setting: "vary-init" },
      { source: "order", setting: "vary-order" },
      { source: "one-bit", setting: "one-bit" },
    ]);
    expect(plan.skipped.map((skip) => skip.source)).toEqual(["dropout", "augmentation"]);
    expect(plan.skipped[0]!.reason).toMatch(/lenet1 has no dropout layers/);
    const specs = planRuns(request);
    expect(specs).toHaveLength(15);
    const setIds = [...new Set(specs.map((spec) => spec.setId))];
    expect(setIds).toHaveLength(5);
    expect(setIds.map((id) => id.split("/")[1])).toEqual(["default", "fixed-seed", "vary-init", "vary-order", "one-bit"]);
    expect(plan.defaultSetId).toBe(setIds[0]);
    expect(plan.controlSetId).toBe(setIds[1]);
    for (const spec of specs) {
      expect(spec.family).toMatchObject({ id: plan.id, defaultSetId: plan.defaultSetId, controlSetId: plan.controlSetId });
      expect(spec.command).toContain("--sources init,order,dropout,augmentation,one-bit --runs 3 --seed 42");
    }
    // The same configuration with another seed is another family (and other seeded sets), with the same default set.
    const other = planFamily(familyRequest({ seed: 7 }));
    expect(other.id).not.toBe(plan.id);
    expect(other.defaultSetId).toBe(plan.defaultSetId);
    expect(other.controlSetId).not.toBe(plan.controlSetId);
  });

  it("keeps augmentation for a preset that augments, and dropout for the Wide ResNet only", () => {
    const resnet = findPreset("resnet8-quick")!.training;
    expect(sourceApplicability(resnet, "augmentation")).toEqual({ applies: true });
    expect(sourceApplicability(resnet, "dropout")).toMatchObject({ applies: false });
    const wrn = findPreset("wrn-28-10")!.training;
    expect(sourceApplicability(wrn, "dropout")).toEqual({ applies: true });
    expect(planFamily(familyRequest({ preset: "resnet8-quick" })).members.map((member) => member.setting)).toContain("vary-augmentation");
  });

  it("refuses the implementation source without at least two implementations", () => {
    const parsed = runRequestSchema.safeParse({ preset: "lenet1-quick", sources: ["implementation"], outDir: "unused" });
    expect(parsed.success).toBe(false);
    expect(runRequestSchema.safeParse({ preset: "lenet1-quick", outDir: "unused" }).success).toBe(false);
  });
});

describe("one bit of one initial weight", () => {
  beforeAll(async () => {
    await useTestBackend();
  });

  it("flips exactly one bit (the last of the mantissa) of one kernel scalar, records which, and picks another per seed", async () => {
    const build = () => buildModel({ architecture: "lenet1", inputShape: [28, 28, 1], numClasses: 10, initSeed: 5, dropoutSeed: 6 });
    const reference = build();
    const before = reference.getWeights().map((weight) => weight.dataSync().slice() as Float32Array);
    reference.dispose();
    const positions = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5]) {
      const tensorsBefore = tf.memory().numTensors;
      const model = build();
      const flip = flipOneInitialBit(model, seed);
      const after = model.getWeights().map((weight) => weight.dataSync().slice() as Float32Array);
      const differences: Array<{ weight: number; index: number; xor: number }> = [];
      after.forEach((values, weight) => {
        const a = new Uint32Array(values.buffer);
        const b = new Uint32Array(before[weight]!.buffer);
        a.forEach((word, index) => {
          if (word !== b[index]) differences.push({ weight, index, xor: (word ^ b[index]!) >>> 0 });
        });
      });
      expect(differences).toHaveLength(1);
      expect(differences[0]!.xor).toBe(1);
      expect(model.weights[differences[0]!.weight]!.originalName).toBe(flip.weight);
      expect(differences[0]!.index).toBe(flip.index);
      expect(flip.bit).toBe(0);
      expect(flip.before).toBe(before[differences[0]!.weight]![flip.index]);
      expect(flip.after).toBe(after[differences[0]!.weight]![flip.index]);
      expect(flip.weight).toMatch(/kernel/);
      positions.add(`${flip.weight}#${flip.index}`);
      model.dispose();
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    }
    expect(positions.size).toBe(5);
  });
});

describe("varianceRatioInterval", () => {
  it("matches scipy's F quantiles (scipy 1.17.1: s.f.ppf)", () => {
    // python3 -c "import scipy.stats as s; print(4/s.f.ppf(0.95,7,7), 4/s.f.ppf(0.05,7,7))"
    const a = varianceRatioInterval({ varianceNumerator: 4, nNumerator: 8, varianceDenominator: 1, nDenominator: 8, level: 0.9 });
    expect(a.ratio).toBe(4);
    expect(a.lower).toBeCloseTo(1.056232905121544, 9);
    expect(a.upper).toBeCloseTo(15.148174159712278, 9);
    // python3 -c "import scipy.stats as s; print(0.5/s.f.ppf(0.975,5,9), 0.5/s.f.ppf(0.025,5,9))"
    const b = varianceRatioInterval({ varianceNumerator: 1, nNumerator: 6, varianceDenominator: 2, nDenominator: 10, level: 0.95 });
    expect(b.lower).toBeCloseTo(0.11149735494119511, 9);
    expect(b.upper).toBeCloseTo(3.340527173230454, 9);
    expect(() => varianceRatioInterval({ varianceNumerator: 1, nNumerator: 6, varianceDenominator: 0, nDenominator: 10 })).toThrow(/ratio to a zero variance/);
    expect(() => varianceRatioInterval({ varianceNumerator: 1, nNumerator: 1, varianceDenominator: 1, nDenominator: 10 })).toThrow(/at least 2/);
  });
});

describe("the decomposition of a family (fixture: a real lenet1-quick family, tests/fixtures/runner/lenet1-quick-family)", () => {
  let runs: RunResult[];
  beforeAll(async () => {
    runs = (await readResultsDirectory(FIXTURE)).runs;
  });

  it("finds the family, its reference and control, and computes each row from that set's runs only", () => {
    const families = familiesIn(runs);
    expect(families.size).toBe(1);
    const family = [...families.values()][0]!;
    expect([...family.bySource.keys()].sort()).toEqual(["all", "implementation", "init", "none", "one-bit", "order"]);
    const d = decomposeFamily(family);
    const accuracies = (source: "all" | "init" | "order") => family.bySource.get(source)!.map((run) => run.checkpoints.bestLoss.test.accuracy * 100);
    const row = (source: string) => d.rows.find((candidate) => candidate.source === source)!;
    expect(row("init").sd).toBeCloseTo(Math.sqrt(bruteVariance(accuracies("init"))), 10);
    expect(row("init").share!.value).toBeCloseTo(bruteVariance(accuracies("init")) / bruteVariance(accuracies("all")), 10);
    expect(row("order").share!.value).toBeCloseTo(bruteVariance(accuracies("order")) / bruteVariance(accuracies("all")), 10);
    expect(row("all").share).toBeNull();
    expect(row("none")).toMatchObject({ status: "measured", sd: 0, distinctFinalWeights: 1 });
    expect(row("dropout")).toMatchObject({ status: "not-applicable" });
    expect(row("augmentation")).toMatchObject({ status: "not-applicable" });
    // wasm vs cpu: two implementations, each counted once, with different weights.
    expect(row("implementation")).toMatchObject({ status: "measured", n: 2, distinctFinalWeights: 2 });
    expect(row("one-bit")).toMatchObject({ status: "measured", n: 3 });
    expect(d.control).toEqual({ status: "zero-spread", warning: null });
    expect(d.dominant?.source).toBe("init");
    expect(d.oneBitVersusInit).toEqual({ oneBitSd: row("one-bit").sd, initSd: row("init").sd });
    expect(d.methods).toContain(`SD ${row("init").sd!.toFixed(2)} points`);
    expect(d.methods).toContain("bit-identical");
    const text = formatFamilyDecomposition(d);
    expect(text).toContain("weight initialisation");
    expect(text).toContain("need not sum to 1");
    expect(text).not.toContain("WARNING");
    // Every one-bit run records a different flipped scalar.
    const flips = family.bySource.get("one-bit")!.map((run) => run.oneBitFlip);
    expect(flips.every((flip) => flip && flip.bit === 0 && flip.before !== flip.after)).toBe(true);
    expect(new Set(flips.map((flip) => `${flip!.weight}#${flip!.index}`)).size).toBe(flips.length);
  });

  it("warns loudly when the all-fixed control is not reproducible, and explains a non-deterministic implementation", () => {
    const family = [...familiesIn(runs).values()][0]!;
    const control = family.bySource.get("none")!;
    const broken = control.map((run, index) =>
      index === 0 ? { ...run, finalWeightsSha256: "f".repeat(64), checkpoints: { ...run.checkpoints, bestLoss: { ...run.checkpoints.bestLoss, test: { ...run.checkpoints.bestLoss.test, accuracy: 0.5 } } } } : run,
    );
    const deterministic = decomposeFamily({ ...family, bySource: new Map([...family.bySource, ["none", broken]]) });
    expect(deterministic.control.status).toBe("spread");
    expect(deterministic.control.warning).toMatch(/^WARNING: the all-fixed control is NOT reproducible/);
    expect(formatFamilyDecomposition(deterministic)).toMatch(/^!{100}\nWARNING/);
    const threaded = broken.map((run) => ({ ...run, environment: { ...run.environment, backendDeterministic: false } }));
    const noisy = decomposeFamily({ ...family, bySource: new Map([...family.bySource, ["none", threaded]]) });
    expect(noisy.control.warning).toMatch(/not a deterministic implementation/);
  });

  it("never borrows a reference it was not given: without the default set there are no shares", () => {
    const family = [...familiesIn(runs).values()][0]!;
    const defaultSetId = family.bySource.get("all")![0]!.setId;
    const withoutReference = familiesIn(runs.filter((run) => run.setId !== defaultSetId));
    const d = decomposeFamily([...withoutReference.values()][0]!);
    expect(d.rows.find((row) => row.source === "all")).toMatchObject({ status: "missing" });
    expect(d.rows.every((row) => row.share === null)).toBe(true);
    expect(d.methods).toContain("The default setting was not measured");
  });
});

describe("a small real family run (lenet1-quick, in-process)", () => {
  const root = scratchDir("varstudy-family-");

  it("gives the control zero spread and init a non-zero one, records the flipped bits and every test image's prediction; resuming adds nothing", async () => {
    const request = runRequestSchema.parse({ preset: "lenet1-quick", sources: ["init", "dropout", "one-bit"], runs: 3, outDir: root, workers: 1, overrides: TINY });
    const first = await executeRequest(request, { mode: "in-process" });
    expect(first).toMatchObject({ planned: 12, completed: 12, failed: [] });
    const read = await readResultsDirectory(root);
    const family = familiesIn(read.runs).get(planFamily(request).id)!;
    const d = decomposeFamily(family);
    const row = (source: string) => d.rows.find((candidate) => candidate.source === source)!;
    expect(d.control).toEqual({ status: "zero-spread", warning: null });
    expect(row("none").sd).toBe(0);
    expect(row("init").distinctFinalWeights).toBe(3);
    expect(row("init").sd!).toBeGreaterThan(0);
    expect(row("dropout").status).toBe("not-applicable");
    // One-bit runs start from weights one bit away from the control's: different initial hashes, recorded flips.
    const controlInitial = family.bySource.get("none")![0]!.initialWeightsSha256;
    for (const run of family.bySource.get("one-bit")!) {
      expect(run.initialWeightsSha256).not.toBe(controlInitial);
      expect(run.oneBitFlip).toBeDefined();
      expect(run.family?.source).toBe("one-bit");
    }
    // Predictions: one per test image, in test-set order (they reproduce the recorded accuracy against the labels).
    const dataset = await loadDataset({ name: "synthetic-mnist", dataDir: "unused", sizes: { train: TINY.trainSize, validation: TINY.validationSize, test: TINY.testSize }, dataSeed: findPreset("lenet1-quick")!.training.dataSeed });
    for (const run of read.runs) {
      for (const criterion of ["bestLoss", "bestAccuracy"] as const) {
        const test = run.checkpoints[criterion].test;
        expect(test.predictions).toHaveLength(TINY.testSize);
        const correct = test.predictions!.filter((predicted, index) => predicted === dataset.test.labels[index]).length;
        expect(correct / TINY.testSize).toBe(test.accuracy);
      }
    }
    const again = await executeRequest(request, { mode: "in-process" });
    expect(again).toMatchObject({ planned: 12, skipped: 12, completed: 0 });
  }, 180_000);
});
