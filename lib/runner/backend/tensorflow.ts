/**
 * Loading the native `tensorflow` backend (@tensorflow/tfjs-node on TensorFlow's C library) with a chosen
 * intra-op thread count and oneDNN switch.
 *
 * TensorFlow reads both once per process, from the environment, when tfjs-node is first required (that
 * require creates TensorFlow's eager context): TF_NUM_INTRAOP_THREADS sizes the pool one op's work is split
 * over, TF_ENABLE_ONEDNN_OPTS turns the oneDNN kernels on or off. Both change the floating-point order of
 * operations and so the bits of the trained weights: they are recorded, reproducible variance factors, and a
 * process cannot switch them after the first load (we refuse rather than silently keep the first values).
 */
import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs";
import { replaceSlowTensorflowKernels } from "./kernels/tensorflow-kernels";
import { TFJS_NODE_PACKAGE, tensorflowInstallStatus } from "./tensorflow-install";

export type TensorflowOptions = { threads: number; onednn: boolean };

/** What the loaded library reports, for run provenance. */
export type LoadedTensorflow = TensorflowOptions & { tensorflowVersion: string; tfjsNodeVersion: string; replacedKernels: string[] };

const require = createRequire(import.meta.url);
let loaded: LoadedTensorflow | undefined;

/**
 * Loads tfjs-node in this process with `options` (first call) or checks that the process already runs
 * TensorFlow with the same options (later calls). Leaves 'tensorflow' registered; the caller activates it.
 * @throws Error in one sentence: not installed (with the command that installs it), failed to load, or
 *   asked for other options than the ones this process loaded TensorFlow with.
 */
export function loadTensorflow(options: TensorflowOptions): LoadedTensorflow {
  if (loaded) {
    if (loaded.threads !== options.threads || loaded.onednn !== options.onednn) {
      throw new Error(
        `This process already runs TensorFlow with ${describeTensorflowOptions(loaded)}; ${describeTensorflowOptions(options)} needs a new process (TensorFlow reads them once).`,
      );
    }
    return loaded;
  }
  const status = tensorflowInstallStatus();
  if (!status.installed) throw new Error(`Backend 'tensorflow' is not available: ${status.reason} (or use --backend wasm).`);
  const previous = { threads: process.env.TF_NUM_INTRAOP_THREADS, onednn: process.env.TF_ENABLE_ONEDNN_OPTS };
  process.env.TF_NUM_INTRAOP_THREADS = String(options.threads);
  process.env.TF_ENABLE_ONEDNN_OPTS = options.onednn ? "1" : "0";
  // TensorFlow's informational start-up lines (oneDNN notice, CPU feature list) go to stderr of every worker.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= "2";
  const activeBefore = tf.getBackend();
  let tfjsNode: { version: Record<string, string> };
  try {
    tfjsNode = require(TFJS_NODE_PACKAGE) as typeof tfjsNode;
  } catch (error) {
    restoreEnvironment(previous);
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    throw new Error(`Backend 'tensorflow' failed to load (${reason}); run \`npm run setup:tensorflow -- --force\`.`);
  }
  // Requiring tfjs-node makes 'tensorflow' the active backend as a side effect; keep whatever was active.
  if (activeBefore && activeBefore !== "tensorflow") void tf.setBackend(activeBefore);
  const replacedKernels = replaceSlowTensorflowKernels();
  const binding = (tf.findBackend("tensorflow") as unknown as { binding?: { TF_Version?: string } } | null)?.binding;
  loaded = {
    ...options,
    tensorflowVersion: binding?.TF_Version ?? "unknown",
    tfjsNodeVersion: tfjsNode.version["tfjs-node"] ?? "unknown",
    replacedKernels,
  };
  return loaded;
}

function restoreEnvironment(previous: { threads: string | undefined; onednn: string | undefined }): void {
  if (previous.threads === undefined) delete process.env.TF_NUM_INTRAOP_THREADS;
  else process.env.TF_NUM_INTRAOP_THREADS = previous.threads;
  if (previous.onednn === undefined) delete process.env.TF_ENABLE_ONEDNN_OPTS;
  else process.env.TF_ENABLE_ONEDNN_OPTS = previous.onednn;
}

/** "1 intra-op thread, oneDNN on" */
export function describeTensorflowOptions(options: TensorflowOptions): string {
  return `${options.threads} intra-op thread${options.threads === 1 ? "" : "s"}, oneDNN ${options.onednn ? "on" : "off"}`;
}
