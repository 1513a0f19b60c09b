import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deduplicatePapers } from "@/lib/coding/dedup";
import { buildPopulation, matchVenue, parsePopulationDefinition, type PopulationDefinition } from "@/lib/coding/population";
import { parseBibtexPapers } from "@/lib/io/bibtex";
import type { PaperRecord } from "@/lib/io/paper-record";

const root = path.resolve(import.meta.dirname, "../../..");

function referencePopulation(): PopulationDefinition {
  const parsed = parsePopulationDefinition(readFileSync(path.join(root, "data/codebooks/pham2020-strata.yaml"), "utf8"));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

const paper = (overrides: Partial<PaperRecord>): PaperRecord => ({
  sourceKey: null,
  title: "Untitled",
  authors: [],
  venue: null,
  year: 2019,
  doi: null,
  url: null,
  abstract: null,
  pages: null,
  track: null,
  entryType: null,
  origin: { format: "bibtex", location: "line 1" },
  ...overrides,
});

describe("deduplicatePapers", () => {
  it("merges the DBLP fixture's duplicate-key entries by title and year and fills the DOI", () => {
    const imported = parseBibtexPapers(readFileSync(path.join(root, "tests/fixtures/papers/dblp-icse-neurips.bib")));
    if (!imported.ok) throw new Error(imported.errors.join("; "));
    const result = deduplicatePapers(imported.papers);
    expect(result.papers).toHaveLength(4);
    expect(result.merges).toEqual([{ keptIndex: 2, mergedIndices: [3], reasons: ["same title and year (2019)"], filledFields: ["doi"] }]);
    expect(result.papers[2]).toMatchObject({ title: "On the Variance of Stochastic Gradient Training with Random Seeds", doi: "10.5555/3454287.3454648", pages: "4015–4026" });
  });

  it("merges on DOI whatever the DOI's spelling, and transitively through a title match", () => {
    const records = [
      paper({ title: "Déjà Vu: A Study", doi: "https://doi.org/10.1234/ABC", authors: ["A"] }),
      paper({ title: "Something else entirely", doi: "doi:10.1234/abc", venue: "ICSE", authors: ["A", "B"] }),
      paper({ title: "Deja vu - a study", doi: null, abstract: "text" }),
    ];
    const result = deduplicatePapers(records);
    expect(result.papers).toHaveLength(1);
    expect(result.papers[0]).toMatchObject({ title: "Déjà Vu: A Study", doi: "10.1234/abc", venue: "ICSE", abstract: "text", authors: ["A", "B"] });
    expect(result.merges[0]?.reasons).toEqual(["same DOI 10.1234/abc", "same title and year (2019)"]);
  });

  it("keeps papers apart when titles match but DOIs differ, or years differ, and reports the former", () => {
    const records = [
      paper({ title: "Same Title", doi: "10.1234/one" }),
      paper({ title: "Same title", doi: "10.1234/two" }),
      paper({ title: "Same title", year: 2020 }),
    ];
    const result = deduplicatePapers(records);
    expect(result.papers).toHaveLength(3);
    expect(result.merges).toEqual([]);
    expect(result.possibleDuplicates).toEqual([{ indices: [0, 1], reason: expect.stringContaining("different DOIs") }]);
  });
});

describe("population definition and venue strata (pham2020-strata.yaml)", () => {
  const definition = referencePopulation();

  it.each([
    ["Proceedings of the 41st International Conference on Software Engineering, ICSE 2019, Montreal", "se-systems", "ICSE"],
    ["Proceedings of the ACM Joint Meeting on European Software Engineering Conference and Symposium on the Foundations of Software Engineering, ESEC/SIGSOFT FSE 2019", "se-systems", "ESEC/FSE"],
    ["34th IEEE/ACM International Conference on Automated Software Engineering, ASE 2019", "se-systems", "ASE"],
    ["Proceedings of Machine Learning and Systems 2019, MLSys", "se-systems", "MLSys"],
    ["Advances in Neural Information Processing Systems 32: NeurIPS 2019", "ai", "NeurIPS"],
    ["2019 IEEE/CVF International Conference on Computer Vision (ICCV)", "ai", "ICCV"],
    ["IEEE Conference on Computer Vision and Pattern Recognition, CVPR 2019", "ai", "CVPR"],
    ["8th International Conference on Learning Representations, ICLR 2020", "ai", "ICLR"],
  ])("maps %s to %s", (venue, stratumId, venueId) => {
    expect(matchVenue(definition, venue)).toEqual({ ok: true, stratumId, venueId });
  });

  it("excludes workshops, unknown venues and missing venues with reasons", () => {
    expect(matchVenue(definition, "ICSE 2019 Workshops")).toEqual({ ok: false, reason: expect.stringMatching(/workshop/) });
    expect(matchVenue(definition, "Journal of Systems and Software")).toEqual({ ok: false, reason: expect.stringMatching(/none of the population's venues/) });
    expect(matchVenue(definition, null)).toEqual({ ok: false, reason: "no venue" });
  });

  it("builds the population with per-venue years and the poster filter, counting every stratum", () => {
    const summary = buildPopulation(definition, [
      { key: "a", venue: "ICSE 2019", year: 2019, track: null },
      { key: "b", venue: "NeurIPS 2019", year: 2019, track: "oral" },
      { key: "c", venue: "NeurIPS 2019", year: 2019, track: "Poster" },
      { key: "d", venue: "ICLR 2019", year: 2019, track: null },
      { key: "e", venue: "ICSE", year: null, track: null },
    ]);
    expect(summary.members).toEqual([
      { key: "a", stratumId: "se-systems", venueId: "ICSE" },
      { key: "b", stratumId: "ai", venueId: "NeurIPS" },
    ]);
    expect(summary.excluded).toEqual([
      { key: "c", reason: 'track "Poster" is excluded' },
      { key: "d", reason: "ICLR 2019 is outside the population (ICLR 2020)" },
      { key: "e", reason: "no year, and the population is limited by year" },
    ]);
    expect(summary.strata.map((stratum) => [stratum.id, stratum.size])).toEqual([
      ["se-systems", 1],
      ["ai", 1],
    ]);
  });

  it("reports a venue that two venues' aliases claim as ambiguous", () => {
    const ambiguous = parsePopulationDefinition(
      "id: t\nversion: 1\ntitle: T\nstrata:\n  - id: s\n    label: S\n    venues:\n      - { id: A, aliases: [learning] }\n      - { id: B, aliases: [representations] }\n",
    );
    if (!ambiguous.ok) throw new Error(JSON.stringify(ambiguous.errors));
    expect(matchVenue(ambiguous.value, "Learning Representations")).toEqual({ ok: false, reason: expect.stringMatching(/several venues \(A, B\)/) });
  });
});
