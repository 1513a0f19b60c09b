/**
 * Spreadsheet formula injection guard for CSV exports (OWASP "CSV injection"): a cell that starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return may be run as a formula by Excel, LibreOffice or
 * Google Sheets. Such cells get a leading apostrophe, which spreadsheets show as text. Plain numbers
 * ("-3", "+1.5", "-2e-3") stay as they are so numeric columns remain numeric.
 */

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
