/**
 * BibTeX import (DBLP exports, reference managers) into {@link PaperRecord}s, on top of
 * @retorquere/bibtex-parser, which converts LaTeX to Unicode, expands `@string` macros and `#`
 * concatenation, splits author lists and applies `crossref` inheritance.
 *
 * What rejects one entry (listed in `rejected`, the rest imported):
 * - the parser reported a syntax error inside the entry and resynchronised at the next `@` line;
 * - no title, or a year field without a four-digit year;
 * - a `@proceedings` volume or a `crossref` target (DBLP exports add one per venue): not a paper.
 * What fails the whole file (`ok: false`, nothing to write):
 * - no `@type{key, ...}` entry anywhere (not BibTeX);
 * - a syntax error whose unreadable region swallowed other entries, so the file cannot be trusted;
 * - the parser itself throwing.
 * Duplicate keys are warnings: both entries are kept and deduplication decides on DOI/title.
 *
 * Cost: the library's full LaTeX conversion takes about 2 ms per entry on a 2-core machine (3,000
 * DBLP entries ≈ 7 s), so callers should import large files in a background step, not inline in a
 * request that must answer fast.
 */
import { parse as parseBibtexLibrary, type Creator, type Entry } from "@retorquere/bibtex-parser";
import {
  cleanText,
  decodeImportText,
  encodingWarnings,
  findTrackWord,
  createLineLocator,
  normalizeDoi,
  parseYear,
  type ImportWarning,
  type PaperImportResult,
  type PaperRecord,
  type RejectedEntry,
} from "./paper-record";

const ENTRY_START = /@\s*[a-zA-Z]+\s*[{(]/;
const NOT_PAPER_TYPES = new Set(["proceedings", "mvproceedings", "periodical", "collection"]);
// Fields whose value is free text: markup the parser emits for \emph, \textbf, \url ... is removed.
const VENUE_FIELDS = ["booktitle", "journal", "journaltitle", "eventtitle", "series", "howpublished"] as const;

/**
 * Parses BibTeX into papers.
 * @param input the file as bytes (encoding detected, see decodeImportText) or as text.
 * @returns a {@link PaperImportResult}; never throws for bad input.
 */
export function parseBibtexPapers(input: string | Uint8Array): PaperImportResult {
  const decoded = decodeImportText(input);
  const text = decoded.text;
  if (!ENTRY_START.test(text)) {
    return { ok: false, format: "bibtex", errors: ["Not a BibTeX file: no @type{key, ...} entry found."] };
  }

  let library: ReturnType<typeof parseBibtexLibrary>;
  try {
    library = parseBibtexLibrary(text, {
      // Keep titles exactly as the source has them: no sentence-casing heuristics.
      english: false,
      sentenceCase: false,
      caseProtection: false,
      unsupported: "ignore",
      applyCrossRef: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, format: "bibtex", errors: [`The BibTeX file could not be parsed: ${message}`] };
  }

  const warnings: ImportWarning[] = encodingWarnings(decoded);
  const rejected: RejectedEntry[] = [];
  const papers: PaperRecord[] = [];

  const lineNumberAt = createLineLocator(text);
  const errorsByKey = new Map<string, { message: string; line: number }[]>();
  for (const parseError of library.errors) {
    const chunk = parseError.input ?? "";
    const offset = chunk ? text.indexOf(chunk) : -1;
    const line = offset >= 0 ? lineNumberAt(offset) : 0;
    // A failed chunk that contains further entry starts means entries were swallowed unseen.
    if (/\n\s*@\s*[a-zA-Z]+\s*[{(]/.test(chunk.trimEnd())) {
      return {
        ok: false,
        format: "bibtex",
        errors: [`Line ${line}: ${parseError.error}; the entries after it cannot be read reliably. Fix the entry and import again.`],
      };
    }
    const key = /^@\s*[a-zA-Z]+\s*[{(]\s*([^,\s]+)/.exec(chunk)?.[1] ?? "";
    const list = errorsByKey.get(key) ?? [];
    list.push({ message: parseError.error, line });
    errorsByKey.set(key, list);
  }

  const crossrefTargets = new Set(
    library.entries.map((entry) => entry.fields.crossref).filter((key): key is string => typeof key === "string"),
  );
  const firstLineOfKey = new Map<string, number>();
  let searchFrom = 0;

  for (const entry of library.entries) {
    let line = 0;
    if (entry.input) {
      const offset = text.indexOf(entry.input, searchFrom);
      if (offset >= 0) {
        line = lineNumberAt(offset);
        searchFrom = offset + entry.input.length;
      }
    }
    const location = line ? `line ${line}` : "unknown line";

    if (!entry.input) {
      // The parser gives entries it had to abandon an empty input; their error explains why.
      const pending = errorsByKey.get(entry.key)?.shift();
      rejected.push({
        location: pending ? `line ${pending.line}` : location,
        key: entry.key,
        reason: pending ? `syntax error: ${pending.message}` : "syntax error in this entry",
      });
      continue;
    }

    const previousLine = firstLineOfKey.get(entry.key);
    if (previousLine !== undefined) {
      warnings.push({ location, message: `duplicate key "${entry.key}" (first at line ${previousLine}); both kept for deduplication` });
    } else {
      firstLineOfKey.set(entry.key, line);
    }

    if (NOT_PAPER_TYPES.has(entry.type.toLowerCase()) || crossrefTargets.has(entry.key)) {
      rejected.push({ location, key: entry.key, reason: `@${entry.type} "${entry.key}" is a proceedings volume or crossref target, not a paper` });
      continue;
    }
    const outcome = toPaperRecord(entry, location);
    if (outcome.ok) papers.push(outcome.paper);
    else rejected.push({ location, key: entry.key, reason: outcome.reason });
  }

  // Errors that belong to no returned entry (e.g. a broken @string) are reported, not silently dropped.
  for (const [key, pendingErrors] of errorsByKey) {
    for (const pending of pendingErrors) {
      rejected.push({ location: `line ${pending.line}`, key: key || null, reason: `syntax error: ${pending.message}` });
    }
  }

  if (papers.length === 0 && rejected.length > 0 && library.errors.length > 0) {
    return { ok: false, format: "bibtex", errors: rejected.map((entry) => `${entry.location}: ${entry.reason}`) };
  }
  return {
    ok: true,
    format: "bibtex",
    papers,
    rejected,
    warnings,
    counts: { entriesFound: papers.length + rejected.length, imported: papers.length, rejected: rejected.length },
    encoding: decoded.encoding,
  };
}

function toPaperRecord(entry: Entry, location: string): { ok: true; paper: PaperRecord } | { ok: false; reason: string } {
  const fields = entry.fields;
  const field = (name: string): string | null => {
    const value: unknown = (fields as Record<string, unknown>)[name];
    // keywords, publisher ... arrive as lists.
    const text = Array.isArray(value) ? value.filter((item) => typeof item === "string").join(", ") : value;
    return typeof text === "string" ? cleanText(toPlainText(text)) : null;
  };
  const title = field("title");
  if (!title) return { ok: false, reason: "no title" };
  const year = parseYear(field("year") ?? field("date"));
  if (!year.ok) return { ok: false, reason: year.reason };

  const url = field("url");
  const venue = VENUE_FIELDS.map((name) => field(name)).find((value) => value !== null) ?? null;
  return {
    ok: true,
    paper: {
      sourceKey: entry.key,
      title,
      authors: (fields.author ?? []).map(creatorName).filter((name) => name !== ""),
      venue,
      year: year.year,
      doi: normalizeDoi(field("doi")) ?? normalizeDoi(url && /doi\.org/i.test(url) ? url : null),
      url,
      abstract: field("abstract"),
      pages: field("pages"),
      track: field("track") ?? field("type") ?? findTrackWord(field("note")) ?? findTrackWord(field("keywords")),
      entryType: entry.type.toLowerCase(),
      origin: { format: "bibtex", location },
    },
  };
}

/**
 * The parser renders \emph, \textbf, \url ... as HTML-like tags; imported text is plain. `{\'{\i}}`
 * arrives as a dotless i plus a combining accent, which has no precomposed form: use a plain i so the
 * name matches the same name typed with "í".
 */
function toPlainText(value: string): string {
  return value
    .replace(/<\/?[a-zA-Z][^>]*>/g, "")
    .replace(/\u0131(?=\p{M})/gu, "i")
    .normalize("NFC");
}

function creatorName(creator: Creator): string {
  const name = creator.name
    ? creator.name
    : [creator.firstName, creator.prefix, creator.lastName, creator.suffix]
        .filter((part): part is string => Boolean(part && part.trim()))
        .join(" ");
  return cleanText(toPlainText(name)) ?? "";
}
