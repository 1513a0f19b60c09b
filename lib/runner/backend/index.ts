/**
 * Choosing and initialising the TensorFlow.js backend that trains the runner's networks.
 *
 * - "wasm" (default): @tensorflow/tfjs-backend-wasm with XNNPACK, SIMD when the runtime has it,
 *   one thread, plus the training kernel it lacks and faster or corrected versions of four shipped
 *   ones (see kernels/register.ts). Many times the stock cpu backend (docs/benchmarks.md) and
 *   bit-reproducible.
 * - "cpu": the pure-JavaScript reference backend; slow, deterministic.
 * - "tensorflow": @tensorflow/tfjs-node (native libtensorflow) when it is installed. It is an optional
 *   dependency whose install downloads a binary, so it is often absent.
 *
 * Threads: the wasm backend is single-threaded in Node. tfjs-backend-wasm 4.22 reports
 * WASM_HAS_MULTITHREAD_SUPPORT = false whenever IS_NODE (tensorflow/tfjs#3830), so it always loads
 * the non-threaded SIMD binary there. That is what we want anyway: XNNPACK's multi-threaded
 * kernels partition work by thread count, and parallelism across runs (one run per worker) scales
 * better than parallelism inside a run for networks this small. The result is that a run's numbers
 * do not depend on how many runs execute beside it.
 *
 * Works in the main thread and inside a worker_threads Worker (each worker has its own tfjs engine
 * and its own wasm instance).
 */
import { createRequire } from "node:module";
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { z } from "zod";
import { registerMissingWasmKernels, replaceSlowWasmKernels } from "./kernels/register";
import { findMissingTrainingKernels } from "./training-kernels";
import { configureWasmBinaryPaths } from "./wasm-files";

/** Backends the runner can train on. "tensorflow" is @tensorflow/tfjs-node when installed. */
export const backendNameSchema = z.enum(["wasm", "cpu", "tensorflow"]);
export type BackendName = z.infer<typeof backendNameSchema>;

/**
 * One implementation to train on: a backend and, for the native `tensorflow` backend, its intra-op thread
 * count and oneDNN switch (each changes the bits). wasm and cpu are single-threaded and have no oneDNN.
 */
export const backendDescriptorSchema = z.object({
  backend: backendNameSchema,
  threads: z.number().int().positive().max(256).optional(),
  onednn: z.boolean().optional(),
});
export type BackendDescriptor = z.infer<typeof backendDescriptorSchema>;

/** The backend the runner uses unless told otherwise. */
export const DEFAULT_BACKEND: BackendName = "wasm";

/**
 * What a run records about the backend it trained on. Runs with different values here are runs in
 * different environments and must not be pooled as "identical" runs.
 */
export type BackendInfo = {
  name: BackendName;
  /** Version of @tensorflow/tfjs-core actually loaded. */
  tfjsVersion: string;
  /** Compute threads one training uses (1 for wasm and cpu in Node). */
  threads: number;
  /** Whether the kernels run WebAssembly SIMD (wasm only; false when unknown). */
  simd: boolean;
  /**
   * Whether fixed-seed runs are expected to be bit-identical on this backend regardless of other
   * runs in parallel: true for wasm (single-threaded XNNPACK, verified by tests) and cpu (plain
   * sequential JavaScript); false for tensorflow, whose multi-threaded Eigen kernels we cannot verify
   * here and which TensorFlow itself does not promise without TF_DETERMINISTIC_OPS.
   */
  deterministic: boolean;
  /** Whether oneDNN kernels were on (tensorflow only; null where there is no such switch). */
  onednn?: boolean | null;
  /**
   * Kernels this project added to or replaced in the backend (provenance: they are part of the
   * environment, so a change here makes a different environment).
   */
  addedKernels: string[];
};

const require = createRequire(import.meta.url);

/** tfjs-node registers its backend under this name. */
const NODE_PACKAGE = "@tensorflow/tfjs-node";

/**
 * Whether `name` can be initialised in this process, without initialising it.
 * wasm and cpu ship with the project; "tensorflow" is available only when @tensorflow/tfjs-node
 * resolves and loads (its native addon can be present but broken, so it is actually required).
 * @returns never rejects; a failed load is reported as false.
 */
export async function isBackendAvailable(name: BackendName): Promise<boolean> {
  if (name !== "tensorflow") return true;
  try {
    require(NODE_PACKAGE);
    return true;
  } catch {
    return false;
  }
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TensorFlow.js could not initialise the '${name}' backend.`);
  await tf.ready();
}

/**
 * Makes `name` the active TensorFlow.js backend of this thread and returns what a run must record.
 * Safe to call repeatedly and to switch between backends in one process.
 * @param name "wasm" (default for the runner), "cpu", or "tensorflow".
 * @returns the backend's description, for run provenance.
 * @throws Error with one clear sentence when the backend cannot be used (tfjs-node not installed,
 *   wasm binaries missing, or a kernel needed for training still missing after registration).
 */
export async function initBackend(nameOrDescriptor: BackendName | BackendDescriptor): Promise<BackendInfo> {
  const descriptor = typeof nameOrDescriptor === "string" ? { backend: nameOrDescriptor } : nameOrDescriptor;
  const name = descriptor.backend;
  if (name !== "tensorflow" && ((descriptor.threads ?? 1) !== 1 || descriptor.onednn !== undefined)) {
    throw new Error(`Backend '${name}' is single-threaded and has no oneDNN switch; threads and oneDNN apply to the tensorflow backend only.`);
  }
  if (name === "tensorflow" && (descriptor.threads !== undefined || descriptor.onednn !== undefined)) {
    throw new Error("Choosing the tensorflow backend's thread count or oneDNN switch needs a VarStudy version with native-backend options.");
  }
  const parsed = backendNameSchema.safeParse(name);
  if (!parsed.success) {
    throw new Error(`Unknown backend '${String(name)}'; expected one of ${backendNameSchema.options.join(", ")}.`);
  }
  const tfjsVersion = tf.version_core;
  switch (parsed.data) {
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
        deterministic: true,
        addedKernels: [...addedKernels, ...replacedKernels],
      };
    }
    case "cpu":
      await activate("cpu");
      return { name: "cpu", tfjsVersion, threads: 1, simd: false, deterministic: true, addedKernels: [] };
    case "tensorflow": {
      if (!(await isBackendAvailable("tensorflow"))) {
        throw new Error(
          `Backend 'tensorflow' needs ${NODE_PACKAGE}, which is not installed (its install downloads libtensorflow); use --backend wasm.`,
        );
      }
      await activate("tensorflow");
      return {
        name: "tensorflow",
        tfjsVersion,
        // libtensorflow's intra-op pool defaults to one thread per logical core.
        threads: os.availableParallelism(),
        simd: false,
        deterministic: false,
        addedKernels: [],
      };
    }
  }
}

export { findMissingTrainingKernels, TRAINING_KERNELS } from "./training-kernels";
