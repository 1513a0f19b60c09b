import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BackendInfo } from "./backend";
import type { RunResult } from "./result-schema";

/** Repository root (two levels above lib/runner). */
export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

let cachedStatic: { varstudyVersion: string; gitCommit: string | null } | undefined;

function staticFacts(): { varstudyVersion: string; gitCommit: string | null } {
  if (cachedStatic) return cachedStatic;
  let varstudyVersion = "unknown";
  try {
    varstudyVersion = (JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, "package.json"), "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    // a copied lib/ without package.json still trains; the version is then recorded as unknown
  }
  let gitCommit: string | null = null;
  try {
    gitCommit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: REPOSITORY_ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString().trim() || null;
  } catch {
    gitCommit = null;
  }
  cachedStatic = { varstudyVersion, gitCommit };
  return cachedStatic;
}

/**
 * What a run records about where it ran: backend and versions, Node, VarStudy version and git commit,
 * platform and CPU. Git and package.json are read once per process.
 */
export function describeEnvironment(backend: BackendInfo, implementation?: string): RunResult["environment"] {
  const facts = staticFacts();
  return {
    backend: backend.name,
    tfjsVersion: backend.tfjsVersion,
    backendThreads: backend.threads,
    ...(implementation ? { implementation } : {}),
    simd: backend.simd,
    onednn: backend.onednn,
    nativeVersions: backend.nativeVersions,
    backendDeterministic: backend.deterministic,
    addedKernels: backend.addedKernels,
    nodeVersion: process.version,
    varstudyVersion: facts.varstudyVersion,
    gitCommit: facts.gitCommit,
    platform: os.platform(),
    arch: os.arch(),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    hostname: os.hostname(),
  };
}
