import type * as tf from "@tensorflow/tfjs";

/** Geometry of one pooling, in NHWC, shared by the pooling kernels of both our backends. */
export type PoolGeometry = {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
};

/**
 * True for the LeNets' pooling, which max-pool-two-by-two.ts serves: 2×2 windows, stride 2, no padding, every
 * window inside the input.
 */
export function isWholeTwoByTwo(g: PoolGeometry): boolean {
  return (
    g.filterHeight === 2 &&
    g.filterWidth === 2 &&
    g.strideHeight === 2 &&
    g.strideWidth === 2 &&
    g.padTop === 0 &&
    g.padLeft === 0 &&
    2 * g.outHeight <= g.inHeight &&
    2 * g.outWidth <= g.inWidth
  );
}

/** The geometry tfjs computed for a pooling (tf.backend_util.computePool2DInfo), in our kernels' terms. */
export function poolGeometry(info: tf.backend_util.Conv2DInfo): PoolGeometry {
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    channels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.effectiveFilterHeight,
    filterWidth: info.effectiveFilterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
