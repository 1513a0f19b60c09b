import { describe, expect, it } from "vitest";
import { parseCsvPapers, previewPaperCsv, proposePaperColumnMapping, splitAuthors } from "@/lib/io/papers-csv";
import { imported, paperFixture as fixture } from "./paper-files";

describe("previewPaperCsv", () => {
  it("proposes a mapping from real-world header spellings and shows the first rows", () => {
    const preview = previewPaperCsv(fixture("messy-papers.csv"), 2);
    if (!preview.ok) throw new Error(preview.errors.join("; "));
    expect(preview.proposedMapping).toEqual({
      title: "Paper Title",
      authors: "Author(s)",
      venue: "Conference",
      year: "Publication Year",
      doi: "DOI",
      track: "Track",
    });
    expect(preview.rowCount).toBe(7);
    expect(preview.sampleRows[1]).toMatchObject({ "Paper Title": "Sampling Papers; A Method", Conference: "ICSE" });
  });

  it("detects a semicolon delimiter and renames repeated headers", () => {
    const preview = previewPaperCsv("Title;Year;Title\nA;2019;B\n");
    if (!preview.ok) throw new Error(preview.errors.join("; "));
    expect(preview.delimiter).toBe(";");
    expect(preview.headers).toEqual(["Title", "Year", "Title (2)"]);
  });
});

describe("parseCsvPapers on a messy CSV", () => {
  const result = imported(parseCsvPapers(fixture("messy-papers.csv")));

  it("imports good rows and rejects bad ones with row and reason", () => {
    expect(result.counts).toEqual({ entriesFound: 7, imported: 4, rejected: 3 });
    expect(result.rejected).toEqual([
      { location: "row 3", key: null, reason: "empty title" },
      { location: "row 5", key: null, reason: "has 8 cells but the header has 7; the row is misaligned" },
      { location: "row 6", key: null, reason: 'year "soon" contains no four-digit year' },
    ]);
  });

  it("handles quoted commas, doubled quotes, author lists and DOI URLs", () => {
    expect(result.papers[0]).toMatchObject({ title: "Testing DL Compilers, Systematically", authors: ["A. Smith", "B. Jones"], track: "oral" });
    expect(result.papers[1]?.authors).toEqual(["Jane Doe", "Richard Roe"]);
    expect(result.papers[2]).toMatchObject({ title: 'A "Quoted" Title', doi: "10.5555/abc.def" });
  });

  it("imports a formula-looking title as text (neutralizing happens at export)", () => {
    expect(result.papers[3]?.title).toBe('=HYPERLINK("http://evil")');
  });
});

describe("parseCsvPapers failures that write nothing", () => {
  it("fails on an unterminated quote", () => {
    const result = parseCsvPapers(fixture("broken-unclosed-quote.csv"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/never closed/);
  });

  it("fails when the mapping names a missing column or has no title", () => {
    const text = "Name of paper,Year\nA,2019\n";
    const noTitle = parseCsvPapers(text);
    expect(noTitle.ok).toBe(false);
    if (!noTitle.ok) expect(noTitle.errors[0]).toMatch(/No column is mapped to the title/);
    const missing = parseCsvPapers(text, { mapping: { title: "Title" } });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors[0]).toMatch(/no column "Title"/);
    const bad = parseCsvPapers(text, { mapping: { colour: "Year" } });
    expect(bad.ok).toBe(false);
  });

  it("uses an explicit mapping chosen after preview", () => {
    const result = imported(parseCsvPapers("Name of paper,When\nA study,2019\n", { mapping: { title: "Name of paper", year: "When" } }));
    expect(result.papers[0]).toMatchObject({ title: "A study", year: 2019 });
  });
});

describe("proposePaperColumnMapping and splitAuthors", () => {
  it("never maps one header to two fields", () => {
    expect(proposePaperColumnMapping(["Title", "Type"])).toEqual({ title: "Title", entryType: "Type" });
  });

  it("splits author cells by the separators real exports use", () => {
    expect(splitAuthors("Smith, John")).toEqual(["John Smith"]);
    expect(splitAuthors("John Smith and Mary Jones")).toEqual(["John Smith", "Mary Jones"]);
    expect(splitAuthors("Smith, J.; Jones, M.")).toEqual(["J. Smith", "M. Jones"]);
    expect(splitAuthors(null)).toEqual([]);
  });
});
