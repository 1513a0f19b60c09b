/**
 * Calling one backend kernel from inside another.
 *
 * A kernel must not call tf ops: ops create engine-tracked tensors (and gradient-tape entries) in
 * the middle of the engine's own bookkeeping for the outer kernel. Backends compose kernels by
 * calling other kernel functions on raw TensorInfos and freeing the intermediates themselves; this
 * module does the same through the public kernel registry, so we need no private imports from
 * @tensorflow/tfjs-backend-wasm.
 */
import * as tf from "@tensorflow/tfjs";

/** The part of a backend a composed kernel needs: the ability to free intermediate buffers. */
export type DisposingBackend = { disposeData(dataId: object, force?: boolean): boolean };

/**
 * Runs the kernel `kernelName` registered for `backendName` directly on TensorInfos.
 * @param kernelName e.g. "Conv2D", "Transpose", "Slice".
 * @param backendName the backend whose implementation to run (the caller's own backend).
 * @param backend the backend instance handed to the calling kernel.
 * @param inputs named inputs as the kernel expects them.
 * @param attrs the kernel's attributes.
 * @returns the single output TensorInfo; the caller owns it and must free it or return it.
 * @throws Error when the kernel is not registered or returns several outputs.
 */
export function callKernel(
  kernelName: string,
  backendName: string,
  backend: object,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const config = tf.getKernel(kernelName, backendName);
  if (config === undefined) {
    throw new Error(`Kernel '${kernelName}' is not registered for backend '${backendName}'.`);
  }
  const output = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(output)) {
    throw new Error(`Kernel '${kernelName}' returned ${output.length} outputs where one was expected.`);
  }
  return output;
}

/**
 * Frees intermediate buffers created by `callKernel`. Inputs handed to the outer kernel must never be
 * passed here: the engine owns them.
 */
export function disposeIntermediates(backend: DisposingBackend, infos: readonly tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
