import { createHash } from "node:crypto";
import os from "node:os";
import { z } from "zod";
import { backendNameSchema, backendSpecSchema, resolveBackendSpec, type ResolvedBackendSpec } from "./backend";
import { implementationArgument, implementationKey } from "./implementation";
import { findPreset, PRESETS, type Preset, type TrainingConfig } from "./presets";
import { familySourceSchema, type FamilyMembership, type FamilySource } from "./result-schema";
import { settingSchema, type Setting } from "./seeds";
import { sourceApplicability, SOURCE_SETTING, VARIABLE_SOURCES, type VariableSource } from "./source-family";

/** `--shard i/N`: the i-th (1-based) of N disjoint slices of the planned runs. */
export const shardSchema = z
  .object({ index: z.number().int().positive(), count: z.number().int().positive() })
  .refine((shard) => shard.index <= shard.count, { message: "shard index must be between 1 and the shard count" });
export type Shard = z.infer<typeof shardSchema>;

/**
 * Parses "i/N" (e.g. "2/4").
 * @returns the shard, or a one-line error.
 */
export function parseShard(text: string): { ok: true; shard: Shard } | { ok: false; error: string } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return { ok: false, error: `--shard must look like i/N (e.g. 2/4), got '${text}'` };
  const parsed = shardSchema.safeParse({ index: Number(match[1]), count: Number(match[2]) });
  return parsed.success ? { ok: true, shard: parsed.data } : { ok: false, error: `--shard ${text}: ${parsed.error.issues[0]?.message}` };
}

/**
 * What a user asks `variance run` for, after argv parsing; validated with this schema at the CLI boundary.
 * `backend`, `threads` and `onednn` together are a BackendSpec (lib/runner/backend): threads and oneDNN
 * exist for the tensorflow backend only and default to 1 thread, oneDNN on.
 */
export const runRequestSchema = z
  .object({
  preset: z.string().refine((name) => findPreset(name) !== undefined, {
    message: `unknown preset (known: ${PRESETS.map((preset) => preset.name).join(", ")})`,
  }),
  /** The sets to run; ignored when `sources` is given (a family plans its own settings, see planFamily). */
  settings: z.array(settingSchema).default([]),
  /**
   * A variance-by-source family (`--sources`): one set per source that varies it alone, plus the default setting
   * (the reference) and the fixed-seed control. Empty for ordinary sets.
   */
  sources: z.array(z.enum(VARIABLE_SOURCES)).default([]),
  runs: z.number().int().positive().max(10_000).default(16),
  outDir: z.string().min(1),
  dataDir: z.string().min(1).default("data/datasets"),
  seed: z.number().int().nonnegative().max(2 ** 32 - 1).default(42),
  backend: backendNameSchema.default("wasm"),
  threads: z.number().int().positive().max(256).optional(),
  onednn: z.boolean().optional(),
  /**
   * The implementations of a cross-implementation set (at least two; see lib/runner/implementation.ts), each a
   * BackendSpec like `backend`/`threads`/`onednn`. Required when `settings` includes "cross-implementation"
   * (where `backend`, `threads` and `onednn` are ignored), ignored otherwise.
   */
  implementations: z.array(backendSpecSchema).default([]),
  /** Runs per implementation in a cross-implementation set: 2 or more also audits each one's determinism. */
  repeats: z.number().int().positive().max(100).default(2),
  /** One sentence saying what the sets are, copied into every result line (shown in the app). */
  label: z.string().min(1).max(500).optional(),
  workers: z.number().int().positive().max(256).default(() => os.availableParallelism()),
  shard: shardSchema.default({ index: 1, count: 1 }),
  overrides: z
    .object({
      epochs: z.number().int().positive().optional(),
      batchSize: z.number().int().positive().optional(),
      trainSize: z.number().int().positive().optional(),
      validationSize: z.number().int().positive().optional(),
      testSize: z.number().int().positive().optional(),
    })
    .default({}),
  })
  .superRefine((request, context) => {
    if (request.settings.length === 0 && request.sources.length === 0) context.addIssue({ code: "custom", path: ["settings"], message: "name at least one setting (or --sources for a family)" });
    if (request.sources.includes("implementation") && request.implementations.length < 2) {
      context.addIssue({ code: "custom", path: ["implementations"], message: "the implementation source needs at least two implementations" });
    }
    const resolved = resolveBackendSpec({ backend: request.backend, threads: request.threads, onednn: request.onednn });
    if (!resolved.ok) context.addIssue({ code: "custom", path: ["backend"], message: resolved.error });
    request.implementations.forEach((implementation, index) => {
      const checked = resolveBackendSpec(implementation);
      if (!checked.ok) context.addIssue({ code: "custom", path: ["implementations", index], message: checked.error });
    });
  });
export type RunRequest = z.infer<typeof runRequestSchema>;

/** The request's backend with its options resolved (defaults filled in). The schema has already checked it. */
export function backendSpecOf(request: Pick<RunRequest, "backend" | "threads" | "onednn">): ResolvedBackendSpec {
  const resolved = resolveBackendSpec({ backend: request.backend, threads: request.threads, onednn: request.onednn });
  if (!resolved.ok) throw new Error(resolved.error);
  return resolved.spec;
}

/** The implementations of a cross-implementation request, resolved. The schema has already checked them. */
export function implementationsOf(request: Pick<RunRequest, "implementations">): ResolvedBackendSpec[] {
  return request.implementations.map((implementation) => {
    const resolved = resolveBackendSpec(implementation);
    if (!resolved.ok) throw new Error(resolved.error);
    return resolved.spec;
  });
}

/** Everything one worker needs to perform one run. Plain data: it crosses process boundaries. */
export type RunSpec = {
  setId: string;
  preset: string;
  setting: Setting;
  runIndex: number;
  runCount: number;
  command: string;
  training: TrainingConfig;
  masterSeed: number;
  /**
   * The implementation this run trains on, resolved (tensorflow's thread count and oneDNN switch filled in).
   * A worker process never switches implementation (see pool.ts).
   */
  backend: ResolvedBackendSpec;
  dataDir: string;
  label?: string;
  /** Runs planned by `--sources`: the family and what this run's set varies (recorded in the result line). */
  family?: FamilyMembership;
};

/** The fields a run's results line starts with, run or failure alike, in this order (results.jsonl keeps it). */
export function resultLineIdentity(spec: RunSpec) {
  return {
    setId: spec.setId,
    preset: spec.preset,
    setting: spec.setting,
    runIndex: spec.runIndex,
    runCount: spec.runCount,
    command: spec.command,
    ...(spec.label ? { label: spec.label } : {}),
  };
}

/**
 * Applies the command-line overrides to a preset's training configuration.
 */
export function resolveTraining(preset: Preset, overrides: RunRequest["overrides"]): TrainingConfig {
  const training = preset.training;
  return {
    ...training,
    epochs: overrides.epochs ?? training.epochs,
    batchSize: overrides.batchSize ?? training.batchSize,
    sizes: {
      train: overrides.trainSize ?? training.sizes.train,
      validation: overrides.validationSize ?? training.sizes.validation,
      test: overrides.testSize ?? training.sizes.test,
    },
  };
}

/**
 * Identifies a set of identical runs: `<preset>/<setting>/<hash>`, the hash covering the training
 * configuration, the backend (with tensorflow's thread count and oneDNN switch: they change the bits) and
 * (fixed-seed only) the master seed; for a cross-implementation set, the implementations instead of the
 * backend. Runs with different ids are not "identical runs" and are never pooled; re-running the same command gives the same id, which is what
 * makes resume and merging idempotent.
 */
export function setIdFor(options: {
  preset: string;
  setting: Setting;
  training: TrainingConfig;
  backend: ResolvedBackendSpec;
  masterSeed: number;
  implementations?: readonly ResolvedBackendSpec[];
}): string {
  const identity =
    options.setting === "cross-implementation"
      ? { training: options.training, implementations: (options.implementations ?? []).map(implementationKey), masterSeed: options.masterSeed }
      : {
          training: options.training,
          backend: options.backend.backend,
          // tensorflow only (undefined is left out, so wasm and cpu set ids are what they were before these options).
          threads: options.backend.threads,
          onednn: options.backend.onednn,
          // Every setting but default derives its seeds from the master seed (the vary-* ones all but one).
          masterSeed: options.setting === "default" ? null : options.masterSeed,
        };
  const hash = createHash("sha256").update(stableStringify(identity)).digest("hex").slice(0, 12);
  return `${options.preset}/${options.setting}/${hash}`;
}

/** JSON with sorted object keys, so the hash does not depend on property order. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The command that reproduces one set (same preset, setting, runs, seed, backend and overrides).
 */
export function reproduceCommand(request: RunRequest, setting: Setting): string {
  const parts = ["npm run variance -- run", `--preset ${request.preset}`, `--setting ${setting}`];
  if (request.sources.length > 0) {
    // A family is one command: every one of its sets names it.
    parts.splice(2, 1, `--sources ${request.sources.join(",")}`, `--runs ${request.runs}`, `--seed ${request.seed}`);
    const backend = backendSpecOf(request);
    parts.push(`--backend ${backend.backend}`);
    if (backend.backend === "tensorflow") parts.push(`--threads ${backend.threads}`, `--onednn ${backend.onednn ? "on" : "off"}`);
    if (request.sources.includes("implementation")) parts.push(`--implementations ${implementationsOf(request).map(implementationArgument).join(",")}`, `--repeats ${request.repeats}`);
  } else if (setting === "cross-implementation") {
    parts.push(`--implementations ${implementationsOf(request).map(implementationArgument).join(",")}`, `--repeats ${request.repeats}`, `--seed ${request.seed}`);
  } else {
    parts.push(`--runs ${request.runs}`);
    if (setting === "fixed-seed") parts.push(`--seed ${request.seed}`);
    const backend = backendSpecOf(request);
    parts.push(`--backend ${backend.backend}`);
    if (backend.backend === "tensorflow") parts.push(`--threads ${backend.threads}`, `--onednn ${backend.onednn ? "on" : "off"}`);
  }
  const o = request.overrides;
  if (o.epochs !== undefined) parts.push(`--epochs ${o.epochs}`);
  if (o.batchSize !== undefined) parts.push(`--batch-size ${o.batchSize}`);
  if (o.trainSize !== undefined) parts.push(`--train-size ${o.trainSize}`);
  if (o.validationSize !== undefined) parts.push(`--val-size ${o.validationSize}`);
  if (o.testSize !== undefined) parts.push(`--test-size ${o.testSize}`);
  parts.push(`--out ${request.outDir}`);
  return parts.join(" ");
}

/**
 * Lists every run of the request (all settings), in a fixed order: settings as given, then run index.
 * @throws Error for an unknown preset (the request schema normally catches it first).
 */
export function planRuns(request: RunRequest): RunSpec[] {
  const preset = findPreset(request.preset);
  if (!preset) throw new Error(`unknown preset '${request.preset}'`);
  const training = resolveTraining(preset, request.overrides);
  const backend = backendSpecOf(request);
  const implementations = implementationsOf(request);
  const family = request.sources.length > 0 ? planFamily(request) : null;
  const settings = family ? family.members.map((member) => member.setting) : request.settings;
  return settings.flatMap((setting) => {
    const setId = setIdFor({ preset: preset.name, setting, training, backend, masterSeed: request.seed, implementations });
    const command = reproduceCommand(request, setting);
    const membership = family?.members.find((member) => member.setting === setting);
    const common = {
      setId,
      preset: preset.name,
      setting,
      command,
      training,
      masterSeed: request.seed,
      dataDir: request.dataDir,
      ...(request.label ? { label: request.label } : {}),
      ...(family && membership ? { family: { id: family.id, source: membership.source, defaultSetId: family.defaultSetId, controlSetId: family.controlSetId } } : {}),
    };
    if (setting === "cross-implementation") {
      if (implementations.length < 2) throw new Error("a cross-implementation set needs at least two implementations");
      // Implementation-major order: run i is implementation floor(i / repeats), so a set's runs read as a table.
      const runCount = implementations.length * request.repeats;
      return implementations.flatMap((implementation, position) =>
        Array.from({ length: request.repeats }, (_, repeat) => ({
          ...common,
          runIndex: position * request.repeats + repeat,
          runCount,
          backend: implementation,
        })),
      );
    }
    return Array.from({ length: request.runs }, (_, runIndex) => ({
      ...common,
      runIndex,
      runCount: request.runs,
      backend,
    }));
  });
}

/**
 * The runs of one shard: position p of the full plan belongs to shard (p mod N) + 1. Shards are
 * disjoint, their union is the plan, and each is balanced across settings.
 */
export function selectShard<T>(plan: readonly T[], shard: Shard): T[] {
  return plan.filter((_, position) => position % shard.count === shard.index - 1);
}

/** Results file a (possibly sharded) invocation appends to; shards write separate files so they can share a directory. */
export function resultsFileName(shard: Shard): string {
  return shard.count === 1 ? "results.jsonl" : `results.shard-${shard.index}-of-${shard.count}.jsonl`;
}

/** A family's plan: its id, the sets it runs (reference, control, one per applicable source) and the sources it skips, with why. */
export type FamilyPlan = {
  id: string;
  defaultSetId: string;
  controlSetId: string;
  members: Array<{ source: FamilySource; setting: Setting }>;
  skipped: Array<{ source: VariableSource; reason: string }>;
};

/**
 * Plans a variance-by-source family (`run --sources`): the default setting (every source varies: the
 * reference whose variance the shares are relative to), the all-fixed control (the fixed-seed set) and one set
 * per applicable source. A source the preset does not have (no dropout layers, no augmentation) is skipped with
 * the reason, not trained: its runs would be bit-identical copies of the control.
 * @param request a request with `sources`.
 */
export function planFamily(request: RunRequest): FamilyPlan {
  const preset = findPreset(request.preset);
  if (!preset) throw new Error(`unknown preset '${request.preset}'`);
  const training = resolveTraining(preset, request.overrides);
  const backend = backendSpecOf(request);
  const hash = createHash("sha256").update(stableStringify({ training, backend: implementationKey(backend), masterSeed: request.seed })).digest("hex").slice(0, 12);
  const setIdOf = (setting: Setting) => setIdFor({ preset: preset.name, setting, training, backend, masterSeed: request.seed, implementations: implementationsOf(request) });
  const members: FamilyPlan["members"] = [
    { source: "all", setting: "default" },
    { source: "none", setting: "fixed-seed" },
  ];
  const skipped: FamilyPlan["skipped"] = [];
  for (const source of VARIABLE_SOURCES.filter((candidate) => request.sources.includes(candidate))) {
    const applicable = sourceApplicability(training, source);
    if (!applicable.applies) skipped.push({ source, reason: applicable.reason });
    else members.push({ source: familySourceSchema.parse(source), setting: SOURCE_SETTING[source] });
  }
  return { id: `${preset.name}/family/${hash}`, defaultSetId: setIdOf("default"), controlSetId: setIdOf("fixed-seed"), members, skipped };
}
