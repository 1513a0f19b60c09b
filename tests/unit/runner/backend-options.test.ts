/**
 * The tensorflow backend's options (intra-op threads, oneDNN) in run requests: they change the bits of the
 * trained weights, so they are part of a set's identity and of the command that reproduces it; wasm and cpu
 * set ids are unchanged by their existence.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { tensorflowInstallStatus } from "@/lib/runner/backend";
import { planRuns, reproduceCommand, runRequestSchema, setIdFor } from "@/lib/runner/plan";
import { findPreset } from "@/lib/runner/presets";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const base = { preset: "lenet1-quick", settings: ["fixed-seed"], runs: 2, outDir: "/tmp/unused", workers: 1 };

describe("backend options in run requests", () => {
  it("tensorflow defaults to 1 thread, oneDNN on, and both are in the plan, the set id and the reproducing command", () => {
    const defaults = runRequestSchema.parse({ ...base, backend: "tensorflow" });
    const [run] = planRuns(defaults);
    expect(run!.backend).toEqual({ backend: "tensorflow", threads: 1, onednn: true });
    expect(reproduceCommand(defaults, "fixed-seed")).toContain("--backend tensorflow --threads 1 --onednn on");
    const explicitDefaults = planRuns(runRequestSchema.parse({ ...base, backend: "tensorflow", threads: 1, onednn: true }))[0]!;
    const twoThreads = planRuns(runRequestSchema.parse({ ...base, backend: "tensorflow", threads: 2 }))[0]!;
    const onednnOff = planRuns(runRequestSchema.parse({ ...base, backend: "tensorflow", onednn: false }))[0]!;
    expect(explicitDefaults.setId).toBe(run!.setId);
    expect(new Set([run!.setId, twoThreads.setId, onednnOff.setId]).size).toBe(3);
  });

  it("leaves wasm set ids as they were before the options existed", () => {
    const training = findPreset("lenet1-quick")!.training;
    const setId = setIdFor({ preset: "lenet1-quick", setting: "fixed-seed", training, backend: { backend: "wasm" }, masterSeed: 42 });
    const wasm = planRuns(runRequestSchema.parse({ ...base, backend: "wasm" }))[0]!;
    expect(wasm.setId).toBe(setId);
    expect(reproduceCommand(runRequestSchema.parse({ ...base, backend: "wasm" }), "fixed-seed")).not.toContain("--threads");
  });

  it("rejects tensorflow's options on other backends", () => {
    const parsed = runRequestSchema.safeParse({ ...base, backend: "wasm", threads: 2 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe("threads applies to the tensorflow backend only (wasm is single-threaded)");
  });

  it("the CLI takes --threads and --onednn and explains bad values in one line", () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "scripts/variance.ts", "run", "--preset", "lenet1-quick", "--out", "/tmp/unused", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60_000,
      });
    const onednn = cli("--backend", "tensorflow", "--onednn", "maybe");
    expect(onednn.status).toBe(2);
    expect(onednn.stderr.trim()).toBe("error: --onednn must be on or off, got 'maybe'");
    const threads = cli("--backend", "cpu", "--threads", "4");
    expect(threads.status).toBe(2);
    expect(threads.stderr.trim()).toBe("error: backend: threads applies to the tensorflow backend only (cpu is single-threaded)");
  }, 120_000);

  it.skipIf(tensorflowInstallStatus().installed)("where tensorflow is not installed, run --backend tensorflow stops up front with one line and writes nothing", () => {
    const out = path.join("/tmp", `varstudy-no-tf-${process.pid}`);
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/variance.ts", "run", "--preset", "lenet1-quick", "--backend", "tensorflow", "--runs", "1", "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toMatch(/^error: Backend 'tensorflow' is not available: .*npm run setup:tensorflow.*\(or use --backend wasm\)\.$/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
