import os from "node:os";
import { backendNameSchema, isBackendAvailable, resolveBackendSpec, type BackendSpec, type ResolvedBackendSpec } from "./backend";

/**
 * Implementations of the same training: a backend plus, for the native `tensorflow` backend, the intra-op
 * thread count and the oneDNN switch. With every algorithmic seed fixed, what still differs between two
 * implementations is the arithmetic (kernel choice, summation order, vectorisation), which is the
 * study's implementation-level variance. A cross-implementation set trains one fixed-seed configuration
 * on several implementations; its spread is the spread between them.
 */

/**
 * A stable, human-readable key: "wasm", "cpu", "tensorflow threads=2 onednn=off". Pass a resolved spec
 * (resolveBackendSpec) so that one implementation has one key whatever defaults were spelled out.
 */
export function implementationKey(descriptor: BackendSpec): string {
  const parts: string[] = [descriptor.backend];
  if (descriptor.threads !== undefined) parts.push(`threads=${descriptor.threads}`);
  if (descriptor.onednn !== undefined) parts.push(`onednn=${descriptor.onednn ? "on" : "off"}`);
  return parts.join(" ");
}

/** The command-line spelling of a descriptor: "wasm", "tensorflow:threads=2:onednn=off". */
export function implementationArgument(descriptor: BackendSpec): string {
  return implementationKey(descriptor).replaceAll(" ", ":");
}

/**
 * Parses `--implementations`: a comma-separated list of `backend[:threads=N][:onednn=on|off]`.
 * @returns the implementations in the order given, resolved (tensorflow's defaults filled in), or a one-line
 *   error; duplicates are an error (they would be the same implementation twice, which the repeats already cover).
 */
export function parseImplementations(text: string): { ok: true; implementations: ResolvedBackendSpec[] } | { ok: false; error: string } {
  const implementations: ResolvedBackendSpec[] = [];
  const seen = new Set<string>();
  for (const item of text.split(",").map((part) => part.trim()).filter(Boolean)) {
    const [backendText, ...options] = item.split(":");
    const backend = backendNameSchema.safeParse(backendText);
    if (!backend.success) return { ok: false, error: `--implementations: unknown backend '${backendText}' (known: ${backendNameSchema.options.join(", ")})` };
    const descriptor: BackendSpec = { backend: backend.data };
    for (const option of options) {
      const threads = /^threads=(\d+)$/.exec(option);
      const onednn = /^onednn=(on|off)$/.exec(option);
      if (threads) descriptor.threads = Number(threads[1]);
      else if (onednn) descriptor.onednn = onednn[1] === "on";
      else return { ok: false, error: `--implementations: '${option}' in '${item}' is neither threads=N nor onednn=on|off` };
    }
    const resolved = resolveBackendSpec(descriptor);
    if (!resolved.ok) return { ok: false, error: `--implementations: '${item}': ${resolved.error}` };
    const key = implementationKey(resolved.spec);
    if (seen.has(key)) return { ok: false, error: `--implementations: '${item}' is listed twice (as ${implementationArgument(resolved.spec)})` };
    seen.add(key);
    implementations.push(resolved.spec);
  }
  if (implementations.length < 2) return { ok: false, error: "--implementations needs at least two implementations to compare" };
  return { ok: true, implementations };
}

/**
 * The implementations this machine offers, the default of a cross-implementation set: wasm and cpu
 * always; where the tensorflow backend is installed (npm run setup:tensorflow), also the native backend with one thread and with every core,
 * each with oneDNN off and on.
 */
export async function availableImplementations(): Promise<ResolvedBackendSpec[]> {
  const list: ResolvedBackendSpec[] = [{ backend: "wasm" }, { backend: "cpu" }];
  if (await isBackendAvailable("tensorflow")) {
    for (const threads of [...new Set([1, os.availableParallelism()])]) {
      for (const onednn of [false, true]) list.push({ backend: "tensorflow", threads, onednn });
    }
  }
  return list;
}
