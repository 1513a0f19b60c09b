/**
 * MaxPoolGrad for the wasm backend, replacing the shipped one because it is wrong.
 *
 * Found by tests/unit/runner/backend/shipped-gradient-kernels.test.ts: in tfjs-backend-wasm 4.22 a
 * pooling window whose values are all negative receives no gradient at all (the running maximum
 * apparently starts at a positive sentinel instead of -∞), while the cpu backend, like TensorFlow,
 * routes dy to the window's maximum. Networks that pool after ReLU never see negative inputs, which
 * is probably why it went unnoticed; pooling anything else trains wrongly.
 *
 * Semantics copied from the cpu backend: the maximum is the first strictly greatest value in
 * row-major window order (a window of only NaN or -∞ gets no gradient), positions in the padding
 * are never chosen, and dy of overlapping windows is summed into dx. The LeNets' pooling (2×2 windows,
 * stride 2, no padding) runs in our WebAssembly kernel (max-pool-two-by-two.ts) with the same semantics,
 * every other geometry in the loop below.
 */
import * as tf from "@tensorflow/tfjs";
import { maxPoolGradTwoByTwo } from "./max-pool-two-by-two";
import { isWholeTwoByTwo, poolGeometry, type PoolGeometry } from "./pool-geometry";
import { allocateOutput, asWasmBackend, heapAddress, heapView, wasmMemory } from "./wasm-heap";

/**
 * Accumulates the max-pooling gradient into `dx` (which must start zeroed). Exported for tests.
 * @param x forward input [B, H, W, C].
 * @param dy gradient of the pooled output [B, Ho, Wo, C].
 * @param dx destination [B, H, W, C], zero-filled by the caller.
 */
export function maxPoolGradInto(x: Float32Array, dy: Float32Array, dx: Float32Array, g: PoolGeometry): void {
  const channels = g.channels;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      const rowStart = oy * g.strideHeight - g.padTop;
      // Window rows inside the input; rows in the padding are never candidates.
      const iStart = Math.max(0, -rowStart);
      const iEnd = Math.min(g.filterHeight, g.inHeight - rowStart);
      for (let ox = 0; ox < g.outWidth; ox++) {
        const columnStart = ox * g.strideWidth - g.padLeft;
        const jStart = Math.max(0, -columnStart);
        const jEnd = Math.min(g.filterWidth, g.inWidth - columnStart);
        const dyBase = ((b * g.outHeight + oy) * g.outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let bestIndex = -1;
          for (let i = iStart; i < iEnd; i++) {
            const rowOffset = ((b * g.inHeight + rowStart + i) * g.inWidth + columnStart) * channels + c;
            for (let j = jStart; j < jEnd; j++) {
              const index = rowOffset + j * channels;
              const value = x[index]!;
              if (value > best) {
                best = value;
                bestIndex = index;
              }
            }
          }
          if (bestIndex >= 0) dx[bestIndex] = dx[bestIndex]! + dy[dyBase + c]!;
        }
      }
    }
  }
}

/**
 * Kernel function for tf.registerKernel.
 * @param args.inputs.dy pooled-output gradient; args.inputs.input forward input (NHWC float32).
 * @param args.attrs filterSize, strides, pad, dimRoundingMode.
 * @throws Error for non-float32 inputs.
 */
export function maxPoolGradWasm(args: { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { dy, input } = args.inputs;
  const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs | undefined;
  if (dy === undefined || input === undefined || attrs === undefined) throw new Error("MaxPoolGrad needs dy, input and attributes.");
  if (dy.dtype !== "float32" || input.dtype !== "float32") throw new Error("MaxPoolGrad supports float32 only.");
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const dx = allocateOutput(backend, input.shape, "float32", true);
  const geometry = poolGeometry(info);
  if (isWholeTwoByTwo(geometry)) {
    const at = { x: heapAddress(backend, input), dy: heapAddress(backend, dy), dx: heapAddress(backend, dx) };
    maxPoolGradTwoByTwo(wasmMemory(backend), at, geometry, { firstIsCandidate: false });
  } else {
    maxPoolGradInto(heapView(backend, input) as Float32Array, heapView(backend, dy) as Float32Array, heapView(backend, dx) as Float32Array, geometry);
  }
  return dx;
}

/** Registry entry. */
export const maxPoolGradWasmConfig: tf.KernelConfig = {
  kernelName: "MaxPoolGrad",
  backendName: "wasm",
  kernelFunc: maxPoolGradWasm as tf.KernelFunc,
};
