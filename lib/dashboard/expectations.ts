/**
 * "What people expect vs what runs show": respondents' binned estimates of the accuracy difference between
 * identical runs, beside the differences the imported experiment sets measured.
 */
import type { Question } from "@/lib/survey/definition";
import type { ExperimentRow } from "./experiment-results";
import type { HeadlineConfig } from "./headlines";
import { estimate, optionRows, type AnswerCounts, type Estimate, type OptionRow, type ProportionSettings } from "./survey-results";

export type ExpectationComparison = {
  setting: string;
  questionId: string;
  questionText: string;
  expected: OptionRow[];
  measured: Array<{
    setId: string;
    preset: string;
    runs: number;
    diff: number;
    /** The estimate bin the measured Diff falls in. */
    binLabel: string | null;
    /** Respondents whose whole bin lies below the measured Diff: they expected less variance than was measured. */
    expectedLess: Estimate;
  }>;
};

/**
 * The bin a difference (percentage points) falls in: the first bin whose upper bound is ≥ diff, bins being
 * left-open (x, upper]; a bound of 0 ("No variance") holds only 0; a null bound is unbounded.
 */
export function binOf(diff: number, bounds: Record<string, number | null>, binIds: readonly string[]): string | null {
  for (const id of binIds) {
    if (!(id in bounds)) continue;
    const upper = bounds[id];
    if (upper === null || upper === undefined || diff <= upper) return id;
  }
  return null;
}

/** Builds one comparison per configured setting that has both answers and measured sets. */
export function buildExpectationComparisons(input: {
  config: HeadlineConfig;
  questions: ReadonlyMap<string, Question>;
  counts: AnswerCounts;
  experiments: readonly ExperimentRow[];
  settings: ProportionSettings;
}): ExpectationComparison[] {
  const { config, questions, counts: { answered, chosen }, experiments, settings } = input;
  const comparisons: ExpectationComparison[] = [];
  for (const expectation of config.expectations) {
    const question = questions.get(expectation.question);
    if (!question || question.type !== "binned_estimate") continue;
    const n = answered.get(question.id) ?? 0;
    const sets = experiments.filter((set) => set.setting === expectation.setting && set.accuracyDiff !== null);
    if (n === 0 || sets.length === 0) continue;
    const binIds = question.bins.map((bin) => bin.id);
    const chosenBins = chosen.get(question.id);
    comparisons.push({
      setting: expectation.setting,
      questionId: question.id,
      questionText: question.text,
      expected: optionRows(question, { answered: n, chosen: chosenBins }, settings),
      measured: sets.map((set) => {
        const diff = set.accuracyDiff!;
        const bin = binOf(diff, config.binUpperBounds, binIds);
        const below = binIds.filter((id) => {
          const upper = config.binUpperBounds[id];
          return upper !== null && upper !== undefined && upper < diff;
        });
        const x = below.reduce((sum, id) => sum + (chosenBins?.get(id) ?? 0), 0);
        return {
          setId: set.id,
          preset: set.preset,
          runs: set.runs,
          diff,
          binLabel: bin ? (question.bins.find((item) => item.id === bin)?.label ?? bin) : null,
          // "Other" answers have no bound; they count in n but never as "expected less".
          expectedLess: estimate(x, n, settings.method, settings.level),
        };
      }),
    });
  }
  return comparisons;
}
