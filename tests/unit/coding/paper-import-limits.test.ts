import { describe, expect, it } from "vitest";
import { importPaperFile } from "@/lib/coding/paper-import";

// Found by the importer fuzzer: a NUL byte reached PostgreSQL, which cannot store U+0000 in text, and the
// import failed inside its transaction with a database error instead of a clear rejection.
describe("paper files with NUL bytes", () => {
  const bib = "@article{a1,\n  title = {Variance in training},\n  author = {Ada Lovelace},\n  year = {2020}\n}\n";
  const ris = "TY  - JOUR\nTI  - Variance in training\nAU  - Lovelace, Ada\nPY  - 2020\nER  - \n";

  it.each([
    ["bibtex", bib, 3],
    ["ris", ris, 2],
  ] as const)("are refused as a whole with the line of the NUL (%s)", (format, text, line) => {
    const lines = text.split("\n");
    lines[line - 1] = `${lines[line - 1]!.slice(0, 6)}\u0000${lines[line - 1]!.slice(6)}`;
    const report = importPaperFile(new TextEncoder().encode(lines.join("\n")), { format });
    expect(report.ok).toBe(false);
    if (!report.ok) expect(report.errors).toEqual([`Line ${line} contains a NUL byte: the file looks binary or damaged, so nothing was imported.`]);
  });

  it("leave clean files alone", () => {
    const report = importPaperFile(new TextEncoder().encode(bib), { format: "bibtex" });
    expect(report.ok && report.papers.map((paper) => paper.title)).toEqual(["Variance in training"]);
  });

  // Also found by the fuzzer: a 200 kB title exceeded PostgreSQL's index row limit and failed the import's
  // transaction. It is now one rejected entry with its line; the rest of the file imports.
  it("reject an entry with an oversized title and keep the others", () => {
    const long = `@article{a2,\n  title = {${"x".repeat(5000)}},\n  year = {2021}\n}\n`;
    const report = importPaperFile(new TextEncoder().encode(bib + long), { format: "bibtex" });
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.papers.map((paper) => paper.title)).toEqual(["Variance in training"]);
    expect(report.rejected).toEqual([expect.objectContaining({ key: "a2", reason: "title longer than 1000 characters", location: expect.stringMatching(/line 6/) })]);
    expect(report.counts).toMatchObject({ entriesFound: 2, parsed: 1, rejected: 1, new: 1 });
  });
});
