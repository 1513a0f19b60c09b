/**
 * Sum over leading axes (a bias gradient: dy [B, H, W, C] summed to [C]) for the wasm backend, in our
 * SIMD kernel instead of the shipped kernel's transpose followed by one sequential sum per output.
 *
 * The shipped kernel moves the summed axes innermost and adds each output's values from +0 in index
 * order, one float32 addition at a time. With the summed axes leading, that order is the rows of x
 * viewed as [R, N]: out[n] = (((0 + x[0, n]) + x[1, n]) + …). That is a window sum with a = 1.0 and
 * w = x (1·x is exact), vectorised across the N independent outputs, so the bits are the same
 * (tests/unit/runner/backend/simd-window-sum.test.ts compares with the shipped kernel) without the
 * transpose. Every other reduction goes to the shipped kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { disposeIntermediates } from "./call-kernel";
import { paddedLanes, windowSum } from "./simd-window-sum";
import { allocateOutput, asWasmBackend, heapAddress, heapView, wasmMemory } from "./wasm-heap";

/** Whether `axes` (normalised, any order) are exactly the first `axes.length` axes of a rank-`rank` tensor. */
export function reducesLeadingAxes(axes: readonly number[], rank: number): boolean {
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  return sorted.length > 0 && sorted.length < rank && sorted.every((axis, index) => axis === index);
}

/**
 * Builds the replacement kernel config.
 * @param shipped the wasm backend's own Sum config (already set up by the engine).
 */
export function createSimdSumConfig(shipped: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const x = args.inputs.x;
    if (x === undefined) throw new Error("Sum needs input x.");
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape);
    if (x.dtype !== "float32" || !reducesLeadingAxes(axes, rank)) return shipped.kernelFunc(args);
    const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    const lanes = x.shape.slice(axes.length).reduce((a, b) => a * b, 1);
    if (rows === 0 || lanes === 0) return shipped.kernelFunc(args);
    const backend = asWasmBackend(args.backend);
    const memory = wasmMemory(backend);
    // The last SIMD load of x's last row reads up to 3 floats past x; they must be inside the heap.
    if (heapAddress(backend, x) + 4 * (rows * lanes + paddedLanes(lanes) - lanes) > memory.buffer.byteLength) return shipped.kernelFunc(args);
    const keptShape = x.shape.slice(axes.length);
    const outShape = keepDims ? [...x.shape.slice(0, axes.length).map(() => 1), ...keptShape] : keptShape;
    const one = allocateOutput(backend, [1], "float32", false);
    const out = allocateOutput(backend, outShape, "float32", false);
    try {
      (heapView(backend, one) as Float32Array)[0] = 1;
      windowSum(memory, {
        a: heapAddress(backend, one),
        aGroup: 0,
        aRow: 0,
        aColumn: 0,
        aWindowRow: 0,
        aWindowColumn: 0,
        aDepth: 0,
        w: heapAddress(backend, x),
        wWindowRow: 0,
        wWindowColumn: 0,
        wDepth: 4 * lanes,
        out: heapAddress(backend, out),
        outGroup: 0,
        outRow: 0,
        outColumn: 0,
        groups: 1,
        rows: 1,
        columns: 1,
        windowRows: 1,
        windowColumns: 1,
        depth: rows,
        lanes,
      });
      return out;
    } finally {
      disposeIntermediates(backend, [one]);
    }
  };
  return { kernelName: "Sum", backendName: "wasm", kernelFunc };
}
