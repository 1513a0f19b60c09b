/**
 * Pure shaping of literature aggregates (lib/db/dashboard/literature.ts) into the results table of
 * lib/coding/results.ts (shares per stratum, pooled and stratified) and per-question agreement.
 */
import { computeSurveyResults, type MeasureResult } from "@/lib/coding/results";
import type { Codebook, CodingAnswers } from "@/lib/coding/codebook";
import { cohenKappa } from "@/lib/stats/cohen-kappa";
import { proportionCI, type ProportionCIMethod } from "@/lib/stats/proportion-ci";
import { isStatsInputError } from "@/lib/stats/errors";

export type AgreementRow = {
  questionId: string;
  question: string;
  /** Papers both coders answered. */
  n: number;
  agreed: number;
  percent: { estimate: number; lower: number; upper: number; method: string; level: number } | null;
  kappa: { value: number; lower: number; upper: number; level: number; method: string } | { value: null; reason: string } | null;
};

export type LiteratureResults = {
  measures: MeasureResult[];
  strata: Array<{ stratumId: string; label: string; population: number; sampled: number }>;
  agreement: AgreementRow[];
  doubleCoded: number;
  finalCoded: number;
  method: string;
  finitePopulationCorrection: boolean;
  level: number;
};

/**
 * Shares per stratum through lib/coding/results.ts. Final codes arrive grouped (stratum, answers, count);
 * each group stands for `count` identical papers, which is all computeSurveyResults distinguishes.
 */
export function buildLiteratureResults(
  input: {
    codebook: Codebook;
    population: ReadonlyArray<{ stratum: string; count: number }>;
    sampled: ReadonlyArray<{ stratum: string; count: number }>;
    finalCodeGroups: ReadonlyArray<{ stratum: string; answers: Record<string, unknown>; count: number }>;
    agreementTables: ReadonlyMap<string, ReadonlyArray<{ first: string | null; second: string | null; count: number }>>;
    doubleCoded: number;
    strataLabels: Record<string, string>;
  },
  settings: { method: ProportionCIMethod; level: number; finitePopulationCorrection: boolean },
): LiteratureResults {
  const strataIds = [...new Set([...input.population.map((row) => row.stratum), ...input.finalCodeGroups.map((row) => row.stratum)])].sort();
  const strata = strataIds.map((stratumId) => ({
    stratumId,
    label: input.strataLabels[stratumId] ?? stratumId,
    populationSize: Math.max(input.population.find((row) => row.stratum === stratumId)?.count ?? 0, 2),
  }));
  const finalCodes = input.finalCodeGroups.flatMap((group, groupIndex) =>
    Array.from({ length: group.count }, (_, index) => ({ paperKey: `${groupIndex}-${index}`, stratumId: group.stratum, answers: group.answers as CodingAnswers })),
  );
  const measures =
    finalCodes.length === 0 && strata.length === 0
      ? []
      : computeSurveyResults(input.codebook, finalCodes, strata, settings);

  const agreement: AgreementRow[] = [];
  for (const question of input.codebook.questions) {
    const table = input.agreementTables.get(question.id);
    if (!table) continue;
    const both = table.filter((cell) => cell.first !== null && cell.second !== null);
    const n = both.reduce((sum, cell) => sum + cell.count, 0);
    const agreed = both.filter((cell) => cell.first === cell.second).reduce((sum, cell) => sum + cell.count, 0);
    let kappa: AgreementRow["kappa"] = null;
    if (n > 0) {
      // The coders' contingency table, straight from the grouped counts (categories in sorted order).
      const categories = [...new Set(both.flatMap((cell) => [cell.first!, cell.second!]))].sort();
      const matrix = categories.map((first) => categories.map((second) => both.find((cell) => cell.first === first && cell.second === second)?.count ?? 0));
      try {
        const result = cohenKappa({ table: matrix, level: settings.level });
        kappa = { value: result.kappa, lower: result.lower, upper: result.upper, level: settings.level, method: "Cohen's kappa, large-sample SE" };
      } catch (error) {
        // Kappa is undefined when both coders used a single category throughout; say so instead of hiding it.
        if (!isStatsInputError(error)) throw error;
        kappa = { value: null, reason: error.message };
      }
    }
    const ci = n > 0 ? proportionCI({ x: agreed, n, method: "wilson", level: settings.level }) : null;
    agreement.push({
      questionId: question.id,
      question: question.text,
      n,
      agreed,
      percent: ci ? { estimate: ci.estimate, lower: ci.lower, upper: ci.upper, method: "Wilson score", level: settings.level } : null,
      kappa,
    });
  }
  return {
    measures,
    strata: strata.map((stratum) => ({
      stratumId: stratum.stratumId,
      label: stratum.label,
      population: input.population.find((row) => row.stratum === stratum.stratumId)?.count ?? 0,
      sampled: input.sampled.find((row) => row.stratum === stratum.stratumId)?.count ?? 0,
    })),
    agreement,
    doubleCoded: input.doubleCoded,
    finalCoded: finalCodes.length,
    method: settings.method,
    finitePopulationCorrection: settings.finitePopulationCorrection,
    level: settings.level,
  };
}
