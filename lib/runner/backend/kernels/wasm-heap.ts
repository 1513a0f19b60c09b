/**
 * Direct access to tensors living in the wasm backend's heap, for kernels that are pure data
 * movement (tiling, zero insertion, filter flips). Those run faster as TypedArray copies in
 * JavaScript than through the backend's generic C++ index loops, and a copy is exact, so results stay
 * bit-identical to the kernels they replace.
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/** TypedArray views a kernel may read or write. */
export type HeapArray = Float32Array | Int32Array | Uint8Array;

/**
 * Narrows the backend handed to a kernel function to the wasm backend.
 * @throws Error when the kernel is run by another backend (a registration mistake).
 */
export function asWasmBackend(backend: object): BackendWasm {
  const candidate = backend as Partial<BackendWasm>;
  if (typeof candidate.makeOutput !== "function" || typeof candidate.typedArrayFromHeap !== "function") {
    throw new Error("This kernel only runs on the tfjs wasm backend.");
  }
  return backend as BackendWasm;
}

/**
 * Allocates an output tensor in the wasm heap.
 * Allocation can grow (and so detach) the heap, so take views of inputs only after allocating.
 * @param zeroed fill with zeros; the allocator returns uninitialised memory otherwise.
 */
export function allocateOutput(backend: BackendWasm, shape: number[], dtype: tf.DataType, zeroed: boolean): tf.TensorInfo {
  const out = backend.makeOutput(shape, dtype);
  if (zeroed) heapView(backend, out).fill(0);
  return out;
}

/** A live view of a tensor's bytes in the heap; invalid after the next allocation. */
export function heapView(backend: BackendWasm, info: tf.TensorInfo): HeapArray {
  return backend.typedArrayFromHeap(info) as HeapArray;
}

/** The wasm backend's linear memory, for kernels of our own that work on its heap directly. */
export function wasmMemory(backend: BackendWasm): WebAssembly.Memory {
  const emscripten = backend.wasm as unknown as { asm?: { memory?: unknown } };
  const memory = emscripten.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error("The tfjs wasm module does not expose its memory (asm.memory).");
  return memory;
}

/** Byte address of a tensor in the wasm heap. */
export function heapAddress(backend: BackendWasm, info: tf.TensorInfo): number {
  return heapView(backend, info).byteOffset;
}
