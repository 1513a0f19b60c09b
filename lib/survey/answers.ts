/**
 * Answer validation (plain-words messages for participants) and conversion between HTML form fields
 * and typed answers.
 *
 * Form field naming convention (ids cannot contain dots, so names are unambiguous):
 * - `q.<questionId>` — the value: option id for single choice / binned estimate (radio), option ids for
 *   multiple choice (checkboxes, repeated field), point for likert, number text, or text;
 * - `q.<questionId>.other` — the "Other: please specify" text;
 * - `q.<questionId>.<rowId>` — the chosen column id of a matrix row.
 * Empty strings mean "not answered". Field values are trimmed; text keeps its inner line breaks.
 */
import { listedOptions, OTHER_OPTION_ID } from "./definition";
import type { Question, QuestionnaireDefinition, Section } from "./definition";
import { choiceAnswerSchema, isChoiceAnswer, isMatrixAnswer, isMultipleChoiceAnswer, matrixAnswerSchema, multipleChoiceAnswerSchema } from "./answer-types";
import type { AnswerValue, Answers } from "./answer-types";
import { resolveVisibility } from "./conditions";
import { findUnstorable, LIMITS, unstorableMessage } from "@/lib/validation/limits";

/** FormData-like fields: a name maps to one value or, for repeated fields (checkboxes), several. */
export type FormFields = Record<string, string | string[]>;

/** Result of checking one answer: the normalised value (undefined = unanswered) or a message. */
export type AnswerCheck = { ok: true; value: AnswerValue | undefined } | { ok: false; message: string };

const FIELD_PREFIX = "q.";

/** Name of the main form field of a question, e.g. `q.Q20`. */
export const fieldName = (questionId: string): string => `${FIELD_PREFIX}${questionId}`;
/** Name of the "Other" text field of a question, e.g. `q.Q20.other`. */
export const otherFieldName = (questionId: string): string => `${FIELD_PREFIX}${questionId}.${OTHER_OPTION_ID}`;
/** Name of a matrix row's field, e.g. `q.Q9.speed`. */
export const matrixFieldName = (questionId: string, rowId: string): string => `${FIELD_PREFIX}${questionId}.${rowId}`;

const formatNumber = (value: number): string => String(value);
const withUnit = (value: number, unit: string | undefined): string => (unit ? `${formatNumber(value)} ${unit}` : formatNumber(value));
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

const REQUIRED_MESSAGE = "Please answer this question.";
const OTHER_TEXT_MESSAGE = 'Please describe your "Other" answer in the text box.';
const UNKNOWN_OPTION_MESSAGE = "Please choose one of the listed options.";

const normaliseOtherText = (text: string | undefined): string | undefined => {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
};

/**
 * The "Other" text's own checks (the text box says 500 characters; a forged form or an import could send more),
 * or null when it is fine. Runs for every door, since each calls checkAnswer.
 */
const otherTextProblem = (text: string): string | null => {
  if (text.length > LIMITS.otherTextChars) return `Please shorten your "Other" answer to at most ${LIMITS.otherTextChars} characters (it has ${text.length}).`;
  const unstorable = findUnstorable(text);
  return unstorable ? unstorableMessage(unstorable, 'Your "Other" answer') : null;
};

/**
 * Checks one answer against its question and normalises it: texts trimmed, "Other" text dropped when
 * "Other" is not chosen (a participant may have typed it and then picked another option), empty
 * answers turned into "unanswered". Does not look at visibility: call it only for visible questions.
 *
 * @param question the question from a validated definition.
 * @param value the stored or converted answer, or undefined when unanswered; any shape is accepted
 *   and checked (stored JSON is untrusted).
 * @returns the normalised value or a message in plain words addressed to the participant.
 */
export function checkAnswer(question: Question, value: unknown): AnswerCheck {
  const normalised = normaliseAnswer(question, value);
  if (!normalised.ok) return normalised;
  const answer = normalised.value;
  if (answer === undefined) {
    if (!question.required) return { ok: true, value: undefined };
    if (question.type === "multiple_choice") return { ok: false, message: "Please choose at least one option." };
    if (question.type === "matrix") return { ok: false, message: "Please answer every row." };
    return { ok: false, message: REQUIRED_MESSAGE };
  }
  return { ok: true, value: answer };
}

const normaliseAnswer = (question: Question, value: unknown): AnswerCheck => {
  if (value === undefined || value === null) return { ok: true, value: undefined };
  switch (question.type) {
    case "single_choice":
    case "binned_estimate": {
      // Shape guards rather than zod here: imports check every answer of every row.
      if (!isChoiceAnswer(value)) return { ok: false, message: UNKNOWN_OPTION_MESSAGE };
      const { choice } = value;
      const isOther = choice === OTHER_OPTION_ID && question.other !== undefined;
      if (!isOther && !listedOptions(question).some((option) => option.id === choice)) return { ok: false, message: UNKNOWN_OPTION_MESSAGE };
      if (!isOther) return { ok: true, value: { choice } };
      const otherText = normaliseOtherText(value.otherText);
      if (otherText === undefined) return { ok: false, message: OTHER_TEXT_MESSAGE };
      const problem = otherTextProblem(otherText);
      if (problem) return { ok: false, message: problem };
      return { ok: true, value: { choice, otherText } };
    }
    case "multiple_choice": {
      if (!isMultipleChoiceAnswer(value)) return { ok: false, message: UNKNOWN_OPTION_MESSAGE };
      if (value.choices.length === 0) return { ok: true, value: undefined };
      const choices = [...new Set(value.choices)];
      const allowed = new Set([...question.options.map((option) => option.id), ...(question.other ? [OTHER_OPTION_ID] : [])]);
      if (choices.some((choice) => !allowed.has(choice))) return { ok: false, message: UNKNOWN_OPTION_MESSAGE };
      const exclusive = question.options.find((option) => option.exclusive && choices.includes(option.id));
      if (exclusive && choices.length > 1) return { ok: false, message: `"${exclusive.label}" cannot be combined with other options.` };
      if (question.minSelections !== undefined && choices.length < question.minSelections && !exclusive) {
        return { ok: false, message: `Please choose at least ${plural(question.minSelections, "option")}.` };
      }
      if (question.maxSelections !== undefined && choices.length > question.maxSelections) {
        return { ok: false, message: `Please choose no more than ${plural(question.maxSelections, "option")} (you chose ${choices.length}).` };
      }
      // Keep the definition's order so exports and comparisons do not depend on click order.
      const ordered = [...allowed].filter((id) => choices.includes(id));
      if (!ordered.includes(OTHER_OPTION_ID)) return { ok: true, value: { choices: ordered } };
      const otherText = normaliseOtherText(value.otherText);
      if (otherText === undefined) return { ok: false, message: OTHER_TEXT_MESSAGE };
      const problem = otherTextProblem(otherText);
      if (problem) return { ok: false, message: problem };
      return { ok: true, value: { choices: ordered, otherText } };
    }
    case "likert":
      if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > question.points) {
        return { ok: false, message: `Please choose a point on the scale from 1 to ${question.points}.` };
      }
      return { ok: true, value };
    case "numeric": {
      if (typeof value !== "number" || !Number.isFinite(value)) return { ok: false, message: "Please enter a number, such as 3 or 2.5." };
      if (question.integer && !Number.isInteger(value)) return { ok: false, message: "Please enter a whole number." };
      const { min, max, unit } = question;
      if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
        if (min !== undefined && max !== undefined) return { ok: false, message: `Please enter a number from ${withUnit(min, unit)} to ${withUnit(max, unit)}.` };
        if (min !== undefined) return { ok: false, message: `Please enter a number of at least ${withUnit(min, unit)}.` };
        return { ok: false, message: `Please enter a number of at most ${withUnit(max as number, unit)}.` };
      }
      return { ok: true, value };
    }
    case "short_text":
    case "long_text": {
      if (typeof value !== "string") return { ok: false, message: "Please enter text." };
      const text = value.trim();
      if (text === "") return { ok: true, value: undefined };
      if (question.type === "short_text" && /[\r\n]/.test(text)) return { ok: false, message: "Please keep this answer on one line." };
      if (text.length > question.maxLength) {
        return { ok: false, message: `Please shorten your answer to at most ${question.maxLength} characters (it has ${text.length}).` };
      }
      const unstorable = findUnstorable(text);
      if (unstorable) return { ok: false, message: unstorableMessage(unstorable, "Your answer") };
      return { ok: true, value: text };
    }
    case "matrix": {
      if (!isMatrixAnswer(value)) return { ok: false, message: UNKNOWN_OPTION_MESSAGE };
      const matrix: Record<string, string> = value;
      const rows = new Set(question.rows.map((row) => row.id));
      const columns = new Set(question.columns.map((column) => column.id));
      const entries = Object.entries(matrix);
      if (entries.some(([row, column]) => !rows.has(row) || !columns.has(column))) return { ok: false, message: UNKNOWN_OPTION_MESSAGE };
      if (entries.length === 0) return { ok: true, value: undefined };
      if (question.required && entries.length < rows.size) {
        const missing = question.rows.filter((row) => matrix[row.id] === undefined).map((row) => `"${row.label}"`);
        return { ok: false, message: `Please answer every row (missing: ${missing.join(", ")}).` };
      }
      // Rebuild in row order so stored answers are canonical.
      const canonical: Record<string, string> = {};
      for (const row of question.rows) {
        const column = matrix[row.id];
        if (column !== undefined) canonical[row.id] = column;
      }
      return { ok: true, value: canonical };
    }
  }
};

/** Outcome of validating a page. `answers` holds only the page's visible questions that were answered. */
export type PageValidation =
  | { ok: true; answers: Answers }
  | { ok: false; answers: Answers; fieldErrors: Record<string, string> };

/**
 * Validates the answers of one page (section). Visibility is resolved with all answers so far plus the
 * page's answers, so a question shown by an answer on the same page is checked too; hidden questions
 * on the page are ignored and absent from the result.
 *
 * @param definition a parsed questionnaire.
 * @param sectionId the page being submitted.
 * @param answers earlier answers merged with this page's answers (page answers win).
 * @returns the page's normalised answers, and on failure `fieldErrors` keyed by question id. When the
 *   section is hidden or unknown the result is ok with no answers.
 */
export function validatePageAnswers(definition: QuestionnaireDefinition, sectionId: string, answers: Answers): PageValidation {
  const page = resolveVisibility(definition, answers).pages.find((candidate) => candidate.section.id === sectionId);
  const pageAnswers: Answers = {};
  const fieldErrors: Record<string, string> = {};
  for (const question of page?.questions ?? []) {
    const check = checkAnswer(question, answers[question.id]);
    if (!check.ok) fieldErrors[question.id] = check.message;
    else if (check.value !== undefined) pageAnswers[question.id] = check.value;
  }
  return Object.keys(fieldErrors).length === 0 ? { ok: true, answers: pageAnswers } : { ok: false, answers: pageAnswers, fieldErrors };
}

const firstValue = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? "") : (value ?? "")).trim();
const allValues = (value: string | string[] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) => item.trim()).filter((item) => item !== "");

/** Numbers as people type them: "3", "-2", "2.5", ".5"; thousands separators and units are refused. */
const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Result of reading a page's form: typed answers, conversion errors, and the raw fields to re-render. */
export type PageFormReading = {
  /** Answers that could be converted (not yet validated against required/range rules). */
  answers: Answers;
  /** Problems converting text to a typed answer (e.g. "abc" in a number field), by question id. */
  fieldErrors: Record<string, string>;
  /** The page's own fields, trimmed, for re-displaying exactly what was typed. */
  fields: FormFields;
};

/**
 * Converts the submitted form fields of one page into typed answers (see the naming convention at the
 * top of this file). Fields of other questions are ignored, so a forged field cannot write another
 * page's answer.
 *
 * @param section the page's section.
 * @param fields FormData-like fields; see `formDataToFields`.
 * @returns typed answers and conversion errors; pass the merged answers to `validatePageAnswers`.
 */
export function readPageForm(section: Section, fields: FormFields): PageFormReading {
  const answers: Answers = {};
  const fieldErrors: Record<string, string> = {};
  const kept: FormFields = {};
  for (const question of section.questions) {
    const main = fields[fieldName(question.id)];
    const otherText = firstValue(fields[otherFieldName(question.id)]);
    switch (question.type) {
      case "single_choice":
      case "binned_estimate": {
        const choice = firstValue(main);
        if (choice !== "") answers[question.id] = choice === OTHER_OPTION_ID ? { choice, otherText } : { choice };
        kept[fieldName(question.id)] = choice;
        if (question.other) kept[otherFieldName(question.id)] = otherText;
        break;
      }
      case "multiple_choice": {
        const choices = allValues(main);
        if (choices.length > 0) answers[question.id] = choices.includes(OTHER_OPTION_ID) ? { choices, otherText } : { choices };
        kept[fieldName(question.id)] = choices;
        if (question.other) kept[otherFieldName(question.id)] = otherText;
        break;
      }
      case "likert":
      case "numeric": {
        const text = firstValue(main);
        kept[fieldName(question.id)] = text;
        if (text === "") break;
        if (!NUMBER_PATTERN.test(text)) {
          fieldErrors[question.id] =
            question.type === "likert"
              ? `Please choose a point on the scale from 1 to ${question.points}.`
              : /^[+-]?\d{1,3}(,\d{3})+$/.test(text)
                ? "Please enter the number without thousands separators, e.g. 1200."
                : /,/.test(text)
                  ? "Please use a dot as the decimal separator, e.g. 2.5."
                  : `Please enter a number only${question.unit ? ` (in ${question.unit})` : ""}, such as 3 or 2.5.`;
          break;
        }
        answers[question.id] = Number(text);
        break;
      }
      case "short_text":
      case "long_text": {
        const raw = Array.isArray(main) ? (main[0] ?? "") : (main ?? "");
        // Browsers submit CRLF for textarea line breaks; store LF so lengths match what was typed.
        const text = raw.replace(/\r\n?/g, "\n").trim();
        kept[fieldName(question.id)] = text;
        if (text !== "") answers[question.id] = text;
        break;
      }
      case "matrix": {
        const value: Record<string, string> = {};
        for (const row of question.rows) {
          const column = firstValue(fields[matrixFieldName(question.id, row.id)]);
          kept[matrixFieldName(question.id, row.id)] = column;
          if (column !== "") value[row.id] = column;
        }
        if (Object.keys(value).length > 0) answers[question.id] = value;
        break;
      }
    }
  }
  return { answers, fieldErrors, fields: kept };
}

/**
 * Whether submitted fields fit the page: no more field names than the page has, and no repeated field with more
 * values than its question has options. A real form always fits; a forged one with a million fields is refused
 * before any of it is read (readPageForm ignores unknown fields, but they still cost memory and time).
 */
export function fieldsFitPage(section: Section, fields: FormFields): boolean {
  let names = 0;
  let maxValues = 1;
  for (const question of section.questions) {
    names += 1;
    if ("other" in question && question.other) names += 1;
    if (question.type === "matrix") names += question.rows.length;
    if (question.type === "multiple_choice") maxValues = Math.max(maxValues, question.options.length + (question.other ? 1 : 0));
  }
  const entries = Object.values(fields);
  return entries.length <= names && entries.every((value) => !Array.isArray(value) || value.length <= maxValues);
}

/**
 * Converts stored answers back to form fields so a page can be pre-filled (resume, "Previous").
 * @param section the page's section.
 * @param answers stored answers (only this section's questions are used).
 * @returns fields following the naming convention; unanswered questions get empty values.
 */
export function answersToFormFields(section: Section, answers: Answers): FormFields {
  const fields: FormFields = {};
  for (const question of section.questions) {
    const answer = answers[question.id];
    switch (question.type) {
      case "single_choice":
      case "binned_estimate": {
        const parsed = choiceAnswerSchema.safeParse(answer);
        fields[fieldName(question.id)] = parsed.success ? parsed.data.choice : "";
        if (question.other) fields[otherFieldName(question.id)] = parsed.success ? (parsed.data.otherText ?? "") : "";
        break;
      }
      case "multiple_choice": {
        const parsed = multipleChoiceAnswerSchema.safeParse(answer);
        fields[fieldName(question.id)] = parsed.success ? parsed.data.choices : [];
        if (question.other) fields[otherFieldName(question.id)] = parsed.success ? (parsed.data.otherText ?? "") : "";
        break;
      }
      case "likert":
      case "numeric":
        fields[fieldName(question.id)] = typeof answer === "number" ? String(answer) : "";
        break;
      case "short_text":
      case "long_text":
        fields[fieldName(question.id)] = typeof answer === "string" ? answer : "";
        break;
      case "matrix": {
        const parsed = matrixAnswerSchema.safeParse(answer);
        for (const row of question.rows) fields[matrixFieldName(question.id, row.id)] = parsed.success ? (parsed.data[row.id] ?? "") : "";
        break;
      }
    }
  }
  return fields;
}

/**
 * Collects FormData entries into `FormFields`, keeping repeated names (checkboxes) as arrays and
 * dropping file entries. `formDataToFields(formData.entries())` in a server action.
 * @param entries name/value pairs; non-string values are ignored.
 */
export function formDataToFields(entries: Iterable<[string, unknown]>): FormFields {
  const fields: FormFields = {};
  for (const [name, value] of entries) {
    if (typeof value !== "string") continue;
    const existing = fields[name];
    fields[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return fields;
}
