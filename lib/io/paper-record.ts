/**
 * The normalized paper every importer (BibTeX, RIS, CSV) produces, the shared result shape of an import,
 * and the small normalizers (DOI, title key, year, text decoding) that importers and deduplication share.
 *
 * Import policy, the same for every format:
 * - A problem confined to one entry (no title, an unparseable year, a broken entry the parser could skip)
 *   rejects that entry: it is listed in `rejected` with its location and reason, the others are imported.
 * - A problem that makes the file as a whole untrustworthy (not the format at all, a syntax error after
 *   which the rest cannot be read, a missing required column mapping) fails the whole import with
 *   `{ ok: false, errors }` and no papers, so the caller writes nothing.
 */
import { z } from "zod";
import { decodeUtf16Upload } from "./text-encoding";

export const PAPER_IMPORT_FORMATS = ["bibtex", "ris", "csv"] as const;
export type PaperImportFormat = (typeof PAPER_IMPORT_FORMATS)[number];

/** One paper as imported, before deduplication. Strings are trimmed Unicode; absent fields are null. */
export const paperRecordSchema = z.object({
  /** The entry's own identifier in its file (BibTeX key, RIS ID, CSV id column), if any. */
  sourceKey: z.string().nullable(),
  title: z.string().min(1),
  /** Display names, "First Last" order where the source made that possible. */
  authors: z.array(z.string().min(1)),
  venue: z.string().nullable(),
  year: z.number().int().min(1000).max(2999).nullable(),
  /** Normalized with {@link normalizeDoi}: lower case, no resolver prefix. */
  doi: z.string().nullable(),
  url: z.string().nullable(),
  abstract: z.string().nullable(),
  pages: z.string().nullable(),
  /** Presentation track or type, e.g. "oral", "poster", "spotlight", as the source states it. */
  track: z.string().nullable(),
  /** The source's entry type, e.g. "inproceedings" (BibTeX) or "CONF" (RIS). */
  entryType: z.string().nullable(),
  /** Where the entry came from, for messages: format and a human location such as "line 12". */
  origin: z.object({ format: z.enum(PAPER_IMPORT_FORMATS), location: z.string() }),
});
export type PaperRecord = z.infer<typeof paperRecordSchema>;

/** An entry the importer did not import, with the reason a person can act on. */
export type RejectedEntry = { location: string; key: string | null; reason: string };
/** Something the user should know that did not stop an entry from being imported. */
export type ImportWarning = { location: string; message: string };
export type ImportCounts = { entriesFound: number; imported: number; rejected: number };

export type PaperImportSuccess = {
  ok: true;
  format: PaperImportFormat;
  papers: PaperRecord[];
  rejected: RejectedEntry[];
  warnings: ImportWarning[];
  counts: ImportCounts;
  /** Which text decoding was used (see {@link decodeImportText}). */
  encoding: DecodedText["encoding"];
};
export type PaperImportFailure = { ok: false; format: PaperImportFormat; errors: string[] };
export type PaperImportResult = PaperImportSuccess | PaperImportFailure;

export type DecodedText = {
  text: string;
  /** "mixed" means some lines were valid UTF-8 and others had to be read as Windows-1252. */
  encoding: "utf-8" | "utf-16le" | "utf-16be" | "windows-1252" | "mixed";
  /** 1-based line numbers that were decoded as Windows-1252. */
  fallbackLines: number[];
};

const LINE_FEED = 0x0a;

/**
 * Decodes an uploaded file. UTF-8 is tried first (a BOM is dropped); when the bytes are not valid UTF-8,
 * each line is decoded on its own, as UTF-8 when valid and as Windows-1252 (a superset of Latin-1 for
 * printable characters) otherwise, because files concatenated from several exports mix encodings.
 * A string input is taken as already decoded (only a BOM is removed).
 * @param input file content as bytes or as text.
 * @returns the text, the encoding used and the lines that needed the fallback. Never throws.
 */
export function decodeImportText(input: string | Uint8Array): DecodedText {
  if (typeof input === "string") {
    return { text: stripBom(input), encoding: "utf-8", fallbackLines: [] };
  }
  // UTF-16 with a byte-order mark (Excel's "Unicode text"); without a BOM, importPaperFile refuses it by name.
  const utf16 = decodeUtf16Upload(input);
  if (utf16?.ok) return { text: utf16.text, encoding: utf16.encoding, fallbackLines: [] };
  const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
  try {
    return { text: stripBom(strictUtf8.decode(input)), encoding: "utf-8", fallbackLines: [] };
  } catch {
    // Not valid UTF-8 as a whole: decide line by line.
  }
  const windows1252 = new TextDecoder("windows-1252");
  const lines: string[] = [];
  const fallbackLines: number[] = [];
  let start = 0;
  let lineNumber = 1;
  for (let index = 0; index <= input.length; index++) {
    if (index < input.length && input[index] !== LINE_FEED) continue;
    const bytes = input.subarray(start, index);
    try {
      lines.push(strictUtf8.decode(bytes));
    } catch {
      lines.push(windows1252.decode(bytes));
      fallbackLines.push(lineNumber);
    }
    start = index + 1;
    lineNumber++;
  }
  const totalLines = lineNumber - 1;
  const encoding = fallbackLines.length === totalLines ? "windows-1252" : "mixed";
  return { text: stripBom(lines.join("\n")), encoding, fallbackLines };
}

const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

const DOI_PATTERN = /10\.\d{4,9}\/\S+/i;

/**
 * Normalizes a DOI for comparison and storage: resolver prefixes ("https://doi.org/", "dx.doi.org/",
 * "doi:") are removed, the DOI is lower-cased (DOIs are case-insensitive) and trailing punctuation
 * that comes from prose ("." or ",") is dropped.
 * @param raw a DOI or DOI URL, possibly with surrounding text.
 * @returns the bare DOI ("10.1145/3324884.3416545") or null when no DOI is present.
 */
export function normalizeDoi(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let text = raw.trim();
  try {
    text = decodeURIComponent(text);
  } catch {
    // Keep the raw text: a stray "%" is not a reason to lose the DOI.
  }
  const match = DOI_PATTERN.exec(text);
  if (!match) return null;
  return match[0].replace(/[.,;]+$/, "").toLowerCase();
}

/**
 * Normalizes a title for duplicate detection: Unicode accents removed (NFKD), LaTeX commands and
 * braces removed, lower case, punctuation dropped, whitespace collapsed. "Déjà {V}u: \\emph{A} study"
 * and "Deja vu - a Study" give the same key.
 * @returns the key; an empty string when the title has no letters or digits.
 */
export function normalizeTitleKey(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/\\[a-zA-Z]+\*?/g, " ")
    .replace(/[{}]/g, "")
    .replace(/<[^>]*>/g, " ")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Reads a publication year from free text ("2019", "2019///", "2019-05-25", "May 2019").
 * @returns `{ ok: true, year }` (null when the text is empty) or `{ ok: false, reason }` when text is
 *   present but contains no plausible four-digit year (1000–2999).
 */
export function parseYear(raw: string | null | undefined): { ok: true; year: number | null } | { ok: false; reason: string } {
  const text = raw?.trim() ?? "";
  if (text === "") return { ok: true, year: null };
  const match = /(?<!\d)([12]\d{3})(?!\d)/.exec(text);
  if (!match?.[1]) return { ok: false, reason: `year "${text}" contains no four-digit year` };
  return { ok: true, year: Number(match[1]) };
}

/** Trims and collapses whitespace; returns null for empty or missing text. */
export function cleanText(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const text = raw.replace(/\s+/g, " ").trim();
  return text === "" ? null : text;
}

const TRACK_WORDS = /\b(oral|poster|spotlight|short paper|full paper|demo|workshop|keynote|industry|tool)\b/i;

/**
 * Finds a presentation track word ("oral", "poster", "spotlight", ...) in a note or keyword text, for
 * sources that have no dedicated field for it.
 * @returns the word in lower case, or null.
 */
export function findTrackWord(text: string | null | undefined): string | null {
  const match = text ? TRACK_WORDS.exec(text) : null;
  return match?.[1]?.toLowerCase() ?? null;
}

/**
 * Returns a function from character offset to 1-based line number. Line starts are indexed once and
 * looked up by binary search, so locating every entry of a large export stays linear overall.
 */
export function createLineLocator(text: string): (offset: number) => number {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) === LINE_FEED) lineStarts.push(index + 1);
  }
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

/** Compacts sorted line numbers for messages: [3, 4, 5, 9] → "3–5, 9". */
export function summarizeLines(lines: readonly number[]): string {
  const ranges: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const start = lines[index]!;
    let end = start;
    while (index + 1 < lines.length && lines[index + 1] === end + 1) {
      end = lines[++index]!;
    }
    ranges.push(start === end ? String(start) : `${start}–${end}`);
    index++;
  }
  return ranges.join(", ");
}

/** The warning every importer adds when some lines needed the Windows-1252 fallback. */
export function encodingWarnings(decoded: DecodedText): ImportWarning[] {
  if (decoded.fallbackLines.length === 0) return [];
  return [{ location: `lines ${summarizeLines(decoded.fallbackLines)}`, message: "not valid UTF-8; read as Windows-1252" }];
}
