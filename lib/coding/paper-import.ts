/**
 * One entry point for importing a paper file: detects the format (file name, then content), parses it,
 * deduplicates within the file and against papers already in the study, and returns one report with
 * every count the import page shows. A failed parse returns `ok: false` and nothing to write.
 */
import { lineOfFirstNul, nulMessage } from "@/lib/io/nul-bytes";
import { parseBibtexPapers } from "@/lib/io/bibtex";
import { parseCsvPapers } from "@/lib/io/papers-csv";
import { decodeImportText, type ImportWarning, type PaperImportFormat, type PaperRecord, type RejectedEntry } from "@/lib/io/paper-record";
import { parseRisPapers } from "@/lib/io/ris";
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
const MAX_DOI_CHARS = 300;

/**
 * Imports one file.
 * @param input file bytes (encoding detected) or text.
 * @returns the report; `ok: false` when the file as a whole cannot be trusted (see each importer).
 */
export function importPaperFile(input: string | Uint8Array, options: PaperImportOptions = {}): PaperImportReport {
  const existing = options.existing ?? [];
  const text = decodeImportText(input).text;
  const format = options.format ?? detectPaperFormat(text, options.fileName);
  const nulLine = lineOfFirstNul(text);
  if (nulLine !== null) return { ok: false, format, errors: [nulMessage(nulLine)] };
  const parsed =
    format === "bibtex" ? parseBibtexPapers(input) : format === "ris" ? parseRisPapers(input) : parseCsvPapers(input, { mapping: options.csvMapping });
  if (!parsed.ok) return { ok: false, format, errors: parsed.errors };
  // Titles and DOIs are indexed; PostgreSQL refuses index rows over ~2.7 kB, which would fail the whole
  // import inside its transaction. No real title or DOI comes near these limits, so such entries are rejected.
  const oversized = (paper: PaperRecord) =>
    paper.title.length > MAX_TITLE_CHARS ? `title longer than ${MAX_TITLE_CHARS} characters` : (paper.doi?.length ?? 0) > MAX_DOI_CHARS ? `DOI longer than ${MAX_DOI_CHARS} characters` : null;
  for (const paper of parsed.papers) {
    const reason = oversized(paper);
    if (reason) parsed.rejected.push({ location: paper.origin.location, key: paper.sourceKey, reason });
  }
  parsed.papers = parsed.papers.filter((paper) => oversized(paper) === null);

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
