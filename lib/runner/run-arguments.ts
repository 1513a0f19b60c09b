/**
 * The runner's command line, read in one place: `npm run variance -- run` (scripts/variance.ts) and the app's
 * background job process (scripts/run-job.ts) both turn their arguments into a RunRequest here, so a job runs
 * exactly what the reproducing command shown to the user would run. The app writes those arguments with
 * runnerArguments (lib/jobs/request.ts); tests/unit/runner/run-arguments.test.ts reads them back.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { availableImplementations, parseImplementations } from "./implementation";
import { parseShard, runRequestSchema, type RunRequest } from "./plan";

/** A command line the runner cannot run; its message names the option. Callers exit with code 2 (usage). */
export class RunArgumentError extends Error {}

/** The options of `run` that take a value (all but the boolean --in-process, --help and --verbose). */
export const RUN_VALUE_OPTIONS = [
  "preset", "setting", "runs", "out", "seed", "backend", "threads", "onednn", "workers", "shard", "label", "data-dir",
  "epochs", "batch-size", "train-size", "val-size", "test-size", "implementations", "repeats", "sources",
] as const;

export type RunOptionValues = Record<string, string | boolean | undefined>;

/** The text of --name, or undefined when it was not given. */
export const textOption = (values: RunOptionValues, name: string): string | undefined => values[name] as string | undefined;

/** --name as a non-negative integer, or undefined when it was not given. */
export function integerOption(values: RunOptionValues, name: string): number | undefined {
  const value = textOption(values, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new RunArgumentError(`--${name} must be a non-negative integer, got '${value}'`);
  return Number(value);
}

/** The first problem of a request that failed its schema, as one line. */
export function requestProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "arguments"}: ${issue.message}` : "invalid arguments";
}

/**
 * Parses the runner's arguments (`--preset … --setting … --runs …`) into option values.
 * @throws RunArgumentError for an unknown option or a missing value.
 */
export function parseRunOptions(args: string[], extra: { booleans?: string[] } = {}): RunOptionValues {
  try {
    const options = Object.fromEntries([
      ...RUN_VALUE_OPTIONS.map((name) => [name, { type: "string" as const }]),
      ...(extra.booleans ?? []).map((name) => [name, { type: "boolean" as const }]),
    ]);
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values as RunOptionValues;
  } catch (error) {
    throw new RunArgumentError((error as Error).message.split("\n")[0]!);
  }
}

/**
 * The options shared by ordinary runs and variance-by-source families, as runRequestSchema's input.
 * @throws RunArgumentError when --preset or --out is missing or an option is malformed.
 */
export function commonRunRequest(values: RunOptionValues) {
  let shard: { index: number; count: number } | undefined;
  if (values.shard !== undefined) {
    const parsed = parseShard(values.shard as string);
    if (!parsed.ok) throw new RunArgumentError(parsed.error);
    shard = parsed.shard;
  }
  const onednnText = textOption(values, "onednn");
  if (onednnText !== undefined && onednnText !== "on" && onednnText !== "off") throw new RunArgumentError(`--onednn must be on or off, got '${onednnText}'`);
  if (values.preset === undefined) throw new RunArgumentError("--preset is required (see: npm run variance -- presets)");
  if (values.out === undefined) throw new RunArgumentError("--out <dir> is required");
  return {
    preset: values.preset,
    runs: integerOption(values, "runs"),
    outDir: values.out,
    dataDir: values["data-dir"],
    seed: integerOption(values, "seed"),
    backend: values.backend,
    threads: integerOption(values, "threads"),
    onednn: onednnText === undefined ? undefined : onednnText === "on",
    label: values.label,
    workers: integerOption(values, "workers"),
    shard,
    overrides: {
      epochs: integerOption(values, "epochs"),
      batchSize: integerOption(values, "batch-size"),
      trainSize: integerOption(values, "train-size"),
      validationSize: integerOption(values, "val-size"),
      testSize: integerOption(values, "test-size"),
    },
  };
}

/**
 * An ordinary run request (one setting, both, or a cross-implementation set) from option values. A
 * cross-implementation set without --implementations compares every implementation installed here.
 * @throws RunArgumentError with the first problem.
 */
export async function runRequestFromOptions(values: RunOptionValues): Promise<RunRequest> {
  const settingText = textOption(values, "setting") ?? "both";
  if (!["default", "fixed-seed", "both", "cross-implementation"].includes(settingText)) {
    throw new RunArgumentError(`--setting must be default, fixed-seed, both or cross-implementation, got '${settingText}'`);
  }
  const cross = settingText === "cross-implementation";
  if (!cross && (values.implementations !== undefined || values.repeats !== undefined)) {
    throw new RunArgumentError("--implementations and --repeats apply to --setting cross-implementation only");
  }
  if (cross && (values.backend !== undefined || values.threads !== undefined || values.onednn !== undefined)) {
    throw new RunArgumentError(
      "--backend, --threads and --onednn do not apply to --setting cross-implementation; list each implementation in --implementations (e.g. wasm,tensorflow:threads=1:onednn=off)",
    );
  }
  let implementations = cross ? await availableImplementations() : [];
  if (cross && values.implementations !== undefined) {
    const parsed = parseImplementations(values.implementations as string);
    if (!parsed.ok) throw new RunArgumentError(parsed.error);
    implementations = parsed.implementations;
  }
  const request = runRequestSchema.safeParse({
    ...commonRunRequest(values),
    settings: settingText === "both" ? ["default", "fixed-seed"] : [settingText],
    implementations,
    repeats: integerOption(values, "repeats"),
  });
  if (!request.success) throw new RunArgumentError(requestProblem(request.error));
  return request.data;
}
