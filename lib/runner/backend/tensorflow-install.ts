/**
 * Where the native TensorFlow backend (@tensorflow/tfjs-node built against TensorFlow's C library) lives
 * and whether it is installed, without loading it.
 *
 * Loading @tensorflow/tfjs-node has side effects that cannot be undone in a process: it maps ~850 MB of
 * libraries, creates TensorFlow's context (which reads the thread count and the oneDNN switch once) and makes
 * 'tensorflow' the active backend. So "is it installed?" is answered from files only; whether it really loads
 * is found out by initBackend (which reports a failure in one sentence) and by `npm run setup:tensorflow`,
 * which loads it in a child process to verify.
 *
 * Installed by scripts/setup-tensorflow.ts; the versions here are the ones it installs.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The pip wheel whose C library the binding is built against (libtensorflow_cc.so.2 does not need Python). */
export const TENSORFLOW_WHEEL = { name: "tensorflow-cpu", version: "2.21.0" } as const;
/** The npm package that binds TensorFlow's C library to TensorFlow.js; must match @tensorflow/tfjs's version. */
export const TFJS_NODE_PACKAGE = "@tensorflow/tfjs-node";
export const TFJS_NODE_VERSION = "4.22.0";
/** The two libraries taken from the wheel (their sonames; the binding links against both). */
export const TENSORFLOW_LIBRARIES = ["libtensorflow_cc.so.2", "libtensorflow_framework.so.2"] as const;

const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * The cache shared by every checkout on this machine: $VARSTUDY_CACHE_DIR, else $XDG_CACHE_HOME/varstudy,
 * else ~/.cache/varstudy. The libraries are ~850 MB, so they are kept once, outside any checkout.
 */
export function varstudyCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VARSTUDY_CACHE_DIR) return path.resolve(env.VARSTUDY_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return path.join(path.resolve(env.XDG_CACHE_HOME), "varstudy");
  return path.join(os.homedir(), ".cache", "varstudy");
}

/** The cached TensorFlow C library of TENSORFLOW_WHEEL: `<cache>/tensorflow-<version>/{lib,include}`. */
export function tensorflowCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(varstudyCacheDirectory(env), `tensorflow-${TENSORFLOW_WHEEL.version}`);
}

/** node_modules/@tensorflow/tfjs-node of this checkout (whether or not it exists). */
export function tfjsNodeDirectory(root: string = REPOSITORY_ROOT): string {
  return path.join(root, "node_modules", ...TFJS_NODE_PACKAGE.split("/"));
}

export type TensorflowInstallStatus =
  | { installed: true; tfjsNodeVersion: string; bindingPath: string; libraryDirectory: string }
  | { installed: false; reason: string };

/** Finds lib/napi-v<N>/tfjs_binding.node, the compiled binding, if any (N is the package's N-API build version). */
export function findBinding(packageDirectory: string): string | undefined {
  const libDirectory = path.join(packageDirectory, "lib");
  if (!existsSync(libDirectory)) return undefined;
  for (const entry of readdirSync(libDirectory)) {
    const candidate = path.join(libDirectory, entry, "tfjs_binding.node");
    if (entry.startsWith("napi-v") && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Whether the tensorflow backend is installed in this checkout, judged from files alone: the package at the
 * expected version, its compiled binding, and the two libraries it loads (existsSync follows the symlinks
 * into the cache, so a deleted cache counts as not installed).
 * @returns installed, or not with a reason that ends in what to do.
 */
export function tensorflowInstallStatus(root: string = REPOSITORY_ROOT): TensorflowInstallStatus {
  const packageDirectory = tfjsNodeDirectory(root);
  const fix = "run `npm run setup:tensorflow`";
  let version: string | undefined;
  try {
    version = (JSON.parse(readFileSync(path.join(packageDirectory, "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return { installed: false, reason: `${TFJS_NODE_PACKAGE} is not installed; ${fix}` };
  }
  if (version !== TFJS_NODE_VERSION) {
    return { installed: false, reason: `${TFJS_NODE_PACKAGE} ${version ?? "?"} is installed but ${TFJS_NODE_VERSION} is needed; ${fix}` };
  }
  const bindingPath = findBinding(packageDirectory);
  if (!bindingPath) return { installed: false, reason: `${TFJS_NODE_PACKAGE} is installed but its native binding was not built; ${fix}` };
  const libraryDirectory = path.join(packageDirectory, "deps", "lib");
  for (const library of TENSORFLOW_LIBRARIES) {
    if (!existsSync(path.join(libraryDirectory, library))) {
      return { installed: false, reason: `${library} is missing from ${libraryDirectory} (was the cache deleted?); ${fix}` };
    }
  }
  return { installed: true, tfjsNodeVersion: version, bindingPath, libraryDirectory };
}
