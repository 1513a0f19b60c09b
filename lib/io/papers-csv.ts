/**
 * CSV import of papers (spreadsheets, conference accepted-paper lists, Scopus/Web of Science exports) via
 * papaparse, with a column mapping that is proposed from the header and can be corrected by the user
 * after a preview.
 *
 * What rejects one row: a different number of cells than the header (the row is misaligned, so its cells
 * cannot be trusted), an empty title, a year cell without a four-digit year.
 * What fails the whole file: an unterminated quote (everything after it would be one cell), no header
 * row, binary content, a mapping that names a column the file does not have, or no column mapped to the
 * title.
 */
import { z } from "zod";
import { readCsv } from "./csv";
import {
  cleanText,
  decodeImportText,
  encodingWarnings,
  findTrackWord,
  normalizeDoi,
  parseYear,
  type DecodedText,
  type ImportWarning,
  type PaperImportResult,
  type PaperRecord,
  type RejectedEntry,
} from "./paper-record";

export const PAPER_CSV_FIELDS = [
  "title",
  "authors",
  "venue",
  "year",
  "doi",
  "url",
  "abstract",
  "pages",
  "track",
  "entryType",
  "sourceKey",
] as const;
export type PaperCsvField = (typeof PAPER_CSV_FIELDS)[number];

/** Which CSV column (by header text) feeds which paper field. Fields may be left unmapped. */
export const paperColumnMappingSchema = z.partialRecord(z.enum(PAPER_CSV_FIELDS), z.string().min(1));
export type PaperColumnMapping = z.infer<typeof paperColumnMappingSchema>;

// Header spellings seen in real exports, compared after lower-casing and removing non-alphanumerics.
const HEADER_SYNONYMS: Record<PaperCsvField, readonly string[]> = {
  title: ["title", "papertitle", "articletitle", "documenttitle", "ti", "name"],
  authors: ["authors", "author", "authorss", "creators", "authorfullnames", "authornames", "au"],
  venue: ["venue", "booktitle", "journal", "conference", "sourcetitle", "publicationtitle", "source", "proceedings", "so"],
  year: ["year", "publicationyear", "pubyear", "py", "date", "publicationdate"],
  doi: ["doi", "di"],
  url: ["url", "link", "paperurl", "pdf", "pdfurl"],
  abstract: ["abstract", "ab", "summary"],
  pages: ["pages", "pagerange", "page"],
  track: ["track", "presentation", "presentationtype", "sessiontype", "decision", "format"],
  entryType: ["type", "entrytype", "documenttype", "itemtype", "dt"],
  sourceKey: ["id", "key", "citationkey", "paperid", "bibtexkey", "eid"],
};

const headerKey = (header: string): string => header.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Proposes a column mapping from header names: each field takes the first header that matches one of its
 * known spellings, and no header is used twice.
 * @param headers the CSV header cells in file order.
 * @returns a mapping with only the fields that matched.
 */
export function proposePaperColumnMapping(headers: readonly string[]): PaperColumnMapping {
  const mapping: PaperColumnMapping = {};
  const used = new Set<string>();
  for (const field of PAPER_CSV_FIELDS) {
    for (const synonym of HEADER_SYNONYMS[field]) {
      const header = headers.find((candidate) => !used.has(candidate) && headerKey(candidate) === synonym);
      if (header !== undefined) {
        mapping[field] = header;
        used.add(header);
        break;
      }
    }
  }
  return mapping;
}

type ParsedTable = { headers: string[]; rows: string[][]; delimiter: string; warnings: ImportWarning[]; encoding: DecodedText["encoding"] };

function readTable(input: string | Uint8Array): { ok: true; table: ParsedTable } | { ok: false; errors: string[] } {
  const decoded = decodeImportText(input);
  if (decoded.text.includes("\u0000")) return { ok: false, errors: ["Not a CSV file: it contains binary data."] };
  const parsed = readCsv(decoded.text, { delimiter: "detect", skipEmptyLines: true });
  const quoteError = parsed.quoteErrors.find((error) => error.unclosed);
  if (quoteError) {
    return {
      ok: false,
      errors: [`Row ${quoteError.record + 1}: a quoted cell is never closed, so the rest of the file cannot be read. Fix the quote and import again.`],
    };
  }
  const [headerRow, ...rows] = parsed.records;
  if (!headerRow || headerRow.every((cell) => cell.trim() === "")) {
    return { ok: false, errors: ["The CSV file has no header row."] };
  }
  const warnings = encodingWarnings(decoded);
  const seen = new Map<string, number>();
  const headers = headerRow.map((cell, index) => {
    const name = cell.trim() || `column ${index + 1}`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count === 1) return name;
    warnings.push({ location: "header", message: `column name "${name}" repeats; the copy is called "${name} (${count})"` });
    return `${name} (${count})`;
  });
  return { ok: true, table: { headers, rows, delimiter: parsed.delimiter, warnings, encoding: decoded.encoding } };
}

export type PaperCsvPreview =
  | { ok: true; headers: string[]; delimiter: string; proposedMapping: PaperColumnMapping; sampleRows: Record<string, string>[]; rowCount: number }
  | { ok: false; errors: string[] };

/**
 * Reads the header and the first rows so the user can check the proposed column mapping before importing.
 * @param input the file as bytes or text.
 * @param sampleSize how many data rows to return (default 5).
 */
export function previewPaperCsv(input: string | Uint8Array, sampleSize = 5): PaperCsvPreview {
  const read = readTable(input);
  if (!read.ok) return read;
  const { headers, rows, delimiter } = read.table;
  const sampleRows = rows.slice(0, Math.max(0, sampleSize)).map((row) =>
    Object.fromEntries(headers.map((header, index) => [header, row[index] ?? ""])),
  );
  return { ok: true, headers, delimiter, proposedMapping: proposePaperColumnMapping(headers), sampleRows, rowCount: rows.length };
}

/**
 * Parses a CSV file of papers.
 * @param input the file as bytes (encoding detected) or text.
 * @param options.mapping the column mapping (validated here); when absent, the proposed mapping is used.
 * @returns a {@link PaperImportResult}; row locations are "row N", counting data rows after the header.
 */
export function parseCsvPapers(input: string | Uint8Array, options: { mapping?: unknown } = {}): PaperImportResult {
  const read = readTable(input);
  if (!read.ok) return { ok: false, format: "csv", errors: read.errors };
  const { headers, rows, warnings, encoding } = read.table;

  let mapping: PaperColumnMapping;
  if (options.mapping === undefined) {
    mapping = proposePaperColumnMapping(headers);
  } else {
    const checked = paperColumnMappingSchema.safeParse(options.mapping);
    if (!checked.success) {
      return { ok: false, format: "csv", errors: checked.error.issues.map((issue) => `mapping ${issue.path.join(".")}: ${issue.message}`) };
    }
    mapping = checked.data;
  }
  const unknownColumns = Object.entries(mapping).filter(([, header]) => !headers.includes(header));
  if (unknownColumns.length > 0) {
    return {
      ok: false,
      format: "csv",
      errors: unknownColumns.map(([field, header]) => `mapping for ${field}: the file has no column "${header}" (columns: ${headers.join(", ")})`),
    };
  }
  if (!mapping.title) {
    return { ok: false, format: "csv", errors: [`No column is mapped to the title (columns: ${headers.join(", ")}). Choose one.`] };
  }

  const columnOf = Object.fromEntries(
    Object.entries(mapping).map(([field, header]) => [field, headers.indexOf(header)]),
  ) as Partial<Record<PaperCsvField, number>>;
  const papers: PaperRecord[] = [];
  const rejected: RejectedEntry[] = [];

  rows.forEach((row, index) => {
    const location = `row ${index + 1}`;
    const cell = (field: PaperCsvField): string | null => {
      const column = columnOf[field];
      return column === undefined ? null : cleanText(row[column]);
    };
    const key = cell("sourceKey");
    if (row.length !== headers.length) {
      rejected.push({ location, key, reason: `has ${row.length} cells but the header has ${headers.length}; the row is misaligned` });
      return;
    }
    const title = cell("title");
    if (!title) {
      rejected.push({ location, key, reason: "empty title" });
      return;
    }
    const year = parseYear(cell("year"));
    if (!year.ok) {
      rejected.push({ location, key, reason: year.reason });
      return;
    }
    const url = cell("url");
    papers.push({
      sourceKey: key,
      title,
      authors: splitAuthors(cell("authors")),
      venue: cell("venue"),
      year: year.year,
      doi: normalizeDoi(cell("doi")) ?? normalizeDoi(url && /doi\.org/i.test(url) ? url : null),
      url,
      abstract: cell("abstract"),
      pages: cell("pages"),
      track: cell("track") ?? findTrackWord(cell("entryType")),
      entryType: cell("entryType"),
      origin: { format: "csv", location },
    });
  });

  return {
    ok: true,
    format: "csv",
    papers,
    rejected,
    warnings,
    counts: { entriesFound: rows.length, imported: papers.length, rejected: rejected.length },
    encoding,
  };
}

/**
 * Splits an author cell. Separators in order of preference: ";", " and ", "|". Without those, commas
 * separate authors only when every part looks like a full name (two or more words, as in "A. Smith,
 * B. Jones"); otherwise the cell is one "Last, First" name. "Last, First" names are shown as "First Last".
 */
export function splitAuthors(cell: string | null): string[] {
  if (!cell) return [];
  let parts: string[];
  if (cell.includes(";")) parts = cell.split(";");
  else if (/\sand\s/i.test(cell)) parts = cell.split(/\s+and\s+/i);
  else if (cell.includes("|")) parts = cell.split("|");
  else {
    const commaParts = cell.split(",").map((part) => part.trim());
    parts = commaParts.every((part) => part.split(/\s+/).length >= 2) ? commaParts : [cell];
  }
  return parts
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((name) => {
      const pieces = name.split(",").map((piece) => piece.trim());
      return pieces.length === 2 && pieces[0] && pieces[1] ? `${pieces[1]} ${pieces[0]}` : name;
    });
}
