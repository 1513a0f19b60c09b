/**
 * A WebAssembly SIMD kernel for both convolution gradients on the wasm backend, computing every
 * output with exactly the arithmetic of the XNNPACK convolution it replaces.
 *
 * Both gradients were computed as an XNNPACK Conv2D on rearranged tensors (conv2d-backprop-*.ts).
 * XNNPACK's f32 convolution (igemm, wasm SIMD, no fused multiply-add) computes each output as
 *
 *   acc = +0;  for each window position p (row-major):  for k = 0 … depth-1:  acc = fl(acc + fl(a·w))
 *
 * and so does this kernel, output by output: the four lanes of a SIMD register hold four
 * INDEPENDENT outputs (neighbouring output channels), never partial sums of one output, so no sum is
 * reordered and the results are bit-identical (tests/unit/runner/backend/simd-window-sum.test.ts checks
 * that against XNNPACK itself and against a scalar loop in that order; the shipped demo runs, trained on
 * wasm, still reproduce). What is gained: no weight packing, no indirection buffer and no transposes
 * per call, and a register tile of up to 4 output columns × 8 output channels.
 *
 * Zero padding: XNNPACK reads zeros for padded positions and adds their products (±0). Adding ±0 to an
 * accumulator that started at +0 never changes its bits (it cannot become -0), so reading zeros from a
 * zero-filled buffer, as here, is the same. Only with ±Infinity or NaN inputs could a padded product
 * (0·∞ = NaN) differ, where training has diverged anyway.
 *
 * The generic form, for outputs out[g, r, c, n] (group, row, column, lane):
 *
 *   out[g, r, c, n] = Σ_{wr} Σ_{wc} Σ_{k}  a[g, r, c; wr, wc, k] · w[wr, wc, k, n]
 *
 * with every operand addressed by byte strides, so each gradient is a choice of strides
 * (conv2d-backprop-filter.ts, conv2d-backprop-input.ts).
 */
import { assembleModule, Code, I32, V128, type FunctionDefinition } from "./wasm-bytecode";

/** Byte addresses in the wasm heap and byte strides describing one call. All counts must be ≥ 1. */
export type WindowSumCall = {
  /** a[g, r, c; wr, wc, k] = f32 at a + g·aGroup + r·aRow + c·aColumn + wr·aWindowRow + wc·aWindowColumn + k·aDepth. */
  a: number;
  aGroup: number;
  aRow: number;
  aColumn: number;
  aWindowRow: number;
  aWindowColumn: number;
  aDepth: number;
  /** w[wr, wc, k, n] = f32 at w + wr·wWindowRow + wc·wWindowColumn + k·wDepth + 4n (lanes contiguous). */
  w: number;
  wWindowRow: number;
  wWindowColumn: number;
  wDepth: number;
  /** out[g, r, c, n] = f32 at out + g·outGroup + r·outRow + c·outColumn + 4n. */
  out: number;
  outGroup: number;
  outRow: number;
  outColumn: number;
  groups: number;
  rows: number;
  columns: number;
  windowRows: number;
  windowColumns: number;
  depth: number;
  /**
   * Output lanes n = 0 … lanes-1. w is read in vectors of 4 lanes: when lanes is not a multiple of 4,
   * the last vector of each row of w (fixed wr, wc, k) reads up to 3 floats past it (never stored, so
   * they may hold anything), and the caller must make sure those after the last row are inside memory.
   */
  lanes: number;
};

/**
 * Register tiles: up to 2 vectors (8 lanes) × MAX_TILE_COLUMNS[vectors - 1] output columns, at most 8
 * accumulators, so that with the loaded vectors they stay in the 16 SIMD registers of x86-64 (measured on
 * LeNet-shaped layers: wider tiles spilled and ran slower).
 */
const MAX_TILE_VECTORS = 2;
const MAX_TILE_COLUMNS = [5, 4] as const;
/** Bytes of w per block of window rows: a block stays in a 512 KB L2 cache with its slice of a. */
const W_BLOCK_BYTES = 64 * 1024;

// Parameter indices of every generated function.
const P = {
  a: 0, w: 1, out: 2, groups: 3, rows: 4, aGroup: 5, aRow: 6, outGroup: 7, outRow: 8,
  windowRows: 9, windowColumns: 10, aWindowRow: 11, aWindowColumn: 12, wWindowRow: 13, wWindowColumn: 14,
  depth: 15, aDepth: 16, wDepth: 17, aColumn: 18, outColumn: 19, lastLanes: 20, resume: 21,
} as const;
const PARAM_COUNT = 22;

/**
 * Body of the function for one tile shape: loops over groups and rows; for each, a tile of `columns`
 * output columns × `vectors`·4 lanes is accumulated over the window and depth, then stored.
 */
function tileFunction(columns: number, vectors: number): FunctionDefinition {
  let next = PARAM_COUNT;
  const i32 = () => next++;
  // Counters (g, row, wr, wc, k) and byte pointers into a, w and out at each loop level.
  const g = i32(), row = i32(), wr = i32(), wc = i32(), k = i32();
  const aG = i32(), oG = i32(), aR = i32(), oR = i32(), aWR = i32(), wWR = i32(), aWC = i32(), wWC = i32(), ap = i32(), wp = i32();
  const aOffset = Array.from({ length: columns }, i32); // t·aColumn
  const oOffset = Array.from({ length: columns }, i32); // t·outColumn
  const i32Count = next - PARAM_COUNT;
  const acc = Array.from({ length: columns }, () => Array.from({ length: vectors }, () => next++));
  const wv = Array.from({ length: vectors }, () => next++);
  const splat = next++;
  const v128Count = next - PARAM_COUNT - i32Count;

  const c = new Code();
  for (let t = 0; t < columns; t++) {
    c.i32Const(0);
    for (let step = 0; step < t; step++) c.get(P.aColumn).i32Add();
    c.set(aOffset[t]!);
    c.i32Const(0);
    for (let step = 0; step < t; step++) c.get(P.outColumn).i32Add();
    c.set(oOffset[t]!);
  }
  // Ends a do-while loop: advance its pointers, count down, repeat while the counter is not zero.
  const closeLoop = (counter: number, ...advances: [pointer: number, strideParam: number][]) => {
    for (const [pointer, stride] of advances) c.addTo(pointer, stride);
    c.get(counter).i32Const(1).i32Sub().set(counter).get(counter).brIf(0).end();
  };

  const outAddress = (t: number) => {
    c.get(oR);
    if (t > 0) c.get(oOffset[t]!).i32Add();
  };

  c.get(P.a).set(aG).get(P.out).set(oG).get(P.groups).set(g);
  c.loop(); // groups
  c.get(aG).set(aR).get(oG).set(oR).get(P.rows).set(row);
  c.loop(); // rows
  // Accumulators start at +0, or, when resuming a sum over a later block of window rows, at the
  // partial sums stored by the previous block (a float32 store and load is exact).
  c.get(P.resume).if();
  for (let t = 0; t < columns; t++) {
    for (let v = 0; v < vectors; v++) {
      const register = acc[t]![v]!;
      if (v < vectors - 1) {
        outAddress(t);
        c.v128Load(16 * v).set(register);
        continue;
      }
      c.get(P.lastLanes).i32Const(4).i32Eq().if();
      outAddress(t);
      c.v128Load(16 * v).set(register);
      c.else();
      c.v128Zero().set(register);
      for (let lane = 0; lane < 3; lane++) {
        if (lane > 0) c.get(P.lastLanes).i32Const(lane).i32GtU().if();
        c.get(register);
        outAddress(t);
        c.f32Load(16 * v + 4 * lane).f32x4ReplaceLane(lane).set(register);
        if (lane > 0) c.end();
      }
      c.end();
    }
  }
  c.else();
  for (const lanes of acc) for (const register of lanes) c.v128Zero().set(register);
  c.end();
  c.get(aR).set(aWR).get(P.w).set(wWR).get(P.windowRows).set(wr);
  c.loop(); // window rows
  c.get(aWR).set(aWC).get(wWR).set(wWC).get(P.windowColumns).set(wc);
  c.loop(); // window columns
  c.get(aWC).set(ap).get(wWC).set(wp).get(P.depth).set(k);
  c.loop(); // depth: the innermost, sequential sum
  for (let v = 0; v < vectors; v++) c.get(wp).v128Load(16 * v).set(wv[v]!);
  for (let t = 0; t < columns; t++) {
    c.get(ap);
    if (t > 0) c.get(aOffset[t]!).i32Add();
    c.v128Load32Splat().set(splat);
    for (let v = 0; v < vectors; v++) {
      const register = acc[t]![v]!;
      c.get(register).get(splat).get(wv[v]!).f32x4Mul().f32x4Add().set(register);
    }
  }
  closeLoop(k, [ap, P.aDepth], [wp, P.wDepth]);
  closeLoop(wc, [aWC, P.aWindowColumn], [wWC, P.wWindowColumn]);
  closeLoop(wr, [aWR, P.aWindowRow], [wWR, P.wWindowRow]);
  for (let t = 0; t < columns; t++) {
    const address = () => outAddress(t);
    for (let v = 0; v < vectors; v++) {
      const register = acc[t]![v]!;
      if (v < vectors - 1) {
        address();
        c.get(register).v128Store(16 * v);
        continue;
      }
      // The last vector may hold fewer valid lanes than 4; store only those.
      c.get(P.lastLanes).i32Const(4).i32Eq().if();
      address();
      c.get(register).v128Store(16 * v);
      c.else();
      address();
      c.get(register).f32x4ExtractLane(0).f32Store(16 * v);
      for (let lane = 1; lane < 3; lane++) {
        c.get(P.lastLanes).i32Const(lane).i32GtU().if();
        address();
        c.get(register).f32x4ExtractLane(lane).f32Store(16 * v + 4 * lane);
        c.end();
      }
      c.end();
    }
  }
  closeLoop(row, [aR, P.aRow], [oR, P.outRow]);
  closeLoop(g, [aG, P.aGroup], [oG, P.outGroup]);
  return {
    name: functionName(columns, vectors),
    params: PARAM_COUNT,
    locals: [
      { type: I32, count: i32Count },
      { type: V128, count: v128Count },
    ],
    body: c,
  };
}

function functionName(columns: number, vectors: number): string {
  return `tile_${columns}x${vectors}`;
}

type TileFunction = (...args: number[]) => void;
type Instance = { memory: WebAssembly.Memory; functions: Map<string, TileFunction> };
let instance: Instance | null = null;

/** Compiles the kernel once per process and binds it to the wasm backend's memory. */
function instanceFor(memory: WebAssembly.Memory): Instance {
  if (instance?.memory === memory) return instance;
  const definitions: FunctionDefinition[] = [];
  for (let vectors = 1; vectors <= MAX_TILE_VECTORS; vectors++) {
    for (let columns = 1; columns <= MAX_TILE_COLUMNS[vectors - 1]!; columns++) definitions.push(tileFunction(columns, vectors));
  }
  const compiled = new WebAssembly.Module(assembleModule(definitions));
  const exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports;
  const functions = new Map(definitions.map((definition) => [definition.name, exports[definition.name] as TileFunction]));
  instance = { memory, functions };
  return instance;
}

/**
 * How the lanes are split into register tiles: [first lane, vectors, valid lanes in the last vector].
 * Exported for tests.
 */
export function lanePlan(lanes: number): [number, number, number][] {
  const tiles: [number, number, number][] = [];
  const width = 4 * MAX_TILE_VECTORS;
  for (let first = 0; first < lanes; first += width) {
    const vectors = Math.min(MAX_TILE_VECTORS, Math.ceil((lanes - first) / 4));
    tiles.push([first, vectors, Math.min(4, lanes - first - 4 * (vectors - 1))]);
  }
  return tiles;
}

/**
 * Output columns split into register tiles of nearly equal width [first column, columns]: a narrow
 * remainder tile would cost as many loop iterations as a full one. Exported for tests.
 */
export function columnPlan(columns: number, vectors: number): [number, number][] {
  const tiles = Math.ceil(columns / MAX_TILE_COLUMNS[vectors - 1]!);
  const plan: [number, number][] = [];
  for (let tile = 0, first = 0; tile < tiles; tile++) {
    const width = Math.ceil((columns - first) / (tiles - tile));
    plan.push([first, width]);
    first += width;
  }
  return plan;
}

/** `lanes` rounded up to whole vectors: a row of w this long is never read past. */
export function paddedLanes(lanes: number): number {
  return 4 * Math.ceil(lanes / 4);
}

/** Copies rows of `lanes` floats into rows of `laneStride` floats of a zero-filled `out`. */
export function copyToPaddedLanes(values: Float32Array, lanes: number, out: Float32Array, laneStride: number): void {
  const rows = values.length / lanes;
  for (let row = 0, from = 0, to = 0; row < rows; row++, to += laneStride) {
    for (let n = 0; n < lanes; n++) out[to + n] = values[from++]!;
  }
}

/**
 * Runs one window sum in the heap of `memory` (the wasm backend's memory).
 * @throws Error when a count is below 1.
 */
export function windowSum(memory: WebAssembly.Memory, call: WindowSumCall): void {
  for (const key of ["groups", "rows", "columns", "windowRows", "windowColumns", "depth", "lanes"] as const) {
    if (!(call[key] >= 1)) throw new Error(`windowSum: ${key} must be at least 1, got ${call[key]}.`);
  }
  const { functions } = instanceFor(memory);
  // When a window row of a and of w is one contiguous run (window columns follow each other at
  // `depth` steps), it is one longer depth: the same products in the same order, with fewer loop
  // iterations; it matters with few input channels (the LeNets' first layer has one).
  if (call.aWindowColumn === call.depth * call.aDepth && call.wWindowColumn === call.depth * call.wDepth) {
    call = { ...call, depth: call.depth * call.windowColumns, windowColumns: 1 };
  }
  // Every output sweeps all of w, so with w larger than the cache each register tile would stream it
  // from memory again. Blocks of window rows keep a slice of w in cache while every tile passes over
  // it; each output's sum still runs over window rows in order, resuming from its stored partial sum.
  const wBytesPerWindowRow = call.windowColumns * call.depth * 16 * Math.ceil(call.lanes / 4);
  const blockRows = Math.max(1, Math.min(call.windowRows, Math.floor(W_BLOCK_BYTES / wBytesPerWindowRow)));
  for (let firstRow = 0; firstRow < call.windowRows; firstRow += blockRows) {
    const windowRows = Math.min(blockRows, call.windowRows - firstRow);
    for (const [firstLane, vectors, lastLanes] of lanePlan(call.lanes)) {
      for (const [column, columns] of columnPlan(call.columns, vectors)) {
        const fn = functions.get(functionName(columns, vectors))!;
        fn(
          call.a + firstRow * call.aWindowRow + column * call.aColumn,
          call.w + firstRow * call.wWindowRow + 4 * firstLane,
          call.out + column * call.outColumn + 4 * firstLane,
          call.groups,
          call.rows,
          call.aGroup,
          call.aRow,
          call.outGroup,
          call.outRow,
          windowRows,
          call.windowColumns,
          call.aWindowRow,
          call.aWindowColumn,
          call.wWindowRow,
          call.wWindowColumn,
          call.depth,
          call.aDepth,
          call.wDepth,
          call.aColumn,
          call.outColumn,
          lastLanes,
          firstRow > 0 ? 1 : 0,
        );
      }
    }
  }
}
