import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../scratch-dir";
import { summarizeSet } from "@/lib/runner/analysis";
import { tensorflowInstallStatus } from "@/lib/runner/backend";
import { executeRequest, RequestNotRunnableError } from "@/lib/runner/execute";
import { parseImplementations } from "@/lib/runner/implementation";
import { planRuns, runRequestSchema, setIdFor, type RunRequest } from "@/lib/runner/plan";
import { findPreset } from "@/lib/runner/presets";
import { formatSetSummary } from "@/lib/runner/report";
import { readResultsDirectory } from "@/lib/runner/results-io";
import { TINY } from "./helpers";

const tensorflowInstalled = tensorflowInstallStatus().installed;

const root = scratchDir("varstudy-cross-");

/** Smaller than TINY: the cpu backend trains LeNet1 at tens of images per second. */
const CROSS_TINY = { ...TINY, epochs: 1, trainSize: 64 };

const request = (outDir: string, extra: Partial<RunRequest> = {}): RunRequest =>
  runRequestSchema.parse({ preset: "lenet1-quick", settings: ["cross-implementation"], outDir, workers: 1, overrides: CROSS_TINY, implementations: [{ backend: "wasm" }, { backend: "cpu" }], ...extra });

describe("--implementations", () => {
  it("parses backends with threads and oneDNN, and rejects what cannot be run", () => {
    expect(parseImplementations("wasm, cpu,tensorflow:threads=2:onednn=off")).toEqual({
      ok: true,
      implementations: [{ backend: "wasm" }, { backend: "cpu" }, { backend: "tensorflow", threads: 2, onednn: false }],
    });
    expect(parseImplementations("wasm")).toMatchObject({ ok: false, error: expect.stringMatching(/at least two/) });
    expect(parseImplementations("wasm,gpu")).toMatchObject({ ok: false, error: expect.stringMatching(/unknown backend 'gpu'/) });
    expect(parseImplementations("wasm,wasm")).toMatchObject({ ok: false, error: expect.stringMatching(/listed twice/) });
    expect(parseImplementations("wasm:threads=4,cpu")).toMatchObject({ ok: false, error: expect.stringMatching(/tensorflow backend only/) });
    expect(parseImplementations("cpu,tensorflow:fast")).toMatchObject({ ok: false, error: expect.stringMatching(/neither threads=N nor onednn/) });
  });

  it("resolves tensorflow's defaults, so one implementation spelled two ways is refused, and the plan carries the resolved specs", () => {
    expect(parseImplementations("wasm,tensorflow")).toEqual({ ok: true, implementations: [{ backend: "wasm" }, { backend: "tensorflow", threads: 1, onednn: true }] });
    expect(parseImplementations("wasm,tensorflow,tensorflow:threads=1:onednn=on")).toEqual({
      ok: false,
      error: "--implementations: 'tensorflow:threads=1:onednn=on' is listed twice (as tensorflow:threads=1:onednn=on)",
    });
    const plan = planRuns(request("unused", { implementations: [{ backend: "wasm" }, { backend: "tensorflow", onednn: false }, { backend: "tensorflow" }], repeats: 1 }));
    expect(plan.map((spec) => spec.backend)).toEqual([
      { backend: "wasm" },
      { backend: "tensorflow", threads: 1, onednn: false },
      { backend: "tensorflow", threads: 1, onednn: true },
    ]);
    expect(plan[0]!.command).toContain("--implementations wasm,tensorflow:threads=1:onednn=off,tensorflow:threads=1:onednn=on --repeats 1");
    // Spelling out the defaults is the same set.
    const explicit = planRuns(request("unused", { implementations: [{ backend: "wasm" }, { backend: "tensorflow", threads: 1, onednn: false }, { backend: "tensorflow", threads: 1, onednn: true }], repeats: 1 }));
    expect(explicit[0]!.setId).toBe(plan[0]!.setId);
  });

  it("are checked as data too: tensorflow's options on another backend are refused with the implementation's position", () => {
    const parsed = runRequestSchema.safeParse({ preset: "lenet1-quick", settings: ["cross-implementation"], outDir: "unused", implementations: [{ backend: "cpu" }, { backend: "wasm", onednn: false }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["implementations", 1], message: "onednn applies to the tensorflow backend only, not wasm" });
  });
});

describe("cross-implementation sets", () => {
  it("plan every implementation × repeat with the same fixed seed in one set, and leave other sets' ids unchanged", () => {
    const plan = planRuns(request("unused", { repeats: 3 }));
    expect(plan.map((spec) => [spec.runIndex, spec.backend.backend])).toEqual([
      [0, "wasm"], [1, "wasm"], [2, "wasm"], [3, "cpu"], [4, "cpu"], [5, "cpu"],
    ]);
    expect(new Set(plan.map((spec) => spec.setId)).size).toBe(1);
    expect(plan[0]!.setId).toMatch(/^lenet1-quick\/cross-implementation\//);
    expect(plan[0]!.command).toContain("--implementations wasm,cpu --repeats 3 --seed 42");
    // Adding cross-implementation sets must not change the ids of existing sets (resume, import and the
    // shipped demo file depend on them): this is the id the demo's fixed-seed LeNet-1 set was computed under.
    const preset = findPreset("lenet1-digits")!;
    expect(setIdFor({ preset: preset.name, setting: "fixed-seed", training: preset.training, backend: { backend: "wasm" }, masterSeed: 42 })).toBe("lenet1-digits/fixed-seed/0128ebec1d28");
  });

  it("run wasm and cpu with one fixed seed: each implementation bit-identical across repeats, the spread between them reported", async () => {
    const outDir = path.join(root, "cross");
    const summary = await executeRequest(request(outDir, { label: "test set" }), { mode: "in-process" });
    expect(summary).toMatchObject({ planned: 4, completed: 4, failed: [] });
    const { runs } = await readResultsDirectory(outDir);
    expect(runs.map((run) => run.environment.implementation)).toEqual(["wasm", "wasm", "cpu", "cpu"]);
    expect(new Set(runs.map((run) => run.seeds.master))).toEqual(new Set([42]));
    expect(runs.every((run) => run.label === "test set")).toBe(true);
    const result = summarizeSet(runs);
    if (!result.ok) throw new Error(result.error);
    const spread = result.summary.implementations!;
    expect(spread.implementations.map((row) => [row.implementation, row.runIndices, row.repeatsIdentical])).toEqual([
      ["wasm", [0, 1], true],
      ["cpu", [2, 3], true],
    ]);
    // Each implementation counts once in the Table-2 row, so the spread is between implementations.
    expect(result.summary.criteria.bestLoss.n).toBe(2);
    const [wasm, cpu] = spread.implementations;
    expect(spread.accuracyDiff).toBeCloseTo(Math.max(Math.abs(wasm!.bestLossAccuracy - cpu!.bestLossAccuracy), Math.abs(wasm!.bestAccuracyAccuracy - cpu!.bestAccuracyAccuracy)), 10);
    expect(spread.distinctFinalWeights).toBe(wasm!.finalWeightsSha256 === cpu!.finalWeightsSha256 ? 1 : 2);
    expect(formatSetSummary(result.summary)).toMatch(/Implementations \(fixed seeds/);
    // The header names what the set trained on, not just its first run's backend.
    expect(formatSetSummary(result.summary)).toContain("(4/4 runs, 2 implementations on wasm, cpu)");

    // In worker processes (one worker, so it must be replaced when the implementation changes) the bits are the same.
    const pids = new Map<string, Set<number>>();
    const processes = await executeRequest(request(path.join(root, "cross-processes")), {
      mode: "processes",
      onEvent: (event) => {
        if (event.type === "started" && event.pid) pids.set(event.spec.backend.backend, (pids.get(event.spec.backend.backend) ?? new Set()).add(event.pid));
      },
    });
    expect(processes).toMatchObject({ completed: 4, failed: [] });
    const inProcesses = await readResultsDirectory(path.join(root, "cross-processes"));
    expect(inProcesses.runs.map((run) => run.finalWeightsSha256)).toEqual(runs.map((run) => run.finalWeightsSha256));
    const [wasmPids, cpuPids] = [pids.get("wasm")!, pids.get("cpu")!];
    expect([...wasmPids].some((pid) => cpuPids.has(pid))).toBe(false);
  }, 300_000);
});

describe("a missing dataset", () => {
  it("is one clear error before any run starts, and nothing is written", async () => {
    const outDir = path.join(root, "missing");
    const missing = runRequestSchema.parse({ preset: "lenet5-mnist-subset", settings: ["default", "fixed-seed"], runs: 4, outDir, dataDir: path.join(root, "no-data"), workers: 1 });
    let started = 0;
    const attempt = executeRequest(missing, { mode: "in-process", onEvent: (event) => void (event.type === "started" && started++) });
    await expect(attempt).rejects.toThrow(RequestNotRunnableError);
    await expect(executeRequest(missing, { mode: "in-process" })).rejects.toThrow(/^dataset mnist not found \(looked in .*no-data\/mnist\); run 'npm run variance -- fetch-data mnist'/);
    expect(started).toBe(0);
    // Not even the output directory is created.
    expect(existsSync(outDir)).toBe(false);
  });
});

describe.skipIf(tensorflowInstalled)("a cross-implementation set naming tensorflow where it is not installed", () => {
  it("stops before any run with the install hint, and writes nothing", async () => {
    const outDir = path.join(root, "no-tensorflow");
    const attempt = executeRequest(request(outDir, { implementations: [{ backend: "wasm" }, { backend: "tensorflow", threads: 1, onednn: false }] }), { mode: "in-process" });
    await expect(attempt).rejects.toThrow(/^Backend 'tensorflow' is not available: .*npm run setup:tensorflow.* \(or leave tensorflow out of --implementations\)\.$/);
    expect(existsSync(outDir)).toBe(false);
  });
});

describe.skipIf(!tensorflowInstalled)("[tensorflow] cross-implementation sets with the native backend", () => {
  it("train wasm and tensorflow with oneDNN off and on, each recorded with its threads and oneDNN switch, each repeat bit-identical", async () => {
    const outDir = path.join(root, "cross-tensorflow");
    const implementations = [{ backend: "wasm" as const }, { backend: "tensorflow" as const, threads: 1, onednn: false }, { backend: "tensorflow" as const, threads: 1, onednn: true }];
    const summary = await executeRequest(request(outDir, { implementations }), { mode: "processes" });
    expect(summary).toMatchObject({ planned: 6, completed: 6, failed: [] });
    const { runs } = await readResultsDirectory(outDir);
    expect(runs.map((run) => [run.environment.backend, run.environment.backendThreads, run.environment.onednn])).toEqual([
      ["wasm", 1, null], ["wasm", 1, null],
      ["tensorflow", 1, false], ["tensorflow", 1, false],
      ["tensorflow", 1, true], ["tensorflow", 1, true],
    ]);
    expect(runs.slice(2).every((run) => run.environment.nativeVersions?.tfjsNode === "4.22.0" && run.environment.backendDeterministic)).toBe(true);
    const result = summarizeSet(runs);
    if (!result.ok) throw new Error(result.error);
    expect(result.summary.implementations!.implementations.map((row) => [row.implementation, row.repeatsIdentical])).toEqual([
      ["wasm", true],
      ["tensorflow threads=1 onednn=off", true],
      ["tensorflow threads=1 onednn=on", true],
    ]);
    expect(formatSetSummary(result.summary)).toContain("(6/6 runs, 3 implementations on wasm, tensorflow)");
  }, 300_000);
});
