/**
 * The "Analysis" of a pair of sets (issue 20): is A better than B, how sure can we be, how many runs would tell,
 * how much of each set's spread is test-set sampling noise. Every number comes from lib/stats; this module
 * only picks the runs' accuracies (in percentage points) and records the choices (criterion, seeds, inputs).
 * The CLI (`npm run variance -- compare`) and the dashboard's Analysis panel print the same object.
 */
import {
  bestOfKInflation,
  mean,
  sampleStdDev,
  predictionDisagreement,
  probabilityOfOutperforming,
  runsNeeded,
  testSetNoise,
  wrongWinnerRate,
  type BestOfKResult,
  type PredictionDisagreementResult,
  type ProbabilityOfOutperformingResult,
  type RunsNeededResult,
  type TestSetNoiseResult,
  type WrongWinnerResult,
} from "../stats";
import { compareSets, runsForSpread, type SelectionCriterion, type SetComparison } from "./analysis";
import type { RunResult } from "./result-schema";

/** A statistic, or the reason it is undefined for these runs (said in the panel instead of a number). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };
const attempt = <T>(compute: () => T): Outcome<T> => {
  try {
    return { ok: true, value: compute() };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
};

/** Seed of every bootstrap and simulation of the analysis; recorded in the output. */
export const PAIR_ANALYSIS_SEED = 20;
/** Runs per side of the simulated comparisons whose wrong-winner rate is shown. */
export const WRONG_WINNER_RUNS = [1, 2, 3, 5, 10] as const;
/** Simulated comparisons per row: the simulation error is then about ±0.3 points of a percent. */
export const WRONG_WINNER_SIMULATIONS = 100_000;
export const PREDICTIONS_NOT_RECORDED = "not recorded for these runs";

export type PlannerInputs = {
  /** the difference of mean accuracy to detect, percentage points */
  difference: number;
  power: number;
  alpha: number;
  /** a guessed SD (points) used for both configurations instead of the observed ones; null = observed */
  guessedSd: number | null;
};

export const DEFAULT_PLANNER_INPUTS: PlannerInputs = { difference: 0.5, power: 0.8, alpha: 0.05, guessedSd: null };

export type ClassNoise = { classIndex: number; testImages: number; noise: Outcome<TestSetNoiseResult> };

export type SetAnalysis = {
  setId: string;
  preset: string;
  setting: string;
  /** runs the figures use (a cross-implementation set counts each implementation once) */
  runs: number;
  /** test accuracy per run, percentage points, in run order */
  accuracies: number[];
  mean: number;
  sd: number | null;
  testImages: number;
  overallNoise: Outcome<TestSetNoiseResult>;
  perClassNoise: ClassNoise[];
  bestOfK: Outcome<BestOfKResult>;
  /** Jordan's disagreement; "not recorded for these runs" when the runs carry no predictions */
  disagreement: Outcome<PredictionDisagreementResult>;
};

export type PairAnalysis = {
  criterion: SelectionCriterion;
  seed: number;
  a: SetAnalysis;
  b: SetAnalysis;
  /** both sets were scored on the same test images (dataset hash and test size) */
  sameTestSet: boolean;
  outperforming: Outcome<ProbabilityOfOutperformingResult>;
  /** Mann–Whitney U and Cohen's d, as the existing comparison computes them */
  tests: SetComparison;
  planner: { inputs: PlannerInputs; sdA: number | null; sdB: number | null; result: Outcome<RunsNeededResult> };
  wrongWinner: Array<{ runsPerSide: number; result: Outcome<WrongWinnerResult> }>;
};

const percent = (fraction: number) => fraction * 100;

function analyzeSet(runs: readonly RunResult[], criterion: SelectionCriterion, seed: number): SetAnalysis {
  const first = runs[0]!;
  const tests = runs.map((run) => run.checkpoints[criterion].test);
  const accuracies = tests.map((test) => percent(test.accuracy));
  const classCount = tests[0]!.perClass.length;
  const perClassNoise: ClassNoise[] = [];
  for (let classIndex = 0; classIndex < classCount; classIndex++) {
    const totals = tests.map((test) => test.perClass[classIndex]?.total ?? 0);
    const values = tests.map((test) => test.perClass[classIndex]?.accuracy).filter((value): value is number => value !== null && value !== undefined);
    const testImages = totals[0]!;
    perClassNoise.push({
      classIndex,
      testImages,
      noise:
        testImages === 0
          ? { ok: false, reason: "no test images of this class" }
          : totals.some((total) => total !== testImages)
            ? { ok: false, reason: "runs were tested on different numbers of images of this class" }
            : attempt(() => testSetNoise({ accuracies: values, testImages })),
    });
  }
  const predictions = tests.map((test) => test.predictions);
  const recorded = predictions.every((p): p is number[] => Array.isArray(p));
  return {
    setId: first.setId,
    preset: first.preset,
    setting: first.setting,
    runs: runs.length,
    accuracies,
    mean: mean(accuracies),
    sd: accuracies.length < 2 ? null : sampleStdDev(accuracies),
    testImages: first.dataset.testSize,
    overallNoise: attempt(() => testSetNoise({ accuracies: tests.map((test) => test.accuracy), testImages: first.dataset.testSize })),
    perClassNoise,
    bestOfK: attempt(() => bestOfKInflation({ values: accuracies, seed })),
    disagreement: recorded ? attempt(() => predictionDisagreement({ predictions, seed })) : { ok: false, reason: PREDICTIONS_NOT_RECORDED },
  };
}

/**
 * Analyses two sets of runs at one checkpoint criterion.
 * @param a, b the runs of each set (at least one each; most statistics need two and say so otherwise).
 * @param planner the planner's inputs (difference in points, power, alpha, optional guessed SD).
 */
export function analyzePair(
  a: readonly RunResult[],
  b: readonly RunResult[],
  options: { criterion?: SelectionCriterion; planner?: PlannerInputs; seed?: number } = {},
): PairAnalysis {
  const criterion = options.criterion ?? "bestLoss";
  const seed = options.seed ?? PAIR_ANALYSIS_SEED;
  const inputs = options.planner ?? DEFAULT_PLANNER_INPUTS;
  const runsA = runsForSpread(a);
  const runsB = runsForSpread(b);
  const setA = analyzeSet(runsA, criterion, seed);
  const setB = analyzeSet(runsB, criterion, seed);
  const sdA = inputs.guessedSd ?? setA.sd;
  const sdB = inputs.guessedSd ?? setB.sd;
  return {
    criterion,
    seed,
    a: setA,
    b: setB,
    sameTestSet: runsA[0]!.dataset.sha256 === runsB[0]!.dataset.sha256 && runsA[0]!.dataset.testSize === runsB[0]!.dataset.testSize,
    outperforming: attempt(() => probabilityOfOutperforming({ a: setA.accuracies, b: setB.accuracies, seed })),
    tests: compareSets(runsA, runsB, criterion),
    planner: {
      inputs,
      sdA,
      sdB,
      result:
        sdA === null || sdB === null
          ? { ok: false, reason: "an SD needs at least two runs per set; give a guessed SD" }
          : attempt(() => runsNeeded({ sdA, sdB, difference: inputs.difference, power: inputs.power, alpha: inputs.alpha })),
    },
    wrongWinner: WRONG_WINNER_RUNS.map((runsPerSide) => ({
      runsPerSide,
      result: attempt(() => wrongWinnerRate({ a: setA.accuracies, b: setB.accuracies, runsPerSide, seed, simulations: WRONG_WINNER_SIMULATIONS })),
    })),
  };
}
