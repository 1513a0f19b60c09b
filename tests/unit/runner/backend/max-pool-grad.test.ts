/**
 * maxPoolGradInto's unrolled 2×2, stride-2 path (the LeNets' pooling) against the plain definition, bit for bit:
 * the first strictly greatest value of each window in row-major order receives dy; NaN is never chosen; a window
 * of only NaN or -∞ receives nothing. Ties, NaN, -∞ and inputs of odd size (a last row or column no window reads).
 */
import { describe, expect, it } from "vitest";
import { maxPoolGradInto, type PoolGeometry } from "@/lib/runner/backend/kernels/max-pool-grad";
import { createRng } from "@/lib/stats/random";

function reference(x: Float32Array, dy: Float32Array, g: PoolGeometry): Float32Array {
  const dx = new Float32Array(x.length);
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outHeight; oy++)
      for (let ox = 0; ox < g.outWidth; ox++)
        for (let c = 0; c < g.channels; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let i = 0; i < 2; i++)
            for (let j = 0; j < 2; j++) {
              const index = ((b * g.inHeight + 2 * oy + i) * g.inWidth + 2 * ox + j) * g.channels + c;
              if (x[index]! > best) {
                best = x[index]!;
                at = index;
              }
            }
          if (at >= 0) dx[at] = dx[at]! + dy[((b * g.outHeight + oy) * g.outWidth + ox) * g.channels + c]!;
        }
  return dx;
}

describe("maxPoolGradInto, 2×2 windows with stride 2", () => {
  it("matches the definition bit for bit on 100 random shapes with ties, NaN and -Infinity", () => {
    const rng = createRng(2112);
    for (let trial = 0; trial < 100; trial++) {
      const [batch, inHeight, inWidth, channels] = [1 + Math.floor(rng() * 3), 2 + Math.floor(rng() * 9), 2 + Math.floor(rng() * 9), 1 + Math.floor(rng() * 17)];
      const g: PoolGeometry = {
        batch, inHeight, inWidth, channels,
        outHeight: Math.floor(inHeight / 2), outWidth: Math.floor(inWidth / 2),
        filterHeight: 2, filterWidth: 2, strideHeight: 2, strideWidth: 2, padTop: 0, padLeft: 0,
      };
      const x = Float32Array.from({ length: batch * inHeight * inWidth * channels }, () => {
        const r = rng();
        return r < 0.05 ? Number.NaN : r < 0.15 ? 0.5 : r < 0.2 ? Number.NEGATIVE_INFINITY : rng() * 2 - 1;
      });
      const dy = Float32Array.from({ length: batch * g.outHeight * g.outWidth * channels }, () => rng() * 2 - 1);
      const dx = new Float32Array(x.length);
      maxPoolGradInto(x, dy, dx, g);
      expect(new Uint32Array(dx.buffer)).toEqual(new Uint32Array(reference(x, dy, g).buffer));
    }
  });
});
