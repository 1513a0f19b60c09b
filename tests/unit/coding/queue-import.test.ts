import { deduplicatePapers } from "@/lib/coding/dedup";
import { describe, expect, it } from "vitest";
import { detectPaperFormat, importPaperFile } from "@/lib/coding/paper-import";
import { buildCoderQueue, visibleCodings } from "@/lib/coding/queue";
import { coding, irrelevant, relevant } from "./helpers";
import { paperFixture as fixture } from "../io/paper-files";

describe("buildCoderQueue", () => {
  const assignments = [
    { paperKey: "m1", round: "main" as const },
    { paperKey: "m2", round: "main" as const },
    { paperKey: "c1", round: "calibration" as const },
    { paperKey: "m3", round: "main" as const },
  ];

  it("serves calibration papers first and holds the main round back until they are done", () => {
    const queue = buildCoderQueue(assignments, []);
    expect(queue.isInCalibration).toBe(true);
    expect(queue.remaining.map((item) => item.paperKey)).toEqual(["c1"]);
    expect(queue.progress).toEqual({ done: 0, total: 4, calibrationDone: 0, calibrationTotal: 1 });
  });

  it("moves skipped papers to the end and counts completed ones", () => {
    const queue = buildCoderQueue(assignments, [
      { paperKey: "c1", isComplete: true, isSkipped: false },
      { paperKey: "m1", isComplete: false, isSkipped: true },
      { paperKey: "m2", isComplete: true, isSkipped: false },
    ]);
    expect(queue.isInCalibration).toBe(false);
    expect(queue.remaining).toEqual([
      { paperKey: "m3", round: "main", isSkipped: false, hasDraft: false },
      { paperKey: "m1", round: "main", isSkipped: true, hasDraft: true },
    ]);
    expect(queue.next).toBe("m3");
    expect(queue.progress.done).toBe(2);
  });

  it("reports an empty queue when everything is coded", () => {
    const queue = buildCoderQueue(assignments, assignments.map((item) => ({ paperKey: item.paperKey, isComplete: true, isSkipped: false })));
    expect(queue.next).toBeNull();
    expect(queue.progress.done).toBe(4);
  });
});

describe("visibleCodings (blind coding)", () => {
  // Blind double coding breaks if a coder can read the other coder's answers before finishing;
  // a direct request for another coder's codes must come back empty, whatever the page hides.
  const codings = [coding("p", "ann", relevant()), coding("p", "bob", irrelevant)];

  it("gives a coder only their own coding, even when they ask for the paper's codings directly", () => {
    expect(visibleCodings({ userId: "ann", canAdjudicate: false }, codings, true).map((item) => item.coderId)).toEqual(["ann"]);
    expect(visibleCodings({ userId: "eve", canAdjudicate: false }, codings, true)).toEqual([]);
  });

  it("shows an adjudicator both codings only once the paper is open for adjudication", () => {
    expect(visibleCodings({ userId: "judge", canAdjudicate: true }, codings, false)).toEqual([]);
    expect(visibleCodings({ userId: "ann", canAdjudicate: true }, codings, false).map((item) => item.coderId)).toEqual(["ann"]);
    expect(visibleCodings({ userId: "judge", canAdjudicate: true }, codings, true)).toHaveLength(2);
  });
});

describe("importPaperFile", () => {
  it("detects formats by extension and content", () => {
    expect(detectPaperFormat("", "venue.BIB")).toBe("bibtex");
    expect(detectPaperFormat("TY  - CONF\nER  -\n")).toBe("ris");
    expect(detectPaperFormat("  @inproceedings{x,\n}")).toBe("bibtex");
    expect(detectPaperFormat("title,year\n")).toBe("csv");
  });

  it("reports counts that add up: new + merged + already in study = parsed", () => {
    const report = importPaperFile(fixture("dblp-icse-neurips.bib"), { fileName: "dblp.bib" });
    if (!report.ok) throw new Error(report.errors.join("; "));
    expect(report.counts).toEqual({ entriesFound: 8, parsed: 5, rejected: 3, mergedDuplicates: 1, alreadyInStudy: 0, new: 4 });
    expect(report.merges[0]).toMatchObject({ kept: { location: "line 38", isExisting: false }, merged: [{ location: "line 48" }], filledFields: ["doi"] });
  });

  it("does not import again papers already in the study, and fills their missing fields", () => {
    const first = importPaperFile(fixture("zotero-export.ris"));
    if (!first.ok) throw new Error(first.errors.join("; "));
    const withoutDoi = first.papers.map((paper) => (paper.title.startsWith("Deep Learning Model Reuse") ? { ...paper, doi: null } : paper));
    const again = importPaperFile(fixture("zotero-export.ris"), { existing: withoutDoi });
    if (!again.ok) throw new Error(again.errors.join("; "));
    expect(again.papers).toEqual([]);
    expect(again.counts).toMatchObject({ parsed: 3, alreadyInStudy: 3, new: 0 });
    expect(again.updatedExisting).toEqual([{ existingIndex: 0, paper: expect.objectContaining({ doi: "10.1109/ase.2019.00042" }), filledFields: ["doi"] }]);
  });

  it("claims no filled field when a re-imported entry is identical to the paper in the study", () => {
    const first = importPaperFile(fixture("zotero-export.ris"));
    if (!first.ok) throw new Error(first.errors.join("; "));
    // As lib/db/papers.ts reads them back: a Paper row stores no entry type.
    const stored = first.papers.map((paper) => ({ ...paper, entryType: null }));
    const again = importPaperFile(fixture("zotero-export.ris"), { existing: stored });
    if (!again.ok) throw new Error(again.errors.join("; "));
    expect(again.merges.length).toBe(3);
    expect(again.merges.map((merge) => merge.filledFields)).toEqual([[], [], []]);
    expect(again.updatedExisting).toEqual([]);
  });

  it("does not report a DOI as filled when the other entry's DOI is not a DOI", () => {
    const base = { title: "Deep nets", authors: ["A. B"], venue: "ICSE", year: 2019, url: null, abstract: null, pages: null, track: null, entryType: null, sourceKey: null, origin: { format: "csv" as const, location: "row 2" } };
    const result = deduplicatePapers([{ ...base, doi: null }, { ...base, doi: "n/a" }]);
    expect(result.merges[0]!.filledFields).toEqual([]);
  });

  it("returns the importer's errors for a bad file, with nothing to write", () => {
    expect(importPaperFile(fixture("broken-unclosed-quote.csv"), { fileName: "x.csv" })).toMatchObject({ ok: false, format: "csv" });
  });
});
