/**
 * One entry point for importing a paper file: detects the format (file name, then content), parses it,
 * deduplicates within the file and against papers already in the study, and returns one report with
 * every count the import page shows. A failed parse returns `ok: false` and nothing to write.
 */
import { lineOfFirstNul, nulMessage } from "@/lib/io/nul-bytes";
import { parseBibtexPapers } from "@/lib/io/bibtex";
import { parseCsvPapers } from "@/lib/io/papers-csv";
import { decodeImportText, normalizeTitleKey, type ImportWarning, type PaperImportFormat, type PaperRecord, type RejectedEntry } from "@/lib/io/paper-record";
import { decodeUtf16Upload } from "@/lib/io/text-encoding";
import { findUnstorableIn, LIMITS, unstorableMessage, utf8Bytes } from "@/lib/validation/limits";
import { parseRisPapers } from "@/lib/io/ris";
import { formatCount } from "@/lib/format";
import { deduplicatePapers, type DuplicateMerge } from "./dedup";

export type PaperImportOptions = {
  /** Used for format detection by extension (.bib, .ris, .csv, .tsv, .txt). */
  fileName?: string;
  /** Forces a format instead of detecting it. */
  format?: PaperImportFormat;
  /** Column mapping for CSV (see papers-csv.ts); absent = proposed from the header. */
  csvMapping?: unknown;
  /** Papers already in the study: duplicates of these are reported and not imported again. */
  existing?: readonly PaperRecord[];
};

export type MergeReport = {
  kept: { title: string; location: string; isExisting: boolean };
  merged: { title: string; location: string }[];
  reasons: string[];
  filledFields: string[];
};

export type PaperImportReport =
  | {
      ok: true;
      format: PaperImportFormat;
      /** New, deduplicated papers to write. */
      papers: PaperRecord[];
      /** Existing papers that gained fields from the file (index into `existing`, merged record). */
      updatedExisting: { existingIndex: number; paper: PaperRecord; filledFields: string[] }[];
      rejected: RejectedEntry[];
      warnings: ImportWarning[];
      merges: MergeReport[];
      possibleDuplicates: { first: string; second: string; reason: string }[];
      counts: { entriesFound: number; parsed: number; rejected: number; mergedDuplicates: number; alreadyInStudy: number; new: number };
    }
  | { ok: false; format: PaperImportFormat | null; errors: string[] };

/**
 * Guesses the format from the file name, then from the content (an `@type{` entry → BibTeX, a `TY  -`
 * line → RIS, otherwise CSV).
 */
/** The fields an existing paper (a Paper row) can be completed with by a later import. */
export const UPDATABLE_PAPER_FIELDS = ["authors", "venue", "year", "doi", "url", "abstract", "pages", "track"] as const;

function storedFieldsOnly(fields: readonly string[]): string[] {
  return fields.filter((field) => (UPDATABLE_PAPER_FIELDS as readonly string[]).includes(field));
}

export function detectPaperFormat(text: string, fileName?: string): PaperImportFormat {
  const extension = fileName?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (extension === "bib" || extension === "bibtex") return "bibtex";
  if (extension === "ris" || extension === "enw") return "ris";
  if (extension === "csv" || extension === "tsv") return "csv";
  if (/^\s*@\s*[a-zA-Z]+\s*[{(]/m.test(text)) return "bibtex";
  if (/^TY\s{1,2}-/m.test(text)) return "ris";
  return "csv";
}

const MAX_TITLE_CHARS = 1000;
const MAX_DOI_BYTES = 300;

/**
 * Why one entry cannot be stored, or null. Titles (as their normalized key) and DOIs are indexed, and
 * PostgreSQL refuses index rows over ~2.7 kB, which would fail the whole import inside its transaction; the
 * limits are in bytes because a 1,000-character CJK title is 3,000 bytes. Abstracts are limited so that one
 * entry cannot make every page that shows it megabytes long. No real paper comes near these limits.
 */
function paperProblem(paper: PaperRecord): string | null {
  if (paper.title.length > MAX_TITLE_CHARS) return `title longer than ${MAX_TITLE_CHARS} characters`;
  if (utf8Bytes(normalizeTitleKey(paper.title)) > LIMITS.paperTitleBytes) return `title longer than ${LIMITS.paperTitleBytes} bytes in UTF-8 (${paper.title.length} characters)`;
  if (paper.doi && utf8Bytes(paper.doi) > MAX_DOI_BYTES) return `DOI longer than ${MAX_DOI_BYTES} bytes`;
  if ((paper.abstract?.length ?? 0) > LIMITS.paperAbstractChars) return `abstract longer than ${formatCount(LIMITS.paperAbstractChars)} characters`;
  const unstorable = findUnstorableIn({ ...paper, origin: undefined });
  if (unstorable) return unstorableMessage(unstorable.found, `field ${unstorable.path}`).replace(/; remove it and try again\.$/, "");
  return null;
}

/**
 * Imports one file.
 * @param input file bytes (encoding detected) or text.
 * @returns the report; `ok: false` when the file as a whole cannot be trusted (see each importer).
 */
export function importPaperFile(input: string | Uint8Array, options: PaperImportOptions = {}): PaperImportReport {
  const existing = options.existing ?? [];
  if (typeof input !== "string") {
    const utf16 = decodeUtf16Upload(input);
    if (utf16 && !utf16.ok) return { ok: false, format: options.format ?? "bibtex", errors: [utf16.error] };
  }
  const text = decodeImportText(input).text;
  const format = options.format ?? detectPaperFormat(text, options.fileName);
  const nulLine = lineOfFirstNul(text);
  if (nulLine !== null) return { ok: false, format, errors: [nulMessage(nulLine)] };
  const parsed =
    format === "bibtex" ? parseBibtexPapers(input) : format === "ris" ? parseRisPapers(input) : parseCsvPapers(input, { mapping: options.csvMapping });
  if (!parsed.ok) return { ok: false, format, errors: parsed.errors };
  for (const paper of parsed.papers) {
    const reason = paperProblem(paper);
    if (reason) parsed.rejected.push({ location: paper.origin.location, key: paper.sourceKey, reason });
  }
  parsed.papers = parsed.papers.filter((paper) => paperProblem(paper) === null);

  // Existing papers go first so that they are the ones kept.
  const combined = [...existing, ...parsed.papers];
  const dedup = deduplicatePapers(combined);
  const isExisting = (index: number) => index < existing.length;
  const describe = (index: number) => ({ title: combined[index]!.title, location: isExisting(index) ? "already in the study" : combined[index]!.origin.location });

  const papers: PaperRecord[] = [];
  const updatedExisting: { existingIndex: number; paper: PaperRecord; filledFields: string[] }[] = [];
  dedup.papers.forEach((paper, index) => {
    const sourceIndex = dedup.sourceIndices[index]!;
    if (!isExisting(sourceIndex)) {
      papers.push(paper);
      return;
    }
    const merge = dedup.merges.find((item) => item.keptIndex === sourceIndex);
    const filled = merge ? storedFieldsOnly(merge.filledFields) : [];
    if (filled.length > 0) updatedExisting.push({ existingIndex: sourceIndex, paper, filledFields: filled });
  });
  const relevantMerges = dedup.merges.filter((merge: DuplicateMerge) => merge.mergedIndices.some((index) => !isExisting(index)));
  const alreadyInStudy = relevantMerges.filter((merge) => isExisting(merge.keptIndex)).reduce((sum, merge) => sum + merge.mergedIndices.filter((index) => !isExisting(index)).length, 0);
  const mergedDuplicates = relevantMerges.filter((merge) => !isExisting(merge.keptIndex)).reduce((sum, merge) => sum + merge.mergedIndices.length, 0);

  return {
    ok: true,
    format,
    papers,
    updatedExisting,
    rejected: parsed.rejected,
    warnings: parsed.warnings,
    merges: relevantMerges.map((merge) => ({
      kept: { ...describe(merge.keptIndex), isExisting: isExisting(merge.keptIndex) },
      merged: merge.mergedIndices.map(describe),
      reasons: merge.reasons,
      // A paper already in the study keeps only the fields a Paper row stores; claiming that the entry type or
      // the citation key was "filled" would report a change nobody can see (and did on every re-import).
      filledFields: isExisting(merge.keptIndex) ? storedFieldsOnly(merge.filledFields) : merge.filledFields,
    })),
    possibleDuplicates: dedup.possibleDuplicates
      .filter((item) => item.indices.some((index) => !isExisting(index)))
      .map((item) => ({ first: describe(item.indices[0]).title, second: describe(item.indices[1]).title, reason: item.reason })),
    counts: {
      entriesFound: parsed.counts.entriesFound,
      parsed: parsed.papers.length,
      rejected: parsed.rejected.length,
      mergedDuplicates,
      alreadyInStudy,
      new: papers.length,
    },
  };
}

/**
 * The whole check of an upload before anything is written: importPaperFile, and a file with no entries, or with
 * entries none of which is usable, refused with the entries' locations and reasons (recorded as an import of 0
 * papers it would hide that nothing was usable).
 */
export function checkPaperFile(input: string | Uint8Array, options: PaperImportOptions = {}): PaperImportReport {
  const result = importPaperFile(input, options);
  if (!result.ok) return result;
  if (result.counts.entriesFound === 0) return { ok: false, format: result.format, errors: ["The file contains no entries."] };
  if (result.counts.parsed === 0) {
    const shown = result.rejected.slice(0, 10).map((entry) => `${entry.location}${entry.key ? ` (${entry.key})` : ""}: ${entry.reason}`);
    const more = result.rejected.length > shown.length ? [`… and ${result.rejected.length - shown.length} more.`] : [];
    return { ok: false, format: result.format, errors: [`None of the ${result.counts.entriesFound} entries in the file could be imported, so nothing was imported:`, ...shown, ...more] };
  }
  return result;
}
