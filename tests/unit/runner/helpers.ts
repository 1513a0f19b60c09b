import { initBackend, type BackendName } from "@/lib/runner/backend";

/**
 * Backend for runner tests: wasm (the default backend, with the project's added kernels) unless
 * VARSTUDY_TEST_BACKEND=cpu is set.
 */
export const TEST_BACKEND: BackendName = process.env.VARSTUDY_TEST_BACKEND === "cpu" ? "cpu" : "wasm";

export const useTestBackend = () => initBackend(TEST_BACKEND);

/** Overrides that make lenet1-quick take about a second per run. */
export const TINY = { epochs: 2, trainSize: 96, validationSize: 48, testSize: 48, batchSize: 32 } as const;
