/**
 * Shapes responses for export: a wide CSV (one row per response, one column per question, per option
 * for multiple choice, per row for matrix) and a codebook describing every column and value code, so
 * the data can be read into R, SPSS or a spreadsheet without guessing.
 *
 * Cell conventions:
 * - unanswered or hidden → empty cell;
 * - single choice / binned estimate / matrix row → the option's value code (`valueFormat: "codes"`,
 *   default) or its label (`"labels"`); "Other" uses the other option's code/label and its text goes in
 *   `<id>_other_text`;
 * - multiple choice → per option 1 (chosen) / 0 (not chosen) when the question was answered;
 * - likert → the point number; numeric → the number; text → the text.
 * Every text cell is neutralised against spreadsheet formulas (lib/io/csv.ts).
 * Pure: no I/O; CSV text is written by lib/io/csv.ts.
 */
import { neutralizeFormula, writeCsv } from "@/lib/io/csv";
import { columnNamesOf, listQuestions, optionCodes, OTHER_OPTION_ID } from "./definition";
import type { Question, QuestionnaireDefinition } from "./definition";
import { isChoiceAnswer, isMatrixAnswer, isMultipleChoiceAnswer } from "./answer-types";
import type { AnswerValue, MatrixAnswer } from "./answer-types";
import type { SurveyResponseRecord } from "./response-record";

/** Metadata columns that precede the answer columns, in this order. */
export const RESPONSE_METADATA_COLUMNS = ["response_id", "status", "progress", "started_at", "submitted_at"] as const;
/** Optional column holding the presentation order as JSON. */
export const PRESENTATION_ORDER_COLUMN = "presentation_order";

export type ExportOptions = {
  /** "codes" (default; numeric value codes, see the codebook) or "labels" (option texts). */
  valueFormat?: "codes" | "labels";
  /** Add the per-participant presentation order as a JSON column (default true). */
  includePresentationOrder?: boolean;
};

const choiceCell = (question: Question & { type: "single_choice" | "binned_estimate" | "matrix" | "multiple_choice" }, optionId: string, valueFormat: "codes" | "labels"): string => {
  const option = optionCodes(question).find((candidate) => candidate.id === optionId);
  if (!option) return optionId; // unreachable for validated answers; never silently blank data
  return valueFormat === "codes" ? String(option.code) : option.label;
};

/** Cells of one question for one answer, aligned with `columnNamesOf(question)`. */
const questionCells = (question: Question, answer: AnswerValue | undefined, valueFormat: "codes" | "labels"): string[] => {
  const columns = columnNamesOf(question);
  if (answer === undefined) return columns.map(() => "");
  switch (question.type) {
    case "single_choice":
    case "binned_estimate": {
      if (!isChoiceAnswer(answer)) return columns.map(() => "");
      const cells = [choiceCell(question, answer.choice, valueFormat)];
      if (question.other) cells.push(answer.choice === OTHER_OPTION_ID ? (answer.otherText ?? "") : "");
      return cells;
    }
    case "multiple_choice": {
      if (!isMultipleChoiceAnswer(answer)) return columns.map(() => "");
      const cells: string[] = question.options.map((option) => (answer.choices.includes(option.id) ? "1" : "0"));
      if (question.other) {
        const chose = answer.choices.includes(OTHER_OPTION_ID);
        cells.push(chose ? "1" : "0", chose ? (answer.otherText ?? "") : "");
      }
      return cells;
    }
    case "matrix": {
      if (!isMatrixAnswer(answer)) return columns.map(() => "");
      const matrix = answer as MatrixAnswer;
      return question.rows.map((row) => (matrix[row.id] === undefined ? "" : choiceCell(question, matrix[row.id] as string, valueFormat)));
    }
    default:
      return [typeof answer === "number" || typeof answer === "string" ? String(answer) : ""];
  }
};

/**
 * The header row of a response export.
 * @param definition a parsed questionnaire.
 * @param options see `ExportOptions`.
 */
export function exportHeader(definition: QuestionnaireDefinition, options: ExportOptions = {}): string[] {
  return [
    ...RESPONSE_METADATA_COLUMNS,
    ...(options.includePresentationOrder ?? true ? [PRESENTATION_ORDER_COLUMN] : []),
    ...listQuestions(definition).flatMap(columnNamesOf),
  ];
}

/**
 * Rows of a response export: the header followed by one row per response, all cells text and
 * neutralised against formulas. Answers to unknown question ids are not exported.
 * @param definition the questionnaire the responses belong to.
 * @param responses validated responses.
 * @param options see `ExportOptions`.
 */
export function responsesToRows(definition: QuestionnaireDefinition, responses: readonly SurveyResponseRecord[], options: ExportOptions = {}): string[][] {
  const valueFormat = options.valueFormat ?? "codes";
  const includeOrder = options.includePresentationOrder ?? true;
  const questions = listQuestions(definition);
  const rows = responses.map((response) => [
    response.responseId,
    response.status,
    response.progress === undefined ? "" : String(response.progress),
    response.startedAt ?? "",
    response.submittedAt ?? "",
    ...(includeOrder ? [response.presentationOrder ? JSON.stringify(response.presentationOrder) : ""] : []),
    ...questions.flatMap((question) => questionCells(question, response.answers[question.id], valueFormat)),
  ]);
  return [exportHeader(definition, options), ...rows].map((row) => row.map(neutralizeFormula));
}

/**
 * A response export as CSV text (CRLF line ends, RFC 4180 quoting).
 * @param options.bom prepend a UTF-8 byte-order mark so Excel detects the encoding (default false).
 */
export function responsesToCsv(
  definition: QuestionnaireDefinition,
  responses: readonly SurveyResponseRecord[],
  options: ExportOptions & { bom?: boolean } = {},
): string {
  const csv = writeCsv(responsesToRows(definition, responses, options));
  return options.bom ? `\uFEFF${csv}` : csv;
}

/** One line of the codebook: a column and one of its values (or a description of free values). */
export type CodebookRow = {
  column: string;
  questionId: string;
  questionType: Question["type"] | "metadata";
  questionText: string;
  /** The cell value ("" for rows that describe a free value such as a number or text). */
  value: string;
  label: string;
};

const describeFree = (question: Question): string => {
  switch (question.type) {
    case "numeric": {
      const range = question.min !== undefined || question.max !== undefined ? `, ${question.min ?? "−∞"} to ${question.max ?? "∞"}` : "";
      return `${question.integer ? "whole number" : "number"}${question.unit ? ` in ${question.unit}` : ""}${range}`;
    }
    case "short_text":
    case "long_text":
      return `free text, at most ${question.maxLength} characters`;
    default:
      return "free text";
  }
};

/**
 * The codebook of an export: one row per column value (choices, scale points, 0/1 indicators) or one
 * descriptive row per free-value column. Column names match `exportHeader`.
 * @param definition a parsed questionnaire.
 */
export function codebookRows(definition: QuestionnaireDefinition): CodebookRow[] {
  const metadata: CodebookRow[] = [
    { column: "response_id", questionId: "", questionType: "metadata", questionText: "Response identifier", value: "", label: "text" },
    { column: "status", questionId: "", questionType: "metadata", questionText: "Response status", value: "complete", label: "all shown pages answered" },
    { column: "status", questionId: "", questionType: "metadata", questionText: "Response status", value: "partial", label: "stopped before the end" },
    { column: "progress", questionId: "", questionType: "metadata", questionText: "Progress", value: "", label: "percent of pages answered, 0–100" },
    { column: "started_at", questionId: "", questionType: "metadata", questionText: "Start time", value: "", label: "timestamp" },
    { column: "submitted_at", questionId: "", questionType: "metadata", questionText: "Submission time", value: "", label: "timestamp" },
    { column: PRESENTATION_ORDER_COLUMN, questionId: "", questionType: "metadata", questionText: "Order of questions and options shown", value: "", label: "JSON: seed, questions per section, options per question" },
  ];
  const rows = listQuestions(definition).flatMap((question): CodebookRow[] => {
    const row = (column: string, value: string, label: string, questionText = question.text): CodebookRow => ({
      column,
      questionId: question.id,
      questionType: question.type,
      questionText,
      value,
      label,
    });
    switch (question.type) {
      case "single_choice":
      case "binned_estimate":
        return [
          ...optionCodes(question).map((option) => row(question.id, String(option.code), option.label)),
          ...(question.other ? [row(`${question.id}_${OTHER_OPTION_ID}_text`, "", `text of "${question.other.label}"`)] : []),
        ];
      case "multiple_choice":
        return [
          ...optionCodes(question).flatMap((option) => {
            const text = `${question.text} — ${option.label}`;
            return [row(`${question.id}_${option.id}`, "1", "chosen", text), row(`${question.id}_${option.id}`, "0", "not chosen", text)];
          }),
          ...(question.other ? [row(`${question.id}_${OTHER_OPTION_ID}_text`, "", `text of "${question.other.label}"`)] : []),
        ];
      case "matrix":
        return question.rows.flatMap((matrixRow) =>
          optionCodes(question).map((column) => row(`${question.id}_${matrixRow.id}`, String(column.code), column.label, `${question.text} — ${matrixRow.label}`)),
        );
      case "likert":
        return Array.from({ length: question.points }, (_, index) => row(question.id, String(index + 1), question.labels[String(index + 1)] ?? ""));
      default:
        return [row(question.id, "", describeFree(question))];
    }
  });
  return [...metadata, ...rows];
}

/**
 * The codebook as CSV text with columns column, question_id, question_type, question_text, value, label.
 * @param definition a parsed questionnaire.
 */
export function codebookToCsv(definition: QuestionnaireDefinition): string {
  const body = codebookRows(definition).map((row) => [row.column, row.questionId, row.questionType, row.questionText, row.value, row.label]);
  return writeCsv([["column", "question_id", "question_type", "question_text", "value", "label"], ...body]);
}
