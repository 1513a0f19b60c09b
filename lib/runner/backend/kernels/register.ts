/**
 * Registers the kernels that tfjs-backend-wasm lacks for training the runner's networks.
 *
 * How the list was found: LeNet-1/4/5 and a small ResNet (Conv2D with 'same'/'valid' padding and
 * stride 2, BatchNormalization, Max/AveragePooling, Dropout, Dense, softmax cross-entropy, SGD and
 * Adam, L2 regularisation) were trained on the cpu backend under tf.profile, and every kernel name it
 * ran was looked up in the wasm registry. Only Conv2DBackpropFilter was missing in tfjs 4.22; the
 * other gradient kernels (Conv2DBackpropInput, MaxPoolGrad, AvgPoolGrad, ...) exist in wasm and are
 * checked against the cpu backend in tests/unit/runner/backend.
 */
import * as tf from "@tensorflow/tfjs";
import { conv2DBackpropFilterWasmConfig } from "./conv2d-backprop-filter";

/** Kernels this project adds to the wasm backend, in registration order. */
export const ADDED_WASM_KERNELS: readonly tf.KernelConfig[] = [conv2DBackpropFilterWasmConfig];

/**
 * Registers every kernel in ADDED_WASM_KERNELS that the wasm backend does not already have.
 * Idempotent, and never overrides an implementation shipped by a newer tfjs-backend-wasm.
 * @returns names of the kernels provided by this project (whether registered now or earlier).
 */
export function registerMissingWasmKernels(): string[] {
  const provided: string[] = [];
  for (const config of ADDED_WASM_KERNELS) {
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
