import os from "node:os";
import { backendDescriptorSchema, backendNameSchema, isBackendAvailable, type BackendDescriptor } from "./backend";

/**
 * Implementations of the same training: a backend plus, for the native `tensorflow` backend, the intra-op
 * thread count and the oneDNN switch. With every algorithmic seed fixed, what still differs between two
 * implementations is the arithmetic (kernel choice, summation order, vectorisation), which is the
 * study's implementation-level variance. A cross-implementation set trains one fixed-seed configuration
 * on several implementations; its spread is the spread between them.
 */

/** A stable, human-readable key: "wasm", "cpu", "tensorflow threads=2 onednn=off". */
export function implementationKey(descriptor: BackendDescriptor): string {
  const parts: string[] = [descriptor.backend];
  if (descriptor.threads !== undefined) parts.push(`threads=${descriptor.threads}`);
  if (descriptor.onednn !== undefined) parts.push(`onednn=${descriptor.onednn ? "on" : "off"}`);
  return parts.join(" ");
}

/** The command-line spelling of a descriptor: "wasm", "tensorflow:threads=2:onednn=off". */
export function implementationArgument(descriptor: BackendDescriptor): string {
  return implementationKey(descriptor).replaceAll(" ", ":");
}

/**
 * Parses `--implementations`: a comma-separated list of `backend[:threads=N][:onednn=on|off]`.
 * @returns the descriptors in the order given, or a one-line error; duplicates are an error (they would be
 *   the same implementation twice, which the repeats already cover).
 */
export function parseImplementations(text: string): { ok: true; implementations: BackendDescriptor[] } | { ok: false; error: string } {
  const implementations: BackendDescriptor[] = [];
  const seen = new Set<string>();
  for (const item of text.split(",").map((part) => part.trim()).filter(Boolean)) {
    const [backendText, ...options] = item.split(":");
    const backend = backendNameSchema.safeParse(backendText);
    if (!backend.success) return { ok: false, error: `--implementations: unknown backend '${backendText}' (known: ${backendNameSchema.options.join(", ")})` };
    const descriptor: BackendDescriptor = { backend: backend.data };
    for (const option of options) {
      const threads = /^threads=(\d+)$/.exec(option);
      const onednn = /^onednn=(on|off)$/.exec(option);
      if (threads) descriptor.threads = Number(threads[1]);
      else if (onednn) descriptor.onednn = onednn[1] === "on";
      else return { ok: false, error: `--implementations: '${option}' in '${item}' is neither threads=N nor onednn=on|off` };
    }
    const checked = backendDescriptorSchema.safeParse(descriptor);
    if (!checked.success) return { ok: false, error: `--implementations: '${item}': ${checked.error.issues[0]?.message}` };
    if (descriptor.backend !== "tensorflow" && (descriptor.threads !== undefined || descriptor.onednn !== undefined)) {
      return { ok: false, error: `--implementations: '${item}': threads and oneDNN apply to the tensorflow backend only (wasm and cpu are single-threaded)` };
    }
    const key = implementationKey(descriptor);
    if (seen.has(key)) return { ok: false, error: `--implementations: '${item}' is listed twice` };
    seen.add(key);
    implementations.push(descriptor);
  }
  if (implementations.length < 2) return { ok: false, error: "--implementations needs at least two implementations to compare" };
  return { ok: true, implementations };
}

/**
 * The implementations this machine offers, the default of a cross-implementation set: wasm and cpu
 * always; where @tensorflow/tfjs-node loads, also the native backend with one thread and with every core,
 * each with oneDNN off and on.
 */
export async function availableImplementations(): Promise<BackendDescriptor[]> {
  const list: BackendDescriptor[] = [{ backend: "wasm" }, { backend: "cpu" }];
  if (await isBackendAvailable("tensorflow")) {
    for (const threads of [...new Set([1, os.availableParallelism()])]) {
      for (const onednn of [false, true]) list.push({ backend: "tensorflow", threads, onednn });
    }
  }
  return list;
}
