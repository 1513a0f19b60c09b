/**
 * Conv2DBackpropFilter for the wasm backend, which ships without it (tfjs-backend-wasm 4.22), so
 * any Conv2D layer fails to train there.
 *
 * The filter gradient is itself a convolution. For NHWC input x [B, H, W, Ci], output gradient
 * dy [B, Ho, Wo, Co], strides (sh, sw) and padding (top, left):
 *
 *   dW[i, j, c, o] = Σ_b Σ_y Σ_x  xPadded[b, y·sh + i, x·sw + j, c] · dy[b, y, x, o]
 *
 * Reading the batch axis as the channel axis, that is a stride-1 convolution of
 * xT = x transposed to [Ci, H, W, B] with the "filter" dyT = dy transposed to [Ho, Wo, B, Co],
 * dilated by the forward strides (sh, sw). Its output [Ci, ≥kh, ≥kw, Co] transposed to
 * [kh, kw, Ci, Co] is dW. Running it through the backend's own Conv2D kernel (XNNPACK) is about two
 * orders of magnitude faster than the pure-JS loop of the cpu backend.
 *
 * Dilations: tfjs computes Conv2D gradients only for dilation 1 (tf.conv2d's gradient asserts it),
 * so the kernel has no dilation attribute and neither do we.
 */
import * as tf from "@tensorflow/tfjs";
import { callKernel, disposeIntermediates, type DisposingBackend } from "./call-kernel";

const BACKEND = "wasm";

/** Number of rows (or columns) of padding after the input that the composed convolution needs. */
function trailingPadding(inSize: number, leadingPad: number, outSize: number, stride: number, filterSize: number): number {
  // The last output position reads up to index (outSize-1)·stride + filterSize - 1 of the padded
  // input. When rounding ('ceil') makes that run past the real padding, the cpu kernel skips those
  // positions, which is the same as reading zeros, so extra zero padding here is exact.
  return Math.max(0, (outSize - 1) * stride + filterSize - (inSize + leadingPad));
}

/**
 * Kernel function: gradient of Conv2D with respect to its filter, on the wasm backend.
 * @param args.inputs.x forward input, float32, rank 4 (NHWC or NCHW per attrs.dataFormat).
 * @param args.inputs.dy gradient of the forward output, same data format as x.
 * @param args.attrs strides, pad ('valid' | 'same' | number | explicit), dataFormat,
 *   dimRoundingMode, filterShape [kh, kw, Ci, Co].
 * @returns TensorInfo of shape filterShape, owned by the engine.
 * @throws Error for non-float32 or non-rank-4 inputs.
 */
export function conv2DBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: object;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as DisposingBackend;
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
  const run = (name: string, inputs: tf.NamedTensorInfoMap, kernelAttrs: tf.NamedAttrMap): tf.TensorInfo => {
    const out = callKernel(name, BACKEND, backend, inputs, kernelAttrs);
    intermediates.push(out);
    return out;
  };
  try {
    // Work in NHWC; NCHW inputs are transposed once (the wasm Conv2D kernel is NHWC-only).
    const channelsFirst = attrs.dataFormat === "NCHW";
    const xNhwc = channelsFirst ? run("Transpose", { x }, { perm: [0, 2, 3, 1] }) : x;
    const dyNhwc = channelsFirst ? run("Transpose", { x: dy }, { perm: [0, 2, 3, 1] }) : dy;
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
    if (dyNhwc.shape[1] !== info.outHeight || dyNhwc.shape[2] !== info.outWidth) {
      throw new Error(
        `Conv2DBackpropFilter: dy spatial shape [${dyNhwc.shape.slice(1, 3)}] does not match the forward output [${info.outHeight},${info.outWidth}].`,
      );
    }
    const xT = run("Transpose", { x: xNhwc }, { perm: [3, 1, 2, 0] });
    const dyT = run("Transpose", { x: dyNhwc }, { perm: [1, 2, 0, 3] });
    const padBottom = trailingPadding(info.inHeight, info.padInfo.top, info.outHeight, info.strideHeight, info.filterHeight);
    const padRight = trailingPadding(info.inWidth, info.padInfo.left, info.outWidth, info.strideWidth, info.filterWidth);
    const explicitPad = [
      [0, 0],
      [info.padInfo.top, padBottom],
      [info.padInfo.left, padRight],
      [0, 0],
    ];
    const full = run(
      "Conv2D",
      { x: xT, filter: dyT },
      { strides: [1, 1], dilations: [info.strideHeight, info.strideWidth], pad: explicitPad, dataFormat: "NHWC" },
    );
    // Rows/columns beyond the filter size come from padding that the forward pass never read.
    const [, fullHeight, fullWidth] = full.shape as [number, number, number, number];
    const cropped =
      fullHeight === info.filterHeight && fullWidth === info.filterWidth
        ? full
        : run("Slice", { x: full }, { begin: [0, 0, 0, 0], size: [info.inChannels, info.filterHeight, info.filterWidth, info.outChannels] });
    const result = callKernel("Transpose", BACKEND, backend, { x: cropped }, { perm: [1, 2, 0, 3] });
    return result;
  } finally {
    disposeIntermediates(backend, intermediates);
  }
}

/** Registry entry for `tf.registerKernel`. */
export const conv2DBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: BACKEND,
  kernelFunc: conv2DBackpropFilterWasm as tf.KernelFunc,
};
