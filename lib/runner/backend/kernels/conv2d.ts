/**
 * Conv2D (NHWC) for the wasm backend in our SIMD kernel, replacing the shipped XNNPACK call for speed.
 *
 * Why: XNNPACK creates its convolution operator, packs the filter and builds an indirection buffer on
 * every call because training changes the filter each step; with one input channel (the LeNets' first
 * layer) that overhead dominated. The sum is the one XNNPACK computes, in its order:
 *
 *   out[b, y, x, o] = Σ_i Σ_j Σ_c  xPadded[b, y·sh + i·dh, x·sw + j·dw, c] · filter[i, j, c, o]
 *
 * from +0, filter rows then columns then input channels, each product and sum rounded to float32
 * (simd-window-sum.ts explains why that and the zero padding give the same bits), so runs trained
 * before this replacement, including the shipped demo, are reproduced bit for bit
 * (tests/unit/runner/backend/simd-window-sum.test.ts compares with the shipped kernel).
 * NCHW goes to the shipped kernel, which rejects it as before.
 */
import * as tf from "@tensorflow/tfjs";
import { disposeIntermediates } from "./call-kernel";
import { zeroInsertAndPad } from "./conv2d-backprop-input";
import { copyToPaddedLanes, paddedLanes, windowSum } from "./simd-window-sum";
import { allocateOutput, asWasmBackend, heapAddress, heapView, wasmMemory } from "./wasm-heap";

/**
 * Builds the replacement kernel config.
 * @param shipped the wasm backend's own Conv2D config (already set up by the engine).
 */
export function createSimdConv2DConfig(shipped: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const attrs = args.attrs as unknown as tf.Conv2DAttrs;
    const { x, filter } = args.inputs;
    if (x === undefined || filter === undefined) throw new Error("Conv2D needs inputs x and filter.");
    if (attrs.dataFormat === "NCHW" || x.dtype !== "float32" || filter.dtype !== "float32") return shipped.kernelFunc(args);
    const backend = asWasmBackend(args.backend);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      "channelsLast",
    );
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
    const out = allocateOutput(backend, info.outShape, "float32", false);
    if ([batchSize, outHeight, outWidth, outChannels, inChannels].some((n) => n === 0)) return out;
    // Rows and columns of padded x that the convolution reads.
    const paddedHeight = (outHeight - 1) * info.strideHeight + (filterHeight - 1) * info.dilationHeight + 1;
    const paddedWidth = (outWidth - 1) * info.strideWidth + (filterWidth - 1) * info.dilationWidth + 1;
    const { top, left } = info.padInfo;
    const inPlace = top === 0 && left === 0 && paddedHeight <= inHeight && paddedWidth <= inWidth;
    const laneStride = outChannels % 4 === 0 ? outChannels : paddedLanes(outChannels);
    const intermediates: tf.TensorInfo[] = [];
    try {
      const padded = inPlace ? x : allocateOutput(backend, [batchSize, paddedHeight, paddedWidth, inChannels], "float32", true);
      if (!inPlace) intermediates.push(padded);
      // The filter is small: with a channel count that is not a multiple of 4 it is copied into rows of
      // whole vectors, so that no SIMD load reads past its end.
      const weights = laneStride === outChannels ? filter : allocateOutput(backend, [filterHeight, filterWidth, inChannels, laneStride], "float32", true);
      if (weights !== filter) intermediates.push(weights);
      // Views are taken after all allocations: allocating can move the heap.
      if (!inPlace) {
        zeroInsertAndPad({
          dy: heapView(backend, x) as Float32Array,
          dyShape: [batchSize, inHeight, inWidth, inChannels],
          out: heapView(backend, padded) as Float32Array,
          paddedHeight,
          paddedWidth,
          strideHeight: 1,
          strideWidth: 1,
          offsetTop: top,
          offsetLeft: left,
        });
      }
      if (weights !== filter) copyToPaddedLanes(heapView(backend, filter) as Float32Array, outChannels, heapView(backend, weights) as Float32Array, laneStride);
      const [rowStride, pixelStride] = inPlace ? [inWidth * inChannels * 4, inChannels * 4] : [paddedWidth * inChannels * 4, inChannels * 4];
      windowSum(wasmMemory(backend), {
        a: heapAddress(backend, padded),
        aGroup: (inPlace ? inHeight : paddedHeight) * rowStride,
        aRow: info.strideHeight * rowStride,
        aColumn: info.strideWidth * pixelStride,
        aWindowRow: info.dilationHeight * rowStride,
        aWindowColumn: info.dilationWidth * pixelStride,
        aDepth: 4,
        w: heapAddress(backend, weights),
        wWindowRow: filterWidth * inChannels * laneStride * 4,
        wWindowColumn: inChannels * laneStride * 4,
        wDepth: laneStride * 4,
        out: heapAddress(backend, out),
        outGroup: outHeight * outWidth * outChannels * 4,
        outRow: outWidth * outChannels * 4,
        outColumn: outChannels * 4,
        groups: batchSize,
        rows: outHeight,
        columns: outWidth,
        windowRows: filterHeight,
        windowColumns: filterWidth,
        depth: inChannels,
        lanes: outChannels,
      });
      return out;
    } finally {
      disposeIntermediates(backend, intermediates);
    }
  };
  return { kernelName: "Conv2D", backendName: "wasm", kernelFunc };
}
