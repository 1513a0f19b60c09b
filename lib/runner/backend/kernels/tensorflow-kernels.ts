/**
 * Our kernels on the tensorflow backend (tfjs-node), all for speed, each with the bits of what it replaces
 * (tests/unit/runner/backend/tensorflow-kernels.test.ts): per-op cost dominates tfjs-node, and
 * `npm run profile:runner -- --backend tensorflow` shows where a step's time goes.
 */
import { createRequire } from "node:module";
import type * as tf from "@tensorflow/tfjs";
import { TFJS_NODE_PACKAGE } from "../tensorflow-install";
import { replaceTensorflowConstantInputKernels, TENSORFLOW_CONSTANT_INPUT_KERNELS } from "./tensorflow-constant-inputs";
import { replaceTensorflowPooling, TENSORFLOW_POOLING_KERNELS } from "./tensorflow-max-pool";
import { registerTensorflowReluGradient } from "./tensorflow-relu-grad";
import { replaceTensorflowStep } from "./tensorflow-step";

type NodeBackendModule = { createTensorsTypeOpAttr(attrName: string, dtype: tf.DataType): unknown };

const require = createRequire(import.meta.url);

/** Kernels replaced on the tensorflow backend, for run provenance. */
export const REPLACED_TENSORFLOW_KERNELS = ["Step", ...TENSORFLOW_POOLING_KERNELS, ...TENSORFLOW_CONSTANT_INPUT_KERNELS] as const;

/**
 * Replaces tfjs-node's kernels with ours. Call after @tensorflow/tfjs-node has been required (it registers the
 * originals); harmless to call again.
 * @returns the names of the replaced kernels.
 */
export function replaceSlowTensorflowKernels(): string[] {
  // Not a literal: a bundler must not try to resolve an optional package that is usually absent.
  const { createTensorsTypeOpAttr } = require(`${TFJS_NODE_PACKAGE}/dist/nodejs_kernel_backend`) as NodeBackendModule;
  // Same results as tfjs's gradient (one op instead of Step, Cast and Multiply), so not listed as a replaced kernel.
  registerTensorflowReluGradient(createTensorsTypeOpAttr);
  replaceTensorflowStep(createTensorsTypeOpAttr);
  replaceTensorflowPooling();
  replaceTensorflowConstantInputKernels(createTensorsTypeOpAttr);
  return [...REPLACED_TENSORFLOW_KERNELS];
}
