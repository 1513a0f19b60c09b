/**
 * The WebAssembly 2×2, stride-2 max pooling (kernels/max-pool-two-by-two.ts, the LeNets' pooling) against the
 * plain definition, bit for bit, in both ways of starting a window:
 * - tfjs's cpu backend (the wasm backend's gradient): the running maximum starts at -∞, the first strictly
 *   greatest value receives dy, NaN is never chosen, a window of only NaN or -∞ receives nothing;
 * - TensorFlow's kernels (the tensorflow backend's forward and gradient): the first value is taken, then any
 *   strictly greater one, so a leading NaN or -∞ is kept.
 * Ties, signed zeros, NaN, -∞, dy of -0, and inputs of odd size (a last row or column no window reads).
 */
import { describe, expect, it } from "vitest";
import type { PoolGeometry } from "@/lib/runner/backend/kernels/pool-geometry";
import { maxPoolGradTwoByTwo, maxPoolTwoByTwo } from "@/lib/runner/backend/kernels/max-pool-two-by-two";
import { createRng } from "@/lib/stats/random";

/** Each window's chosen flat index (or -1), by the definition. */
function chosen(x: Float32Array, g: PoolGeometry, firstIsCandidate: boolean): number[] {
  const indexes: number[] = [];
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outHeight; oy++)
      for (let ox = 0; ox < g.outWidth; ox++)
        for (let c = 0; c < g.channels; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let i = 0; i < 2; i++)
            for (let j = 0; j < 2; j++) {
              const index = ((b * g.inHeight + 2 * oy + i) * g.inWidth + 2 * ox + j) * g.channels + c;
              if ((firstIsCandidate && at < 0) || x[index]! > best) {
                best = x[index]!;
                at = index;
              }
            }
          indexes.push(at);
        }
  return indexes;
}

function randomCase(seed: number): { g: PoolGeometry; x: Float32Array; dy: Float32Array } {
  const rng = createRng(seed);
  const [batch, inHeight, inWidth, channels] = [1 + Math.floor(rng() * 3), 2 + Math.floor(rng() * 9), 2 + Math.floor(rng() * 9), 1 + Math.floor(rng() * 17)];
  const g: PoolGeometry = {
    batch, inHeight, inWidth, channels,
    outHeight: Math.floor(inHeight / 2), outWidth: Math.floor(inWidth / 2),
    filterHeight: 2, filterWidth: 2, strideHeight: 2, strideWidth: 2, padTop: 0, padLeft: 0,
  };
  const x = Float32Array.from({ length: batch * inHeight * inWidth * channels }, () => {
    const r = rng();
    return r < 0.05 ? Number.NaN : r < 0.15 ? 0.5 : r < 0.2 ? Number.NEGATIVE_INFINITY : r < 0.25 ? 0 : r < 0.3 ? -0 : rng() * 2 - 1;
  });
  const dy = Float32Array.from({ length: batch * g.outHeight * g.outWidth * channels }, () => (rng() < 0.05 ? -0 : rng() * 2 - 1));
  return { g, x, dy };
}

/** Runs a kernel on copies of `x` and `dy` placed in a fresh memory at odd offsets; returns the output floats. */
function inMemory(x: Float32Array, dy: Float32Array, outLength: number, run: (memory: WebAssembly.Memory, at: { x: number; dy: number; out: number }) => void): Float32Array {
  const at = { x: 12, dy: 12 + 4 * x.length + 4, out: 12 + 4 * (x.length + dy.length) + 8 };
  const memory = new WebAssembly.Memory({ initial: Math.ceil((at.out + 4 * outLength) / 65536) });
  new Float32Array(memory.buffer, at.x, x.length).set(x);
  new Float32Array(memory.buffer, at.dy, dy.length).set(dy);
  run(memory, at);
  return new Float32Array(memory.buffer, at.out, outLength).slice();
}

const bits = (values: Float32Array) => Array.from(new Uint32Array(values.slice().buffer));

describe("2×2 max pooling in WebAssembly", () => {
  it("gradient: dy reaches the definition's choice, bit for bit, for both starts, on 100 random shapes", () => {
    for (let trial = 0; trial < 100; trial++) {
      const { g, x, dy } = randomCase(2112 + trial);
      for (const firstIsCandidate of [false, true]) {
        const expected = new Float32Array(x.length);
        chosen(x, g, firstIsCandidate).forEach((at, k) => {
          if (at >= 0) expected[at] = expected[at]! + dy[k]!;
        });
        const dx = inMemory(x, dy, x.length, (memory, at) => maxPoolGradTwoByTwo(memory, { x: at.x, dy: at.dy, dx: at.out }, g, { firstIsCandidate }));
        expect(bits(dx)).toEqual(bits(expected));
      }
    }
  });

  it("forward: each output is the value the definition chooses (TensorFlow's start), bit for bit", () => {
    for (let trial = 0; trial < 100; trial++) {
      const { g, x, dy } = randomCase(9000 + trial);
      const expected = Float32Array.from(chosen(x, g, true), (at) => x[at]!);
      const y = inMemory(x, dy, expected.length, (memory, at) => maxPoolTwoByTwo(memory, { x: at.x, y: at.out }, g));
      expect(bits(y)).toEqual(bits(expected));
    }
  });

  it("refuses other geometries", () => {
    const { g, x, dy } = randomCase(1);
    const memory = new WebAssembly.Memory({ initial: 1 });
    expect(() => maxPoolTwoByTwo(memory, { x: 0, y: 4 * x.length }, { ...g, strideHeight: 1 })).toThrow(/2×2 windows with stride 2/);
    expect(() => maxPoolGradTwoByTwo(memory, { x: 0, dy: 0, dx: 4 * dy.length }, { ...g, padTop: 1 }, { firstIsCandidate: true })).toThrow(/no padding/);
  });
});
