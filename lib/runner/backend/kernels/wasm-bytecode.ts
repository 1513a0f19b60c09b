/**
 * A minimal WebAssembly binary writer: just enough to build small SIMD kernels at run time.
 *
 * Why generate bytes instead of shipping a compiled .wasm: the project has no C or WAT toolchain,
 * and a kernel written here is reviewable as TypeScript, needs no build step and no binary in git.
 * Only the instructions our kernels use are listed; see the WebAssembly core spec (binary format,
 * including the fixed-width SIMD proposal merged into 2.0) for the encodings.
 */

/** Value types (spec 5.3.1). */
export const I32 = 0x7f;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0);
  return bytes;
}

/** Signed LEB128 for i32 constants. */
export function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

function utf8Name(name: string): number[] {
  const bytes = [...new TextEncoder().encode(name)];
  return [...unsignedLeb(bytes.length), ...bytes];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

/**
 * Instruction emitter for one function body. Methods append bytes and return `this`, so a kernel
 * reads top to bottom like the text format.
 */
export class Code {
  readonly bytes: number[] = [];

  private op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  private simd(opcode: number, ...immediates: number[]): this {
    return this.op(0xfd, ...unsignedLeb(opcode), ...immediates);
  }

  /** `block`/`loop`/`if` with an empty result type. */
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...unsignedLeb(depth));
  }

  get(local: number): this {
    return this.op(0x20, ...unsignedLeb(local));
  }
  set(local: number): this {
    return this.op(0x21, ...unsignedLeb(local));
  }
  i32Const(value: number): this {
    return this.op(0x41, ...signedLeb(value));
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Ne(): this {
    return this.op(0x47);
  }
  i32GtU(): this {
    return this.op(0x4b);
  }
  i32Eq(): this {
    return this.op(0x46);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  f32Const(value: number): this {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, value, true); // wasm constants are little-endian
    return this.op(0x43, ...new Uint8Array(view.buffer));
  }
  f32Add(): this {
    return this.op(0x92);
  }
  /** local += value of another local (both i32). */
  addTo(local: number, amountLocal: number): this {
    return this.get(local).get(amountLocal).i32Add().set(local);
  }

  /** f32.load with alignment 4 and a constant byte offset. */
  f32Load(offset = 0): this {
    return this.op(0x2a, 2, ...unsignedLeb(offset));
  }
  /** f32.store with alignment 4 and a constant byte offset. */
  f32Store(offset = 0): this {
    return this.op(0x38, 2, ...unsignedLeb(offset));
  }
  v128Load(offset = 0): this {
    return this.simd(0x00, 4, ...unsignedLeb(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, 4, ...unsignedLeb(offset));
  }
  /** Loads one f32 and repeats it in all four lanes. */
  v128Load32Splat(offset = 0): this {
    return this.simd(0x09, 2, ...unsignedLeb(offset));
  }
  v128Zero(): this {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
  i32x4Splat(): this {
    return this.simd(0x11);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  i32x4ExtractLane(lane: number): this {
    return this.simd(0x1b, lane);
  }
  /** Lane-wise "a < b" as all-ones or all-zeros lanes; false whenever either is NaN. */
  f32x4Lt(): this {
    return this.simd(0x43);
  }
  v128Or(): this {
    return this.simd(0x50);
  }
  /** Pops a, b, mask; each bit from a where the mask's bit is 1, else from b. */
  v128Bitselect(): this {
    return this.simd(0x52);
  }
  /** Lane-wise "pseudo-maximum" of a and b: a < b ? b : a, so a is kept on ties, signed zeros and NaN. */
  f32x4Pmax(): this {
    return this.simd(0xeb);
  }
  f32x4ExtractLane(lane: number): this {
    return this.simd(0x1f, lane);
  }
  f32x4ReplaceLane(lane: number): this {
    return this.simd(0x20, lane);
  }
  /** Lane-wise IEEE single-precision add and multiply, each rounded on its own (no fused multiply-add). */
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
}

/** One exported function: its i32 parameter count, extra locals and body. */
export type FunctionDefinition = {
  name: string;
  params: number;
  locals: { type: number; count: number }[];
  body: Code;
};

/**
 * Assembles a module that imports its memory as `env.memory` and exports the given functions, all of
 * type (i32 × params) → ().
 */
export function assembleModule(functions: readonly FunctionDefinition[]): Uint8Array<ArrayBuffer> {
  const signatures = [...new Set(functions.map((fn) => fn.params))];
  const typeSection = section(
    1,
    vector(signatures.map((params) => [0x60, ...unsignedLeb(params), ...new Array<number>(params).fill(I32), 0])),
  );
  // Memory import with minimum 0 pages and no maximum: compatible with any memory the host passes.
  const importSection = section(2, vector([[...utf8Name("env"), ...utf8Name("memory"), 0x02, 0x00, 0x00]]));
  const functionSection = section(3, vector(functions.map((fn) => unsignedLeb(signatures.indexOf(fn.params)))));
  const exportSection = section(7, vector(functions.map((fn, index) => [...utf8Name(fn.name), 0x00, ...unsignedLeb(index)])));
  const codeSection = section(
    10,
    vector(
      functions.map((fn) => {
        const body = [...vector(fn.locals.map((group) => [...unsignedLeb(group.count), group.type])), ...fn.body.bytes, 0x0b];
        return [...unsignedLeb(body.length), ...body];
      }),
    ),
  );
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...typeSection, ...importSection, ...functionSection, ...exportSection, ...codeSection]);
}
