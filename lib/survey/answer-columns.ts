import type { Question } from "./definition";
import { isChoiceAnswer, isMatrixAnswer, isMultipleChoiceAnswer, type AnswerValue } from "./answer-types";

/** The typed columns of an Answer row, so the database can aggregate without reading JSON (see schema). */
export function typedAnswerColumns(question: Question, value: AnswerValue): { choiceIds: string[]; numberValue: number | null; textValue: string | null } {
  if (isChoiceAnswer(value)) return { choiceIds: [value.choice], numberValue: null, textValue: value.otherText ?? null };
  if (isMultipleChoiceAnswer(value)) return { choiceIds: value.choices, numberValue: null, textValue: value.otherText ?? null };
  if (typeof value === "number") return { choiceIds: [], numberValue: value, textValue: null };
  if (typeof value === "string") return { choiceIds: [], numberValue: null, textValue: value };
  if (question.type === "matrix" && isMatrixAnswer(value)) return { choiceIds: Object.entries(value).map(([row, column]) => `${row}:${column}`), numberValue: null, textValue: null };
  return { choiceIds: [], numberValue: null, textValue: null };
}
