/**
 * Identity for the wasm backend without a copy: the output shares the input's memory, as the cpu backend's
 * Identity and the wasm backend's own Reshape do (tfjs counts references per buffer and frees it with the last
 * tensor; no kernel writes into its inputs).
 *
 * Why: tfjs-layers and the autodiff tape call Identity about 50 times per LeNet-5 training step (clones of
 * activations, gradients and weights), and the shipped kernel copied every one: about 1 ms of a 25 ms step in
 * `npm run profile:runner`. A shared buffer holds the same bits as a copy.
 */
import type * as tf from "@tensorflow/tfjs";
import { asWasmBackend } from "./wasm-heap";

/** A replacement for `shipped` that shares memory; strings keep the shipped kernel. */
export function createSharingIdentityConfig(shipped: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "Identity",
    backendName: "wasm",
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === "string") return shipped.kernelFunc(args);
      asWasmBackend(args.backend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
}
