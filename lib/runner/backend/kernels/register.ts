/**
 * Kernels this project adds to, or replaces in, the wasm backend.
 *
 * Missing: found by training LeNet-1/4/5 and a small ResNet (Conv2D with 'same'/'valid' padding
 * and stride 2, BatchNormalization, Max/AveragePooling, Dropout, Dense, softmax cross-entropy, SGD,
 * momentum and Adam, L2 regularisation) on the cpu backend under tf.profile and looking every kernel
 * it ran up in the wasm registry. In tfjs 4.22 only Conv2DBackpropFilter was missing.
 *
 * Replaced: kernels that exist but dominated a training step in profiles (per-kernel times from
 * tf.profile on LeNet-5 and ResNet steps): BatchMatMul (slow loop with transposed operands, weight
 * packing per call), Conv2D and Conv2DBackpropInput (XNNPACK operator set-up per call, a direct C++
 * loop), Sum over leading axes (a transpose first), Tile (per-element index arithmetic), Identity (a
 * copy per call; ours shares the buffer) and MaxPoolGrad (wrong for all-negative windows; ours runs the
 * LeNets' pooling in max-pool-two-by-two.ts). Conv2D, both convolution gradients, BatchMatMul and Sum
 * run in our SIMD kernel (simd-window-sum.ts) with the shipped kernels' summation order, so results keep
 * their bits. Each replacement is checked against the cpu backend in tests/unit/runner/backend, and the
 * SIMD ones bit for bit against the kernels they replace (simd-window-sum.test.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { createUntransposedBatchMatMulConfig } from "./batch-mat-mul";
import { createSimdConv2DConfig } from "./conv2d";
import { conv2DBackpropFilterWasmConfig } from "./conv2d-backprop-filter";
import { conv2DBackpropInputWasmConfig } from "./conv2d-backprop-input";
import { createSharingIdentityConfig } from "./identity";
import { maxPoolGradWasmConfig } from "./max-pool-grad";
import { createSimdSumConfig } from "./sum";
import { createFastTileConfig } from "./tile";

/** Kernels tfjs-backend-wasm does not ship and training needs. */
export const MISSING_WASM_KERNELS: readonly tf.KernelConfig[] = [conv2DBackpropFilterWasmConfig];

/** Names of shipped wasm kernels that we replace with faster or correct, cpu-checked versions. */
export const REPLACED_WASM_KERNELS: readonly string[] = ["BatchMatMul", "Conv2D", "Conv2DBackpropInput", "Identity", "MaxPoolGrad", "Sum", "Tile"];

/**
 * Registers every kernel in MISSING_WASM_KERNELS that the wasm backend does not already have.
 * Idempotent, and never overrides an implementation shipped by a newer tfjs-backend-wasm.
 * May run before or after the backend initialises (these kernels have no setup step).
 * @returns names of the missing kernels now provided by this project.
 */
export function registerMissingWasmKernels(): string[] {
  const provided: string[] = [];
  for (const config of MISSING_WASM_KERNELS) {
    const existing = tf.getKernel(config.kernelName, config.backendName);
    if (existing === undefined) {
      tf.registerKernel(config);
      provided.push(config.kernelName);
    } else if (existing.kernelFunc === config.kernelFunc) {
      provided.push(config.kernelName);
    }
  }
  return provided;
}

/** Shipped configs, captured once so replacements can delegate to them and tests can compare. */
const shippedKernels = new Map<string, tf.KernelConfig>();

/**
 * The wasm backend's own implementation of `kernelName`, even after it has been replaced.
 * @returns undefined when the backend never shipped that kernel.
 */
export function getShippedWasmKernel(kernelName: string): tf.KernelConfig | undefined {
  return shippedKernels.get(kernelName) ?? tf.getKernel(kernelName, "wasm");
}

function replacementFor(kernelName: string, shipped: tf.KernelConfig): tf.KernelConfig {
  switch (kernelName) {
    case "BatchMatMul":
      return createUntransposedBatchMatMulConfig(shipped);
    case "Conv2D":
      return createSimdConv2DConfig(shipped);
    case "Conv2DBackpropInput":
      return conv2DBackpropInputWasmConfig;
    case "Identity":
      return createSharingIdentityConfig(shipped);
    case "MaxPoolGrad":
      return maxPoolGradWasmConfig;
    case "Sum":
      return createSimdSumConfig(shipped);
    case "Tile":
      return createFastTileConfig(shipped);
    default:
      throw new Error(`No replacement defined for wasm kernel '${kernelName}'.`);
  }
}

/**
 * Swaps in the faster implementations of REPLACED_WASM_KERNELS. Must run after the wasm backend has
 * initialised: the engine runs each shipped kernel's setup (binding its C++ function) at that
 * moment, and a shipped kernel unregistered earlier would never be set up, leaving the delegations
 * in our replacements unusable. Idempotent.
 * @returns names of the replaced kernels.
 */
export function replaceSlowWasmKernels(): string[] {
  for (const kernelName of REPLACED_WASM_KERNELS) {
    if (shippedKernels.has(kernelName)) continue;
    const shipped = tf.getKernel(kernelName, "wasm");
    if (shipped === undefined) throw new Error(`The wasm backend has no '${kernelName}' kernel to replace.`);
    shippedKernels.set(kernelName, shipped);
    tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel(replacementFor(kernelName, shipped));
  }
  return [...REPLACED_WASM_KERNELS];
}
