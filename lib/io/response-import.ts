/**
 * Imports questionnaire responses collected elsewhere: a Qualtrics CSV export ("Download data" with
 * either choice text or numeric values, multiple choice as one comma-joined column or one column per
 * option) or a plain CSV with one column per question (such as VarStudy's own export, which therefore
 * round-trips). Pure: text in, result out.
 *
 * All or nothing: every cell is checked against the questionnaire (option exists, number in range,
 * "Other" text present, answers only to questions the skip logic shows, …) and on any problem the
 * result lists every problem with the spreadsheet row (1-based, header rows included) and column, and
 * no response is produced. Fixing a file and importing again is easier than finding half an import.
 *
 * Status: complete when Finished is true (Qualtrics) or status is "complete" (plain); otherwise
 * partial. Without either column, Progress = 100 means complete; without that, completeness is judged
 * by the questionnaire's flow rules. Qualtrics preview, test and spam responses (Status column) are
 * left out and counted, unless `includeTestResponses` is set.
 *
 * A row with fewer cells than the header is read as if the missing cells were empty (spreadsheets
 * drop trailing empty cells when re-saving); a row with more non-empty cells is an error.
 *
 * Dates: Qualtrics writes local wall-clock times and names their zone in the import-id header row
 * ({"ImportId":"startDate","timeZone":"America/Denver"}); they are converted to UTC with that zone.
 */
import { lineOfFirstNul, nulMessage } from "@/lib/io/nul-bytes";
import { z } from "zod";
import { stableIdSchema } from "@/lib/survey/definition";
import type { Question, QuestionnaireDefinition } from "@/lib/survey/definition";
import { listQuestions, optionCodes, OTHER_OPTION_ID } from "@/lib/survey/definition";
import type { AnswerValue, Answers } from "@/lib/survey/answer-types";
import { checkAnswer } from "@/lib/survey/answers";
import { LIMITS, utf8Bytes } from "@/lib/validation/limits";
import { resolveVisibility } from "@/lib/survey/conditions";
import { isResponseComplete } from "@/lib/survey/flow";
import { presentationOrderSchema } from "@/lib/survey/randomize";
import type { SurveyResponseRecord } from "@/lib/survey/response-record";
import { proposeColumnMapping, normalizeText } from "./csv-response-columns";
import type { MappedColumn } from "./csv-response-columns";
import { columnLetter, isBlankRow, readCsvTable, restoreNeutralizedFormula, type CsvProblem } from "./csv";
import { localTimeToUtc, timeZoneOfImportIdCell } from "./qualtrics-time-zone";
import { formatCount } from "@/lib/format";

export type { MappedColumn, QuestionKeyOverrides } from "./csv-response-columns";

/** One problem, located as a spreadsheet shows it: 1-based row (header rows count) and column. */
export type ResponseImportError = CsvProblem;

/** Options an admin can set; validated because they come from a form. */
export const responseImportOptionsSchema = z.strictObject({
  /** "auto" (default) recognises Qualtrics by its ImportId header row or its metadata columns. */
  format: z.enum(["auto", "qualtrics", "plain"]).default("auto"),
  /** Source question key → question id (null: ignore those columns). See csv-response-columns.ts. */
  questionKeyOverrides: z.record(z.string().min(1), stableIdSchema.nullable()).default({}),
  /** What to do with answers to questions the skip logic hides: report them (default) or drop them. */
  hiddenAnswers: z.enum(["error", "drop"]).default("error"),
  /** Keep Qualtrics preview/test/spam responses (default false). */
  includeTestResponses: z.boolean().default(false),
});
export type ResponseImportOptions = z.input<typeof responseImportOptionsSchema>;

/** At most this many problems are listed; a file with more is usually mapped wrongly as a whole. */
export const MAX_REPORTED_ERRORS = 500;

export type ResponseImportPreview = {
  format: "qualtrics" | "plain";
  /** Header rows before the first response (Qualtrics: 3, or 2 for legacy exports; plain: 1). */
  headerRowCount: number;
  dataRowCount: number;
  columns: MappedColumn[];
  /** Questions no column was mapped to (their answers will be empty). */
  unmappedQuestionIds: string[];
  /** The first data rows as text, for display. */
  sampleRows: string[][];
  /** The zone the export's dates are in (Qualtrics import-id row); undefined: UTC. */
  timeZone?: string;
};

export type ImportedResponse = SurveyResponseRecord & { /** Spreadsheet row the response came from. */ sourceRow: number };

export type ResponseImportSummary = {
  complete: number;
  partial: number;
  /** Qualtrics preview/test/spam rows that were left out. */
  excludedTestResponses: number;
  /** Answers to hidden questions dropped (only with hiddenAnswers: "drop"). */
  droppedHiddenAnswers: number;
  /** Qualtrics preview/test/spam rows that were kept (only with includeTestResponses). */
  includedTestResponses: number;
};

/** Where the response ids are, so a duplicate found later (e.g. already in the database) is reported there. */
export type ResponseIdColumn = { column: number; name: string };

export type ResponseImportResult =
  | { ok: true; format: "qualtrics" | "plain"; responses: ImportedResponse[]; summary: ResponseImportSummary; columns: MappedColumn[]; responseIdColumn?: ResponseIdColumn; timeZone?: string }
  | { ok: false; errors: ResponseImportError[] };

type Layout = {
  format: "qualtrics" | "plain";
  headerRowCount: number;
  headers: string[];
  texts: string[] | undefined;
  rows: string[][];
  /** Per column (0-based), the time zone its import-id cell names. */
  timeZones: Array<string | undefined>;
};

const fileError = (message: string, row = 1): ResponseImportError => ({ row, column: 1, columnName: "", message });

const detectLayout = (rows: string[][], requested: "auto" | "qualtrics" | "plain"): Layout => {
  const headers = (rows[0] ?? []).map((cell) => cell.trim());
  const hasImportIdRow = (rows[2] ?? []).some((cell) => cell.trim().startsWith('{"ImportId"'));
  const lower = new Set(headers.map((header) => header.toLowerCase()));
  const looksQualtrics = hasImportIdRow || (lower.has("responseid") && (lower.has("finished") || lower.has("startdate")));
  const format = requested === "auto" ? (looksQualtrics ? "qualtrics" : "plain") : requested;
  if (format === "plain") return { format, headerRowCount: 1, headers, texts: undefined, rows, timeZones: [] };
  const headerRowCount = hasImportIdRow ? 3 : 2;
  const timeZones = hasImportIdRow ? (rows[2] ?? []).map((cell) => timeZoneOfImportIdCell(cell)) : [];
  return { format, headerRowCount, headers, texts: rows[1], rows, timeZones };
};

const dataRowsOf = (layout: Layout): Array<{ row: number; cells: string[] }> =>
  layout.rows
    .map((cells, index) => ({ row: index + 1, cells }))
    .slice(layout.headerRowCount)
    .filter(({ cells }) => !isBlankRow(cells));

const parseLayout = (text: string, format: "auto" | "qualtrics" | "plain"): { ok: true; layout: Layout } | { ok: false; errors: ResponseImportError[] } => {
  const table = readCsvTable(text);
  if (!table.ok) return table;
  const layout = detectLayout(table.table.rows, format);
  if (layout.headers.every((header) => header === "")) return { ok: false, errors: [fileError("The first row must hold column names, but it is empty.")] };
  if (dataRowsOf(layout).length === 0) {
    return { ok: false, errors: [fileError(`The file has ${layout.headerRowCount === 1 ? "a header row" : `${layout.headerRowCount} header rows`} but no responses.`)] };
  }
  return { ok: true, layout };
};

/** The zone of the date columns (StartDate first), as an optional field. */
const timeZoneField = (layout: Layout, columns: readonly MappedColumn[]): { timeZone?: string } => {
  const dateColumns = columns.filter((column) => column.target.kind === "metadata" && (column.target.field === "startedAt" || column.target.field === "submittedAt"));
  const zone = dateColumns.map((column) => layout.timeZones[column.column - 1]).find((candidate) => candidate !== undefined);
  return zone ? { timeZone: zone } : {};
};

const unmappedQuestions = (definition: QuestionnaireDefinition, columns: readonly MappedColumn[]): string[] => {
  const mapped = new Set(columns.flatMap((column) => ("questionId" in column.target ? [column.target.questionId] : [])));
  return listQuestions(definition).map((question) => question.id).filter((id) => !mapped.has(id));
};

/**
 * Reads the file far enough to show what would be imported: format, header rows, the proposed
 * column mapping and a few rows. Does not check cells.
 * @param text CSV text.
 * @param definition the questionnaire the responses belong to.
 * @param options format and overrides (see `responseImportOptionsSchema`); invalid options are an error.
 * @returns the preview, or file-level problems (empty file, broken quoting, no responses).
 */
export function previewResponseImport(
  text: string,
  definition: QuestionnaireDefinition,
  options: ResponseImportOptions = {},
): { ok: true; preview: ResponseImportPreview } | { ok: false; errors: ResponseImportError[] } {
  const parsedOptions = responseImportOptionsSchema.safeParse(options);
  if (!parsedOptions.success) return { ok: false, errors: [fileError(`Invalid import options: ${parsedOptions.error.issues[0]?.message ?? "unknown problem"}`)] };
  const parsed = parseLayout(text, parsedOptions.data.format);
  if (!parsed.ok) return parsed;
  const { layout } = parsed;
  const columns = proposeColumnMapping(definition, layout, parsedOptions.data.questionKeyOverrides);
  const dataRows = dataRowsOf(layout);
  return {
    ok: true,
    preview: {
      format: layout.format,
      headerRowCount: layout.headerRowCount,
      dataRowCount: dataRows.length,
      columns,
      unmappedQuestionIds: unmappedQuestions(definition, columns),
      sampleRows: dataRows.slice(0, 5).map(({ cells }) => cells),
      ...timeZoneField(layout, columns),
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Cell decoding

type ChoiceLookup = {
  /** The most comma-separated pieces any label has: bounds the search when splitting joined cells. */
  maxLabelPieces: number;
  byExactLabel: Map<string, string>; byLabel: Map<string, string>; byId: Map<string, string>; byCode: Map<number, string>; describe: string };

const buildChoiceLookup = (choices: Array<{ id: string; label: string; code: number }>): ChoiceLookup => ({
  maxLabelPieces: Math.max(1, ...choices.map((choice) => choice.label.split(",").length)),
  byExactLabel: new Map(choices.map((choice) => [choice.label, choice.id])),
  byLabel: new Map(choices.map((choice) => [normalizeText(choice.label), choice.id])),
  byId: new Map(choices.map((choice) => [choice.id.toLowerCase(), choice.id])),
  byCode: new Map(choices.map((choice) => [choice.code, choice.id])),
  describe: choices.map((choice) => `${choice.code} = ${choice.label}`).join(", "),
});

/**
 * Exact label first (choice-text exports), then numeric code (numeric exports), then label ignoring
 * case and spacing, then option id (our own files). Normalising is the slow path on large files, so
 * it comes after the cheap exact lookups.
 */
const lookupChoice = (lookup: ChoiceLookup, cell: string): string | undefined => {
  const exact = lookup.byExactLabel.get(cell);
  if (exact !== undefined) return exact;
  if (/^[+-]?\d+$/.test(cell)) {
    const byCode = lookup.byCode.get(Number(cell));
    if (byCode !== undefined) return byCode;
  }
  return lookup.byLabel.get(normalizeText(cell)) ?? lookup.byId.get(cell.toLowerCase());
};

/** Splits a comma-joined multiple-choice cell; labels may contain commas, so the longest match wins. */
const splitChoiceList = (lookup: ChoiceLookup, cell: string): { ok: true; ids: string[] } | { ok: false; unknown: string } => {
  const pieces = cell.split(",");
  const ids: string[] = [];
  let start = 0;
  while (start < pieces.length) {
    let matched = false;
    for (let end = Math.min(pieces.length, start + lookup.maxLabelPieces); end > start; end--) {
      const candidate = pieces.slice(start, end).join(",").trim();
      const id = candidate === "" ? undefined : lookupChoice(lookup, candidate);
      if (id !== undefined) {
        ids.push(id);
        start = end;
        matched = true;
        break;
      }
    }
    if (!matched) {
      if ((pieces[start] ?? "").trim() === "") {
        start += 1; // tolerate "a,,b" and trailing commas
        continue;
      }
      return { ok: false, unknown: (pieces[start] ?? "").trim() };
    }
  }
  return { ok: true, ids };
};

type QuestionCodec = {
  question: Question;
  /** The question with required: false, for checking imported values without enforcing answers. */
  optionalQuestion: Question;
  choices?: ChoiceLookup;
  likertLabels?: Map<string, number>;
  optionsById?: Map<string, { id: string; label: string; code: number }>;
};

const buildCodecs = (definition: QuestionnaireDefinition): Map<string, QuestionCodec> =>
  new Map(
    listQuestions(definition).map((question) => {
      const codec: QuestionCodec = { question, optionalQuestion: { ...question, required: false } };
      if (question.type === "single_choice" || question.type === "multiple_choice" || question.type === "binned_estimate" || question.type === "matrix") {
        const codes = optionCodes(question);
        codec.choices = buildChoiceLookup(codes);
        codec.optionsById = new Map(codes.map((option) => [option.id, option]));
      }
      if (question.type === "likert") {
        codec.likertLabels = new Map(Object.entries(question.labels).map(([point, label]) => [normalizeText(label), Number(point)]));
      }
      return [question.id, codec];
    }),
  );

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE_VALUES = new Set(["true", "1", "yes"]);
const FALSE_VALUES = new Set(["false", "0", "no"]);
/**
 * Qualtrics Status ("Response Type") values that are not real responses. Choice-text exports spell
 * them out ("Survey Preview", "Survey Test", "Spam"); for numeric exports the codes below (1 preview,
 * 2 test, 8/9/12 spam variants, 17 offline preview) follow our reading of Qualtrics' documentation and
 * could not be checked against a live export here, so the text form is the reliable one.
 */
const TEST_STATUS = /preview|test|spam/i;
const TEST_STATUS_CODES = new Set(["1", "2", "8", "9", "12", "17"]);

/** The cells of one question in one row, decoded but not yet combined into an answer. */
type DecodedCells = Partial<{ choice: string; choices: Set<string>; otherText: string; number: number; text: string; matrix: Record<string, string> }>;

type RowDraft = {
  /** Per question: decoded cells and the first column holding them (where problems are reported). */
  answers: Map<string, { value: DecodedCells; column: MappedColumn }>;
  responseId?: string;
  startedAt?: string;
  submittedAt?: string;
  finished?: boolean;
  progress?: number;
  status?: "complete" | "partial";
  isTest: boolean;
  presentationOrder?: SurveyResponseRecord["presentationOrder"];
};

/**
 * Imports every response in a CSV file after checking every cell against the questionnaire.
 * @param text CSV text (BOM, CRLF and quoted line breaks are handled).
 * @param definition the questionnaire the responses belong to.
 * @param options see `responseImportOptionsSchema`; invalid options give an error result.
 * @returns typed responses with a summary, or every problem found (capped at MAX_REPORTED_ERRORS).
 */
export function importResponses(
  text: string,
  definition: QuestionnaireDefinition,
  options: ResponseImportOptions = {},
  /** Called every 1,000 data rows checked (an import job shows it); the check itself is unchanged. */
  onProgress?: (rowsChecked: number, rowsTotal: number) => void,
): ResponseImportResult {
  const parsedOptions = responseImportOptionsSchema.safeParse(options);
  if (!parsedOptions.success) return { ok: false, errors: [fileError(`Invalid import options: ${parsedOptions.error.issues[0]?.message ?? "unknown problem"}`)] };
  const settings = parsedOptions.data;
  const nulLine = lineOfFirstNul(text);
  if (nulLine !== null) return { ok: false, errors: [{ row: nulLine, column: 1, columnName: "", message: nulMessage(nulLine) }] };
  const parsed = parseLayout(text, settings.format);
  if (!parsed.ok) return parsed;
  const { layout } = parsed;
  const columns = proposeColumnMapping(definition, layout, settings.questionKeyOverrides);
  const codecs = buildCodecs(definition);

  const errors: ResponseImportError[] = [];
  const report = (row: number, column: MappedColumn | { column: number; name: string }, message: string): void => {
    if (errors.length <= MAX_REPORTED_ERRORS) errors.push({ row, column: column.column, columnName: column.name, message });
  };

  // Header problems: two columns claiming the same thing would silently overwrite each other.
  const claimed = new Map<string, MappedColumn>();
  for (const column of columns) {
    if (column.target.kind === "ignored") continue;
    const key = JSON.stringify(column.target);
    const earlier = claimed.get(key);
    if (earlier) report(1, column, `Column ${columnLetter(column.column)} ("${column.name}") holds the same data as column ${columnLetter(earlier.column)} ("${earlier.name}"); ignore one of them.`);
    else claimed.set(key, column);
  }
  if (!columns.some((column) => "questionId" in column.target)) {
    return { ok: false, errors: [fileError("No column matches a question of this questionnaire; check that the right questionnaire is selected or map the columns by hand.")] };
  }
  if (errors.length > 0) return { ok: false, errors };

  const responses: ImportedResponse[] = [];
  const seenIds = new Map<string, number>();
  const idColumn = columns.find((column) => column.target.kind === "metadata" && column.target.field === "responseId");
  const summary: ResponseImportSummary = { complete: 0, partial: 0, excludedTestResponses: 0, droppedHiddenAnswers: 0, includedTestResponses: 0 };

  const dataRows = dataRowsOf(layout);
  const decoding: CellDecoding = { codecs, report };
  let rowsChecked = 0;
  for (const { row, cells } of dataRows) {
    if (onProgress && ++rowsChecked % 1000 === 0) onProgress(rowsChecked, dataRows.length);
    if (errors.length > MAX_REPORTED_ERRORS) break;
    if (cells.length > columns.length && cells.slice(columns.length).some((cell) => cell.trim() !== "")) {
      report(row, { column: columns.length + 1, name: "" }, `This row has ${cells.length} cells but the header has ${columns.length} columns; a cell with a comma may be missing its quotes.`);
      continue;
    }
    const errorsBeforeRow = errors.length;
    const draft: RowDraft = { answers: new Map(), isTest: false };
    columns.forEach((column, index) => decodeCell(restoreNeutralizedFormula((cells[index] ?? "").trim()), { draft, row, column, timeZone: layout.timeZones[index] }, decoding));
    if (draft.isTest && !settings.includeTestResponses) {
      summary.excludedTestResponses += 1;
      continue;
    }
    if (draft.isTest) summary.includedTestResponses += 1;

    const answers: Answers = {};
    const answerColumn = new Map<string, MappedColumn>();
    for (const [questionId, { value, column }] of draft.answers) {
      const codec = codecs.get(questionId);
      if (!codec) continue;
      const candidate = assembleAnswer(codec.question, value);
      if (candidate === undefined) continue;
      // Required-ness is not enforced: partial responses and exports without forced answers are normal.
      const check = checkAnswer(codec.optionalQuestion, candidate);
      if (!check.ok) report(row, column, `${questionId}: ${check.message}`);
      else if (check.value !== undefined) {
        answers[questionId] = check.value;
        answerColumn.set(questionId, column);
      }
    }

    // After a bad cell, skip logic would be judged on a wrong answer and report noise.
    const visible = errors.length > errorsBeforeRow ? null : resolveVisibility(definition, answers).visibleQuestionIds;
    for (const questionId of visible ? Object.keys(answers) : []) {
      if (visible?.has(questionId)) continue;
      if (settings.hiddenAnswers === "drop") {
        delete answers[questionId];
        summary.droppedHiddenAnswers += 1;
      } else {
        const column = answerColumn.get(questionId);
        if (column) report(row, column, `${questionId} is answered, but the questionnaire's show/skip rules hide it for this response; check the rules and the column mapping, or import with hidden answers dropped.`);
      }
    }

    const responseId = draft.responseId ?? `row-${row}`;
    const previousRow = seenIds.get(responseId);
    if (previousRow !== undefined && idColumn) report(row, idColumn, `Response id "${responseId}" already appears in row ${previousRow}.`);
    seenIds.set(responseId, row);

    const status = statusOf(draft, definition, answers);
    summary[status] += 1;
    responses.push({
      sourceRow: row,
      responseId,
      status,
      ...(draft.progress !== undefined ? { progress: draft.progress } : {}),
      ...(draft.startedAt ? { startedAt: draft.startedAt } : {}),
      ...(draft.submittedAt ? { submittedAt: draft.submittedAt } : {}),
      ...(draft.presentationOrder ? { presentationOrder: draft.presentationOrder } : {}),
      answers,
    });
  }

  if (errors.length > 0) {
    if (errors.length > MAX_REPORTED_ERRORS) {
      errors.length = MAX_REPORTED_ERRORS;
      errors.push(fileError(`Stopped after ${MAX_REPORTED_ERRORS} problems; fix these (or the column mapping) and import again.`, errors[errors.length - 1]?.row ?? 1));
    }
    return { ok: false, errors };
  }
  if (responses.length === 0) {
    return { ok: false, errors: [fileError(`All ${summary.excludedTestResponses} responses are Qualtrics previews or tests; nothing to import.`)] };
  }
  return { ok: true, format: layout.format, responses, summary, columns, ...(idColumn ? { responseIdColumn: { column: idColumn.column, name: idColumn.name } } : {}), ...timeZoneField(layout, columns) };
}

/** The rule in this file's header: explicit status, then Finished, then Progress, then the flow. */
const statusOf = (draft: RowDraft, definition: QuestionnaireDefinition, answers: Answers): "complete" | "partial" => {
  if (draft.status !== undefined) return draft.status;
  if (draft.finished !== undefined) return draft.finished ? "complete" : "partial";
  if (draft.progress !== undefined) return draft.progress >= 100 ? "complete" : "partial";
  return isResponseComplete(definition, { answers }) ? "complete" : "partial";
};

/** What decoding a cell needs from the file as a whole: the questions' codecs and where problems go. */
type CellDecoding = { codecs: ReadonlyMap<string, QuestionCodec>; report: (row: number, column: MappedColumn, message: string) => void };

/** Decodes one cell into the row's draft; `timeZone` is the one its column's import-id cell names. */
const decodeCell = (cell: string, place: { draft: RowDraft; row: number; column: MappedColumn; timeZone: string | undefined }, decoding: CellDecoding): void => {
  const { draft, row, column, timeZone } = place;
  const { codecs, report } = decoding;
  const target = column.target;
  if (target.kind === "ignored") return;
  if (target.kind === "metadata") {
    if (cell === "") return;
    switch (target.field) {
      case "responseId":
        // The id is indexed with the questionnaire; PostgreSQL refuses index rows over ~2.7 kB, which would fail
        // the whole import in the database instead of naming the row.
        if (utf8Bytes(cell) > LIMITS.responseIdBytes) report(row, column, `The response id is ${formatCount(utf8Bytes(cell))} bytes long; at most ${LIMITS.responseIdBytes} are accepted.`);
        else draft.responseId = cell;
        return;
      // Unreadable dates are kept as written, as before (the database step falls back on them).
      case "startedAt":
        draft.startedAt = localTimeToUtc(cell, timeZone) ?? cell;
        return;
      case "submittedAt":
        draft.submittedAt = localTimeToUtc(cell, timeZone) ?? cell;
        return;
      case "finished": {
        const lower = cell.toLowerCase();
        if (TRUE_VALUES.has(lower)) draft.finished = true;
        else if (FALSE_VALUES.has(lower)) draft.finished = false;
        else report(row, column, `Finished must be True/False or 1/0, not "${cell}".`);
        return;
      }
      case "progress": {
        const value = PLAIN_NUMBER.test(cell) ? Number(cell) : Number.NaN;
        if (Number.isNaN(value) || value < 0 || value > 100) report(row, column, `Progress must be a number from 0 to 100, not "${cell}".`);
        else draft.progress = value;
        return;
      }
      case "status":
        if (cell === "complete" || cell === "partial") draft.status = cell;
        else report(row, column, `Status must be "complete" or "partial", not "${cell}".`);
        return;
      case "qualtricsStatus":
        draft.isTest = TEST_STATUS.test(cell) || TEST_STATUS_CODES.has(cell);
        return;
      case "presentationOrder": {
        let json: unknown;
        try {
          json = JSON.parse(cell);
        } catch {
          report(row, column, "The presentation order is not valid JSON.");
          return;
        }
        const order = presentationOrderSchema.safeParse(json);
        if (order.success) draft.presentationOrder = order.data;
        else report(row, column, `The presentation order does not have the expected shape (${order.error.issues[0]?.message ?? "unknown problem"}).`);
        return;
      }
    }
  }

  if (cell === "") return;
  const codec = codecs.get(target.questionId);
  if (!codec) return;
  const question = codec.question;
  let entry = draft.answers.get(question.id);
  if (!entry) {
    entry = { value: {}, column };
    draft.answers.set(question.id, entry);
  }
  const value = entry.value;

  switch (target.kind) {
    case "otherText":
      value.otherText = cell;
      return;
    case "option": {
      const lower = cell.toLowerCase();
      const option = codec.optionsById?.get(target.optionId);
      value.choices ??= new Set();
      if (lower === "0" || lower === "false") return;
      const matchesOption = (): boolean =>
        option !== undefined && (cell === String(option.code) || cell === option.id || normalizeText(cell) === normalizeText(option.label));
      if (lower === "1" || lower === "true" || matchesOption()) value.choices.add(target.optionId);
      else report(row, column, `Expected 1 (chosen), 0 or empty for option "${option?.label ?? target.optionId}", not "${cell}".`);
      return;
    }
    case "matrixRow": {
      const columnId = codec.choices ? lookupChoice(codec.choices, cell) : undefined;
      if (columnId === undefined) report(row, column, `"${cell}" is not a column of ${question.id} (expected ${codec.choices?.describe ?? "a listed column"}).`);
      else (value.matrix ??= {})[target.rowId] = columnId;
      return;
    }
    case "value":
      break;
  }

  switch (question.type) {
    case "single_choice":
    case "binned_estimate": {
      const id = codec.choices ? lookupChoice(codec.choices, cell) : undefined;
      if (id === undefined) report(row, column, `"${cell}" is not an option of ${question.id} (expected ${codec.choices?.describe}).`);
      else value.choice = id;
      return;
    }
    case "multiple_choice": {
      if (!codec.choices) return;
      const split = splitChoiceList(codec.choices, cell);
      if (!split.ok) report(row, column, `"${split.unknown}" is not an option of ${question.id} (expected ${codec.choices.describe}).`);
      else {
        value.choices ??= new Set();
        for (const id of split.ids) value.choices.add(id);
      }
      return;
    }
    case "likert": {
      const point = PLAIN_NUMBER.test(cell) ? Number(cell) : codec.likertLabels?.get(normalizeText(cell));
      if (point === undefined) report(row, column, `"${cell}" is not a point of the ${question.points}-point scale of ${question.id}.`);
      else value.number = point;
      return;
    }
    case "numeric":
      if (!PLAIN_NUMBER.test(cell)) report(row, column, `"${cell}" is not a number (${question.id}${question.unit ? `, in ${question.unit}` : ""}).`);
      else value.number = Number(cell);
      return;
    case "short_text":
    case "long_text":
      value.text = cell.replace(/\r\n?/g, "\n");
      return;
    case "matrix":
      return;
  }
};

/** Turns decoded cells into an answer value; undefined when the question was left unanswered. */
const assembleAnswer = (question: Question, value: DecodedCells): AnswerValue | undefined => {
  switch (question.type) {
    case "single_choice":
    case "binned_estimate":
      if (value.choice === undefined) return undefined;
      return value.choice === OTHER_OPTION_ID ? { choice: value.choice, otherText: value.otherText ?? "" } : { choice: value.choice };
    case "multiple_choice": {
      const choices = [...(value.choices ?? [])];
      if (choices.length === 0) return undefined;
      return choices.includes(OTHER_OPTION_ID) ? { choices, otherText: value.otherText ?? "" } : { choices };
    }
    case "likert":
    case "numeric":
      return value.number;
    case "short_text":
    case "long_text":
      return value.text;
    case "matrix":
      return value.matrix && Object.keys(value.matrix).length > 0 ? value.matrix : undefined;
  }
};
