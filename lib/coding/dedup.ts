/**
 * Duplicate detection for imported papers: the same paper arrives from DBLP and from a reference
 * manager, or twice in one export. Two records are the same paper when
 * 1. their DOIs are equal (normalized, case-insensitive), or
 * 2. their normalized titles (no accents, LaTeX, punctuation or case) and years are equal and their
 *    DOIs do not contradict each other (both present and different means two papers, e.g. a
 *    conference paper and its journal extension).
 * Records merge transitively. The earliest record of a group is kept (pass already stored papers
 * first so they stay), and its empty fields are filled from the others.
 */
import { normalizeDoi, normalizeTitleKey, type PaperRecord } from "@/lib/io/paper-record";

export type DuplicateMerge = {
  /** Index (in the input) of the record that stays. */
  keptIndex: number;
  /** Indices of the records merged into it, in input order. */
  mergedIndices: number[];
  /** Why, e.g. "same DOI 10.1145/…" or "same title and year (2019)". */
  reasons: string[];
  /** Fields of the kept record that were filled from merged ones. */
  filledFields: (keyof PaperRecord)[];
};

export type DeduplicationResult = {
  /** One record per paper, in the order of each group's first record. */
  papers: PaperRecord[];
  /** For each kept paper, the input index it came from. */
  sourceIndices: number[];
  merges: DuplicateMerge[];
  /** Same title and year but different DOIs: kept apart, reported for a person to check. */
  possibleDuplicates: { indices: [number, number]; reason: string }[];
};

const FILLABLE_FIELDS = ["venue", "year", "doi", "url", "abstract", "pages", "track", "entryType", "sourceKey"] as const;

/**
 * Finds and merges duplicates.
 * @param records papers in priority order (earlier records win).
 * @returns merged papers and a report of every merge; the input is not changed.
 */
export function deduplicatePapers(records: readonly PaperRecord[]): DeduplicationResult {
  const parent = records.map((_, index) => index);
  const find = (index: number): number => {
    while (parent[index] !== index) {
      parent[index] = parent[parent[index]!]!;
      index = parent[index]!;
    }
    return index;
  };
  const groupDois = new Map<number, Set<string>>();
  const dois = records.map((record) => normalizeDoi(record.doi));
  dois.forEach((doi, index) => groupDois.set(index, new Set(doi ? [doi] : [])));
  const reasons = new Map<number, string[]>();
  const possibleDuplicates: DeduplicationResult["possibleDuplicates"] = [];

  const union = (a: number, b: number, reason: string): void => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA === rootB) return;
    const [keep, drop] = rootA < rootB ? [rootA, rootB] : [rootB, rootA];
    parent[drop] = keep;
    for (const doi of groupDois.get(drop) ?? []) groupDois.get(keep)!.add(doi);
    reasons.set(keep, [...(reasons.get(keep) ?? []), ...(reasons.get(drop) ?? []), reason]);
  };

  const firstByDoi = new Map<string, number>();
  dois.forEach((doi, index) => {
    if (!doi) return;
    const first = firstByDoi.get(doi);
    if (first === undefined) firstByDoi.set(doi, index);
    else union(first, index, `same DOI ${doi}`);
  });

  const firstByTitle = new Map<string, number>();
  records.forEach((record, index) => {
    const titleKey = normalizeTitleKey(record.title);
    if (titleKey === "") return;
    const key = `${titleKey}|${record.year ?? "?"}`;
    const first = firstByTitle.get(key);
    if (first === undefined) {
      firstByTitle.set(key, index);
      return;
    }
    const doisA = groupDois.get(find(first))!;
    const doisB = groupDois.get(find(index))!;
    const contradict = doisA.size > 0 && doisB.size > 0 && ![...doisB].some((doi) => doisA.has(doi));
    if (contradict) {
      possibleDuplicates.push({ indices: [first, index], reason: `same title and year but different DOIs (${[...doisA].join(", ")} vs ${[...doisB].join(", ")})` });
    } else {
      union(first, index, `same title and year (${record.year ?? "no year"})`);
    }
  });

  const groups = new Map<number, number[]>();
  records.forEach((_, index) => {
    const root = find(index);
    groups.set(root, [...(groups.get(root) ?? []), index]);
  });

  const papers: PaperRecord[] = [];
  const sourceIndices: number[] = [];
  const merges: DuplicateMerge[] = [];
  for (const [root, members] of [...groups].sort(([a], [b]) => a - b)) {
    const [keptIndex, ...mergedIndices] = members;
    const kept = records[keptIndex!]!;
    const merged = mergeRecords(kept, mergedIndices.map((index) => records[index]!));
    papers.push(merged.paper);
    sourceIndices.push(keptIndex!);
    if (mergedIndices.length > 0) {
      merges.push({ keptIndex: keptIndex!, mergedIndices, reasons: [...new Set(reasons.get(root) ?? [])], filledFields: merged.filledFields });
    }
  }
  return { papers, sourceIndices, merges, possibleDuplicates };
}

function mergeRecords(kept: PaperRecord, others: readonly PaperRecord[]): { paper: PaperRecord; filledFields: (keyof PaperRecord)[] } {
  const paper: PaperRecord = { ...kept, authors: [...kept.authors], doi: normalizeDoi(kept.doi) };
  const filledFields: (keyof PaperRecord)[] = [];
  for (const other of others) {
    for (const field of FILLABLE_FIELDS) {
      if (paper[field] !== null) continue;
      // A DOI that does not normalize (not a DOI at all) fills nothing; only a value actually taken is reported.
      const value = field === "doi" ? normalizeDoi(other.doi) : other[field];
      if (value === null) continue;
      (paper as Record<string, unknown>)[field] = value;
      if (!filledFields.includes(field)) filledFields.push(field);
    }
    // Some exports truncate author lists ("et al."): the longest list is the most complete.
    if (other.authors.length > paper.authors.length) {
      paper.authors = [...other.authors];
      if (!filledFields.includes("authors")) filledFields.push("authors");
    }
  }
  return { paper, filledFields };
}
