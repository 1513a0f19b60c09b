import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { computeRoundAgreement } from "@/lib/coding/agreement";
import { assignCoders } from "@/lib/coding/assignment";
import { findConflicts } from "@/lib/coding/conflicts";
import { deriveFinalCodes } from "@/lib/coding/final-codes";
import { importPaperFile } from "@/lib/coding/paper-import";
import { buildPopulation, parsePopulationDefinition } from "@/lib/coding/population";
import { computeLiteratureEstimates } from "@/lib/coding/results";
import { drawSample } from "@/lib/coding/sampling";
import { coding, irrelevant, referenceCodebook, relevant } from "./helpers";

const root = path.resolve(import.meta.dirname, "../../..");

describe("literature survey pipeline on the fixture files", () => {
  it("imports BibTeX and RIS, builds strata, draws, assigns two coders, resolves a conflict and reports shares", () => {
    const bib = importPaperFile(readFileSync(path.join(root, "tests/fixtures/papers/dblp-icse-neurips.bib")), { fileName: "dblp.bib" });
    if (!bib.ok) throw new Error(bib.errors.join("; "));
    const ris = importPaperFile(readFileSync(path.join(root, "tests/fixtures/papers/zotero-export.ris")), { fileName: "zotero.ris", existing: bib.papers });
    if (!ris.ok) throw new Error(ris.errors.join("; "));
    const papers = [...bib.papers, ...ris.papers].map((paper, index) => ({ ...paper, key: `paper-${index}` }));

    const definition = parsePopulationDefinition(readFileSync(path.join(root, "data/codebooks/pham2020-strata.yaml"), "utf8"));
    if (!definition.ok) throw new Error(JSON.stringify(definition.errors));
    const population = buildPopulation(definition.value, papers);
    // ICSE ×2, NeurIPS ×2 (the poster-tagged one is excluded), ASE (RIS T2); ICCV 2019 poster and the 2020 paper without venue are out.
    expect(population.members.map((member) => member.venueId).sort()).toEqual(["ASE", "ICSE", "ICSE", "NeurIPS"]);
    expect(population.excluded).toHaveLength(3);

    const draw = drawSample(population.members, { kind: "stratified-fixed", perStratum: { "se-systems": 2, ai: 1 } }, 2020);
    if (!draw.ok) throw new Error(draw.error);
    const sampleKeys = draw.draw.papers.map((paper) => paper.key);
    const assignment = assignCoders({ paperKeys: sampleKeys, coderIds: ["ann", "bob"], codersPerPaper: 2, seed: 1 });
    if (!assignment.ok) throw new Error(assignment.error);
    expect(assignment.assignments).toHaveLength(6);

    const codebook = referenceCodebook();
    const [first, second, third] = sampleKeys as [string, string, string];
    const codings = [
      coding(first, "ann", relevant({ multipleRuns: "yes", runCount: 5, varianceReported: ["sd"] })),
      coding(first, "bob", relevant({ multipleRuns: "yes", runCount: 5, varianceReported: ["sd"] })),
      coding(second, "ann", irrelevant),
      coding(second, "bob", relevant()),
      coding(third, "ann", irrelevant),
      coding(third, "bob", irrelevant),
    ];
    expect(findConflicts(codebook, codings).map((conflict) => conflict.paperKey)).toEqual([second]);
    const finals = deriveFinalCodes(codebook, codings, [{ paperKey: second, adjudicatorId: "judge", answers: { trainsDL: "no" }, reason: "no training" }]);
    expect(finals.every((final) => final.status !== "pending")).toBe(true);

    const stratumOf = new Map(draw.draw.papers.map((paper) => [paper.key, paper.stratumId]));
    const results = computeLiteratureEstimates(
      codebook,
      finals.flatMap((final) => (final.status === "pending" ? [] : [{ paperKey: final.paperKey, stratumId: stratumOf.get(final.paperKey)!, answers: final.answers }])),
      population.strata.map((stratum) => ({ stratumId: stratum.id, label: stratum.label, populationSize: stratum.size })),
    );
    const relevance = results.find((result) => result.measureId === "relevant")!;
    expect(relevance.pooled).toMatchObject({ x: 1, n: 3 });
    expect(relevance.strata.map((stratum) => stratum.n)).toEqual([2, 1]);

    const agreement = computeRoundAgreement(codebook, codings.map((item) => ({ ...item, round: "main" as const })), { bootstrapResamples: 0 });
    expect(agreement.main?.questions[0]?.percentAgreement).toMatchObject({ n: 3 });
    expect(agreement.main?.questions[0]?.percentAgreement.value).toBeCloseTo(2 / 3, 12);
  });
});
