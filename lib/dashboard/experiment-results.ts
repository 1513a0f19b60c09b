/**
 * Pure shaping of experiment-set aggregates into the reference study's Table 2/3 style rows: Diff = max − min
 * of test accuracy (larger over the best-loss and best-accuracy checkpoints), SD with a chi-square 90%
 * interval, training-time Diff, RelDiff and RelSDev, and the study's published row for comparison.
 */
import { sdConfidenceInterval } from "@/lib/stats/variance";
import { studyReferenceFor, type StudyAccuracyRow } from "@/lib/runner/study-reference";
import { findPreset } from "@/lib/runner/presets";

export const SD_LEVEL = 0.9;

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
  /** Which checkpoint gave the larger accuracy difference. */
  criterion: "best loss" | "best accuracy";
  /** Percentage points. */
  accuracyDiff: number | null;
  accuracyMin: number | null;
  accuracyMax: number | null;
  accuracySd: { sd: number; lower: number; upper: number; level: number } | null;
  timeDiffSeconds: number | null;
  timeRelDiff: number | null;
  timeRelSd: number | null;
  reference: StudyAccuracyRow | null;
};

/** The study network a preset reproduces, as the preset itself says ("lenet5" → "LeNet5"); null for other names. */
export function studyNetworkOf(preset: string): string | null {
  return findPreset(preset)?.studyNetwork ?? null;
}

/** One row per set. Sets with fewer than two runs have no spread and show "–". */
export function buildExperimentRows(sets: readonly ExperimentSetAggregate[]): ExperimentRow[] {
  return sets.map((set) => {
    const lossDiff = set.lossMax !== null && set.lossMin !== null ? set.lossMax - set.lossMin : null;
    const accDiff = set.accMax !== null && set.accMin !== null ? set.accMax - set.accMin : null;
    const useLoss = (lossDiff ?? -1) >= (accDiff ?? -1);
    const min = useLoss ? set.lossMin : set.accMin;
    const max = useLoss ? set.lossMax : set.accMax;
    const sd = useLoss ? set.lossSd : set.accSd;
    const secondsMin = useLoss ? set.lossSecondsMin : set.accSecondsMin;
    const secondsMax = useLoss ? set.lossSecondsMax : set.accSecondsMax;
    const secondsMean = useLoss ? set.lossSecondsMean : set.accSecondsMean;
    const secondsSd = useLoss ? set.lossSecondsSd : set.accSecondsSd;
    const setting = set.setting === "fixed-seed" ? "fixed-seed" : "default";
    const reference = studyReferenceFor(studyNetworkOf(set.preset), setting);
    const spread = set.runs >= 2 && sd !== null;
    const interval = spread ? sdConfidenceInterval({ sd: sd * 100, n: set.runs, level: SD_LEVEL }) : null;
    return {
      id: set.id,
      preset: set.preset,
      setting: set.setting,
      backend: set.backend,
      command: set.command,
      runs: set.runs,
      weakRuns: set.weakRuns,
      criterion: useLoss ? "best loss" : "best accuracy",
      accuracyDiff: spread && min !== null && max !== null ? (max - min) * 100 : null,
      accuracyMin: min === null ? null : min * 100,
      accuracyMax: max === null ? null : max * 100,
      accuracySd: interval ? { sd: interval.sd, lower: interval.lower, upper: interval.upper, level: SD_LEVEL } : null,
      timeDiffSeconds: spread && secondsMin !== null && secondsMax !== null ? secondsMax - secondsMin : null,
      timeRelDiff: spread && secondsMin && secondsMax !== null ? (secondsMax - secondsMin) / secondsMin : null,
      timeRelSd: spread && secondsMean && secondsSd !== null ? secondsSd / secondsMean : null,
      reference: reference?.accuracy ?? null,
    };
  });
}
