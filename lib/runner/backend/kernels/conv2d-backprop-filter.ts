/**
 * Conv2DBackpropFilter for the wasm backend, which ships without it (tfjs-backend-wasm 4.22), so
 * any Conv2D layer fails to train there.
 *
 * For NHWC input x [B, H, W, Ci], output gradient dy [B, Ho, Wo, Co], strides (sh, sw) and padding
 * (top, left):
 *
 *   dW[i, j, c, o] = Σ_y Σ_x Σ_b  xPadded[b, y·sh + i, x·sw + j, c] · dy[b, y, x, o]
 *
 * summed in exactly that order (y, then x, then the batch innermost). That is the order of the
 * XNNPACK convolution this kernel was first composed from (x transposed to [Ci, H, W, B] convolved
 * with dy transposed to [Ho, Wo, B, Co] as its filter, dilated by the strides); the shipped demo runs
 * were trained with it, so the order is kept bit for bit. It now runs in our own SIMD kernel
 * (simd-window-sum.ts): x is copied once into a zero-padded [Ci, Hp, Wp, B] buffer, dy is read in
 * place, and four output channels share a SIMD register.
 *
 * Dilations: tfjs computes Conv2D gradients only for dilation 1 (tf.conv2d's gradient asserts it),
 * so the kernel has no dilation attribute and neither do we.
 */
import * as tf from "@tensorflow/tfjs";
import { callKernel, disposeIntermediates } from "./call-kernel";
import { copyToPaddedLanes, paddedLanes, windowSum } from "./simd-window-sum";
import { allocateOutput, asWasmBackend, heapAddress, heapView, wasmMemory } from "./wasm-heap";

const BACKEND = "wasm";

/**
 * Writes x [B, H, W, C] into a zero-filled [C, paddedHeight, paddedWidth, B] buffer at row offset `top`
 * and column offset `left`; rows/columns beyond the buffer are never read by the gradient and are
 * skipped.
 */
function padChannelsFirstBatchLast(options: {
  x: Float32Array;
  xShape: readonly [number, number, number, number];
  out: Float32Array;
  paddedHeight: number;
  paddedWidth: number;
  top: number;
  left: number;
}): void {
  const { x, out, paddedHeight, paddedWidth, top, left } = options;
  const [batch, height, width, channels] = options.xShape;
  const rows = Math.min(height, paddedHeight - top);
  const columns = Math.min(width, paddedWidth - left);
  const channelStride = paddedHeight * paddedWidth * batch;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < rows; h++) {
      let from = ((b * height + h) * width) * channels;
      let to = ((h + top) * paddedWidth + left) * batch + b;
      for (let w = 0; w < columns; w++, from += channels, to += batch) {
        for (let c = 0; c < channels; c++) out[to + c * channelStride] = x[from + c]!;
      }
    }
  }
}

/**
 * Builds the kernel function: gradient of Conv2D with respect to its filter, on the wasm backend.
 * Its args: inputs.x, the forward input, float32, rank 4 (NHWC or NCHW per attrs.dataFormat); inputs.dy,
 * the gradient of the forward output, same data format; attrs strides, pad ('valid' | 'same' | number |
 * explicit), dataFormat, dimRoundingMode, filterShape [kh, kw, Ci, Co]. It returns a TensorInfo of
 * shape filterShape, owned by the engine, and throws for non-float32 or non-rank-4 inputs.
 * @param laneCopy "when-needed": dy is read in place unless its last row sits too close to the end of
 *   the heap (see below); "always": dy is always copied into rows of whole vectors (for tests).
 */
export function createConv2DBackpropFilterWasm(laneCopy: "when-needed" | "always"): (args: {
  inputs: tf.NamedTensorInfoMap;
  backend: object;
  attrs?: tf.NamedAttrMap;
}) => tf.TensorInfo {
  return (args) => conv2DBackpropFilterWasm(args, laneCopy);
}

function conv2DBackpropFilterWasm(
  args: { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap },
  laneCopy: "when-needed" | "always",
): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const x = args.inputs.x;
  const dy = args.inputs.dy;
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs | undefined;
  if (x === undefined || dy === undefined || attrs === undefined) {
    throw new Error("Conv2DBackpropFilter needs inputs x and dy and its attributes.");
  }
  if (x.shape.length !== 4 || dy.shape.length !== 4) {
    throw new Error(`Conv2DBackpropFilter expects rank-4 x and dy, got [${x.shape}] and [${dy.shape}].`);
  }
  if (x.dtype !== "float32" || dy.dtype !== "float32") {
    throw new Error(`Conv2DBackpropFilter supports float32 only, got ${x.dtype} and ${dy.dtype}.`);
  }
  const intermediates: tf.TensorInfo[] = [];
  const keep = (info: tf.TensorInfo): tf.TensorInfo => {
    intermediates.push(info);
    return info;
  };
  try {
    // Work in NHWC; NCHW inputs are transposed once.
    const channelsFirst = attrs.dataFormat === "NCHW";
    const xNhwc = channelsFirst ? keep(callKernel("Transpose", BACKEND, backend, { x }, { perm: [0, 2, 3, 1] })) : x;
    const dyNhwc = channelsFirst ? keep(callKernel("Transpose", BACKEND, backend, { x: dy }, { perm: [0, 2, 3, 1] })) : dy;
    // Only explicit padding is laid out by data format; turn NCHW explicit pads into NHWC order.
    const pad = channelsFirst && Array.isArray(attrs.pad) ? [attrs.pad[0], attrs.pad[2], attrs.pad[3], attrs.pad[1]] : attrs.pad;
    const info = tf.backend_util.computeConv2DInfo(
      xNhwc.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      1,
      pad as tf.Conv2DBackpropFilterAttrs["pad"],
      attrs.dimRoundingMode,
      false,
      "channelsLast",
    );
    const [batch, outHeight, outWidth, outChannels] = dyNhwc.shape as [number, number, number, number];
    if (outHeight !== info.outHeight || outWidth !== info.outWidth || outChannels !== info.outChannels) {
      throw new Error(
        `Conv2DBackpropFilter: dy shape [${dyNhwc.shape}] does not match the forward output [${batch},${info.outHeight},${info.outWidth},${info.outChannels}].`,
      );
    }
    const { filterHeight, filterWidth, inChannels, strideHeight, strideWidth } = info;
    // Rows and columns of padded x that the gradient reads; beyond the real padding they are zeros,
    // which is what the cpu kernel's skipping of those positions amounts to ('ceil' rounding).
    const paddedHeight = (outHeight - 1) * strideHeight + filterHeight;
    const paddedWidth = (outWidth - 1) * strideWidth + filterWidth;
    const padded = keep(allocateOutput(backend, [inChannels, paddedHeight, paddedWidth, batch], "float32", true));
    // SIMD loads read dy's channels in vectors of 4; with a channel count that is not a multiple of 4,
    // the last vector of a pixel also reads the next pixel's first channels (lanes that are never
    // stored). Past dy's last pixel those reads must still be inside the heap; in the rare case that
    // dy ends closer than that to the end of memory, dy is copied into rows of whole vectors.
    const memory = wasmMemory(backend);
    const overread = (paddedLanes(outChannels) - outChannels) * 4;
    const dyEnd = heapAddress(backend, dyNhwc) + batch * outHeight * outWidth * outChannels * 4;
    const inPlace = laneCopy === "when-needed" && dyEnd + overread <= memory.buffer.byteLength;
    const laneStride = inPlace ? outChannels : paddedLanes(outChannels);
    const lanes = inPlace ? dyNhwc : keep(allocateOutput(backend, [batch, outHeight, outWidth, laneStride], "float32", true));
    const dw = allocateOutput(backend, attrs.filterShape, "float32", false);
    // Views are taken after all allocations: allocating can move the heap.
    padChannelsFirstBatchLast({
      x: heapView(backend, xNhwc) as Float32Array,
      xShape: xNhwc.shape as [number, number, number, number],
      out: heapView(backend, padded) as Float32Array,
      paddedHeight,
      paddedWidth,
      top: info.padInfo.top,
      left: info.padInfo.left,
    });
    if (lanes !== dyNhwc) copyToPaddedLanes(heapView(backend, dyNhwc) as Float32Array, outChannels, heapView(backend, lanes) as Float32Array, laneStride);
    const f32 = 4;
    windowSum(memory, {
      a: heapAddress(backend, padded),
      aGroup: paddedHeight * paddedWidth * batch * f32,
      aRow: paddedWidth * batch * f32,
      aColumn: batch * f32,
      aWindowRow: strideHeight * paddedWidth * batch * f32,
      aWindowColumn: strideWidth * batch * f32,
      aDepth: f32,
      w: heapAddress(backend, lanes),
      wWindowRow: outWidth * laneStride * f32,
      wWindowColumn: laneStride * f32,
      wDepth: outHeight * outWidth * laneStride * f32,
      out: heapAddress(backend, dw),
      outGroup: outChannels * f32,
      outRow: filterWidth * inChannels * outChannels * f32,
      outColumn: inChannels * outChannels * f32,
      groups: inChannels,
      rows: filterHeight,
      columns: filterWidth,
      windowRows: outHeight,
      windowColumns: outWidth,
      depth: batch,
      lanes: outChannels,
    });
    return dw;
  } finally {
    disposeIntermediates(backend, intermediates);
  }
}

/** Registry entry for `tf.registerKernel`. */
export const conv2DBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: BACKEND,
  kernelFunc: createConv2DBackpropFilterWasm("when-needed") as tf.KernelFunc,
};
