/**
 * Inter-coder agreement per codebook question and overall, for one round (calibration or main),
 * computed by lib/stats. A question's units are the papers on which at least two coders were asked it
 * (conditions respected, see conflicts.ts); multiple-choice answers are compared as whole sets, numbers
 * as values (Krippendorff's alpha at the interval level, the other coefficients as categories).
 *
 * Which coefficient when:
 * - percent agreement (units where all coders were asked and answered), with a Wilson interval;
 * - Cohen's kappa when exactly two coders coded the round, on the units both answered, with its
 *   large-sample interval;
 * - Fleiss' kappa when more than two coders took part and every complete unit has the same number of
 *   codes; no interval is defined for it here (its standard error is only valid under kappa = 0);
 * - Krippendorff's alpha always, missing codes allowed, with a seeded percentile bootstrap over papers.
 * A coefficient that is undefined for the data (e.g. every code identical: kappa is 0/0) is reported as
 * null with the reason, never as a number.
 */
import { cohenKappa } from "@/lib/stats/cohen-kappa";
import { isStatsInputError } from "@/lib/stats/errors";
import { fleissKappa } from "@/lib/stats/fleiss-kappa";
import { krippendorffAlpha, type KrippendorffLevel } from "@/lib/stats/krippendorff-alpha";
import type { MaybeLabel } from "@/lib/stats/labels";
import { proportionCI } from "@/lib/stats/proportion-ci";
import { formatNumber } from "@/lib/format";
import { createRng, deriveSeed, randomInt } from "@/lib/stats/random";
import { isQuestionAsked, type Codebook, type CodebookQuestion } from "./codebook";
import { comparePaperCodings, isComparableQuestionType, type PaperCoding } from "./conflicts";

export type Interval = { lower: number; upper: number; level: number; method: string };
/** A coefficient with the number of units it rests on, or null with the reason it is undefined. */
export type Coefficient = { value: number; n: number; interval: Interval | null; note?: string } | { value: null; n: number; reason: string };

export type QuestionAgreement = {
  questionId: string;
  /** Papers with at least two coders asked this question. */
  units: number;
  percentAgreement: Coefficient;
  cohenKappa: Coefficient | null;
  fleissKappa: Coefficient | null;
  krippendorffAlpha: Coefficient;
};

export type AgreementReport = {
  coderIds: string[];
  papers: number;
  questions: QuestionAgreement[];
  /**
   * Over all (paper, question) items: percent agreement and alpha (nominal); and the share of papers
   * without any disagreement (what the adjudicator's workload follows).
   */
  overall: { percentAgreement: Coefficient; krippendorffAlpha: Coefficient; papersWithoutConflict: Coefficient };
};

export type AgreementOptions = { level?: number; bootstrapResamples?: number; seed?: number };

type Unit = { paperKey: string; values: Map<string, MaybeLabel> };

/**
 * Agreement of a set of codings (one round).
 * @param codings one per (paper, coder); papers with a single coding are ignored.
 * @param options.level confidence level, default 0.95; options.bootstrapResamples default 1000 (0 turns
 *   the alpha interval off); options.seed for the bootstrap, default 1 (recorded in the interval method).
 */
export function computeAgreement(codebook: Codebook, codings: readonly PaperCoding[], options: AgreementOptions = {}): AgreementReport {
  const { level = 0.95, bootstrapResamples = 1000, seed = 1 } = options;
  const byPaper = new Map<string, PaperCoding[]>();
  for (const coding of codings) byPaper.set(coding.paperKey, [...(byPaper.get(coding.paperKey) ?? []), coding]);
  const papers = [...byPaper.entries()].filter(([, group]) => group.length >= 2);
  const coderIds = [...new Set(papers.flatMap(([, group]) => group.map((coding) => coding.coderId)))].sort();

  const questions: QuestionAgreement[] = [];
  const pooledUnits: Unit[] = [];
  for (const question of codebook.questions) {
    if (!isComparableQuestionType(question.type)) continue;
    const units: Unit[] = [];
    for (const [paperKey, group] of papers) {
      const values = new Map<string, MaybeLabel>();
      for (const coding of group) {
        if (!isQuestionAsked(codebook, question.id, coding.answers)) continue;
        values.set(coding.coderId, labelOf(question, coding.answers[question.id]));
      }
      if (values.size >= 2) units.push({ paperKey, values });
    }
    pooledUnits.push(...units.map((unit) => ({ paperKey: `${unit.paperKey}\u0000${question.id}`, values: unit.values })));
    questions.push({
      questionId: question.id,
      units: units.length,
      percentAgreement: percentAgreementOf(units, level),
      cohenKappa: coderIds.length === 2 ? cohenKappaOf(units, coderIds as [string, string], level) : null,
      fleissKappa: coderIds.length > 2 ? fleissKappaOf(units) : null,
      krippendorffAlpha: alphaOf(units, coderIds, question.type === "number" ? "interval" : "nominal", { level, bootstrapResamples, seed: deriveSeed(seed, question.id) }),
    });
  }

  // Unanswered optional questions are not conflicts: the same rule as the adjudicator's conflicts list.
  const conflictFree = papers.filter(([, group]) => !comparePaperCodings(codebook, group).hasConflict).length;
  return {
    coderIds,
    papers: papers.length,
    questions,
    overall: {
      percentAgreement: percentAgreementOf(pooledUnits, level),
      krippendorffAlpha: alphaOf(
        pooledUnits.map((unit) => ({ paperKey: unit.paperKey, values: new Map([...unit.values].map(([coder, value]) => [coder, value === null ? null : String(value)])) })),
        coderIds,
        "nominal",
        { level, bootstrapResamples, seed: deriveSeed(seed, "overall") },
      ),
      papersWithoutConflict: papers.length === 0 ? { value: null, n: 0, reason: "no paper has two codings" } : withInterval(conflictFree, papers.length, level),
    },
  };
}

function labelOf(question: CodebookQuestion, answer: unknown): MaybeLabel {
  if (answer === null || answer === undefined) return null;
  if (Array.isArray(answer)) return [...answer].sort().join("+");
  if (question.type === "number") return typeof answer === "number" ? answer : Number(answer);
  return String(answer);
}

const isComplete = (unit: Unit): boolean => [...unit.values.values()].every((value) => value !== null);

function withInterval(agreeing: number, n: number, level: number): Coefficient {
  const ci = proportionCI({ x: agreeing, n, level, method: "wilson" });
  return { value: agreeing / n, n, interval: { lower: ci.lower, upper: ci.upper, level, method: "Wilson score" } };
}

function percentAgreementOf(units: readonly Unit[], level: number): Coefficient {
  const complete = units.filter(isComplete);
  if (complete.length === 0) return { value: null, n: 0, reason: "no paper has complete codes from two coders" };
  const agreeing = complete.filter((unit) => new Set([...unit.values.values()].map(String)).size === 1).length;
  return withInterval(agreeing, complete.length, level);
}

function undefinedCoefficient(error: unknown, n: number): Coefficient {
  if (isStatsInputError(error)) return { value: null, n, reason: error.message };
  throw error;
}

function cohenKappaOf(units: readonly Unit[], [coderA, coderB]: [string, string], level: number): Coefficient {
  const paired = units.filter((unit) => unit.values.get(coderA) != null && unit.values.get(coderB) != null);
  if (paired.length === 0) return { value: null, n: 0, reason: "no paper has codes from both coders" };
  try {
    const result = cohenKappa({
      rater1: paired.map((unit) => String(unit.values.get(coderA))),
      rater2: paired.map((unit) => String(unit.values.get(coderB))),
      level,
    });
    return { value: result.kappa, n: result.n, interval: { lower: result.lower, upper: result.upper, level, method: "large-sample (Fleiss, Cohen & Everitt 1969)" } };
  } catch (error) {
    return undefinedCoefficient(error, paired.length);
  }
}

function fleissKappaOf(units: readonly Unit[]): Coefficient {
  const complete = units.filter(isComplete);
  if (complete.length === 0) return { value: null, n: 0, reason: "no paper has complete codes" };
  const sizes = new Set(complete.map((unit) => unit.values.size));
  if (sizes.size > 1) return { value: null, n: complete.length, reason: "papers have different numbers of coders; use Krippendorff's alpha" };
  try {
    const result = fleissKappa({ ratings: complete.map((unit) => [...unit.values.values()].map((value) => String(value))) });
    return { value: result.kappa, n: result.subjects, interval: null, note: `no interval: the standard error is valid only under kappa = 0 (z = ${formatNumber(result.z)}, p = ${result.pValue.toPrecision(2)})` };
  } catch (error) {
    return undefinedCoefficient(error, complete.length);
  }
}

function alphaMatrix(units: readonly Unit[], coderIds: readonly string[]): MaybeLabel[][] {
  return coderIds.map((coderId) => units.map((unit) => unit.values.get(coderId) ?? null));
}

function alphaOf(
  units: readonly Unit[],
  coderIds: readonly string[],
  level: KrippendorffLevel,
  options: { level: number; bootstrapResamples: number; seed: number },
): Coefficient {
  if (units.length === 0) return { value: null, n: 0, reason: "no paper was coded by two coders asked this question" };
  let alpha: number;
  try {
    alpha = krippendorffAlpha({ data: alphaMatrix(units, coderIds), level }).alpha;
  } catch (error) {
    return undefinedCoefficient(error, units.length);
  }
  if (options.bootstrapResamples <= 0) return { value: alpha, n: units.length, interval: null, note: "bootstrap turned off" };
  // Resampling papers keeps each paper's codes together, which is what varies between samples.
  const rng = createRng(options.seed);
  const estimates: number[] = [];
  for (let resample = 0; resample < options.bootstrapResamples; resample++) {
    const drawn = units.map(() => units[randomInt(rng, units.length)]!);
    try {
      estimates.push(krippendorffAlpha({ data: alphaMatrix(drawn, coderIds), level }).alpha);
    } catch (error) {
      if (!isStatsInputError(error)) throw error;
    }
  }
  // Resamples without variation have no alpha; too many of them make the interval meaningless.
  if (estimates.length < options.bootstrapResamples * 0.9) {
    return { value: alpha, n: units.length, interval: null, note: "too few resamples with variation for a bootstrap interval" };
  }
  estimates.sort((a, b) => a - b);
  const tail = (1 - options.level) / 2;
  const at = (probability: number) => estimates[Math.min(estimates.length - 1, Math.max(0, Math.floor(probability * estimates.length)))]!;
  return {
    value: alpha,
    n: units.length,
    interval: { lower: at(tail), upper: at(1 - tail), level: options.level, method: `percentile bootstrap over papers (${options.bootstrapResamples} resamples, seed ${options.seed})` },
  };
}

/**
 * Agreement of the calibration round and of the main round, separately (calibration agreement is shown
 * before the main round starts, and the two must not be pooled: coders discuss after calibration).
 * @param codings codings tagged with their round.
 * @returns a report per round, or null for a round without any paper coded twice.
 */
export function computeRoundAgreement(
  codebook: Codebook,
  codings: readonly (PaperCoding & { round: "calibration" | "main" })[],
  options: AgreementOptions = {},
): { calibration: AgreementReport | null; main: AgreementReport | null } {
  const forRound = (round: "calibration" | "main") => {
    const report = computeAgreement(codebook, codings.filter((item) => item.round === round), { ...options, seed: deriveSeed(options.seed ?? 1, round) });
    return report.papers === 0 ? null : report;
  };
  return { calibration: forRound("calibration"), main: forRound("main") };
}
