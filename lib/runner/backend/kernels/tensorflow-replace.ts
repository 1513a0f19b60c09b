/**
 * Replacing one of tfjs-node's kernels on the tensorflow backend, keeping the original to delegate to (a dtype
 * or geometry the replacement does not serve). Shared by our tensorflow kernels.
 */
import * as tf from "@tensorflow/tfjs";

export type KernelFunc = (args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo | tf.TensorInfo[];

/** What our kernels need of tfjs-node's NodeJSKernelBackend. */
export type TensorflowBackend = {
  readSync(dataId: object): tf.backend_util.BackendValues;
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): object;
  disposeData(dataId: object, force?: boolean): boolean;
  /** Hands tensors whose values are still held in JavaScript to TensorFlow (a copy), returning their handles. */
  getInputTensorIds(tensors: tf.TensorInfo[]): number[];
  executeSingleOutput(name: string, opAttrs: unknown[], inputs: tf.TensorInfo[]): tf.Tensor;
  createReductionOpAttrs(tensor: tf.TensorInfo, keepDims?: boolean): unknown[];
};

/**
 * Registers `build(original)` as the tensorflow backend's `kernelName`. Call after @tensorflow/tfjs-node has been
 * required (it registers the originals); a second call for the same kernel does nothing.
 * @throws Error when tfjs-node has no such kernel.
 */
export function replaceTensorflowKernel(kernelName: string, build: (original: KernelFunc) => KernelFunc): void {
  const existing = tf.getKernel(kernelName, "tensorflow");
  if (existing && (existing as { replacedByVarstudy?: boolean }).replacedByVarstudy) return;
  if (!existing) throw new Error(`tfjs-node's ${kernelName} kernel is not registered; load @tensorflow/tfjs-node first.`);
  tf.unregisterKernel(kernelName, "tensorflow");
  const config: tf.KernelConfig & { replacedByVarstudy: true } = {
    kernelName,
    backendName: "tensorflow",
    replacedByVarstudy: true,
    kernelFunc: build(existing.kernelFunc as KernelFunc) as tf.KernelFunc,
  };
  tf.registerKernel(config);
}
