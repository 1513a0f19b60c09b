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
