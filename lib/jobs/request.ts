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

export const jobRequestSchema = z
  .object({
    /** Slug of the study the results are imported into (lib/db/experiment-studies.ts); may be empty with one study. */
    study: z.preprocess((value) => (value === "" || value === null ? undefined : value), z.string().max(64).optional()),
    preset: z.string().refine((name) => findPreset(name) !== undefined, { message: `Choose a preset (${PRESETS.map((p) => p.name).join(", ")})` }),
    setting: z.enum(["default", "fixed-seed", "both"], { error: "Choose default, fixed-seed or both" }),
    runs: z.coerce.number({ error: "Runs must be a whole number" }).int("Runs must be a whole number").min(2, "At least 2 runs: a spread needs two").max(64, "At most 64 runs from the app; use the command line for more"),
    epochs: optionalInt("Epochs", 1, 500),
    trainSize: optionalInt("Training images", 16, 60_000),
    validationSize: optionalInt("Validation images", 8, 10_000),
    testSize: optionalInt("Test images", 8, 10_000),
    seed: optionalInt("Seed", 0, 2 ** 32 - 1),
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
  });
export type JobRequest = z.infer<typeof jobRequestSchema>;

/** The runner's command-line arguments for a request (also the reproducing command shown to users). */
export function runnerArguments(request: JobRequest, outDir: string): string[] {
  const args = ["--preset", request.preset, "--setting", request.setting, "--runs", String(request.runs), "--workers", String(request.workers), "--out", outDir];
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
