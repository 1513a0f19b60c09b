/**
 * Choosing and initialising the TensorFlow.js backend that trains the runner's networks.
 *
 * - "wasm" (default): @tensorflow/tfjs-backend-wasm with XNNPACK, SIMD when the runtime has it,
 *   one thread, plus the training kernel it lacks and faster or corrected versions of four shipped
 *   ones (see kernels/register.ts). Many times the stock cpu backend (docs/benchmarks.md) and
 *   bit-reproducible.
 * - "cpu": the pure-JavaScript reference backend; slow, deterministic.
 * - "tensorflow": @tensorflow/tfjs-node on TensorFlow's native C library, installed by
 *   `npm run setup:tensorflow` (not an npm dependency: its own install downloads a binary that is often
 *   unreachable). Two options change its numbers and are recorded with every run: the intra-op thread
 *   count (default 1) and the oneDNN switch (default on). See tensorflow.ts.
 *
 * The API other code plugs into is small: a {@link BackendSpec} (`{ backend, threads?, onednn? }`),
 * {@link resolveBackendSpec} to fill in the defaults and reject options a backend does not have,
 * {@link initBackend} to make it active and get the {@link BackendInfo} a run records, and
 * {@link isBackendAvailable} to ask, without side effects, whether it is installed.
 *
 * Threads: the wasm backend is single-threaded in Node. tfjs-backend-wasm 4.22 reports
 * WASM_HAS_MULTITHREAD_SUPPORT = false whenever IS_NODE (tensorflow/tfjs#3830), so it always loads
 * the non-threaded SIMD binary there. That is what we want anyway: XNNPACK's multi-threaded
 * kernels partition work by thread count, and parallelism across runs (one run per worker) scales
 * better than parallelism inside a run for networks this small. The result is that a run's numbers
 * do not depend on how many runs execute beside it. The tensorflow backend defaults to one intra-op
 * thread for the same reasons.
 *
 * wasm and cpu work in the main thread and inside a worker_threads Worker (each worker has its own
 * tfjs engine and its own wasm instance); tensorflow is one library per process (the runner's pool uses
 * processes).
 */
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { z } from "zod";
import { registerMissingWasmKernels, replaceSlowWasmKernels } from "./kernels/register";
import { loadTensorflow } from "./tensorflow";
import { tensorflowInstallStatus } from "./tensorflow-install";
import { findMissingTrainingKernels } from "./training-kernels";
import { configureWasmBinaryPaths } from "./wasm-files";

/** Backends the runner can train on. "tensorflow" is @tensorflow/tfjs-node when installed. */
export const backendNameSchema = z.enum(["wasm", "cpu", "tensorflow"]);
export type BackendName = z.infer<typeof backendNameSchema>;

/** The backend the runner uses unless told otherwise. */
export const DEFAULT_BACKEND: BackendName = "wasm";

/** Defaults of the tensorflow backend's options: one intra-op thread (one run per core scales better), oneDNN on (about twice as fast). */
export const TENSORFLOW_DEFAULTS = { threads: 1, onednn: true } as const;

/**
 * Which backend to train on, with its options: what a run request, a cross-implementation set's
 * implementations, the benchmark and other callers pass. `threads` (intra-op threads) and `onednn` exist for
 * "tensorflow" only (each changes the bits); wasm and cpu are single-threaded and have no oneDNN.
 */
export const backendSpecSchema = z.object({
  backend: backendNameSchema,
  threads: z.number().int().positive().max(256).optional(),
  onednn: z.boolean().optional(),
});
export type BackendSpec = z.infer<typeof backendSpecSchema>;

/** A spec with every option a backend has filled in: `{backend:"tensorflow", threads, onednn}` or `{backend:"wasm"|"cpu"}`. */
export type ResolvedBackendSpec =
  | { backend: "wasm" | "cpu"; threads?: undefined; onednn?: undefined }
  | { backend: "tensorflow"; threads: number; onednn: boolean };

/**
 * Fills in the defaults of a backend's options and rejects options it does not have.
 * @returns the resolved spec, or a one-line error (e.g. "--threads applies to the tensorflow backend only").
 */
export function resolveBackendSpec(spec: BackendSpec | BackendName): { ok: true; spec: ResolvedBackendSpec } | { ok: false; error: string } {
  const parsed = backendSpecSchema.safeParse(typeof spec === "string" ? { backend: spec } : spec);
  if (!parsed.success) {
    const name = typeof spec === "string" ? spec : (spec as { backend?: unknown })?.backend;
    if (!backendNameSchema.safeParse(name).success) {
      return { ok: false, error: `Unknown backend '${String(name)}'; expected one of ${backendNameSchema.options.join(", ")}.` };
    }
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join(".") || "backend"}: ${issue?.message ?? "invalid"}` };
  }
  const { backend, threads, onednn } = parsed.data;
  if (backend === "tensorflow") {
    return { ok: true, spec: { backend, threads: threads ?? TENSORFLOW_DEFAULTS.threads, onednn: onednn ?? TENSORFLOW_DEFAULTS.onednn } };
  }
  if (threads !== undefined && threads !== 1) return { ok: false, error: `threads applies to the tensorflow backend only (${backend} is single-threaded)` };
  if (onednn !== undefined) return { ok: false, error: `onednn applies to the tensorflow backend only, not ${backend}` };
  return { ok: true, spec: { backend } };
}

/**
 * What a run records about the backend it trained on. Runs with different values here are runs in
 * different environments and must not be pooled as "identical" runs.
 */
export type BackendInfo = {
  name: BackendName;
  /** Version of @tensorflow/tfjs-core actually loaded. */
  tfjsVersion: string;
  /** Compute threads one training uses (1 for wasm and cpu in Node; TensorFlow's intra-op threads). */
  threads: number;
  /** Whether the kernels run WebAssembly SIMD (wasm only; false when unknown). */
  simd: boolean;
  /** tensorflow only: whether TensorFlow's oneDNN kernels were on; null for other backends. */
  onednn: boolean | null;
  /** tensorflow only: version of TensorFlow's C library and of @tensorflow/tfjs-node; null otherwise. */
  nativeVersions: { tensorflow: string; tfjsNode: string } | null;
  /**
   * Whether fixed-seed runs are expected to be bit-identical on this backend regardless of other
   * runs in parallel: true for wasm (single-threaded XNNPACK) and cpu (plain sequential JavaScript),
   * and for tensorflow with one intra-op thread (same oneDNN setting); verified by
   * tests/unit/runner/backend/determinism.test.ts and tensorflow-backend.test.ts. With several intra-op threads TensorFlow does not
   * promise it (its reductions split work across threads), so false.
   */
  deterministic: boolean;
  /**
   * Kernels this project added to or replaced in the backend (provenance: they are part of the
   * environment, so a change here makes a different environment).
   */
  addedKernels: string[];
};

/**
 * Whether `name` is installed in this checkout, without initialising it (no side effects).
 * wasm and cpu ship with the project; "tensorflow" needs `npm run setup:tensorflow` (judged from its
 * files; a broken install is reported by initBackend).
 * @returns never rejects.
 */
export async function isBackendAvailable(name: BackendName): Promise<boolean> {
  if (name !== "tensorflow") return true;
  return tensorflowInstallStatus().installed;
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TensorFlow.js could not initialise the '${name}' backend.`);
  await tf.ready();
}

/**
 * Makes a backend the active TensorFlow.js backend of this thread and returns what a run must record.
 * Safe to call repeatedly and to switch between backends in one process; the tensorflow backend's
 * options are fixed for the process once it has loaded (a different thread count or oneDNN setting
 * throws: start a new process).
 * @param spec a backend name, or `{ backend, threads?, onednn? }` (see {@link resolveBackendSpec}).
 * @returns the backend's description, for run provenance.
 * @throws Error with one clear sentence when the backend cannot be used (tfjs-node not installed,
 *   wasm binaries missing, or a kernel needed for training still missing after registration).
 */
export async function initBackend(spec: BackendName | BackendSpec): Promise<BackendInfo> {
  const resolved = resolveBackendSpec(spec);
  if (!resolved.ok) throw new Error(resolved.error);
  const tfjsVersion = tf.version_core;
  const chosen = resolved.spec;
  switch (chosen.backend) {
    case "wasm": {
      configureWasmBinaryPaths();
      const addedKernels = registerMissingWasmKernels();
      const missing = findMissingTrainingKernels("wasm");
      if (missing.length > 0) {
        throw new Error(`The wasm backend lacks kernels needed for training: ${missing.join(", ")}.`);
      }
      await activate("wasm");
      // Only after activation: replacements delegate to shipped kernels that must be set up first.
      const replacedKernels = replaceSlowWasmKernels();
      return {
        name: "wasm",
        tfjsVersion,
        threads: getThreadsCount(),
        simd: (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true,
        onednn: null,
        nativeVersions: null,
        deterministic: true,
        addedKernels: [...addedKernels, ...replacedKernels],
      };
    }
    case "cpu":
      await activate("cpu");
      return { name: "cpu", tfjsVersion, threads: 1, simd: false, onednn: null, nativeVersions: null, deterministic: true, addedKernels: [] };
    case "tensorflow": {
      const native = loadTensorflow({ threads: chosen.threads, onednn: chosen.onednn });
      await activate("tensorflow");
      return {
        name: "tensorflow",
        tfjsVersion,
        threads: native.threads,
        simd: false,
        onednn: native.onednn,
        nativeVersions: { tensorflow: native.tensorflowVersion, tfjsNode: native.tfjsNodeVersion },
        deterministic: native.threads === 1,
        addedKernels: native.replacedKernels,
      };
    }
  }
}

export { describeTensorflowOptions } from "./tensorflow";
export { tensorflowInstallStatus } from "./tensorflow-install";
export { findMissingTrainingKernels, TRAINING_KERNELS } from "./training-kernels";
