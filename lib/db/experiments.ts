import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { findPreset } from "@/lib/runner/presets";
import { compareSets, summarizeSet, WEAK_MODEL_ACCURACY, SELECTION_CRITERIA, type SelectionCriterion, type SetComparison, type SetSummary } from "@/lib/runner/analysis";
import { RUN_SETTINGS, runResultSchema, type RunResult } from "@/lib/runner/result-schema";
import { studyReferenceFor, type StudyAccuracyRow, type StudyTimeRow } from "@/lib/runner/study-reference";
import { proportionCI, varianceSummary } from "@/lib/stats";

/**
 * Reading imported experiment sets for the Experiments pages. Every number is computed here through the
 * runner's analysis (lib/runner/analysis.ts → lib/stats) from the stored result lines; pages only format.
 * Everything returned is plain data, so it can be handed to client components (charts).
 */

export type RunRow = {
  runIndex: number;
  /** Test accuracy (%) at the best-validation-loss and best-validation-accuracy checkpoints. */
  bestLossAccuracy: number;
  bestAccAccuracy: number;
  bestLossSeconds: number;
  bestAccSeconds: number;
  bestLossEpoch: number;
  bestAccEpoch: number;
  trainingSeconds: number;
  weak: boolean;
  finalWeightsSha256: string;
  seeds: RunResult["seeds"];
  /** one-bit sets: the bit this run flipped. */
  oneBitFlip: RunResult["oneBitFlip"] | null;
};

export type ClassSpread = {
  classIndex: number;
  /** Test images of this class (the same in every run of a set). */
  testImages: number;
  /** Per-class test accuracy across runs (%): min, max, diff, sd, mean. */
  min: number;
  max: number;
  diff: number;
  sd: number;
  mean: number;
  /**
   * Half-width (points) of the 95% Wilson interval for one run's accuracy on this class at the mean accuracy:
   * how much a single run's figure could move from test-set sampling alone. A run-to-run Diff far above it is
   * training variance; one of its size may be test-set noise (a class with few test images).
   */
  testNoiseHalfWidth: number;
};

export type Provenance = {
  architecture: string;
  dataset: { name: string; sha256: string; split?: string; trainSize: number; validationSize: number; testSize: number; numClasses: number };
  parameterCount: number;
  epochs: number;
  batchSize: number;
  optimizer: Record<string, unknown>;
  /** Distinct values across the set's runs (normally one each). */
  backends: string[];
  tfjsVersions: string[];
  nodeVersions: string[];
  varstudyVersions: string[];
  gitCommits: string[];
  hosts: string[];
  backendDeterministic: boolean;
  /** Implementations as recorded per run ("wasm", "tensorflow threads=2 onednn=off"), with compute threads and oneDNN. */
  implementations: string[];
  /** Master seeds used: one for a fixed-seed set, one per run for a default set. */
  masterSeeds: number[];
  firstStartedAt: string;
  lastFinishedAt: string;
};

export type ExperimentSetView = {
  id: string;
  preset: string;
  setting: RunResult["setting"];
  /** What the set is, as its maker said (e.g. the shipped demo); null when not said. */
  label: string | null;
  backend: string;
  command: string;
  importedAt: Date;
  /** What distinguishes sets of one preset: epochs and split sizes actually used (from the first run). */
  setup: { epochs: number; trainSize: number; validationSize: number; testSize: number } | null;
  studyNetwork: string | null;
  reference: { accuracy: StudyAccuracyRow; time: StudyTimeRow } | null;
  runs: RunRow[];
  /** Summary over the runs shown (weak ones left out when asked); null with the reason when it cannot be computed. */
  summary: SetSummary | null;
  summaryError: string | null;
  weakExcluded: boolean;
};

export type ExperimentSetDetail = ExperimentSetView & {
  /** The study the set belongs to (null only for sets imported before sets had to name one). */
  study: { slug: string; name: string } | null;
  perClass: Record<SelectionCriterion, ClassSpread[]>;
  provenance: Provenance;
  /** Validation accuracy (%) per epoch, per run (curves). */
  curves: Array<{ runIndex: number; validationAccuracy: number[] }>;
};

export type PairComparison = {
  preset: string;
  defaultSetId: string;
  fixedSeedSetId: string;
  byCriterion: SetComparison[];
};

const percent = (fraction: number) => fraction * 100;

type StoredSet = { id: string; preset: string; setting: string; backend: string; command: string; importedAt: Date; runs: Array<{ result: unknown }> };

/** Stored lines were validated at import; they are parsed again because the database is a trust boundary too. */
function parseRuns(set: StoredSet): RunResult[] {
  return set.runs
    .map((row, index) => {
      const parsed = runResultSchema.safeParse(row.result);
      if (!parsed.success) throw new Error(`stored run ${index} of set ${set.id} no longer matches the result schema`);
      return parsed.data;
    })
    .sort((a, b) => a.runIndex - b.runIndex);
}

const isWeak = (run: RunResult) => SELECTION_CRITERIA.some((criterion) => run.checkpoints[criterion].test.accuracy < WEAK_MODEL_ACCURACY);

function toView(set: StoredSet, runs: RunResult[], excludeWeak: boolean): ExperimentSetView {
  const setting = (RUN_SETTINGS as readonly string[]).includes(set.setting) ? (set.setting as RunResult["setting"]) : "default";
  const studyNetwork = findPreset(set.preset)?.studyNetwork ?? null;
  const result = runs.length > 0 ? summarizeSet(runs, { excludeWeak }) : ({ ok: false, setId: set.id, error: "no runs imported" } as const);
  return {
    id: set.id,
    preset: set.preset,
    setting,
    label: runs[0]?.label ?? null,
    backend: set.backend,
    command: set.command,
    importedAt: set.importedAt,
    setup: runs[0]
      ? { epochs: runs[0].training.epochs, trainSize: runs[0].dataset.trainSize, validationSize: runs[0].dataset.validationSize, testSize: runs[0].dataset.testSize }
      : null,
    studyNetwork,
    reference: studyReferenceFor(studyNetwork, setting) ?? null,
    runs: runs.map((run) => ({
      runIndex: run.runIndex,
      bestLossAccuracy: percent(run.checkpoints.bestLoss.test.accuracy),
      bestAccAccuracy: percent(run.checkpoints.bestAccuracy.test.accuracy),
      bestLossSeconds: run.checkpoints.bestLoss.seconds,
      bestAccSeconds: run.checkpoints.bestAccuracy.seconds,
      bestLossEpoch: run.checkpoints.bestLoss.epoch,
      bestAccEpoch: run.checkpoints.bestAccuracy.epoch,
      trainingSeconds: run.trainingSeconds,
      weak: isWeak(run),
      finalWeightsSha256: run.finalWeightsSha256,
      seeds: run.seeds,
      oneBitFlip: run.oneBitFlip ?? null,
    })),
    summary: result.ok ? result.summary : null,
    summaryError: result.ok ? null : result.error,
    weakExcluded: excludeWeak,
  };
}

/** Same training setup (config, data, backend with its threads and oneDNN switch), so a default and a fixed-seed set are a fair pair. */
function setupKey(run: RunResult): string {
  return JSON.stringify([run.preset, run.training, run.dataset.sha256, run.dataset.trainSize, run.dataset.validationSize, run.dataset.testSize, run.environment.backend, run.environment.backendThreads, run.environment.onednn ?? null]);
}

/**
 * All imported sets with their Table-2/3 summaries and the study's values, plus the between-set tests
 * (Levene, Mann–Whitney U, Cohen's d) for each default / fixed-seed pair with the same training setup.
 * @param options.excludeWeak leave weak models (< 20% accuracy) out of the statistics; they stay listed.
 */
export async function getExperimentOverview(
  db: Database,
  actor: Actor,
  options: { excludeWeak?: boolean; studyId: string },
): Promise<{ sets: ExperimentSetView[]; comparisons: PairComparison[] }> {
  assertCan(actor, "experiments.read");
  const excludeWeak = options.excludeWeak ?? false;
  // One study's sets only: a default set is never compared with another study's fixed-seed set.
  const stored = await db.prisma.experimentSet.findMany({
    where: { studyId: options.studyId },
    orderBy: [{ preset: "asc" }, { setting: "asc" }, { importedAt: "asc" }],
    include: { runs: { select: { result: true } } },
  });
  const parsed = stored.map((set) => ({ set, runs: parseRuns(set) }));
  const sets = parsed.map(({ set, runs }) => toView(set, runs, excludeWeak));
  const comparisons: PairComparison[] = [];
  const used = (runs: RunResult[]) => (excludeWeak ? runs.filter((run) => !isWeak(run)) : runs);
  for (const a of parsed) {
    const aRuns = used(a.runs);
    if (a.set.setting !== "default" || aRuns.length < 2) continue;
    for (const b of parsed) {
      const bRuns = used(b.runs);
      if (b.set.setting !== "fixed-seed" || bRuns.length < 2 || setupKey(aRuns[0]!) !== setupKey(bRuns[0]!)) continue;
      comparisons.push({
        preset: a.set.preset,
        defaultSetId: a.set.id,
        fixedSeedSetId: b.set.id,
        byCriterion: SELECTION_CRITERIA.map((criterion) => compareSets(aRuns, bRuns, criterion)),
      });
    }
  }
  return { sets, comparisons };
}

function classSpreads(runs: RunResult[], criterion: SelectionCriterion): ClassSpread[] {
  const classes = runs[0]?.checkpoints[criterion].test.perClass ?? [];
  return classes.flatMap((first) => {
    const values = runs
      .map((run) => run.checkpoints[criterion].test.perClass[first.classIndex]?.accuracy)
      .filter((value): value is number => value !== null && value !== undefined)
      .map(percent);
    if (values.length < 2 || first.total === 0) return [];
    const summary = varianceSummary(values);
    const correctAtMean = Math.round((summary.mean / 100) * first.total);
    const interval = proportionCI({ x: correctAtMean, n: first.total, level: 0.95, method: "wilson" });
    return [
      {
        classIndex: first.classIndex,
        testImages: first.total,
        min: summary.min,
        max: summary.max,
        diff: summary.diff,
        sd: summary.sd,
        mean: summary.mean,
        testNoiseHalfWidth: percent((interval.upper - interval.lower) / 2),
      },
    ];
  });
}

const distinct = <T,>(values: T[]) => [...new Set(values)];

/**
 * One set with everything the detail page shows: the summary, per-class spreads for both checkpoints,
 * per-run figures, validation curves and provenance.
 * @throws AppError(NOT_FOUND) for an unknown set id.
 */
export async function getExperimentSet(db: Database, actor: Actor, input: { setId: string; excludeWeak?: boolean }): Promise<ExperimentSetDetail> {
  assertCan(actor, "experiments.read");
  const stored = await db.prisma.experimentSet.findUnique({ where: { id: input.setId }, include: { runs: { select: { result: true } }, study: { select: { slug: true, name: true } } } });
  if (!stored) throw new AppError("NOT_FOUND", `There is no experiment set ${input.setId}.`);
  const runs = parseRuns(stored);
  const view = toView(stored, runs, input.excludeWeak ?? false);
  const used = input.excludeWeak ? runs.filter((run) => !isWeak(run)) : runs;
  const first = runs[0];
  if (!first) throw new AppError("NOT_FOUND", `Set ${input.setId} has no runs.`);
  return {
    ...view,
    study: stored.study,
    perClass: { bestLoss: classSpreads(used, "bestLoss"), bestAccuracy: classSpreads(used, "bestAccuracy") },
    curves: runs.map((run) => ({ runIndex: run.runIndex, validationAccuracy: run.epochs.map((epoch) => percent(epoch.validationAccuracy)) })),
    provenance: {
      architecture: first.training.architecture,
      dataset: first.dataset,
      parameterCount: first.parameterCount,
      epochs: first.training.epochs,
      batchSize: first.training.batchSize,
      optimizer: first.training.optimizer,
      backends: distinct(runs.map((run) => run.environment.backend)),
      tfjsVersions: distinct(runs.map((run) => run.environment.tfjsVersion)),
      nodeVersions: distinct(runs.map((run) => run.environment.nodeVersion)),
      varstudyVersions: distinct(runs.map((run) => run.environment.varstudyVersion)),
      gitCommits: distinct(runs.map((run) => run.environment.gitCommit ?? "unknown")),
      hosts: distinct(runs.map((run) => `${run.environment.hostname} (${run.environment.cpuModel}, ${run.environment.platform}/${run.environment.arch})`)),
      backendDeterministic: runs.every((run) => run.environment.backendDeterministic),
      implementations: distinct(
        runs.map((run) => {
          const e = run.environment;
          // The backend as loaded; implementationOfRun's "tensorflow threads=1 onednn=on" would repeat the details below.
          return `${e.backend} (${e.backendThreads} thread${e.backendThreads === 1 ? "" : "s"}${e.simd ? ", SIMD" : ""}${e.onednn === true ? ", oneDNN on" : e.onednn === false ? ", oneDNN off" : ""})`;
        }),
      ),
      masterSeeds: distinct(runs.map((run) => run.seeds.master)),
      firstStartedAt: runs.map((run) => run.startedAt).sort()[0]!,
      lastFinishedAt: runs.map((run) => run.finishedAt).sort().at(-1)!,
    },
  };
}

/**
 * The stored result lines of a set, as JSON Lines (the runner's own format), for download and re-analysis.
 * @throws AppError(NOT_FOUND) for an unknown set id.
 */
export async function exportExperimentSetLines(db: Database, actor: Actor, input: { setId: string }): Promise<string> {
  assertCan(actor, "experiments.read");
  const stored = await db.prisma.experimentSet.findUnique({ where: { id: input.setId }, include: { runs: { select: { result: true } }, study: { select: { slug: true, name: true } } } });
  if (!stored) throw new AppError("NOT_FOUND", `There is no experiment set ${input.setId}.`);
  return parseRuns(stored)
    .map((run) => JSON.stringify(run))
    .join("\n")
    .concat("\n");
}

/**
 * Deletes a set and its runs (e.g. an accidental import); recorded in the audit log. Re-importing the file
 * brings it back unchanged.
 * @throws AppError(NOT_FOUND) for an unknown set id.
 */
export async function deleteExperimentSet(db: Database, actor: Actor, input: { setId: string }): Promise<{ runs: number }> {
  assertCan(actor, "experiments.manage");
  return db.prisma.$transaction(async (tx) => {
    const set = await tx.experimentSet.findUnique({ where: { id: input.setId }, select: { id: true, _count: { select: { runs: true } } } });
    if (!set) throw new AppError("NOT_FOUND", `There is no experiment set ${input.setId}.`);
    await tx.experimentSet.delete({ where: { id: set.id } });
    await recordAudit(tx, actor, "experiments.delete-set", set.id, { runs: set._count.runs });
    return { runs: set._count.runs };
  });
}
