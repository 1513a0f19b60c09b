/**
 * Where coders disagree. Two codings of a paper are compared question by question, but only on the
 * questions every coder of the paper was asked: if one coder answered "trains DL? no", the follow-up
 * questions were never put to them, and the disagreement is recorded once, on "trains DL?". Text
 * questions explain rather than classify and are never compared.
 */
import { answerKey, isQuestionAsked, type Codebook, type CodingAnswers } from "./codebook";

/** One coder's saved coding of one paper. */
export type PaperCoding = { paperKey: string; coderId: string; answers: CodingAnswers };

export type QuestionComparisonStatus =
  /** everyone was asked and gave the same answer */
  | "agree"
  /** everyone was asked and at least two answers differ */
  | "disagree"
  /** some coders were asked, others not, because of a disagreement upstream */
  | "not-comparable"
  /** everyone was asked but someone has not answered yet */
  | "incomplete";

export type QuestionComparison = {
  questionId: string;
  status: QuestionComparisonStatus;
  /** Per coder, in coder id order: whether asked and the comparable answer key (null when none). */
  codes: { coderId: string; isAsked: boolean; value: string | null }[];
};

export type PaperComparison = {
  paperKey: string;
  coderIds: string[];
  /** Questions asked of at least one coder, in codebook order. */
  questions: QuestionComparison[];
  hasConflict: boolean;
};

/** Question types whose answers are compared between coders. */
export const isComparableQuestionType = (type: string): boolean => type !== "text";

/**
 * Compares the codings of one paper.
 * @param codings the paper's codings, one per coder (at least one).
 * @throws Error when codings of different papers or two codings by one coder are mixed (a caller bug).
 */
export function comparePaperCodings(codebook: Codebook, codings: readonly PaperCoding[]): PaperComparison {
  const [first] = codings;
  if (!first) throw new Error("comparePaperCodings needs at least one coding");
  if (codings.some((coding) => coding.paperKey !== first.paperKey)) throw new Error("codings of different papers were mixed");
  const sorted = [...codings].sort((a, b) => (a.coderId < b.coderId ? -1 : a.coderId > b.coderId ? 1 : 0));
  if (new Set(sorted.map((coding) => coding.coderId)).size !== sorted.length) throw new Error(`paper ${first.paperKey} has two codings by one coder`);

  const questions: QuestionComparison[] = [];
  for (const question of codebook.questions) {
    if (!isComparableQuestionType(question.type)) continue;
    const codes = sorted.map((coding) => ({
      coderId: coding.coderId,
      isAsked: isQuestionAsked(codebook, question.id, coding.answers),
      value: answerKey(coding.answers[question.id]),
    }));
    const askedCount = codes.filter((code) => code.isAsked).length;
    if (askedCount === 0) continue;
    let status: QuestionComparisonStatus;
    if (askedCount < codes.length) status = "not-comparable";
    else if (codes.some((code) => code.value === null)) status = "incomplete";
    else status = new Set(codes.map((code) => code.value)).size === 1 ? "agree" : "disagree";
    questions.push({ questionId: question.id, status, codes: codes.map((code) => ({ ...code, value: code.isAsked ? code.value : null })) });
  }
  return {
    paperKey: first.paperKey,
    coderIds: sorted.map((coding) => coding.coderId),
    questions,
    hasConflict: sorted.length >= 2 && questions.some((question) => question.status === "disagree"),
  };
}

/**
 * Groups codings by paper and compares them.
 * @returns one comparison per paper with at least two codings, in order of each paper's first coding.
 */
export function compareAllCodings(codebook: Codebook, codings: readonly PaperCoding[]): PaperComparison[] {
  const byPaper = new Map<string, PaperCoding[]>();
  for (const coding of codings) byPaper.set(coding.paperKey, [...(byPaper.get(coding.paperKey) ?? []), coding]);
  return [...byPaper.values()].filter((group) => group.length >= 2).map((group) => comparePaperCodings(codebook, group));
}

/**
 * The adjudicator's conflicts list: papers whose coders disagree on at least one question.
 * @returns comparisons with hasConflict, in order of each paper's first coding.
 */
export function findConflicts(codebook: Codebook, codings: readonly PaperCoding[]): PaperComparison[] {
  return compareAllCodings(codebook, codings).filter((comparison) => comparison.hasConflict);
}
