/**
 * Locating the WebAssembly binaries of @tensorflow/tfjs-backend-wasm in Node.
 *
 * The backend's default is to look for the .wasm files next to the bundled JavaScript, which breaks
 * as soon as anything (tsx, vitest, a worker bootstrap, a bundler) changes where that script appears
 * to live. Resolving the package through Node's own resolver from this file gives an absolute
 * directory that is right in the main thread and in every worker_threads Worker alike.
 */
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import path from "node:path";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

/** The three binaries the package ships; which one loads depends on SIMD and thread support. */
export const WASM_BINARY_NAMES = [
  "tfjs-backend-wasm.wasm",
  "tfjs-backend-wasm-simd.wasm",
  "tfjs-backend-wasm-threaded-simd.wasm",
] as const;

/**
 * Absolute directory (with a trailing separator) holding the tfjs-backend-wasm binaries.
 * @throws Error when the package is not installed or its dist folder lacks a binary, naming the
 *   missing file so the user can reinstall the package.
 */
export function resolveWasmBinaryDirectory(): string {
  const require = createRequire(import.meta.url);
  let packageJsonPath: string;
  try {
    packageJsonPath = require.resolve("@tensorflow/tfjs-backend-wasm/package.json");
  } catch {
    throw new Error("@tensorflow/tfjs-backend-wasm is not installed; run `npm install` in the project root.");
  }
  const directory = path.join(path.dirname(packageJsonPath), "dist") + path.sep;
  for (const name of WASM_BINARY_NAMES) {
    if (!existsSync(directory + name)) {
      throw new Error(`tfjs-backend-wasm binary missing: ${directory + name}; reinstall @tensorflow/tfjs-backend-wasm.`);
    }
  }
  return directory;
}

let configuredDirectory: string | null = null;

/**
 * Points the wasm backend at its binaries. Idempotent: later calls are no-ops, because the backend
 * refuses new paths once it has tried to initialise.
 * @returns the directory in use.
 */
export function configureWasmBinaryPaths(): string {
  if (configuredDirectory !== null) return configuredDirectory;
  const directory = resolveWasmBinaryDirectory();
  // A plain directory prefix (not a URL) makes Emscripten read the file with fs in Node instead of
  // trying fetch(), which cannot load file paths.
  setWasmPaths(directory);
  configuredDirectory = directory;
  return directory;
}
