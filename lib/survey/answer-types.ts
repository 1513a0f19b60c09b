/**
 * The shapes of stored answers, one per question type. Answers are plain JSON so they can be stored in
 * one JSON column per response and exported without a lookup table:
 *
 * | question type                       | answer value                                   |
 * |-------------------------------------|------------------------------------------------|
 * | single_choice, binned_estimate      | `{ choice: "<option id>" | "other", otherText? }` |
 * | multiple_choice                     | `{ choices: ["<option id>", …], otherText? }`  |
 * | likert                              | integer point 1 … points                       |
 * | numeric                             | number                                         |
 * | short_text, long_text               | non-empty trimmed string                       |
 * | matrix                              | `{ "<row id>": "<column id>", … }`             |
 *
 * An unanswered question has no entry at all (never null, "" or []), so "answered" means "present".
 */
import { z } from "zod";
import { stableIdSchema } from "./definition";

export const choiceAnswerSchema = z.strictObject({ choice: stableIdSchema, otherText: z.string().optional() });
export const multipleChoiceAnswerSchema = z.strictObject({ choices: z.array(stableIdSchema).min(1), otherText: z.string().optional() });
export const matrixAnswerSchema = z.record(stableIdSchema, stableIdSchema);

export type ChoiceAnswer = z.infer<typeof choiceAnswerSchema>;
export type MultipleChoiceAnswer = z.infer<typeof multipleChoiceAnswerSchema>;
export type MatrixAnswer = z.infer<typeof matrixAnswerSchema>;

/** Any stored answer value; which one is allowed depends on the question type (see the table above). */
export const answerValueSchema = z.union([
  choiceAnswerSchema,
  multipleChoiceAnswerSchema,
  z.number().finite(),
  z.string().min(1),
  matrixAnswerSchema,
]);
export type AnswerValue = z.infer<typeof answerValueSchema>;

/**
 * A response's answers keyed by question id. Use at trust boundaries (stored JSON, imported files)
 * before handing answers to flow or validation; per-question checks live in lib/survey/answers.ts.
 */
export const answersSchema = z.record(stableIdSchema, answerValueSchema);
export type Answers = Record<string, AnswerValue>;

/*
 * Narrowing helpers. They check the shape only (not ids against a question) and are hand-written rather
 * than zod calls because conditions evaluate them for every question of every imported row.
 */
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Whether a value has the shape of a single-choice / binned-estimate answer. */
export const isChoiceAnswer = (value: unknown): value is ChoiceAnswer =>
  isPlainObject(value) && typeof value.choice === "string" && (value.otherText === undefined || typeof value.otherText === "string");

/** Whether a value has the shape of a multiple-choice answer. */
export const isMultipleChoiceAnswer = (value: unknown): value is MultipleChoiceAnswer =>
  isPlainObject(value) &&
  Array.isArray(value.choices) &&
  value.choices.every((choice) => typeof choice === "string") &&
  (value.otherText === undefined || typeof value.otherText === "string");

/** Whether a value has the shape of a matrix answer (row id → column id). */
export const isMatrixAnswer = (value: unknown): value is MatrixAnswer =>
  isPlainObject(value) && !("choice" in value) && !("choices" in value) && Object.values(value).every((column) => typeof column === "string");
