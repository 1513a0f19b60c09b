/**
 * The study overview's row of an experiment set: the Table-2/3 figures exactly as the runner's analysis computed
 * them for the Experiments area (lib/runner/analysis.ts `summarizeSet`, read through lib/db/experiments.ts), never
 * computed a second way. Only picked out and named here, so the overview, the report and the export can show them.
 */
import type { SetSummary } from "@/lib/runner/analysis";
import type { StudyAccuracyRow, StudyTimeRow } from "@/lib/runner/study-reference";

/** What a row needs of a set as the Experiments area reads it (lib/db/experiments.ts ExperimentSetView). */
export type SummarizedSet = {
  id: string;
  preset: string;
  setting: string;
  backend: string;
  command: string;
  runs: ReadonlyArray<{ weak: boolean }>;
  summary: SetSummary | null;
  reference: { accuracy: StudyAccuracyRow; time: StudyTimeRow } | null;
};

/** What names an imported set and how it was made. */
type ExperimentSetIdentity = { id: string; preset: string; setting: string; backend: string; command: string; runs: number };

/** Per imported set, the SQL aggregates of its runs (lib/db/dashboard/experiments.ts reads them). */
export type ExperimentSetAggregate = ExperimentSetIdentity & {
  lossMin: number | null;
  lossMax: number | null;
  lossMean: number | null;
  lossSd: number | null;
  accMin: number | null;
  accMax: number | null;
  accMean: number | null;
  accSd: number | null;
  lossSecondsMin: number | null;
  lossSecondsMax: number | null;
  lossSecondsMean: number | null;
  lossSecondsSd: number | null;
  accSecondsMin: number | null;
  accSecondsMax: number | null;
  accSecondsMean: number | null;
  accSecondsSd: number | null;
  /** Runs whose best-loss or best-accuracy test accuracy is below `weakBelow`. */
  weakRuns: number;
};

export type ExperimentRow = ExperimentSetIdentity & {
  weakRuns: number;
  /** Percentage points, the larger over the best-loss and best-accuracy checkpoints; null below two runs. */
  accuracyDiff: number | null;
  /** The larger SD over the two checkpoints, with that checkpoint's chi-square interval. */
  accuracySd: { sd: number; lower: number; upper: number; level: number } | null;
  perClassDiff: number | null;
  perClassSd: number | null;
  /** Training-time RelDiff = (max − min) / min, the larger over the two checkpoints. */
  timeRelDiff: number | null;
  reference: StudyAccuracyRow | null;
};

/** One row per set, in the Experiments area's order. Sets with fewer than two runs have no spread and show "–". */
export function experimentRows(sets: readonly SummarizedSet[]): ExperimentRow[] {
  return sets.map((set) => {
    const largest = set.summary?.largest ?? null;
    return {
      id: set.id,
      preset: set.preset,
      setting: set.setting,
      backend: set.backend,
      command: set.command,
      runs: set.runs.length,
      weakRuns: set.runs.filter((run) => run.weak).length,
      accuracyDiff: largest?.overallDiff ?? null,
      accuracySd: largest ? { sd: largest.overallSd, ...largest.overallSdInterval } : null,
      perClassDiff: largest?.perClassDiff ?? null,
      perClassSd: largest?.perClassSd ?? null,
      timeRelDiff: largest?.timeRelativeDiff ?? null,
      reference: set.reference?.accuracy ?? null,
    };
  });
}
