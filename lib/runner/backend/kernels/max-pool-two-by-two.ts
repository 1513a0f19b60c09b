/**
 * Max pooling over 2×2 windows with stride 2 and no padding (the LeNets' pooling), forward and gradient, as
 * WebAssembly generated at start-up (wasm-bytecode.ts), for both our backends: the wasm backend runs it in its
 * own heap; the tensorflow backend copies the tensors into a memory of this module's (tensorflow-max-pool.ts).
 *
 * Why not JavaScript: the same loops in JavaScript took 1.0 ms (forward) and 1.2 ms (gradient, with zeroing dx) on
 * LeNet-5's first pooling at batch 64, [64, 28, 28, 6], about 16 ns per window, because the comparisons of real
 * data are unpredictable branches. Here each window is branch-free (see chooseMaximum): 0.09 ms and 0.32 ms
 * (tmp micro-benchmark, 2026-12-08). TensorFlow's own kernels took 1.0 ms and 2.1 ms.
 *
 * Which value is the maximum: the first strictly greatest in row-major window order. Two ways to start, which
 * differ only for windows holding NaN or nothing above -∞ (a diverged run):
 * - `firstIsCandidate` (TensorFlow's kernels): the window's first value is taken, then any strictly greater one;
 * - otherwise (tfjs's cpu backend): the running maximum starts at -∞, and a window where nothing exceeds it
 *   passes no gradient on.
 * The gradient adds dy to +0 at the chosen position of a zero-filled dx, as both reference kernels do (so a
 * dy of -0 arrives as +0). Windows do not overlap, so every dx element receives at most one dy: the results are
 * bit-identical to those kernels (tests/unit/runner/backend/max-pool-two-by-two.test.ts).
 */
import { assembleModule, Code, I32, V128, type FunctionDefinition } from "./wasm-bytecode";
import { isWholeTwoByTwo, type PoolGeometry } from "./pool-geometry";

// Parameters (all i32; addresses in bytes) of both generated functions.
const P = { x: 0, out: 1, dy: 2, batch: 3, outHeight: 4, outWidth: 5, channels: 6, rowBytes: 7, imageBytes: 8, firstIsCandidate: 9 } as const;
const PARAM_COUNT = 10;
// Locals.
const L = {
  image: 10, rowStart: 11, b: 12, oy: 13, ox: 14, c: 15, p: 16, q: 17, pixelBytes: 18, delta: 19, twoRows: 20,
  best: 21, index: 22, found: 23, value: 24, greater: 25,
} as const;
const LOCALS = [
  { type: I32, count: 11 },
  { type: V128, count: 5 },
];

/**
 * The loops shared by both functions: for each image, output row, output column and channel, `window` runs with
 * L.p at the window's first value and L.q at its output (or dy) element; both then advance by one float.
 */
function windowLoops(c: Code, window: (c: Code) => void): void {
  const countdown = (counter: number, body: () => void) => {
    c.block().loop();
    body();
    c.get(counter).i32Const(1).i32Sub().set(counter).get(counter).brIf(0).end().end();
  };
  c.get(P.channels).i32Const(2).i32Shl().set(L.pixelBytes);
  c.get(P.rowBytes).get(P.rowBytes).i32Add().set(L.twoRows);
  c.get(P.x).set(L.image);
  c.get(P.batch).set(L.b);
  countdown(L.b, () => {
    c.get(L.image).set(L.rowStart);
    c.get(P.outHeight).set(L.oy);
    countdown(L.oy, () => {
      c.get(L.rowStart).set(L.p);
      c.get(P.outWidth).set(L.ox);
      countdown(L.ox, () => {
        c.get(P.channels).set(L.c);
        countdown(L.c, () => {
          window(c);
          c.get(L.p).i32Const(4).i32Add().set(L.p);
          c.get(L.q).i32Const(4).i32Add().set(L.q);
        });
        // The channels of the window's first column are done; skip its second column.
        c.addTo(L.p, L.pixelBytes);
      });
      c.addTo(L.rowStart, L.twoRows);
    });
    c.addTo(L.image, P.imageBytes);
  });
}

/**
 * Leaves the window's maximum in lane 0 of L.best, its byte address in lane 0 of L.index, and in lane 0 of
 * L.found all ones when one was chosen. Lane 0 of SIMD registers, because f32x4.pmax and v128.bitselect are
 * branch-free: scalar f32 comparisons and `select` compiled to branches that the unpredictable comparisons
 * of real data mispredict (measured: no faster than JavaScript).
 */
function chooseMaximum(c: Code): void {
  // Start: the first value (firstIsCandidate) or -∞ with "nothing found".
  c.get(L.p).v128Load32Splat().f32Const(Number.NEGATIVE_INFINITY).f32x4Splat();
  c.i32Const(0).get(P.firstIsCandidate).i32Sub().i32x4Splat().v128Bitselect().set(L.best);
  c.i32Const(0).get(P.firstIsCandidate).i32Sub().i32x4Splat().set(L.found);
  c.get(L.p).i32x4Splat().set(L.index);
  const addresses: ((c: Code) => Code)[] = [
    (c) => c.get(L.p),
    (c) => c.get(L.p).get(L.pixelBytes).i32Add(),
    (c) => c.get(L.p).get(P.rowBytes).i32Add(),
    (c) => c.get(L.p).get(P.rowBytes).i32Add().get(L.pixelBytes).i32Add(),
  ];
  for (const address of addresses) {
    address(c).v128Load32Splat().set(L.value);
    // greater = best < value: the value is strictly greater (never for NaN on either side).
    c.get(L.best).get(L.value).f32x4Lt().set(L.greater);
    c.get(L.best).get(L.value).f32x4Pmax().set(L.best);
    address(c).i32x4Splat().get(L.index).get(L.greater).v128Bitselect().set(L.index);
    c.get(L.found).get(L.greater).v128Or().set(L.found);
  }
}

function poolFunction(): FunctionDefinition {
  const c = new Code();
  c.get(P.out).set(L.q);
  windowLoops(c, (c) => {
    chooseMaximum(c);
    c.get(L.q).get(L.best).f32x4ExtractLane(0).f32Store();
  });
  return { name: "pool", params: PARAM_COUNT, locals: LOCALS, body: c };
}

function gradientFunction(): FunctionDefinition {
  const c = new Code();
  // dx has x's layout: the chosen address in x plus (dx - x) is its place in dx.
  c.get(P.out).get(P.x).i32Sub().set(L.delta);
  c.get(P.dy).set(L.q);
  windowLoops(c, (c) => {
    chooseMaximum(c);
    // Nothing chosen: the window's first place (which still holds +0) gets +0.
    c.get(L.index).i32x4ExtractLane(0).get(L.delta).i32Add();
    c.f32Const(0).get(L.q).v128Load32Splat().f32x4ExtractLane(0).f32Add().f32x4Splat();
    c.f32Const(0).f32x4Splat().get(L.found).v128Bitselect().f32x4ExtractLane(0);
    c.f32Store();
  });
  return { name: "gradient", params: PARAM_COUNT, locals: LOCALS, body: c };
}

type PoolFunction = (...args: number[]) => void;
let compiled: WebAssembly.Module | undefined;
const instances = new WeakMap<WebAssembly.Memory, { pool: PoolFunction; gradient: PoolFunction }>();

function functionsFor(memory: WebAssembly.Memory): { pool: PoolFunction; gradient: PoolFunction } {
  const existing = instances.get(memory);
  if (existing) return existing;
  compiled ??= new WebAssembly.Module(assembleModule([poolFunction(), gradientFunction()]));
  const exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports;
  const functions = { pool: exports.pool as PoolFunction, gradient: exports.gradient as PoolFunction };
  instances.set(memory, functions);
  return functions;
}

function geometryArguments(g: PoolGeometry): number[] {
  if (!isWholeTwoByTwo(g)) throw new Error("max-pool-two-by-two serves 2×2 windows with stride 2 and no padding only.");
  if (!(g.batch >= 1 && g.outHeight >= 1 && g.outWidth >= 1 && g.channels >= 1)) throw new Error("max-pool-two-by-two needs a non-empty output.");
  const rowBytes = 4 * g.inWidth * g.channels;
  return [g.batch, g.outHeight, g.outWidth, g.channels, rowBytes, rowBytes * g.inHeight];
}

/** y[b, oy, ox, c] = the window's maximum (first value a candidate), for float32 NHWC tensors at byte addresses in `memory`. */
export function maxPoolTwoByTwo(memory: WebAssembly.Memory, at: { x: number; y: number }, g: PoolGeometry): void {
  functionsFor(memory).pool(at.x, at.y, 0, ...geometryArguments(g), 1);
}

/**
 * Adds each dy to +0 at its window's maximum in `dx`, which must be zero-filled, for float32 NHWC tensors at
 * byte addresses in `memory`.
 */
export function maxPoolGradTwoByTwo(
  memory: WebAssembly.Memory,
  at: { x: number; dy: number; dx: number },
  g: PoolGeometry,
  options: { firstIsCandidate: boolean },
): void {
  functionsFor(memory).gradient(at.x, at.dx, at.dy, ...geometryArguments(g), options.firstIsCandidate ? 1 : 0);
}
