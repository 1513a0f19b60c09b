/**
 * RIS import (Zotero, EndNote, Mendeley, publisher exports) into {@link PaperRecord}s.
 *
 * RIS is a line format: `TG  - value`, a record opens with `TY` and closes with `ER`. Real exports bend
 * it (one space before the dash, no space after an empty tag, wrapped abstracts, a missing final `ER`),
 * so the reader is lenient where the meaning is still clear and reports what it tolerated as warnings.
 *
 * What rejects one record: no title; a year tag without a four-digit year.
 * What is a warning: a record closed by the next `TY` or the end of file instead of `ER`; text outside
 * any record; a tag before the first `TY` on a non-blank line.
 * What fails the whole file: no `TY` tag at all (not RIS).
 */
import {
  cleanText,
  decodeImportText,
  encodingWarnings,
  findTrackWord,
  normalizeDoi,
  parseYear,
  type ImportWarning,
  type PaperImportResult,
  type PaperRecord,
  type RejectedEntry,
} from "./paper-record";

// Two upper-case characters (the second may be a digit), some spaces, a dash, the value.
const TAG_LINE = /^([A-Z][A-Z0-9])\s{1,2}-(?: (.*)|)$/;

type RisRecord = { startLine: number; tags: Map<string, string[]> };

const TITLE_TAGS = ["TI", "T1", "CT"] as const;
const AUTHOR_TAGS = ["AU", "A1"] as const;
const YEAR_TAGS = ["PY", "Y1", "DA"] as const;
// Secondary title (T2) is where Zotero puts the conference or journal of a paper.
const VENUE_TAGS = ["T2", "JO", "JF", "BT", "J2", "JA", "T3"] as const;
const ABSTRACT_TAGS = ["AB", "N2"] as const;

/**
 * Parses RIS text into papers.
 * @param input the file as bytes (encoding detected) or text.
 * @returns a {@link PaperImportResult}; never throws for bad input.
 */
export function parseRisPapers(input: string | Uint8Array): PaperImportResult {
  const decoded = decodeImportText(input);
  const lines = decoded.text.split(/\r?\n|\r/);
  if (!lines.some((line) => /^TY\s{1,2}-/.test(line))) {
    return { ok: false, format: "ris", errors: ["Not a RIS file: no record start (a line beginning with \"TY  -\") found."] };
  }

  const warnings: ImportWarning[] = encodingWarnings(decoded);
  const records: RisRecord[] = [];
  let current: RisRecord | null = null;
  let lastValues: string[] | null = null;

  lines.forEach((rawLine, index) => {
    const lineNumber = index + 1;
    const line = rawLine.replace(/\s+$/, "");
    const match = TAG_LINE.exec(line);
    if (!match) {
      if (line.trim() === "") return;
      // Exports wrap long abstracts and titles onto untagged lines: they continue the previous tag.
      if (current && lastValues && lastValues.length > 0) {
        lastValues[lastValues.length - 1] = `${lastValues[lastValues.length - 1]} ${line.trim()}`;
      } else {
        warnings.push({ location: `line ${lineNumber}`, message: "text outside any record ignored" });
      }
      return;
    }
    const tag = match[1]!;
    const value = (match[2] ?? "").trim();
    if (tag === "TY") {
      if (current) {
        warnings.push({ location: `line ${current.startLine}`, message: `record has no ER; closed by the TY at line ${lineNumber}` });
        records.push(current);
      }
      current = { startLine: lineNumber, tags: new Map([["TY", [value]]]) };
      lastValues = current.tags.get("TY")!;
      return;
    }
    if (tag === "ER") {
      if (current) records.push(current);
      else warnings.push({ location: `line ${lineNumber}`, message: "ER without an open record ignored" });
      current = null;
      lastValues = null;
      return;
    }
    if (!current) {
      warnings.push({ location: `line ${lineNumber}`, message: `tag ${tag} outside any record ignored` });
      return;
    }
    const values = current.tags.get(tag) ?? [];
    values.push(value);
    current.tags.set(tag, values);
    lastValues = values;
  });
  const unterminated = current as RisRecord | null;
  if (unterminated) {
    warnings.push({ location: `line ${unterminated.startLine}`, message: "last record has no ER; closed at end of file" });
    records.push(unterminated);
  }

  const papers: PaperRecord[] = [];
  const rejected: RejectedEntry[] = [];
  for (const record of records) {
    const outcome = toPaperRecord(record);
    if (outcome.ok) papers.push(outcome.paper);
    else rejected.push({ location: `line ${record.startLine}`, key: first(record, ["ID"]), reason: outcome.reason });
  }
  return {
    ok: true,
    format: "ris",
    papers,
    rejected,
    warnings,
    counts: { entriesFound: records.length, imported: papers.length, rejected: rejected.length },
    encoding: decoded.encoding,
  };
}

function first(record: RisRecord, tags: readonly string[]): string | null {
  for (const tag of tags) {
    const value = record.tags.get(tag)?.map((item) => cleanText(item)).find((item) => item !== null);
    if (value) return value;
  }
  return null;
}

function toPaperRecord(record: RisRecord): { ok: true; paper: PaperRecord } | { ok: false; reason: string } {
  const title = first(record, TITLE_TAGS);
  if (!title) return { ok: false, reason: "no title (TI/T1)" };
  const year = parseYear(first(record, YEAR_TAGS));
  if (!year.ok) return { ok: false, reason: year.reason };

  const authors = AUTHOR_TAGS.flatMap((tag) => record.tags.get(tag) ?? [])
    .map((name) => risAuthorName(name))
    .filter((name): name is string => name !== null);
  const startPage = first(record, ["SP"]);
  const endPage = first(record, ["EP"]);
  const pages = startPage && endPage && startPage !== endPage ? `${startPage}–${endPage}` : startPage;
  const urls = record.tags.get("UR") ?? [];
  const doi = normalizeDoi(first(record, ["DO"])) ?? normalizeDoi(urls.find((url) => /doi\.org/i.test(url)));
  const notes = [...(record.tags.get("N1") ?? []), ...(record.tags.get("KW") ?? [])].join(" ");
  return {
    ok: true,
    paper: {
      sourceKey: first(record, ["ID"]),
      title,
      authors,
      venue: first(record, VENUE_TAGS),
      year: year.year,
      doi,
      url: cleanText(urls[0]),
      abstract: first(record, ABSTRACT_TAGS),
      pages,
      track: first(record, ["M3"]) ?? findTrackWord(notes),
      entryType: first(record, ["TY"]),
      origin: { format: "ris", location: `line ${record.startLine}` },
    },
  };
}

/** RIS authors are "Last, First[, Suffix]"; shown as "First Last Suffix". */
function risAuthorName(raw: string): string | null {
  const text = cleanText(raw);
  if (!text) return null;
  const [last, firstName, suffix] = text.split(",").map((part) => part.trim());
  if (!firstName) return last ?? null;
  return [firstName, last, suffix].filter((part) => part).join(" ");
}
