/**
 * Evaluation of show/skip conditions and of which sections and questions are visible.
 *
 * Semantics (the same in the browser and on the server; no eval):
 * - `answered: Q` — Q has an answer.
 * - `equals: { question: Q, value }` — single choice / binned: the chosen option id is `value`
 *   ("other" for Other); multiple choice: `value` is among the chosen options; matrix (with `row`):
 *   the column chosen in that row; likert / numeric: the number; text: the exact (trimmed) text.
 * - `in: { question: Q, values }` — `equals` holds for at least one of the values.
 * - `not`, `all`, `any` — logical negation, conjunction, disjunction.
 * An unanswered question makes `equals` and `in` false (so `not: { equals … }` is true).
 *
 * Hidden questions count as unanswered: visibility is resolved in document order and the answers of
 * questions that are hidden are ignored by every later condition, so a chain of skips is consistent
 * even while the draft still holds answers the participant gave before changing an earlier choice.
 */
import type { Condition, Question, QuestionnaireDefinition, Section } from "./definition";
import { isChoiceAnswer, isMatrixAnswer, isMultipleChoiceAnswer } from "./answer-types";
import type { AnswerValue, Answers, MatrixAnswer } from "./answer-types";

const answerMatches = (question: Question | undefined, answer: AnswerValue | undefined, expected: string | number, row: string | undefined): boolean => {
  if (answer === undefined || question === undefined) return false;
  switch (question.type) {
    case "single_choice":
    case "binned_estimate":
      return isChoiceAnswer(answer) && answer.choice === expected;
    case "multiple_choice":
      return isMultipleChoiceAnswer(answer) && typeof expected === "string" && answer.choices.includes(expected);
    case "matrix":
      return row !== undefined && isMatrixAnswer(answer) && (answer as MatrixAnswer)[row] === expected;
    case "likert":
    case "numeric":
      return typeof answer === "number" && answer === expected;
    case "short_text":
    case "long_text":
      return typeof answer === "string" && typeof expected === "string" && answer.trim() === expected.trim();
  }
};

/**
 * Evaluates a condition against answers.
 * @param condition a condition from a validated definition.
 * @param answers the answers that count (normally `resolveVisibility(...).effectiveAnswers`).
 * @param questionsById lookup of the definition's questions; unknown ids evaluate as unanswered.
 * @returns whether the condition holds.
 */
export function evaluateCondition(condition: Condition, answers: Answers, questionsById: ReadonlyMap<string, Question>): boolean {
  if ("answered" in condition) return answers[condition.answered] !== undefined;
  if ("equals" in condition) {
    const { question, row, value } = condition.equals;
    return answerMatches(questionsById.get(question), answers[question], value, row);
  }
  if ("in" in condition) {
    const { question, row, values } = condition.in;
    return values.some((value) => answerMatches(questionsById.get(question), answers[question], value, row));
  }
  if ("not" in condition) return !evaluateCondition(condition.not, answers, questionsById);
  if ("all" in condition) return condition.all.every((part) => evaluateCondition(part, answers, questionsById));
  return condition.any.some((part) => evaluateCondition(part, answers, questionsById));
}

/** Which sections and questions are shown for a set of answers. */
export type Visibility = {
  /** Visible sections with at least one visible question, in definition order (= the pages). */
  pages: Array<{ section: Section; questions: Question[] }>;
  visibleQuestionIds: ReadonlySet<string>;
  /** The given answers restricted to visible questions: what conditions and completeness look at. */
  effectiveAnswers: Answers;
};

/**
 * Map of question id → question for a definition (memoised per definition object; do not mutate a
 * definition after parsing it).
 * @param definition a parsed questionnaire.
 */
export const indexQuestions = (definition: QuestionnaireDefinition): ReadonlyMap<string, Question> => {
  const cached = questionIndexCache.get(definition);
  if (cached) return cached;
  const index = new Map(definition.sections.flatMap((section) => section.questions.map((question) => [question.id, question] as const)));
  questionIndexCache.set(definition, index);
  return index;
};

// Definitions are treated as immutable once parsed; the cache matters for imports that resolve
// visibility once per row of a large file.
const questionIndexCache = new WeakMap<QuestionnaireDefinition, ReadonlyMap<string, Question>>();

/**
 * Resolves visibility in document order. A question is visible when its section's condition holds and
 * its own condition holds, both evaluated on the answers of earlier visible questions (the schema
 * guarantees conditions only look backwards). A section whose questions are all hidden is not a page.
 *
 * @param definition a parsed questionnaire.
 * @param answers the answers so far, possibly including answers to questions that are now hidden.
 */
export function resolveVisibility(definition: QuestionnaireDefinition, answers: Answers): Visibility {
  const questionsById = indexQuestions(definition);
  const effectiveAnswers: Answers = {};
  const visibleQuestionIds = new Set<string>();
  const pages: Visibility["pages"] = [];
  for (const section of definition.sections) {
    const sectionVisible = section.showIf === undefined || evaluateCondition(section.showIf, effectiveAnswers, questionsById);
    const questions: Question[] = [];
    for (const question of section.questions) {
      if (!sectionVisible) continue;
      if (question.showIf !== undefined && !evaluateCondition(question.showIf, effectiveAnswers, questionsById)) continue;
      questions.push(question);
      visibleQuestionIds.add(question.id);
      const answer = answers[question.id];
      if (answer !== undefined) effectiveAnswers[question.id] = answer;
    }
    if (questions.length > 0) pages.push({ section, questions });
  }
  return { pages, visibleQuestionIds, effectiveAnswers };
}
