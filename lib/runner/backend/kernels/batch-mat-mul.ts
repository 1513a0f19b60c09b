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
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { callKernel, disposeIntermediates } from "./call-kernel";
import { paddedLanes, windowSum } from "./simd-window-sum";
import { allocateOutput, asWasmBackend, heapAddress, wasmMemory } from "./wasm-heap";

/** Permutation swapping the last two axes of a rank-`rank` tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, axis) => axis);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * C = op(A)·B in our SIMD kernel (simd-window-sum.ts), for equal batch sizes and an untransposed B:
 * each C[m, n] = Σ_k A[m, k]·B[k, n] from +0 in k order, the order of XNNPACK's fully-connected
 * operator that the shipped kernel calls (same bits; tests/unit/runner/backend/simd-window-sum.test.ts),
 * four columns n per SIMD register. A transposed A is read with strides instead of being copied, and
 * there is no weight packing per call.
 * @returns null where this path does not apply (the caller uses the shipped kernel).
 */
function simdMatMul(backend: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean): tf.TensorInfo | null {
  const rank = a.shape.length;
  if (a.dtype !== "float32" || b.dtype !== "float32" || rank < 2 || b.shape.length !== rank) return null;
  const batchShape = a.shape.slice(0, -2);
  if (batchShape.some((size, axis) => size !== b.shape[axis])) return null;
  const batch = batchShape.reduce((x, y) => x * y, 1);
  const [m, k] = transposeA ? [a.shape[rank - 1]!, a.shape[rank - 2]!] : [a.shape[rank - 2]!, a.shape[rank - 1]!];
  const n = b.shape[rank - 1]!;
  if (b.shape[rank - 2] !== k || batch === 0 || m === 0 || n === 0 || k === 0) return null;
  const memory = wasmMemory(backend);
  // The last SIMD load of B's last row reads up to 3 floats past B; they must be inside the heap.
  if (heapAddress(backend, b) + 4 * (batch * k * n + paddedLanes(n) - n) > memory.buffer.byteLength) return null;
  const out = allocateOutput(backend, [...batchShape, m, n], "float32", false);
  const [aAddress, bAddress, outAddress] = [heapAddress(backend, a), heapAddress(backend, b), heapAddress(backend, out)];
  for (let g = 0; g < batch; g++) {
    windowSum(memory, {
      a: aAddress + 4 * g * m * k,
      aGroup: 0,
      aRow: 0,
      aColumn: 4 * (transposeA ? 1 : k),
      aWindowRow: 0,
      aWindowColumn: 0,
      aDepth: 4 * (transposeA ? m : 1),
      w: bAddress + 4 * g * k * n,
      wWindowRow: 0,
      wWindowColumn: 0,
      wDepth: 4 * n,
      out: outAddress + 4 * g * m * n,
      outGroup: 0,
      outRow: 0,
      outColumn: 4 * n,
      groups: 1,
      rows: 1,
      columns: m,
      windowRows: 1,
      windowColumns: 1,
      depth: k,
      lanes: n,
    });
  }
  return out;
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
    const backend = asWasmBackend(args.backend);
    const intermediates: tf.TensorInfo[] = [];
    try {
      const bUntransposed = attrs.transposeB ? callKernel("Transpose", "wasm", backend, { x: b }, { perm: swapLastTwo(b.shape.length) }) : b;
      if (bUntransposed !== b) intermediates.push(bUntransposed);
      const product = simdMatMul(backend, a, bUntransposed, attrs.transposeA);
      if (product !== null) return product;
    } finally {
      disposeIntermediates(backend, intermediates.splice(0));
    }
    if (!attrs.transposeA && !attrs.transposeB) return shipped.kernelFunc(args);
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
