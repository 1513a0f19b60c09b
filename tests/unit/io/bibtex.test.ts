import { describe, expect, it } from "vitest";
import { parseBibtexPapers } from "@/lib/io/bibtex";
import { imported, paperFixture as fixture } from "./paper-files";

describe("parseBibtexPapers on a DBLP-style export", () => {
  const result = parseBibtexPapers(fixture("dblp-icse-neurips.bib"));
  if (!result.ok) throw new Error(`fixture should import: ${result.errors.join("; ")}`);
  const byKeyAndLine = (key: string) => result.papers.filter((paper) => paper.sourceKey === key);

  it("counts every entry and lists each rejected one with a reason", () => {
    expect(result.counts).toEqual({ entriesFound: 8, imported: 5, rejected: 3 });
    expect(result.rejected.map((entry) => [entry.key, entry.location])).toEqual([
      ["DBLP:conf/icse/2019", "line 31"],
      ["notitle2019", "line 65"],
      ["badyear", "line 70"],
    ]);
    expect(result.rejected[0]!.reason).toMatch(/proceedings volume/);
    expect(result.rejected[1]!.reason).toBe("no title");
    expect(result.rejected[2]!.reason).toMatch(/forthcoming/);
  });

  it("converts LaTeX accents, braces and markup to plain Unicode", () => {
    const [muller] = byKeyAndLine("DBLP:conf/icse/MullerGN19");
    expect(muller?.title).toBe("Flaky Tests in Deep Learning Libraries: An Empirical Study of Nondeterminism");
    expect(muller?.authors).toEqual(["Jörg Müller", "François Garçon", "Nguyễn Văn An"]);
    const [sorensen] = byKeyAndLine("DBLP:conf/icse/Sorensen19");
    expect(sorensen?.authors).toEqual(["Søren Sørensen", "Åsa Øberg"]);
    expect(sorensen?.title).toBe("Test Selection for CI Pipelines at 50% Cost");
    // {\'{\i}} must become the same "í" a person types, or name matching fails.
    expect(byKeyAndLine("DBLP:conf/nips/ZhangR19")[0]?.authors[1]).toBe("Ana Rodríguez");
  });

  it("expands @string macros with # concatenation and keeps DBLP booktitles as venue", () => {
    const [zhang] = byKeyAndLine("DBLP:conf/nips/ZhangR19");
    expect(zhang?.venue).toBe(
      "Advances in Neural Information Processing Systems 32: Annual Conference on Neural Information Processing Systems 2019, NeurIPS 2019, December 8-14, 2019, Vancouver, BC, Canada",
    );
    expect(byKeyAndLine("DBLP:conf/icse/MullerGN19")[0]?.venue).toMatch(/^Proceedings of the 41st .*ICSE 2019/);
  });

  it("normalizes the DOI and reads pages, url, abstract, math and tracks from notes or keywords", () => {
    const [muller] = byKeyAndLine("DBLP:conf/icse/MullerGN19");
    expect(muller).toMatchObject({ doi: "10.1109/icse.2019.00023", pages: "101–112", year: 2019, entryType: "inproceedings" });
    expect(byKeyAndLine("DBLP:conf/nips/ZhangR19")[0]?.track).toBe("oral");
    const [smith] = byKeyAndLine("smith2019poster");
    expect(smith).toMatchObject({ title: "Wide ResNets under α-Dropout", track: "poster", entryType: "article" });
    expect(smith?.authors).toEqual(["John Smith", "Mary-Kate O'Neil", "Jan van der Berg"]);
    expect(smith?.abstract).toBe("We train WideResNet-28-10 five times and report the mean ± SD.");
  });

  it("keeps both entries of a duplicate key and warns, leaving the merge to deduplication", () => {
    expect(byKeyAndLine("DBLP:conf/nips/ZhangR19")).toHaveLength(2);
    expect(result.warnings).toEqual([
      { location: "line 48", message: expect.stringContaining('duplicate key "DBLP:conf/nips/ZhangR19"') },
    ]);
  });
});

describe("parseBibtexPapers on broken input", () => {
  it("fails the whole file when it is not BibTeX", () => {
    const result = parseBibtexPapers(fixture("not-a-bibliography.txt"));
    expect(result).toEqual({ ok: false, format: "bibtex", errors: [expect.stringMatching(/^Not a BibTeX file/)] });
  });

  it("fails the whole file when its only entry is unreadable, naming the line", () => {
    const result = parseBibtexPapers(fixture("broken-only-entry.bib"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/^line 1: syntax error: Unterminated brace-value/);
  });

  it("rejects one broken entry but imports the ones around it", () => {
    const text = [
      "@article{good1, title={First}, year=2019}",
      "@article{broken, title = {missing brace, year = 2020}",
      "@article{good2, title={Second}, year={2021}}",
    ].join("\n");
    const result = imported(parseBibtexPapers(text));
    expect(result.papers.map((paper) => paper.title)).toEqual(["First", "Second"]);
    expect(result.rejected).toEqual([
      { location: "line 2", key: "broken", reason: expect.stringMatching(/^syntax error/) },
    ]);
    expect(result.counts).toEqual({ entriesFound: 3, imported: 2, rejected: 1 });
  });

  it("reads Windows-1252 bytes when the file is not UTF-8", () => {
    const bytes = Buffer.from("@article{x, title={Caf\xe9 au lait}, year=2019}", "latin1");
    const result = imported(parseBibtexPapers(bytes));
    expect(result.papers[0]?.title).toBe("Café au lait");
    expect(result.encoding).toBe("windows-1252");
    expect(result.warnings[0]?.message).toMatch(/Windows-1252/);
  });
});
