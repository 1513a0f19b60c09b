import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseShard } from "@/lib/runner/plan";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/variance.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });

describe("variance CLI", () => {
  it("rejects bad input with one line and a non-zero exit", () => {
    const bad = cli("run", "--preset", "lenet9", "--out", "/tmp/unused");
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^error: preset: unknown preset \(known: lenet1, /)]);
    // A cross-implementation set lists its implementations; a --backend beside them would be silently ignored.
    const mixed = cli("run", "--preset", "lenet1-quick", "--setting", "cross-implementation", "--backend", "tensorflow", "--threads", "2", "--out", "/tmp/unused");
    expect(mixed.status).toBe(2);
    expect(mixed.stderr.trim()).toMatch(/^error: --backend, --threads and --onednn do not apply to --setting cross-implementation; list each implementation in --implementations/);
  }, 120_000);

  it("parses --shard i/N and explains bad values", () => {
    expect(parseShard("2/4")).toEqual({ ok: true, shard: { index: 2, count: 4 } });
    expect(parseShard("5/4")).toEqual({ ok: false, error: "--shard 5/4: shard index must be between 1 and the shard count" });
    expect(parseShard("two")).toEqual({ ok: false, error: expect.stringMatching(/must look like i\/N/) });
  });
});
