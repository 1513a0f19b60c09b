import { z } from "zod";

/**
 * The runner's output contract: one JSON object per line ("JSON Lines"), each either a finished run
 * or a failed run. The app imports these lines; a reader must reject any `schemaVersion` it does not
 * know instead of guessing. Bump RESULT_SCHEMA_VERSION on any incompatible change.
 */
export const RESULT_SCHEMA_VERSION = 1 as const;

const finite = z.number().finite();
const nonNegativeInt = z.number().int().nonnegative();
const fraction = z.number().min(0).max(1);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "expected a hex SHA-256");

/**
 * The settings of a variance-by-source family that vary one algorithmic source (lib/runner/seeds.ts says how
 * their seeds are drawn): here, without TensorFlow.js or node:crypto, so the app can read them.
 */
export const SOURCE_SETTINGS = ["vary-init", "vary-order", "vary-dropout", "vary-augmentation", "one-bit"] as const;

/** "cross-implementation": one fixed-seed configuration trained on several implementations (lib/runner/implementation.ts). */
export const RUN_SETTINGS = ["default", "fixed-seed", "cross-implementation", ...SOURCE_SETTINGS] as const;
const settingSchema = z.enum(RUN_SETTINGS);

/**
 * What a set of a variance-by-source family varies: "all" (the default setting), "none" (the all-fixed
 * control, i.e. the fixed-seed set), one algorithmic source, the implementation (a cross-implementation set),
 * or one bit of one initial weight ("one-bit").
 */
export const FAMILY_SOURCES = ["all", "none", "init", "order", "dropout", "augmentation", "implementation", "one-bit"] as const;
export const familySourceSchema = z.enum(FAMILY_SOURCES);
export type FamilySource = z.infer<typeof familySourceSchema>;

/** A result line's membership of a variance-by-source family (lib/runner/source-family.ts). */
export const familyMembershipSchema = z.object({
  /** `<preset>/family/<hash>`: the training configuration, backend and master seed the family holds fixed. */
  id: z.string().min(1),
  source: familySourceSchema,
  /** The family's reference (default setting) and control (fixed-seed) sets, named so they can be found even when they were run before the family. */
  defaultSetId: z.string().min(1),
  controlSetId: z.string().min(1),
});
export type FamilyMembership = z.infer<typeof familyMembershipSchema>;

/** The one-bit set's perturbation of one run (lib/runner/one-bit.ts). */
const oneBitFlipSchema = z.object({ weight: z.string(), index: nonNegativeInt, bit: z.number().int().min(0).max(31), before: finite, after: finite });

const seedsSchema = z.object({
  master: nonNegativeInt,
  init: nonNegativeInt,
  order: nonNegativeInt,
  dropout: nonNegativeInt,
  augmentation: nonNegativeInt,
});

const classResultSchema = z.object({ classIndex: nonNegativeInt, correct: nonNegativeInt, total: nonNegativeInt, accuracy: fraction.nullable() });

const testResultSchema = z.object({
  accuracy: fraction,
  loss: finite,
  /** Accuracy per class; `accuracy` is null for a class with no test images. */
  perClass: z.array(classResultSchema),
  /**
   * The predicted class of every test image, in test-set order: what two runs' disagreement is measured on
   * (Jordan, ICLR 2024). Absent in lines written before it was recorded.
   */
  predictions: z.array(nonNegativeInt).optional(),
});

const checkpointSchema = z.object({
  epoch: z.number().int().positive(),
  /** Time to checkpoint: wall time from the start of training to the end of that epoch, in seconds. */
  seconds: finite.nonnegative(),
  validationLoss: finite,
  validationAccuracy: fraction,
  test: testResultSchema,
});

const epochSchema = z.object({
  epoch: z.number().int().positive(),
  learningRate: finite.positive(),
  trainLoss: finite,
  trainAccuracy: fraction,
  validationLoss: finite,
  validationAccuracy: fraction,
  seconds: finite.nonnegative(),
  cumulativeSeconds: finite.nonnegative(),
});

/** Fields that identify a run and its set; shared by results and failures. */
const runIdentity = {
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  /** `<preset>/<setting>/<12 hex digits of the config hash>`: runs are identical only within one set. */
  setId: z.string().min(1),
  preset: z.string().min(1),
  setting: settingSchema,
  runIndex: nonNegativeInt,
  /** Planned number of runs in the set. */
  runCount: z.number().int().positive(),
  /** The command line that reproduces the whole set. */
  command: z.string(),
  /** What the set is, in a sentence, when its maker said so (e.g. the demo's "computed ahead and shipped"); shown in the app. */
  label: z.string().optional(),
  /** Set by `run --sources`: which variance-by-source family the run belongs to and what its set varies. */
  family: familyMembershipSchema.optional(),
};

export const environmentSchema = z.object({
  backend: z.enum(["wasm", "cpu", "tensorflow"]),
  tfjsVersion: z.string(),
  /** Compute threads of one training: 1 on wasm and cpu; TensorFlow's intra-op threads on tensorflow. */
  backendThreads: z.number().int().positive(),
  /** The implementation the run was asked for ("wasm", "tensorflow threads=2 onednn=off"); groups a cross-implementation set. */
  implementation: z.string().optional(),
  simd: z.boolean(),
  /** tensorflow only: oneDNN kernels on or off; null where there is no such switch (absent in lines written before the tensorflow backend existed). */
  onednn: z.boolean().nullable().optional(),
  /** tensorflow only: TensorFlow C library and @tensorflow/tfjs-node versions. */
  nativeVersions: z.object({ tensorflow: z.string(), tfjsNode: z.string() }).nullable().optional(),
  backendDeterministic: z.boolean(),
  addedKernels: z.array(z.string()),
  nodeVersion: z.string(),
  varstudyVersion: z.string(),
  /** Git commit of the code that trained, when known. */
  gitCommit: z.string().nullable(),
  platform: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  hostname: z.string(),
});

export const runResultSchema = z.object({
  ...runIdentity,
  kind: z.literal("run"),
  /** The resolved training configuration (architecture, data, sizes, epochs, batch size, optimizer, ...). */
  training: z.object({
    architecture: z.string(),
    dataset: z.string(),
    epochs: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    optimizer: z.record(z.string(), z.unknown()),
    learningRateSchedule: z.array(z.object({ fromEpoch: z.number().int().positive(), factor: finite.positive() })),
    augmentation: z.object({ shift: finite, horizontalFlip: z.boolean() }).nullable(),
    dropoutRate: finite,
  }),
  seeds: seedsSchema,
  environment: environmentSchema,
  dataset: z.object({
    name: z.string(),
    sha256,
    /** How the splits were drawn when not the study's positional split of the official sets (e.g. mnist-digits-10k's stratified split). */
    split: z.string().optional(),
    trainSize: z.number().int().positive(),
    validationSize: z.number().int().positive(),
    testSize: z.number().int().positive(),
    numClasses: z.number().int().min(2),
  }),
  parameterCount: z.number().int().positive(),
  /** one-bit sets only: which bit of which initial weight this run flipped. */
  oneBitFlip: oneBitFlipSchema.optional(),
  epochs: z.array(epochSchema).min(1),
  checkpoints: z.object({ bestLoss: checkpointSchema, bestAccuracy: checkpointSchema }),
  initialWeightsSha256: sha256,
  finalWeightsSha256: sha256,
  trainingSeconds: finite.nonnegative(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
});
export type RunResult = z.infer<typeof runResultSchema>;

export const runFailureSchema = z.object({
  ...runIdentity,
  kind: z.literal("failure"),
  /** One-line reason (error message, or the worker's exit code/signal). */
  error: z.string(),
  failedAt: z.iso.datetime(),
});
export type RunFailure = z.infer<typeof runFailureSchema>;

/** One line of a results file. */
export const resultLineSchema = z.discriminatedUnion("kind", [runResultSchema, runFailureSchema]);
export type ResultLine = z.infer<typeof resultLineSchema>;

/** The key under which a run is unique: importing or merging the same key twice changes nothing. */
export const runKey = (line: Pick<ResultLine, "setId" | "runIndex">): string => `${line.setId}#${line.runIndex}`;
