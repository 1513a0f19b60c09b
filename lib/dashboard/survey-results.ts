/**
 * Pure shaping of survey aggregates (counts from lib/db/dashboard/survey.ts) into result tables: option
 * shares with intervals, headline proportions, numeric summaries with histograms, breakdowns with
 * difference intervals and corrected p-values, and correlations. Every estimate carries x, n, method and
 * level; intervals come from lib/stats.
 */
import { normalTwoSidedP, normalQuantile, tQuantile, tTwoSidedP } from "@/lib/stats/distributions";
import { pAdjust, type PAdjustMethod } from "@/lib/stats/p-adjust";
import { proportionCI, type ProportionCIMethod } from "@/lib/stats/proportion-ci";
import { proportionDiffCI } from "@/lib/stats/proportion-diff-ci";
import { listQuestions, OTHER_OPTION_ID, type Question, type QuestionnaireDefinition } from "@/lib/survey/definition";
import type { HeadlineConfig } from "./headlines";
import { METHOD_NAMES, proportionIntervalCaveat, type IntervalCaveat } from "./intervals";

/** A proportion with its interval. estimate/lower/upper are fractions; null when n = 0. */
export type Estimate = {
  x: number;
  n: number;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  method: string;
  level: number;
  /** Set when the interval must not be read as a result (zero width, approximation breaking down, tiny n). */
  caveat: IntervalCaveat | null;
};

/** x of n with the chosen interval; n = 0 gives no estimate rather than a made-up 0%. */
export function estimate(x: number, n: number, method: ProportionCIMethod, level: number): Estimate {
  const name = METHOD_NAMES[method];
  if (n === 0) return { x, n, estimate: null, lower: null, upper: null, method: name, level, caveat: null };
  const ci = proportionCI({ x, n, method, level });
  return { x, n, estimate: ci.estimate, lower: ci.lower, upper: ci.upper, method: name, level, caveat: proportionIntervalCaveat({ x, n, method, lower: ci.lower, upper: ci.upper }) };
}

export type OptionRow = Estimate & { optionId: string; label: string };

/** How proportions' intervals are computed: the reader's method and level. */
export type ProportionSettings = { method: ProportionCIMethod; level: number };

/** Per question, how many answered it and how many chose each option (the dashboard's choice tally, shaped). */
export type AnswerCounts = { answered: ReadonlyMap<string, number>; chosen: ReadonlyMap<string, ReadonlyMap<string, number>> };

/** Questions whose answers are option ids (choiceIds). */
export const isOptionQuestion = (question: Question): question is Extract<Question, { type: "single_choice" | "multiple_choice" | "binned_estimate" }> =>
  question.type === "single_choice" || question.type === "multiple_choice" || question.type === "binned_estimate";

/** The options of a question in definition order, "Other" last (when the question has it). */
export function optionsOf(question: Question): Array<{ id: string; label: string }> {
  if (question.type === "likert") {
    return Array.from({ length: question.points }, (_, index) => ({ id: String(index + 1), label: question.labels[String(index + 1)] ? `${index + 1} ${question.labels[String(index + 1)]}` : String(index + 1) }));
  }
  if (!isOptionQuestion(question)) return [];
  const listed = (question.type === "binned_estimate" ? question.bins : question.options).map((option) => ({ id: option.id, label: option.label }));
  return question.other ? [...listed, { id: OTHER_OPTION_ID, label: question.other.label }] : listed;
}

/**
 * Share of respondents choosing each option, among those who answered the question.
 * For multiple choice the shares do not sum to 100% (each option is its own proportion).
 */
export function optionRows(
  question: Question,
  counts: { answered: number; chosen: ReadonlyMap<string, number> | undefined },
  settings: ProportionSettings,
): OptionRow[] {
  return optionsOf(question).map((option) => ({ optionId: option.id, label: option.label, ...estimate(counts.chosen?.get(option.id) ?? 0, counts.answered, settings.method, settings.level) }));
}

export type HeadlineResult = Estimate & {
  id: string;
  label: string;
  questionId: string;
  questionText: string;
  anyOf: string[];
  optionLabels: string[];
  reference?: { percent: number; x?: number; n?: number };
};

/**
 * The headline proportions of a headlines file: for each, respondents whose answer is one of anyOf, among
 * those who answered the question. Headlines naming a question the definition lacks are skipped.
 */
export function headlineResults(definition: QuestionnaireDefinition, config: HeadlineConfig, counts: AnswerCounts, settings: ProportionSettings): HeadlineResult[] {
  const { answered, chosen } = counts;
  const questions = new Map(listQuestions(definition).map((question) => [question.id, question]));
  const results: HeadlineResult[] = [];
  for (const headline of config.headlines) {
    const question = questions.get(headline.question);
    if (!question) continue;
    const options = optionsOf(question);
    // Single choice: the chosen options are disjoint, so their counts add up to the responses choosing any.
    // Multiple choice could double count; headlines are defined on single-choice/binned questions only.
    const x = headline.anyOf.reduce((sum, id) => sum + (chosen.get(question.id)?.get(id) ?? 0), 0);
    results.push({
      id: headline.id,
      label: headline.label,
      questionId: question.id,
      questionText: question.text,
      anyOf: headline.anyOf,
      optionLabels: headline.anyOf.map((id) => options.find((option) => option.id === id)?.label ?? id),
      reference: headline.reference,
      // A headline defined with its own method and level is always reported with them.
      ...estimate(Math.min(x, answered.get(question.id) ?? 0), answered.get(question.id) ?? 0, headline.method ?? settings.method, headline.level ?? settings.level),
    });
  }
  return results;
}

export type HistogramBins = { lower: number; upper: number; count: number; width: number };

/**
 * Equal-width histogram bins on "nice" boundaries (1, 2 or 5 × 10^k) covering [min, max], about `target`
 * bins; integer data never gets bins narrower than 1.
 */
export function histogramBins(min: number, max: number, target = 10, integer = false): HistogramBins {
  if (!(max > min)) return { lower: min, upper: min, count: 1, width: 0 };
  const raw = (max - min) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  let width = [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= raw) ?? 10 * power;
  if (integer) width = Math.max(1, Math.ceil(width));
  const lower = Math.floor(min / width) * width;
  let count = Math.max(1, Math.ceil((max - lower) / width));
  // The top boundary must be above max so the maximum falls inside a bin.
  if (lower + count * width <= max) count += 1;
  return { lower, upper: lower + count * width, count, width };
}

/** Labels "[0, 5)" … "[55, 60]" for histogram bins (the last bin closed). */
export function histogramLabels(bins: HistogramBins): string[] {
  if (bins.width === 0) return [String(bins.lower)];
  const round = (value: number) => Number(value.toPrecision(10));
  return Array.from({ length: bins.count }, (_, index) => {
    const from = round(bins.lower + index * bins.width);
    const to = round(bins.lower + (index + 1) * bins.width);
    return index === bins.count - 1 ? `[${from}, ${to}]` : `[${from}, ${to})`;
  });
}

/** Mean with a Student t interval (n ≥ 2): mean ± t_{1−α/2, n−1}·sd/√n. */
export function meanInterval(mean: number, sd: number, n: number, level: number): { lower: number; upper: number } | null {
  if (n < 2 || !Number.isFinite(sd)) return null;
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { lower: mean - half, upper: mean + half };
}

export type Comparison = {
  optionId: string;
  optionLabel: string;
  groupA: string;
  groupB: string;
  a: Estimate;
  b: Estimate;
  difference: number;
  lower: number;
  upper: number;
  /** Two-sided p of the pooled two-proportion z test (= Pearson χ² without continuity correction). */
  pValue: number;
  pAdjusted: number;
};

export type Breakdown = {
  groupQuestionId: string;
  targetQuestionId: string;
  groups: Array<{ id: string; label: string; n: number }>;
  /** Option shares per group: rows = target options, one estimate per group. */
  rows: Array<{ optionId: string; label: string; byGroup: Estimate[] }>;
  comparisons: Comparison[];
  differenceMethod: string;
  adjustMethod: PAdjustMethod;
  level: number;
  /** Number of comparisons the correction was applied over. */
  family: number;
};

/**
 * Pooled two-proportion z test (H0: p1 = p2), two-sided. Equivalent to R's
 * `prop.test(c(x1, x2), c(n1, n2), correct = FALSE)`. Returns 1 when both proportions are 0 or 1 (no
 * variance under H0: the groups cannot differ).
 */
export function twoProportionPValue(x1: number, n1: number, x2: number, n2: number): number {
  const pooled = (x1 + x2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance === 0) return 1;
  return normalTwoSidedP((x1 / n1 - x2 / n2) / Math.sqrt(variance));
}

/**
 * Target answers broken down by the groups of a choice question: a share per group with the chosen
 * interval, and for every pair of groups and every target option the difference with a Newcombe hybrid
 * score interval, a z-test p-value and that p-value corrected over all comparisons of the table.
 * Groups with fewer than `minGroupSize` respondents are shown but not compared.
 */
export function buildBreakdown(
  groupQuestion: Question,
  targetQuestion: Question,
  tab: { groupN: ReadonlyMap<string, number>; counts: ReadonlyMap<string, ReadonlyMap<string, number>> },
  settings: { method: ProportionCIMethod; level: number; adjust: PAdjustMethod; minGroupSize?: number },
): Breakdown {
  const minGroupSize = settings.minGroupSize ?? 1;
  const groups = optionsOf(groupQuestion).map((option) => ({ id: option.id, label: option.label, n: tab.groupN.get(option.id) ?? 0 }));
  const targetOptions = optionsOf(targetQuestion);
  const rows = targetOptions.map((option) => ({
    optionId: option.id,
    label: option.label,
    byGroup: groups.map((group) => estimate(tab.counts.get(group.id)?.get(option.id) ?? 0, group.n, settings.method, settings.level)),
  }));
  const comparable = groups.filter((group) => group.n >= minGroupSize);
  const raw: Omit<Comparison, "pAdjusted">[] = [];
  for (const row of rows) {
    for (let i = 0; i < comparable.length; i++) {
      for (let j = i + 1; j < comparable.length; j++) {
        const groupA = comparable[i]!;
        const groupB = comparable[j]!;
        const a = row.byGroup[groups.indexOf(groupA)]!;
        const b = row.byGroup[groups.indexOf(groupB)]!;
        const diff = proportionDiffCI({ x1: a.x, n1: a.n, x2: b.x, n2: b.n, level: settings.level, method: "newcombe" });
        raw.push({
          optionId: row.optionId,
          optionLabel: row.label,
          groupA: groupA.label,
          groupB: groupB.label,
          a,
          b,
          difference: diff.difference,
          lower: diff.lower,
          upper: diff.upper,
          pValue: twoProportionPValue(a.x, a.n, b.x, b.n),
        });
      }
    }
  }
  const adjusted = raw.length > 0 ? pAdjust(raw.map((comparison) => comparison.pValue), settings.adjust) : [];
  return {
    groupQuestionId: groupQuestion.id,
    targetQuestionId: targetQuestion.id,
    groups,
    rows,
    comparisons: raw.map((comparison, index) => ({ ...comparison, pAdjusted: adjusted[index]! })),
    differenceMethod: "Newcombe hybrid score",
    adjustMethod: settings.adjust,
    level: settings.level,
    family: raw.length,
  };
}

export type CorrelationResult =
  | { ok: true; r: number; lower: number; upper: number; n: number; pValue: number; level: number; method: string }
  | { ok: false; n: number; reason: string };

/**
 * Pearson r from sums of squares and products (computed in SQL), with the Fisher z interval and the t-test
 * p-value — the same formulas as lib/stats pearsonCorrelation, which needs the raw pairs.
 */
export function correlationFromMoments(moments: { n: number; sxx: number; syy: number; sxy: number }, level: number): CorrelationResult {
  const { n, sxx, syy, sxy } = moments;
  if (n < 4) return { ok: false, n, reason: `needs at least 4 respondents who answered both questions (has ${n})` };
  if (!(sxx > 0) || !(syy > 0)) return { ok: false, n, reason: "one of the answers is the same for everyone, so r is undefined" };
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  const method = "Pearson r, Fisher z interval, t test";
  if (Math.abs(r) === 1) return { ok: true, r, lower: r, upper: r, n, pValue: 0, level, method };
  const halfWidth = normalQuantile(1 - (1 - level) / 2) / Math.sqrt(n - 3);
  const z = Math.atanh(r);
  const t = r * Math.sqrt((n - 2) / (1 - r * r));
  return { ok: true, r, lower: Math.tanh(z - halfWidth), upper: Math.tanh(z + halfWidth), n, pValue: tTwoSidedP(t, n - 2), level, method };
}
