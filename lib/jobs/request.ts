import { z } from "zod";
import { findPreset, PRESETS } from "@/lib/runner/presets";

/**
 * What an admin may ask for when starting a preset from the app (the form and the server action parse with
 * this same schema). Bounds are deliberately tighter than the command line's: the app server's machine is
 * shared, so full study presets need an explicit tick, and very long requests belong on the command line.
 */
const optionalInt = (label: string, min: number, max: number) =>
  z.preprocess(
    (value) => (value === "" || value === null || value === undefined ? undefined : value),
    z.coerce
      .number({ error: `${label} must be a whole number` })
      .int(`${label} must be a whole number`)
      .min(min, `${label} must be at least ${min}`)
      .max(max, `${label} must be at most ${max}`)
      .optional(),
  );

export const MAX_APP_WORKERS = 8;

/** The runner's default repeats per implementation (lib/runner/plan.ts). */
const DEFAULT_REPEATS = 2;

const APP_BACKENDS = ["wasm", "cpu", "tensorflow"] as const;

/**
 * Checks a cross-implementation list (`wasm,tensorflow:threads=1:onednn=off`) by the runner's rules
 * (lib/runner/implementation.ts parseImplementations, which this app module cannot import: it loads TensorFlow.js).
 * tests/integration/experiments-jobs.test.ts checks that both accept and refuse the same lists. Whether a backend
 * is installed is the job process's question (it stops before any run starts when one is missing).
 * @returns null when the list is acceptable, otherwise the message to show beside the field.
 */
export function implementationListError(text: string): string | null {
  const items = text.split(",").map((part) => part.trim()).filter(Boolean);
  const seen = new Set<string>();
  for (const item of items) {
    const [backend, ...options] = item.split(":");
    if (!(APP_BACKENDS as readonly string[]).includes(backend!)) return `Unknown backend '${backend}' in '${item}' (known: ${APP_BACKENDS.join(", ")})`;
    let threads: number | undefined;
    let onednn: string | undefined;
    for (const option of options) {
      const threadsMatch = /^threads=(\d+)$/.exec(option);
      const onednnMatch = /^onednn=(on|off)$/.exec(option);
      if (threadsMatch) threads = Number(threadsMatch[1]);
      else if (onednnMatch) onednn = onednnMatch[1];
      else return `'${option}' in '${item}' is neither threads=N nor onednn=on|off`;
    }
    if (threads !== undefined && (threads < 1 || threads > 256)) return `threads must be between 1 and 256 in '${item}'`;
    if (backend !== "tensorflow" && threads !== undefined && threads !== 1) return `threads applies to the tensorflow backend only ('${item}'; ${backend} is single-threaded)`;
    if (backend !== "tensorflow" && onednn !== undefined) return `onednn applies to the tensorflow backend only ('${item}')`;
    // The runner's defaults (tensorflow: one thread, oneDNN on) decide what counts as the same implementation.
    const key = backend === "tensorflow" ? `tensorflow threads=${threads ?? 1} onednn=${onednn ?? "on"}` : backend!;
    if (seen.has(key)) return `'${item}' is listed twice`;
    seen.add(key);
  }
  if (items.length < 2) return "List at least two implementations to compare, e.g. wasm,tensorflow:threads=1:onednn=off";
  return null;
}

const runsSchema = z.coerce
  .number({ error: "Runs must be a whole number" })
  .int("Runs must be a whole number")
  .min(2, "At least 2 runs: a spread needs two")
  .max(64, "At most 64 runs from the app; use the command line for more");

/** A cross-implementation set has no "runs per set" of its own (the form's value is not used): it is dropped before checking. */
const withoutUnusedRuns = (input: unknown) =>
  input && typeof input === "object" && (input as { setting?: unknown }).setting === "cross-implementation" ? { ...input, runs: undefined } : input;

export const jobRequestSchema = z.preprocess(
  withoutUnusedRuns,
  z
    .object({
      /** Slug of the study the results are imported into (lib/db/experiment-studies.ts); may be empty with one study. */
      study: z.preprocess((value) => (value === "" || value === null ? undefined : value), z.string().max(64).optional()),
      preset: z.string().refine((name) => findPreset(name) !== undefined, { message: `Choose a preset (${PRESETS.map((p) => p.name).join(", ")})` }),
      setting: z.enum(["default", "fixed-seed", "both", "cross-implementation"], { error: "Choose default, fixed-seed, both or cross-implementation" }),
      runs: z.preprocess((value) => (value === "" || value === null ? undefined : value), runsSchema.optional()),
      epochs: optionalInt("Epochs", 1, 500),
      trainSize: optionalInt("Training images", 16, 60_000),
      validationSize: optionalInt("Validation images", 8, 10_000),
      testSize: optionalInt("Test images", 8, 10_000),
      seed: optionalInt("Seed", 0, 2 ** 32 - 1),
      /** Cross-implementation only: the implementations to compare, in the runner's `--implementations` spelling. */
      implementations: z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), z.string().max(500, "At most 500 characters").optional()),
      /** Cross-implementation only: runs per implementation (2 or more also audits each one's determinism). */
      repeats: optionalInt("Repeats", 1, 16),
      workers: z.coerce.number({ error: "Workers must be a whole number" }).int("Workers must be a whole number").min(1, "At least 1 worker").max(MAX_APP_WORKERS, `At most ${MAX_APP_WORKERS} workers`),
      /** Full study presets (50–200 epochs on real data) only when this is ticked. */
      allowStudyPresets: z.preprocess((value) => value === "on" || value === true || value === "true", z.boolean()),
    })
    .superRefine((request, context) => {
      const preset = findPreset(request.preset);
      if (preset?.isStudyPreset && !request.allowStudyPresets) {
        context.addIssue({
          code: "custom",
          path: ["preset"],
          message: `${request.preset} is a full study preset (${preset.training.epochs} epochs on real data, hours or days): tick "Allow full study presets" to start it anyway`,
        });
      }
      if (request.setting !== "cross-implementation" && request.runs === undefined) context.addIssue({ code: "custom", path: ["runs"], message: "How many runs per set?" });
      if (request.setting === "cross-implementation") {
        const error = request.implementations === undefined ? "List the implementations to compare, e.g. wasm,tensorflow:threads=1:onednn=off" : implementationListError(request.implementations);
        if (error) context.addIssue({ code: "custom", path: ["implementations"], message: error });
      }
    })
    // A cross-implementation set has repeats × implementations runs: that is what "runs" means for it (the jobs list shows it).
    .transform((request) => ({
      ...request,
      runs:
        request.setting === "cross-implementation"
          ? (request.repeats ?? DEFAULT_REPEATS) * request.implementations!.split(",").filter((part) => part.trim()).length
          : request.runs!,
    })),
);
export type JobRequest = z.infer<typeof jobRequestSchema>;

/** The runner's command-line arguments for a request (also the reproducing command shown to users). */
export function runnerArguments(request: JobRequest, outDir: string): string[] {
  const cross = request.setting === "cross-implementation";
  const args = ["--preset", request.preset, "--setting", request.setting];
  if (cross) args.push("--implementations", request.implementations!.split(",").map((part) => part.trim()).filter(Boolean).join(","), "--repeats", String(request.repeats ?? DEFAULT_REPEATS));
  else args.push("--runs", String(request.runs));
  args.push("--workers", String(request.workers), "--out", outDir);
  const optional: Array<[string, number | undefined]> = [
    ["--epochs", request.epochs],
    ["--train-size", request.trainSize],
    ["--val-size", request.validationSize],
    ["--test-size", request.testSize],
    ["--seed", request.seed],
  ];
  for (const [flag, value] of optional) if (value !== undefined) args.push(flag, String(value));
  return args;
}
