/**
 * CSV writing for the dashboard's exports and chart downloads: RFC 4180 quoting, formula-injection guard
 * (lib/io/csv-formula.ts), CRLF line ends, so the files open cleanly in R, Python and spreadsheets.
 */
import { neutralizeFormula } from "@/lib/io/csv-formula";

export type CsvCell = string | number | null | undefined;

const quote = (cell: CsvCell): string => {
  if (cell === null || cell === undefined) return "";
  const text = typeof cell === "number" ? (Number.isFinite(cell) ? String(cell) : "") : neutralizeFormula(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Header and rows as CSV text. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return [header, ...rows].map((row) => row.map(quote).join(",")).join("\r\n") + "\r\n";
}
