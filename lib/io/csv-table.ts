/**
 * Reads CSV text into rows of cells with the row numbers a spreadsheet would show, so import errors can
 * say "row 7, column C". Handles a UTF-8 byte-order mark, CRLF or LF line ends and quoted cells that
 * contain commas, quotes or line breaks (a quoted line break stays inside one row, as in a spreadsheet).
 */
import Papa from "papaparse";

/** A parsed CSV table. `rows[i]` is spreadsheet row i + 1. */
export type CsvTable = { rows: string[][] };

/** A problem with the file as a whole or with one position in it (1-based row and column). */
export type CsvProblem = { row: number; column: number; columnName: string; message: string };

/**
 * Parses CSV text.
 * @param text the file contents (a leading BOM is ignored).
 * @returns the rows, or problems: an empty file, or broken quoting with the row where it starts.
 */
export function readCsvTable(text: string): { ok: true; table: CsvTable } | { ok: false; errors: CsvProblem[] } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.trim() === "") return { ok: false, errors: [{ row: 1, column: 1, columnName: "", message: "The file is empty." }] };
  // Delimiter detection is off: responses are comma-separated, and guessing can pick a comma inside text.
  const parsed = Papa.parse<string[]>(source, { delimiter: ",", skipEmptyLines: false, header: false, dynamicTyping: false });
  const quoteErrors = parsed.errors.filter((error) => error.type === "Quotes");
  if (quoteErrors.length > 0) {
    return {
      ok: false,
      errors: quoteErrors.map((error) => ({
        row: (error.row ?? 0) + 1,
        column: 1,
        columnName: "",
        message: `Broken quoting (${error.code === "MissingQuotes" ? "a quoted cell is never closed" : "a quote appears inside an unquoted cell"}); the file may be truncated or not a CSV export.`,
      })),
    };
  }
  return { ok: true, table: { rows: parsed.data } };
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
