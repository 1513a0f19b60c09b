/**
 * Final codes, the input of the results: a paper's final code is the adjudicator's when there is one,
 * otherwise the coders' shared answers when they agree on every compared question, otherwise pending.
 * Text answers (notes) are the coders' own and are not carried into final codes.
 */
import { comparePaperCodings, isComparableQuestionType, type PaperCoding } from "./conflicts";
import { validateCodingAnswers, type Codebook, type CodingAnswer } from "./codebook";

export type Adjudication = { paperKey: string; adjudicatorId: string; answers: Readonly<Record<string, unknown>>; reason: string };

export type FinalCodeStatus =
  | { paperKey: string; status: "adjudicated"; answers: Record<string, CodingAnswer>; adjudicatorId: string; reason: string }
  | { paperKey: string; status: "agreed"; answers: Record<string, CodingAnswer> }
  | { paperKey: string; status: "pending"; reason: string };

/**
 * Derives the final code of every paper that has codings or an adjudication.
 * @param codings completed codings of one round (usually "main").
 * @param adjudications at most one per paper; its answers are validated against the codebook and an
 *   invalid or incomplete adjudication leaves the paper pending with the problem as reason.
 * @returns one entry per paper, in order of first appearance.
 */
export function deriveFinalCodes(codebook: Codebook, codings: readonly PaperCoding[], adjudications: readonly Adjudication[] = []): FinalCodeStatus[] {
  const paperKeys = [...new Set([...codings.map((coding) => coding.paperKey), ...adjudications.map((item) => item.paperKey)])];
  return paperKeys.map((paperKey): FinalCodeStatus => {
    const adjudication = adjudications.find((item) => item.paperKey === paperKey);
    if (adjudication) {
      const checked = validateCodingAnswers(codebook, adjudication.answers);
      if (!checked.isComplete) {
        const problems = [...Object.entries(checked.errors).map(([id, message]) => `${id}: ${message}`), ...checked.missing.map((id) => `${id}: missing`)];
        return { paperKey, status: "pending", reason: `adjudication is not valid (${problems.join("; ")})` };
      }
      if (adjudication.reason.trim() === "") return { paperKey, status: "pending", reason: "adjudication has no reason" };
      return { paperKey, status: "adjudicated", answers: comparableOnly(codebook, checked.answers), adjudicatorId: adjudication.adjudicatorId, reason: adjudication.reason.trim() };
    }
    const paperCodings = codings.filter((coding) => coding.paperKey === paperKey);
    if (paperCodings.length < 2) return { paperKey, status: "pending", reason: `${paperCodings.length} of at least 2 codings` };
    const comparison = comparePaperCodings(codebook, paperCodings);
    if (comparison.hasConflict) return { paperKey, status: "pending", reason: "coders disagree; adjudication needed" };
    // An optional question every coder left blank is agreement (nothing to settle), not an incomplete coding.
    const isBlankOptional = (question: (typeof comparison.questions)[number]) =>
      question.status === "incomplete" && question.codes.every((code) => code.value === null) && codebook.questions.find((item) => item.id === question.questionId)?.required === false;
    if (comparison.questions.some((question) => question.status !== "agree" && !isBlankOptional(question))) return { paperKey, status: "pending", reason: "codings are incomplete" };
    const checked = validateCodingAnswers(codebook, paperCodings[0]!.answers);
    return { paperKey, status: "agreed", answers: comparableOnly(codebook, checked.answers) };
  });
}

function comparableOnly(codebook: Codebook, answers: Record<string, CodingAnswer>): Record<string, CodingAnswer> {
  return Object.fromEntries(
    Object.entries(answers).filter(([questionId]) => isComparableQuestionType(codebook.questions.find((question) => question.id === questionId)?.type ?? "text")),
  );
}
