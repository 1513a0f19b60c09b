/**
 * BatchMatMul for the wasm backend without transposed operands.
 *
 * Why: the shipped kernel is fast only for transposeA = transposeB = false; with either flag set it
 * falls back to a loop that was 4-40x slower on the dense-layer gradients of LeNet-5 (dx = dy·Wᵀ on
 * [64,120]×[784,120]ᵀ took ~90 ms against ~2.5 ms untransposed). Every dense layer's backward
 * pass uses those flags, so we transpose the operand explicitly (a cheap copy) and call the shipped
 * kernel on its fast path.
 */
import type * as tf from "@tensorflow/tfjs";
import { callKernel, disposeIntermediates } from "./call-kernel";
import { asWasmBackend } from "./wasm-heap";

/** Permutation swapping the last two axes of a rank-`rank` tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, axis) => axis);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * Builds the replacement kernel config.
 * @param shipped the wasm backend's own BatchMatMul config (already set up by the engine).
 */
export function createUntransposedBatchMatMulConfig(shipped: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const attrs = args.attrs as unknown as tf.BatchMatMulAttrs;
    const { a, b } = args.inputs;
    if (a === undefined || b === undefined) throw new Error("BatchMatMul needs inputs a and b.");
    if (!attrs.transposeA && !attrs.transposeB) return shipped.kernelFunc(args);
    const backend = asWasmBackend(args.backend);
    const intermediates: tf.TensorInfo[] = [];
    const materialise = (x: tf.TensorInfo, transposed: boolean): tf.TensorInfo => {
      if (!transposed) return x;
      const out = callKernel("Transpose", "wasm", backend, { x }, { perm: swapLastTwo(x.shape.length) });
      intermediates.push(out);
      return out;
    };
    try {
      return shipped.kernelFunc({
        inputs: { a: materialise(a, attrs.transposeA), b: materialise(b, attrs.transposeB) },
        backend,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      disposeIntermediates(backend, intermediates);
    }
  };
  return { kernelName: "BatchMatMul", backendName: "wasm", kernelFunc };
}
