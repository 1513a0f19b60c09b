import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { backendNameSchema, DEFAULT_BACKEND, initBackend, isBackendAvailable } from "@/lib/runner/backend";
import { resolveWasmBinaryDirectory, WASM_BINARY_NAMES } from "@/lib/runner/backend/wasm-files";

function tfjsNodeResolves(): boolean {
  try {
    createRequire(import.meta.url).resolve("@tensorflow/tfjs-node");
    return true;
  } catch {
    return false;
  }
}

describe("initBackend", () => {
  it("defaults to wasm and describes it for run provenance", async () => {
    expect(DEFAULT_BACKEND).toBe("wasm");
    const info = await initBackend("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(info).toEqual({
      name: "wasm",
      tfjsVersion: tf.version_core,
      threads: 1,
      simd: expect.any(Boolean),
      deterministic: true,
      addedKernels: ["Conv2DBackpropFilter", "BatchMatMul", "Conv2DBackpropInput", "MaxPoolGrad", "Tile"],
    });
    // Node's WebAssembly has had SIMD since v16; the SIMD binary is the one that should load here.
    expect(info.simd).toBe(true);
  });

  it("switches between cpu and wasm in one process, and repeated calls are harmless", async () => {
    const cpu = await initBackend("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(cpu).toMatchObject({ name: "cpu", threads: 1, simd: false, deterministic: true, addedKernels: [] });
    await initBackend("wasm");
    const again = await initBackend("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(again.addedKernels).toContain("Conv2DBackpropFilter");
    const sum = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4]));
    expect(await sum.array()).toEqual([4, 6]);
    sum.dispose();
  });

  it("treats tfjs-node as optional: available exactly when it resolves, and a clear error otherwise", async () => {
    const installed = tfjsNodeResolves();
    expect(await isBackendAvailable("wasm")).toBe(true);
    expect(await isBackendAvailable("cpu")).toBe(true);
    if (installed) {
      expect(await isBackendAvailable("tensorflow")).toBe(true);
    } else {
      expect(await isBackendAvailable("tensorflow")).toBe(false);
      await expect(initBackend("tensorflow")).rejects.toThrow(/@tensorflow\/tfjs-node, which is not installed/);
    }
  });

  it("rejects unknown backend names with the list of valid ones", async () => {
    expect(backendNameSchema.safeParse("webgl").success).toBe(false);
    await expect(initBackend("webgl" as never)).rejects.toThrow("Unknown backend 'webgl'; expected one of wasm, cpu, tensorflow.");
  });

  it("finds the wasm binaries through Node's resolver", () => {
    const directory = resolveWasmBinaryDirectory();
    expect(directory).toMatch(/@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]$/);
    expect(WASM_BINARY_NAMES).toHaveLength(3);
  });
});
