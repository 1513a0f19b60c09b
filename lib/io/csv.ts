/**
 * CSV, read and written one way for every import and export: papaparse underneath (RFC 4180 quoting, quoted
 * line breaks stay in their cell), a leading byte-order mark ignored on reading, CRLF line ends on writing,
 * and the spreadsheet formula guard on every text cell written — so an export of one page cannot behave
 * differently in Excel from an export of another.
 */
import Papa from "papaparse";

// ——— The formula guard ———
// Spreadsheet formula injection (OWASP "CSV injection"): a cell that starts with `=`, `+`, `-`, `@`, a tab or a
// carriage return may be run as a formula by Excel, LibreOffice or Google Sheets. Such cells get a leading
// apostrophe, which spreadsheets show as text. Plain numbers ("-3", "+1.5", "-2e-3") stay as they are so
// numeric columns remain numeric.

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Makes a cell safe to open in a spreadsheet.
 * @param cell the text to export.
 * @returns the cell, prefixed with `'` when it could start a formula and is not a plain number.
 */
export function neutralizeFormula(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/**
 * Undoes `neutralizeFormula` when reading our own exports back: an apostrophe followed by a formula
 * character is removed. A text that genuinely started with `'=` loses its apostrophe; that is the
 * accepted price of round-tripping.
 * @param cell an imported cell.
 */
export function restoreNeutralizedFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

// ——— Writing ———

/** A cell to write: text (guarded), a number (a non-finite one is an empty cell), or nothing (empty). */
export type CsvCell = string | number | null | undefined;

const cellText = (cell: CsvCell, guard: boolean): string => {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : "";
  return guard ? neutralizeFormula(cell) : cell;
};

/**
 * Rows (the header first) as CSV text: comma-separated, CRLF between records, a cell quoted when it holds a
 * comma, quote, line break or byte-order mark or starts or ends with a space, every text cell formula-guarded.
 * @param options.finalLineBreak end the last record with CRLF too (RFC 4180 allows either; exports that
 *   always did keep doing so, so their bytes do not change).
 * @param options.formulaGuard false only for test files that must hold hostile cells as they are (default true).
 */
export function writeCsv(rows: ReadonlyArray<readonly CsvCell[]>, options: { finalLineBreak?: boolean; formulaGuard?: boolean } = {}): string {
  const guard = options.formulaGuard ?? true;
  const csv = Papa.unparse(
    rows.map((row) => row.map((cell) => cellText(cell, guard))),
    { newline: "\r\n", escapeFormulae: false },
  );
  return options.finalLineBreak && rows.length > 0 ? `${csv}\r\n` : csv;
}

// ——— Reading ———

/** Broken quoting papaparse found: the 0-based record where it starts, and which kind. */
export type CsvQuoteError = { record: number; unclosed: boolean };

/**
 * Parses CSV text into records of cells (never typed: every cell stays text).
 * @param options.delimiter "," (default) or "detect" for files from spreadsheets set to another list separator.
 * @param options.skipEmptyLines drop lines with no content (default false: record i is then line i + 1, as a
 *   spreadsheet numbers its rows, unless a quoted cell spans lines).
 */
export function readCsv(text: string, options: { delimiter?: "," | "detect"; skipEmptyLines?: boolean } = {}): { records: string[][]; delimiter: string; quoteErrors: CsvQuoteError[] } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parsed = Papa.parse<string[]>(source, {
    delimiter: options.delimiter === "detect" ? "" : ",",
    skipEmptyLines: options.skipEmptyLines ? "greedy" : false,
    header: false,
    dynamicTyping: false,
  });
  const quoteErrors = parsed.errors.filter((error) => error.type === "Quotes").map((error) => ({ record: error.row ?? 0, unclosed: error.code === "MissingQuotes" }));
  return { records: parsed.data, delimiter: parsed.meta.delimiter, quoteErrors };
}

/** A parsed CSV table. `rows[i]` is spreadsheet row i + 1. */
export type CsvTable = { rows: string[][] };

/** A problem with the file as a whole or with one position in it (1-based row and column). */
export type CsvProblem = { row: number; column: number; columnName: string; message: string };

/**
 * Reads an import file into rows with the row numbers a spreadsheet would show, so import errors can say
 * "row 7, column C". Delimiter detection is off: responses are comma-separated, and guessing can pick a comma
 * inside text.
 * @param text the file contents (a leading BOM is ignored).
 * @returns the rows, or problems: an empty file, or broken quoting with the row where it starts.
 */
export function readCsvTable(text: string): { ok: true; table: CsvTable } | { ok: false; errors: CsvProblem[] } {
  if (text.replace(/^\uFEFF/, "").trim() === "") return { ok: false, errors: [{ row: 1, column: 1, columnName: "", message: "The file is empty." }] };
  const { records, quoteErrors } = readCsv(text);
  if (quoteErrors.length > 0) {
    return {
      ok: false,
      errors: quoteErrors.map((error) => ({
        row: error.record + 1,
        column: 1,
        columnName: "",
        message: `Broken quoting (${error.unclosed ? "a quoted cell is never closed" : "a quote appears inside an unquoted cell"}); the file may be truncated or not a CSV export.`,
      })),
    };
  }
  return { ok: true, table: { rows: records } };
}

/** Whether a row has no content (blank line, or only empty cells). */
export const isBlankRow = (row: readonly string[]): boolean => row.every((cell) => cell.trim() === "");

/**
 * Spreadsheet column letters for a 1-based column number (1 → A, 27 → AA), for messages.
 * @param column 1-based column number.
 */
export function columnLetter(column: number): string {
  let letters = "";
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}
