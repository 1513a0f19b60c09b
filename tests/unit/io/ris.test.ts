import { describe, expect, it } from "vitest";
import { parseRisPapers } from "@/lib/io/ris";
import { imported, paperFixture as fixture } from "./paper-files";

describe("parseRisPapers on a reference manager export", () => {
  const result = imported(parseRisPapers(fixture("zotero-export.ris")));

  it("imports the complete records and rejects the others with reasons", () => {
    expect(result.counts).toEqual({ entriesFound: 5, imported: 3, rejected: 2 });
    expect(result.rejected).toEqual([
      { location: "line 28", key: null, reason: "no title (TI/T1)" },
      { location: "line 34", key: null, reason: 'year "in press" contains no four-digit year' },
    ]);
  });

  it("maps Zotero tags (T2 venue, DA/PY, DO as URL, SP/EP, wrapped AB, N1 track)", () => {
    expect(result.papers[0]).toMatchObject({
      sourceKey: "okafor2019",
      title: "Deep Learning Model Reuse: An Empirical Study",
      authors: ["Chidi Okafor", "Åsa Lindqvist"],
      venue: "2019 34th IEEE/ACM International Conference on Automated Software Engineering (ASE)",
      year: 2019,
      doi: "10.1109/ase.2019.00042",
      url: "https://ieeexplore.ieee.org/document/1234567",
      pages: "450–461",
      track: "oral",
      entryType: "CONF",
      abstract: "We study how deep learning models are reused across projects and how often their training is repeated.",
    });
  });

  it("maps EndNote-style alternatives (T1, A1, JO, Y1 with slashes, M3)", () => {
    expect(result.papers[1]).toMatchObject({
      title: "Reproducible Training of Convolutional Networks",
      authors: ["Li Chen", "Jörg Müller"],
      venue: "ICCV",
      year: 2019,
      track: "poster",
    });
  });

  it("keeps a final record without ER and says so", () => {
    expect(result.papers[2]?.title).toBe("Last Record Without an End Tag");
    expect(result.warnings).toContainEqual({ location: "line 39", message: "last record has no ER; closed at end of file" });
  });
});

describe("parseRisPapers on difficult input", () => {
  it("fails the whole file when there is no TY record", () => {
    const result = parseRisPapers(fixture("not-a-bibliography.txt"));
    expect(result.ok).toBe(false);
  });

  it("decodes Latin-1 lines and UTF-8 lines in the same file", () => {
    const result = imported(parseRisPapers(fixture("mixed-encoding.ris")));
    expect(result.encoding).toBe("mixed");
    expect(result.papers.map((paper) => paper.title)).toEqual(["Café Latin-1 Title", "Naïve UTF-8 Title"]);
    expect(result.papers[0]?.authors).toEqual(["José García"]);
    expect(result.warnings).toEqual([{ location: "lines 2–3", message: "not valid UTF-8; read as Windows-1252" }]);
  });

  it("closes a record that lacks ER at the next TY, with a warning", () => {
    const text = "TY  - CONF\nTI  - One\nTY  - CONF\nTI  - Two\nER  -\n";
    const result = imported(parseRisPapers(text));
    expect(result.papers.map((paper) => paper.title)).toEqual(["One", "Two"]);
    expect(result.warnings[0]).toEqual({ location: "line 1", message: "record has no ER; closed by the TY at line 3" });
  });
});
