/**
 * Builds a questionnaire definition from a Qualtrics CSV export alone, for when the .qsf is not at hand:
 * question ids from the first header row, texts from the second, choices from the values seen, types
 * guessed. What it guesses (each guess is listed as a note, since a review is needed):
 * - `Q5_1`, `Q5_2`, … whose cells are empty or the header's option label (or 1, or the code) → multiple choice,
 *   the option label taken from the text after the last " - " of the header text;
 * - `Q9_1`, `Q9_2`, … with several different values → a matrix, rows from the header texts, columns
 *   from the values seen;
 * - `Q5_4_TEXT` / `Q5_TEXT` → the "Other" text of Q5 (the option with code 4 becomes "Other");
 * - one column with numbers only → numeric if many distinct values, else single choice on the codes;
 * - one column with few distinct short texts (≤ 12, some picked more than once) → single choice; otherwise text.
 * Numeric-export codes have no labels in the CSV: their labels are the codes, to be edited.
 */
import { readCsvTable } from "./csv";
import { htmlToText, importedFrame, optionIdFrom, parseQualtricsName, toStableId, type CarryOverNote, type QualtricsConversion, type QualtricsName } from "./qualtrics-common";
import { OTHER_OPTION_ID, type QuestionnaireDefinitionInput } from "@/lib/survey/definition";

type QuestionInput = QuestionnaireDefinitionInput["sections"][number]["questions"][number];

/** Qualtrics metadata and panel columns: never questions. */
const METADATA = new Set(
  [
    "StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished", "RecordedDate", "ResponseId",
    "RecipientLastName", "RecipientFirstName", "RecipientEmail", "ExternalReference", "ExternalDataReference", "LocationLatitude",
    "LocationLongitude", "DistributionChannel", "UserLanguage", "Q_RecaptchaScore", "Q_RelevantIDDuplicate", "Q_RelevantIDDuplicateScore",
    "Q_RelevantIDFraudScore", "Q_RelevantIDLastStartDate", "ResponseID", "ResponseSet", "Q_TotalDuration",
  ].map((name) => name.toLowerCase()),
);

const MAX_CHOICES = 12;

type Column = QualtricsName & { index: number; name: string; text: string };

/** Strips Qualtrics' suffixes (" - Selected Choice", " - Other - Text") from a header text. */
const questionPart = (headerText: string): string => htmlToText(headerText).split(" - ")[0]?.trim() ?? "";
const lastPart = (headerText: string): string => htmlToText(headerText).split(" - ").at(-1)?.trim() ?? "";

const distinct = (values: string[]): string[] => [...new Set(values.filter((value) => value !== ""))];
const isNumber = (value: string): boolean => /^[+-]?(\d+\.?\d*|\.\d+)$/.test(value);

/**
 * Converts an export's header rows and values.
 * @param csvText the whole export (three header rows, or two for legacy exports).
 * @param title the questionnaire title (the export does not carry one; the file name is a good default).
 */
export function questionnaireFromExportHeaders(csvText: string, title: string): QualtricsConversion {
  const table = readCsvTable(csvText);
  if (!table.ok) return { ok: false, error: `The CSV could not be read: ${table.errors[0]?.message ?? "unknown problem"}` };
  const rows = table.table.rows;
  const names = (rows[0] ?? []).map((cell) => cell.trim());
  const texts = rows[1] ?? [];
  const hasImportIds = (rows[2] ?? []).some((cell) => cell.trim().startsWith('{"ImportId"'));
  if (!hasImportIds && !names.some((name) => name.toLowerCase() === "responseid")) {
    return { ok: false, error: "This does not look like a Qualtrics export (no ResponseId column and no import-id header row)." };
  }
  const data = rows.slice(hasImportIds ? 3 : 2).filter((row) => row.some((cell) => cell.trim() !== ""));
  const valuesOf = (index: number): string[] => data.map((row) => (row[index] ?? "").trim());
  const notes: CarryOverNote[] = [];

  // Columns grouped by question key, in first-seen order.
  const groups = new Map<string, Column[]>();
  names.forEach((name, index) => {
    if (name === "" || METADATA.has(name.toLowerCase())) return;
    const parsed = parseQualtricsName(name);
    const list = groups.get(parsed.key) ?? [];
    list.push({ index, name, text: texts[index] ?? "", ...parsed });
    groups.set(parsed.key, list);
  });

  const ids = new Set<string>();
  const questions: QuestionInput[] = [];
  for (const [key, columns] of groups) {
    const id = toStableId(key, ids, "Q", 64);
    const where = id;
    if (id !== key) notes.push({ where, message: `column name "${key}" is not a valid variable name here and became "${id}".` });
    const textColumns = columns.filter((column) => column.isText);
    const coded = columns.filter((column) => !column.isText && column.code !== undefined);
    const plain = columns.find((column) => !column.isText && column.code === undefined);
    const firstText = columns.find((column) => column.text.trim() !== "")?.text ?? key;
    const questionText = questionPart(firstText) || key;
    const otherCode = textColumns.find((column) => column.code !== undefined)?.code;
    if (textColumns.length > 1) notes.push({ where, message: `${textColumns.length} text-entry columns; only one "Other" text is kept.` });

    if (coded.length > 0) {
      const perColumn = coded.map((column) => ({ column, values: distinct(valuesOf(column.index)) }));
      // A chosen option's cell holds its own label (choice-text export) or 1 / its code (numeric export).
      const isMultipleChoice = perColumn.every(({ column, values }) => values.every((value) => value === "1" || value === String(column.code) || value === lastPart(column.text)));
      if (isMultipleChoice) {
        const taken = new Set([OTHER_OPTION_ID]);
        const options = perColumn
          .filter(({ column }) => column.code !== otherCode)
          .map(({ column, values }) => {
            const seen = values[0];
            const label = lastPart(column.text) || (seen && seen !== "1" ? seen : `Option ${column.code}`);
            return { id: optionIdFrom(label, taken), label, code: column.code as number };
          });
        const otherColumn = perColumn.find(({ column }) => column.code === otherCode);
        const otherLabel = otherColumn ? lastPart(otherColumn.column.text) || "Other" : undefined;
        if (options.length === 0) {
          notes.push({ where, message: "only an “Other” column was found; the question was left out." });
          continue;
        }
        questions.push({ id, text: questionText, type: "multiple_choice", options, ...(otherLabel && textColumns.length > 0 ? { other: { label: otherLabel, code: otherCode } } : {}) });
        notes.push({ where, message: `guessed: multiple choice with ${options.length} options from columns ${coded[0]?.name}…${coded.at(-1)?.name}.` });
        continue;
      }
      const allValues = distinct(perColumn.flatMap(({ values }) => values));
      if (allValues.length < 2 || allValues.length > MAX_CHOICES) {
        notes.push({ where, message: `columns ${coded.map((c) => c.name).join(", ")} hold ${allValues.length} different values; not recognised as a matrix and left out.` });
        continue;
      }
      const numeric = allValues.every(isNumber);
      const sorted = numeric ? [...allValues].sort((a, b) => Number(a) - Number(b)) : allValues;
      const taken = new Set([OTHER_OPTION_ID]);
      const columnsOut = sorted.map((value, index) => ({ id: optionIdFrom(numeric ? `c${value}` : value, taken), label: value, code: numeric && Number.isInteger(Number(value)) ? Number(value) : index + 1 }));
      const rowTaken = new Set<string>();
      const rowsOut = coded.map((column) => ({ id: toStableId(`r${column.code}`, rowTaken, "r"), label: lastPart(column.text) || `Row ${column.code}` }));
      questions.push({ id, text: questionText, type: "matrix", rows: rowsOut, columns: columnsOut });
      notes.push({ where, message: `guessed: matrix with ${rowsOut.length} rows; its ${columnsOut.length} columns are the values seen${numeric ? " (numeric codes: edit their labels)" : ""}.` });
      continue;
    }

    if (!plain) {
      notes.push({ where, message: "only a text-entry column was found; the question was left out." });
      continue;
    }
    const values = valuesOf(plain.index).filter((value) => value !== "");
    const seen = distinct(values);
    const allNumbers = seen.length > 0 && seen.every(isNumber);
    // Some value picked twice, and short values: a choice; all different or long: free text.
    const repeated = seen.length > 0 && values.length > seen.length && seen.every((value) => value.length <= 80);
    if (allNumbers && !(seen.length <= MAX_CHOICES && seen.every((value) => Number.isInteger(Number(value))) && repeated)) {
      questions.push({ id, text: questionText, type: "numeric" });
      notes.push({ where, message: `guessed: numeric (${seen.length} different numbers).` });
    } else if (seen.length - (textColumns.length > 0 ? 1 : 0) >= 2 && seen.length <= MAX_CHOICES && repeated && !seen.some((value) => value.includes(","))) {
      // The "Other" choice is the value the rows with an Other text share.
      const textColumn = textColumns[0];
      const otherValues = textColumn ? distinct(data.filter((row) => (row[textColumn.index] ?? "").trim() !== "").map((row) => (row[plain.index] ?? "").trim())) : [];
      const otherValue = otherValues.length === 1 ? otherValues[0] : undefined;
      const listed = seen.filter((value) => value !== otherValue);
      const sorted = allNumbers ? [...listed].sort((a, b) => Number(a) - Number(b)) : listed;
      const taken = new Set([OTHER_OPTION_ID]);
      const options = sorted.map((value, index) => ({ id: optionIdFrom(allNumbers ? `c${value}` : value, taken), label: value, code: allNumbers ? Number(value) : index + 1 }));
      const otherCodeFree = otherCode !== undefined && !options.some((option) => option.code === otherCode) ? otherCode : Math.max(0, ...options.map((option) => option.code)) + 1;
      const other = textColumn ? { other: { label: otherValue ?? "Other", code: otherCodeFree } } : {};
      if (textColumn && otherValue === undefined) notes.push({ where, message: "could not tell which choice carries the “Other” text; an “Other” option was added, check it." });
      questions.push({ id, text: questionText, type: "single_choice", options, ...other });
      notes.push({ where, message: `guessed: single choice with the ${options.length} values seen${allNumbers ? " (numeric codes: edit their labels)" : ""}; choices nobody picked are missing.` });
    } else {
      const longest = Math.max(0, ...values.map((value) => value.length));
      questions.push({ id, text: questionText, type: longest > 200 ? "long_text" : "short_text", ...(longest > 200 ? { maxLength: Math.max(5000, longest) } : {}) });
      notes.push({ where, message: `guessed: free text${seen.some((value) => value.includes(",")) ? " (values with commas may be a multiple choice exported as one column: change the type if so)" : ""}.` });
    }
  }
  if (questions.length === 0) return { ok: false, error: "No question columns were found in the export." };
  notes.push({ where: "all questions", message: "pages, display logic and required answers are not in the export; everything is on one page, optional and always shown." });
  const definition: QuestionnaireDefinitionInput = {
    ...importedFrame(toStableId(title.toLowerCase(), new Set(), "survey", 40), title, "en", "a Qualtrics export's header rows"),
    sections: [{ id: "questions", title: "Questions", questions }],
  };
  return { ok: true, definition, notes };
}
