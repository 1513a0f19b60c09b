/**
 * The survey's results table from the final (adjudicated) codes: each codebook measure (e.g. share of
 * relevant papers; share with multiple identical runs among relevant ones) per stratum and overall,
 * with the interval method the admin chose (default Wilson; Wald with finite population correction
 * reproduces the reference study's ± values).
 *
 * Finite population correction: for a measure over all papers the stratum's population size N_h is
 * known. For a measure restricted by `among` the size of the eligible sub-population is not known and
 * is estimated as N_h·(eligible in sample)/(sampled); results say so in `populationSizeIsEstimated`.
 * The stratified overall estimate weights strata by these population sizes (Cochran ch. 5); with
 * estimated weights its interval ignores the uncertainty of the weights, which the result states.
 */
import { answerKey, type Codebook, type CodingAnswers } from "./codebook";
import { FINITE_POPULATION_METHODS, proportionCI, type ProportionCIMethod } from "@/lib/stats/proportion-ci";
import { stratifiedProportion } from "@/lib/stats/stratified-proportion";

export type FinalCode = { paperKey: string; stratumId: string; answers: CodingAnswers };
export type StratumPopulation = { stratumId: string; label?: string; populationSize: number };

export type ResultsOptions = {
  /** default "wilson" */
  method?: ProportionCIMethod;
  /** apply the finite population correction (Wald-type methods only); default false */
  finitePopulationCorrection?: boolean;
  /** default 0.95 */
  level?: number;
};

export type ShareEstimate =
  | { x: number; n: number; estimate: number; lower: number; upper: number; method: string; level: number; populationSize: number | null }
  | { x: number; n: number; estimate: null; reason: string };

export type StratumShare = ShareEstimate & {
  stratumId: string;
  label: string;
  /** Sampled papers of the stratum with final codes. */
  sampled: number;
  /** Eligible papers whose final answer to the measure's question is missing: left out of n. */
  unanswered: number;
  populationSizeIsEstimated: boolean;
};

export type MeasureResult = {
  measureId: string;
  label: string;
  strata: StratumShare[];
  /** Σ x / Σ n over strata, ignoring the design: comparable to a report that pools its sample. */
  pooled: ShareEstimate;
  /** Population-weighted stratified estimate (Wald, Cochran): the design-consistent overall share. */
  stratified: (ShareEstimate & { weightsAreEstimated: boolean }) | null;
};

const matchesAny = (answer: unknown, anyOf: readonly string[]): boolean =>
  Array.isArray(answer) ? answer.some((value) => anyOf.includes(String(value))) : typeof answer === "string" && anyOf.includes(answer);

const METHOD_NAMES: Partial<Record<ProportionCIMethod, string>> = { wilson: "Wilson score", wald: "Wald" };

/**
 * Computes every measure of the codebook.
 * @param finalCodes one per sampled paper (papers without final codes are simply absent).
 * @param strata population size per stratum; every stratum of finalCodes must be listed.
 * @throws Error when a final code names a stratum that is not listed (a caller bug);
 *   StatsInputError from lib/stats for an invalid level or method.
 */
export function computeLiteratureEstimates(
  codebook: Codebook,
  finalCodes: readonly FinalCode[],
  strata: readonly StratumPopulation[],
  options: ResultsOptions = {},
): MeasureResult[] {
  const { method = "wilson", finitePopulationCorrection = false, level = 0.95 } = options;
  const unknown = finalCodes.find((code) => !strata.some((stratum) => stratum.stratumId === code.stratumId));
  if (unknown) throw new Error(`paper ${unknown.paperKey} is in stratum "${unknown.stratumId}", which has no population size`);
  const useFpc = finitePopulationCorrection && FINITE_POPULATION_METHODS.includes(method);
  const methodName = `${METHOD_NAMES[method] ?? method}${useFpc ? " with finite population correction" : ""}`;

  return codebook.measures.map((measure) => {
    const shares: StratumShare[] = strata.map((stratum) => {
      const sampledCodes = finalCodes.filter((code) => code.stratumId === stratum.stratumId);
      const eligible = measure.among ? sampledCodes.filter((code) => matchesAny(code.answers[measure.among!.question], measure.among!.anyOf)) : sampledCodes;
      const answered = eligible.filter((code) => answerKey(code.answers[measure.question]) !== null);
      const x = answered.filter((code) => matchesAny(code.answers[measure.question], measure.anyOf)).length;
      const n = answered.length;
      const isEstimated = Boolean(measure.among);
      const eligiblePopulation =
        sampledCodes.length === 0 ? 0 : isEstimated ? Math.round((stratum.populationSize * eligible.length) / sampledCodes.length) : stratum.populationSize;
      const base = {
        stratumId: stratum.stratumId,
        label: stratum.label ?? stratum.stratumId,
        sampled: sampledCodes.length,
        unanswered: eligible.length - answered.length,
        populationSizeIsEstimated: isEstimated,
      };
      if (n === 0) return { ...base, x, n, estimate: null, reason: measure.among ? "no eligible paper in the sample" : "no coded paper in the sample" };
      // The correction needs N ≥ n and N ≥ 2; an estimated N can fall below n only through rounding.
      const populationSize = useFpc ? Math.max(eligiblePopulation, n, 2) : undefined;
      const ci = proportionCI({ x, n, level, method, populationSize });
      return { ...base, x, n, estimate: ci.estimate, lower: ci.lower, upper: ci.upper, method: methodName, level, populationSize: ci.populationSize };
    });

    const totalX = shares.reduce((sum, share) => sum + share.x, 0);
    const totalN = shares.reduce((sum, share) => sum + share.n, 0);
    let pooled: ShareEstimate;
    if (totalN === 0) pooled = { x: 0, n: 0, estimate: null, reason: "no eligible paper in the sample" };
    else {
      const ci = proportionCI({ x: totalX, n: totalN, level, method });
      pooled = { x: totalX, n: totalN, estimate: ci.estimate, lower: ci.lower, upper: ci.upper, method: `${METHOD_NAMES[method] ?? method}, strata pooled`, level, populationSize: null };
    }

    const usable = shares.filter((share) => share.n > 0);
    let stratified: MeasureResult["stratified"] = null;
    if (usable.length > 0) {
      const result = stratifiedProportion({
        level,
        strata: usable.map((share) => {
          const stratum = strata.find((item) => item.stratumId === share.stratumId)!;
          const eligibleShare = share.sampled === 0 ? 0 : (share.n + share.unanswered) / share.sampled;
          const weightPopulation = measure.among ? Math.round(stratum.populationSize * eligibleShare) : stratum.populationSize;
          return { x: share.x, n: share.n, populationSize: Math.max(weightPopulation, share.n, 2) };
        }),
      });
      stratified = {
        x: totalX,
        n: totalN,
        estimate: result.estimate,
        lower: result.lower,
        upper: result.upper,
        method: "stratified Wald with finite population correction, weighted by stratum population",
        level,
        populationSize: result.populationSize,
        weightsAreEstimated: Boolean(measure.among),
      };
    }
    return { measureId: measure.id, label: measure.label, strata: shares, pooled, stratified };
  });
}
