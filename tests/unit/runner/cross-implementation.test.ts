import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summarizeSet } from "@/lib/runner/analysis";
import { executeRequest, RequestNotRunnableError } from "@/lib/runner/execute";
import { parseImplementations } from "@/lib/runner/implementation";
import { planRuns, runRequestSchema, setIdFor, type RunRequest } from "@/lib/runner/plan";
import { findPreset } from "@/lib/runner/presets";
import { formatSetSummary } from "@/lib/runner/report";
import { readResultsDirectory } from "@/lib/runner/results-io";
import { TINY } from "./helpers";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "varstudy-cross-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

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
});

describe("cross-implementation sets", () => {
  it("plan every implementation × repeat with the same fixed seed in one set, and leave other sets' ids unchanged", () => {
    const plan = planRuns(request("unused", { repeats: 3 }));
    expect(plan.map((spec) => [spec.runIndex, spec.implementation.backend])).toEqual([
      [0, "wasm"], [1, "wasm"], [2, "wasm"], [3, "cpu"], [4, "cpu"], [5, "cpu"],
    ]);
    expect(new Set(plan.map((spec) => spec.setId)).size).toBe(1);
    expect(plan[0]!.setId).toMatch(/^lenet1-quick\/cross-implementation\//);
    expect(plan[0]!.command).toContain("--implementations wasm,cpu --repeats 3 --seed 42");
    // Adding cross-implementation sets must not change the ids of existing sets (resume, import and the
    // shipped demo file depend on them): this is the id the demo's fixed-seed LeNet-1 set was computed under.
    const preset = findPreset("lenet1-digits")!;
    expect(setIdFor({ preset: preset.name, setting: "fixed-seed", training: preset.training, backend: "wasm", masterSeed: 42 })).toBe("lenet1-digits/fixed-seed/0128ebec1d28");
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

    // In worker processes (one worker, so it must be replaced when the implementation changes) the bits are the same.
    const pids = new Map<string, Set<number>>();
    const processes = await executeRequest(request(path.join(root, "cross-processes")), {
      mode: "processes",
      onEvent: (event) => {
        if (event.type === "started" && event.pid) pids.set(event.spec.implementation.backend, (pids.get(event.spec.implementation.backend) ?? new Set()).add(event.pid));
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
  it("is one clear error before any run starts, and nothing is recorded", async () => {
    const outDir = path.join(root, "missing");
    const missing = runRequestSchema.parse({ preset: "lenet5-mnist-subset", settings: ["default", "fixed-seed"], runs: 4, outDir, dataDir: path.join(root, "no-data"), workers: 1 });
    let started = 0;
    const attempt = executeRequest(missing, { mode: "in-process", onEvent: (event) => void (event.type === "started" && started++) });
    await expect(attempt).rejects.toThrow(RequestNotRunnableError);
    await expect(executeRequest(missing, { mode: "in-process" })).rejects.toThrow(/^dataset mnist not found \(looked in .*no-data\/mnist\); run 'npm run variance -- fetch-data mnist'/);
    expect(started).toBe(0);
    expect(await readdir(outDir)).toEqual([]);
  });
});
