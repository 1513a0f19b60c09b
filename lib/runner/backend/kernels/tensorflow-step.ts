/**
 * A faster Step kernel for the tensorflow backend. Step is what ReLU's gradient calls (dy · step(x)), four
 * times per LeNet-5 training step. tfjs-node 4.22 builds it from seven TensorFlow ops and three full-size
 * constant tensors made in JavaScript (isNaN, greater, ones, fill, where, select); the kernel profile
 * (npm run profile:runner -- --backend tensorflow) showed it, with the Fill, Greater and IsNan it causes, as a
 * third of LeNet-5's kernel time. This one uses four ops and two scalars, broadcasting with SelectV2:
 *   step(x) = isNaN(x) ? x : (x > 0 ? 1 : alpha)
 * which is tfjs's definition. The output holds only 1, alpha or NaN, so results are bit-identical to the
 * kernel it replaces (tested in tests/unit/runner/backend/tensorflow-kernels.test.ts).
 */
import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs";
import { TFJS_NODE_PACKAGE } from "../tensorflow-install";
import { replaceTensorflowPooling, TENSORFLOW_POOLING_KERNELS } from "./tensorflow-max-pool";
import { registerTensorflowReluGradient } from "./tensorflow-relu-grad";

type TensorflowKernelBackend = {
  executeSingleOutput(name: string, opAttrs: unknown[], inputs: tf.TensorInfo[]): tf.Tensor;
};
type NodeBackendModule = { createTensorsTypeOpAttr(attrName: string, dtype: tf.DataType): unknown };

const require = createRequire(import.meta.url);

/** Kernels this module replaces on the tensorflow backend, for run provenance. */
export const REPLACED_TENSORFLOW_KERNELS = ["Step", ...TENSORFLOW_POOLING_KERNELS] as const;

/**
 * Replaces tfjs-node's Step kernel and, for the LeNets' pooling, MaxPool and MaxPoolGrad (tensorflow-max-pool.ts). Call after @tensorflow/tfjs-node has been required (it registers the
 * original); harmless to call again.
 * @returns the names of the replaced kernels.
 */
export function replaceSlowTensorflowKernels(): string[] {
  // Not a literal: a bundler must not try to resolve an optional package that is usually absent.
  const { createTensorsTypeOpAttr } = require(`${TFJS_NODE_PACKAGE}/dist/nodejs_kernel_backend`) as NodeBackendModule;
  // Same results as tfjs's gradient (one op instead of Step, Cast and Multiply), so not listed as a replaced kernel.
  registerTensorflowReluGradient(createTensorsTypeOpAttr);
  replaceTensorflowPooling();
  const existing = tf.getKernel("Step", "tensorflow");
  if (existing && (existing as { replacedByVarstudy?: boolean }).replacedByVarstudy) return [...REPLACED_TENSORFLOW_KERNELS];
  if (!existing) throw new Error("tfjs-node's Step kernel is not registered; load @tensorflow/tfjs-node first.");
  tf.unregisterKernel("Step", "tensorflow");
  const config: tf.KernelConfig & { replacedByVarstudy: true } = {
    kernelName: "Step",
    backendName: "tensorflow",
    replacedByVarstudy: true,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.Tensor;
      // IsNan exists for floating-point types only; anything else keeps tfjs-node's implementation.
      if (x.dtype !== "float32") return existing.kernelFunc({ inputs, backend, attrs });
      const alpha = (attrs as unknown as { alpha: number }).alpha;
      const nodeBackend = backend as unknown as TensorflowKernelBackend;
      const typeAttr = [createTensorsTypeOpAttr("T", x.dtype)];
      const zero = tf.scalar(0, x.dtype);
      const one = tf.scalar(1, x.dtype);
      const alphaScalar = tf.scalar(alpha, x.dtype);
      const positive = nodeBackend.executeSingleOutput("Greater", typeAttr, [x, zero]);
      const stepNoNans = nodeBackend.executeSingleOutput("SelectV2", typeAttr, [positive, one, alphaScalar]);
      const nans = nodeBackend.executeSingleOutput("IsNan", typeAttr, [x]);
      const result = nodeBackend.executeSingleOutput("SelectV2", typeAttr, [nans, x, stepNoNans]);
      tf.dispose([zero, one, alphaScalar, positive, stepNoNans, nans]);
      return result;
    },
  };
  tf.registerKernel(config);
  return [...REPLACED_TENSORFLOW_KERNELS];
}
