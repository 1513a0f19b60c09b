import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../scratch-dir";
import { executeRequest } from "@/lib/runner/execute";
import { planRuns, runRequestSchema, selectShard, type RunRequest } from "@/lib/runner/plan";
import { runKey } from "@/lib/runner/result-schema";
import { mergeResultDirectories, readResultsDirectory } from "@/lib/runner/results-io";
import { TEST_BACKEND, TINY } from "./helpers";

const root = scratchDir("varstudy-exec-");

const request = (outDir: string, extra: Partial<RunRequest> = {}): RunRequest =>
  runRequestSchema.parse({
    preset: "lenet1-quick",
    settings: ["fixed-seed"],
    runs: 3,
    outDir,
    backend: TEST_BACKEND,
    workers: 1,
    overrides: TINY,
    ...extra,
  });

const lines = async (file: string) => (await readFile(file, "utf8")).split("\n").filter(Boolean).map((line) => JSON.parse(line) as { kind: string; setId: string; runIndex: number });

describe("executeRequest", () => {
  it("resumes after an interruption without redoing completed runs", async () => {
    const outDir = path.join(root, "resume");
    const controller = new AbortController();
    const first = await executeRequest(request(outDir), {
      mode: "in-process",
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "finished") controller.abort();
      },
    });
    expect(first).toMatchObject({ planned: 3, completed: 1, skipped: 0, interrupted: true });
    const started: number[] = [];
    const second = await executeRequest(request(outDir), {
      mode: "in-process",
      onEvent: (event) => {
        if (event.type === "started") started.push(event.spec.runIndex);
      },
    });
    expect(second).toMatchObject({ planned: 3, completed: 2, skipped: 1, interrupted: false, failed: [] });
    expect(started).toEqual([1, 2]);
    const written = await lines(second.resultsFile);
    expect(written.map((line) => line.runIndex).sort()).toEqual([0, 1, 2]);
    const third = await executeRequest(request(outDir), { mode: "in-process" });
    expect(third).toMatchObject({ completed: 0, skipped: 3 });
  });

  it("N local shards give exactly the runs of one unsharded set, and merging them is idempotent", async () => {
    const both = { settings: ["default", "fixed-seed"] as Array<"default" | "fixed-seed"> };
    const whole = await executeRequest(request(path.join(root, "whole"), both), { mode: "in-process" });
    expect(whole.completed).toBe(6);
    const shardDirs: string[] = [];
    for (let index = 1; index <= 3; index++) {
      const dir = path.join(root, `shard-${index}`);
      shardDirs.push(dir);
      const summary = await executeRequest(request(dir, { ...both, shard: { index, count: 3 } }), { mode: "in-process" });
      expect(summary.completed).toBe(2);
      expect(path.basename(summary.resultsFile)).toBe(`results.shard-${index}-of-3.jsonl`);
    }
    const merged = path.join(root, "merged", "results.jsonl");
    const firstMerge = await mergeResultDirectories({ inputs: shardDirs, outputFile: merged });
    expect(firstMerge).toMatchObject({ written: 6, alreadyPresent: 0, errors: [] });
    const secondMerge = await mergeResultDirectories({ inputs: shardDirs, outputFile: merged });
    expect(secondMerge).toMatchObject({ written: 0, alreadyPresent: 6 });

    const unsharded = await readResultsDirectory(path.join(root, "whole"));
    const sharded = await readResultsDirectory(path.join(root, "merged"));
    expect(sharded.runs.map(runKey)).toEqual(unsharded.runs.map(runKey));
    const fixedHashes = (runs: typeof sharded.runs) => runs.filter((run) => run.setting === "fixed-seed").map((run) => run.finalWeightsSha256);
    expect(fixedHashes(sharded.runs)).toEqual(fixedHashes(unsharded.runs));
    expect(new Set(fixedHashes(sharded.runs)).size).toBe(1);
  });

  it("shards are disjoint and cover the plan", () => {
    const plan = planRuns(request("unused", { runs: 16, settings: ["default", "fixed-seed"] }));
    const shards = [1, 2, 3, 4, 5].map((index) => selectShard(plan, { index, count: 5 }).map(runKey));
    const union = shards.flat();
    expect(new Set(union).size).toBe(union.length);
    expect(union.sort()).toEqual(plan.map(runKey).sort());
  });
});

describe("worker processes", () => {
  // Guards the promise that a fixed-seed run's bits do not depend on how many runs execute beside
  // it: two worker processes in parallel must reproduce the in-process (sequential) weights.
  it("give the same bits as a sequential run, and a killed worker is a recorded failure that the next invocation redoes", async () => {
    const sequentialDir = path.join(root, "sequential");
    await executeRequest(request(sequentialDir), { mode: "in-process" });
    const sequential = await readResultsDirectory(sequentialDir);

    const parallelDir = path.join(root, "parallel");
    let killed = false;
    const crashed = await executeRequest(request(parallelDir, { workers: 2 }), {
      mode: "processes",
      onEvent: (event) => {
        if (event.type === "started" && event.spec.runIndex === 1 && !killed && event.pid) {
          killed = true;
          process.kill(event.pid, "SIGKILL");
        }
      },
    });
    expect(crashed.completed).toBe(2);
    expect(crashed.failed).toEqual([{ setId: expect.any(String), runIndex: 1, error: expect.stringMatching(/worker process exited \(SIGKILL\)/) }]);
    const afterCrash = await readResultsDirectory(parallelDir);
    expect(afterCrash.failures.map((failure) => failure.runIndex)).toEqual([1]);

    const retried = await executeRequest(request(parallelDir, { workers: 2 }), { mode: "processes" });
    expect(retried).toMatchObject({ completed: 1, skipped: 2, failed: [] });
    const parallel = await readResultsDirectory(parallelDir);
    expect(parallel.failures).toEqual([]);
    expect(parallel.runs.map((run) => run.finalWeightsSha256)).toEqual(sequential.runs.map((run) => run.finalWeightsSha256));
  }, 180_000);
});
