import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { backendNameSchema, DEFAULT_BACKEND, initBackend, isBackendAvailable, resolveBackendSpec, tensorflowInstallStatus } from "@/lib/runner/backend";
import { resolveWasmBinaryDirectory, WASM_BINARY_NAMES } from "@/lib/runner/backend/wasm-files";

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
      onednn: null,
      nativeVersions: null,
      deterministic: true,
      addedKernels: ["Conv2DBackpropFilter", "BatchMatMul", "Conv2D", "Conv2DBackpropInput", "Identity", "MaxPoolGrad", "Sum", "Tile"],
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

  it("treats tfjs-node as optional: available exactly when setup:tensorflow installed it, and a clear error otherwise", async () => {
    const status = tensorflowInstallStatus();
    expect(await isBackendAvailable("wasm")).toBe(true);
    expect(await isBackendAvailable("cpu")).toBe(true);
    expect(await isBackendAvailable("tensorflow")).toBe(status.installed);
    // Asking must not load it: loading would make 'tensorflow' the active backend of this process.
    expect(tf.engine().registryFactory.tensorflow).toBeUndefined();
    if (!status.installed) {
      await expect(initBackend("tensorflow")).rejects.toThrow(/Backend 'tensorflow' is not available: .*npm run setup:tensorflow/);
    }
  });

  it("resolves backend specs: tensorflow defaults to 1 thread with oneDNN on; wasm and cpu have no such options", () => {
    expect(resolveBackendSpec("tensorflow")).toEqual({ ok: true, spec: { backend: "tensorflow", threads: 1, onednn: true } });
    expect(resolveBackendSpec({ backend: "tensorflow", threads: 2, onednn: false })).toEqual({ ok: true, spec: { backend: "tensorflow", threads: 2, onednn: false } });
    expect(resolveBackendSpec({ backend: "wasm" })).toEqual({ ok: true, spec: { backend: "wasm" } });
    expect(resolveBackendSpec({ backend: "wasm", threads: 2 })).toEqual({ ok: false, error: "threads applies to the tensorflow backend only (wasm is single-threaded)" });
    expect(resolveBackendSpec({ backend: "cpu", onednn: true })).toEqual({ ok: false, error: "onednn applies to the tensorflow backend only, not cpu" });
    expect(resolveBackendSpec({ backend: "tensorflow", threads: 0 })).toMatchObject({ ok: false, error: expect.stringMatching(/^threads: /) });
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
