import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { CodingAnswers } from "@/lib/coding/codebook";
import { shapeCodebookTable, shapeCodedSampleJson, shapeCodedSampleTable, tableToCsv, type ExportPaper } from "@/lib/coding/export";
import { deriveFinalCodes } from "@/lib/coding/final-codes";
import { computeLiteratureEstimates, type FinalCode } from "@/lib/coding/results";
import { coding, irrelevant, referenceCodebook, relevant } from "./helpers";

const codebook = referenceCodebook();

/** Final codes with the reference study's counts: SE-systems 28 of 202 relevant (7 multiple runs), AI 197 of 252 (37). */
function referenceFinalCodes(): FinalCode[] {
  const make = (stratumId: string, sampled: number, relevantCount: number, runsCount: number): FinalCode[] =>
    Array.from({ length: sampled }, (_, index) => {
      const answers: CodingAnswers = index < relevantCount ? relevant({ multipleRuns: index < runsCount ? "yes" : "no" }) : irrelevant;
      return { paperKey: `${stratumId}-${index}`, stratumId, answers };
    });
  return [...make("se-systems", 202, 28, 7), ...make("ai", 252, 197, 37)];
}
// Population sizes consistent with the paper's 1,152 papers and its per-stratum sample sizes.
const strata = [
  { stratumId: "se-systems", label: "SE and systems", populationSize: 423 },
  { stratumId: "ai", label: "AI", populationSize: 729 },
];

describe("computeLiteratureEstimates", () => {
  it("reproduces the reference study's relevance shares and ± values with Wald and the finite population correction", () => {
    const [relevance] = computeLiteratureEstimates(codebook, referenceFinalCodes(), strata, { method: "wald", finitePopulationCorrection: true });
    const [se, ai] = relevance!.strata;
    if (se?.estimate == null || ai?.estimate == null) throw new Error("estimates expected");
    expect(se).toMatchObject({ x: 28, n: 202, populationSize: 423, populationSizeIsEstimated: false });
    expect(se.estimate).toBeCloseTo(0.139, 3);
    // The paper reports 13.9 ± 3% and 78.1 ± 4%.
    expect(Math.round(((se.upper - se.lower) / 2) * 100)).toBe(3);
    // 197/252 = 78.17%, which the paper prints as 78.1%.
    expect(ai.estimate).toBeCloseTo(197 / 252, 12);
    expect(Math.round(((ai.upper - ai.lower) / 2) * 100)).toBe(4);
    expect(se.method).toBe("Wald with finite population correction");
  });

  it("defaults to Wilson intervals without correction and reports the multiple-runs share among relevant papers", () => {
    const [, runs] = computeLiteratureEstimates(codebook, referenceFinalCodes(), strata);
    expect(runs?.measureId).toBe("multipleRuns");
    const [se, ai] = runs!.strata;
    if (se?.estimate == null || ai?.estimate == null) throw new Error("estimates expected");
    expect([se.x, se.n, ai.x, ai.n]).toEqual([7, 28, 37, 197]);
    // 7/28 → Wilson [12.7%, 43.4%], as reference/paper-facts.md notes.
    expect(se.lower).toBeCloseTo(0.127, 3);
    expect(se.upper).toBeCloseTo(0.434, 3);
    expect(se.method).toBe("Wilson score");
    expect(runs!.pooled).toMatchObject({ x: 44, n: 225 });
    expect(runs!.pooled.estimate).toBeCloseTo(44 / 225, 12);
  });

  it("weights the stratified overall estimate by stratum population", () => {
    const [relevance, runs] = computeLiteratureEstimates(codebook, referenceFinalCodes(), strata);
    const expected = (423 / 1152) * (28 / 202) + (729 / 1152) * (197 / 252);
    expect(relevance!.stratified?.estimate).toBeCloseTo(expected, 12);
    expect(relevance!.stratified?.weightsAreEstimated).toBe(false);
    expect(runs!.stratified?.weightsAreEstimated).toBe(true);
  });

  it("leaves unanswered papers out of n and reports empty strata without a number", () => {
    const codes: FinalCode[] = [
      { paperKey: "a", stratumId: "se-systems", answers: { trainsDL: "yes" } },
      { paperKey: "b", stratumId: "se-systems", answers: { trainsDL: "no" } },
    ];
    const [relevance, runs] = computeLiteratureEstimates(codebook, codes, strata);
    expect(relevance!.strata[1]).toMatchObject({ stratumId: "ai", n: 0, estimate: null, reason: "no coded paper in the sample" });
    expect(runs!.strata[0]).toMatchObject({ n: 0, unanswered: 1, estimate: null });
    expect(() => computeLiteratureEstimates(codebook, [{ paperKey: "z", stratumId: "other", answers: {} }], strata)).toThrow(/no population size/);
  });
});

describe("export shaping", () => {
  const papers: ExportPaper[] = [
    { key: "p1", stratumId: "ai", title: '=HYPERLINK("http://x")', authors: ["Ann A", "Bo B"], venue: "ICML", year: 2019, doi: "10.1234/a", url: null },
    { key: "p2", stratumId: "se-systems", title: "Plain, with comma", authors: [], venue: null, year: null, doi: null, url: null },
  ];
  const codings = [
    coding("p1", "bob", relevant({ networks: ["resnet", "lenet"], note: "-see section 5" })),
    coding("p1", "ann", relevant({ networks: ["lenet", "resnet"] })),
    coding("p2", "ann", irrelevant),
    coding("p2", "bob", { trainsDL: "yes", multipleRuns: "no", seedsReported: "no", networks: ["other"] }),
  ];
  const finals = deriveFinalCodes(codebook, codings, [{ paperKey: "p2", adjudicatorId: "judge", answers: { trainsDL: "no" }, reason: "inference only" }]);

  it("writes each coder's codes in coder order and the final codes with status and reason", () => {
    const table = shapeCodedSampleTable(codebook, papers, codings, finals);
    expect(table.columns.slice(0, 9)).toEqual(["paper_key", "stratum", "title", "authors", "venue", "year", "doi", "url", "coder1_id"]);
    expect(table.columns).toContain("coder2_note");
    expect(table.columns).not.toContain("final_note");
    const [first, second] = table.rows;
    expect(first).toMatchObject({ coder1_id: "ann", coder2_id: "bob", coder1_networks: "lenet+resnet", coder2_networks: "lenet+resnet", final_networks: "lenet+resnet", final_status: "agreed", final_reason: "" });
    expect(second).toMatchObject({ coder1_trainsDL: "no", coder1_multipleRuns: "", coder2_trainsDL: "yes", final_trainsDL: "no", final_multipleRuns: "", final_status: "adjudicated", final_reason: "inference only" });
  });

  it("neutralizes formula cells in CSV and round-trips the rest", () => {
    const csv = tableToCsv(shapeCodedSampleTable(codebook, papers, codings, finals));
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]?.title).toBe(`'=HYPERLINK("http://x")`);
    expect(parsed.data[0]?.coder2_note).toBe("'-see section 5");
    expect(parsed.data[1]?.title).toBe("Plain, with comma");
    expect(csv).toContain("\r\n");
  });

  it("describes every question in the codebook table", () => {
    const table = shapeCodebookTable(codebook);
    expect(table.rows.map((row) => row.question_id)).toEqual(codebook.questions.map((question) => question.id));
    expect(table.rows[1]).toMatchObject({ question_id: "multipleRuns", ask_if: "trainsDL in {yes}", options: "yes=Yes; no=No; unsure=Unsure" });
  });

  it("shapes JSON with only answers to asked questions", () => {
    const json = shapeCodedSampleJson(codebook, papers, [...codings, coding("p2", "carl", { trainsDL: "no", multipleRuns: "yes" })], finals);
    expect(json.codebook).toEqual({ id: "pham2020", version: 1, title: codebook.title });
    expect(json.papers[1]?.codings.find((item) => item.coderId === "carl")?.answers).toEqual({ trainsDL: "no" });
    expect(json.papers[1]?.final).toMatchObject({ status: "adjudicated" });
  });
});
