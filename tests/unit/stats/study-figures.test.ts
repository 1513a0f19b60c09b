/**
 * The engine reproduces the figures Pham et al. (ASE 2020) report from their counts
 * (/work/shared/reference/paper-facts.md). Stratum population sizes are not published; 424 (SE-systems)
 * and 728 (AI) are derived in docs/statistics.md from the sampling design and the 1,152 total.
 */
import { describe, expect, test } from "vitest";
import { proportionCI, sampleSize, sdConfidenceInterval, stratifiedProportion } from "@/lib/stats";

const SE_SYSTEMS_POPULATION = 424;
const AI_POPULATION = 728;

const percent = (value: number, digits = 1) => Number((value * 100).toFixed(digits));
/** The paper truncates rather than rounds (197/252 = 78.17% is printed 78.1%, 44/225 = 19.56% as 19.5%). */
const truncatedPercent = (value: number) => Math.floor(value * 1000) / 10;

describe("reference study figures", () => {
  test("755/901 = 83.8% unaware or unsure, with a Wilson interval", () => {
    const result = proportionCI({ x: 755, n: 901 });
    expect(percent(result.estimate)).toBe(83.8);
    expect(percent(result.lower)).toBe(81.2);
    expect(percent(result.upper)).toBe(86.1);
  });

  test("relevance 28/202 = 13.9±3% and 197/252 = 78.1±4% (Wald with finite population correction)", () => {
    const se = proportionCI({ x: 28, n: 202, method: "wald", populationSize: SE_SYSTEMS_POPULATION });
    const ai = proportionCI({ x: 197, n: 252, method: "wald", populationSize: AI_POPULATION });
    expect(percent(se.estimate)).toBe(13.9);
    expect(Math.round(((se.upper - se.lower) / 2) * 100)).toBe(3);
    expect(truncatedPercent(ai.estimate)).toBe(78.1);
    expect(Math.round(((ai.upper - ai.lower) / 2) * 100)).toBe(4);
    // Without the correction the half-widths round to 5% each: the paper's ± need the FPC.
    const plain = proportionCI({ x: 28, n: 202, method: "wald" });
    expect(Math.round(((plain.upper - plain.lower) / 2) * 100)).toBe(5);
  });

  test("the assumed stratum sizes are consistent with the design (95%, ±5%, p = 0.5, FPC) and sum to 1,152", () => {
    expect(SE_SYSTEMS_POPULATION + AI_POPULATION).toBe(1152);
    expect(sampleSize({ margin: 0.05, populationSize: SE_SYSTEMS_POPULATION }).n).toBe(202);
    expect(sampleSize({ margin: 0.05, populationSize: AI_POPULATION }).n).toBe(252);
  });

  test("every stratum split consistent with the design reproduces the same rounded ± values", () => {
    for (let seSystems = 421; seSystems <= 424; seSystems++) {
      const ai = 1152 - seSystems;
      if (sampleSize({ margin: 0.05, populationSize: ai }).n !== 252) continue;
      expect(sampleSize({ margin: 0.05, populationSize: seSystems }).n).toBe(202);
      const se = proportionCI({ x: 28, n: 202, method: "wald", populationSize: seSystems });
      const aiResult = proportionCI({ x: 197, n: 252, method: "wald", populationSize: ai });
      expect(Math.round(((se.upper - se.lower) / 2) * 100)).toBe(3);
      expect(Math.round(((aiResult.upper - aiResult.lower) / 2) * 100)).toBe(4);
    }
  });

  test("stratified relevance over the 1,152 papers", () => {
    const result = stratifiedProportion({
      strata: [
        { x: 28, n: 202, populationSize: SE_SYSTEMS_POPULATION },
        { x: 197, n: 252, populationSize: AI_POPULATION },
      ],
    });
    expect(result.estimate).toBeCloseTo((424 * (28 / 202) + 728 * (197 / 252)) / 1152, 12);
    expect(result.lower).toBeLessThan(result.estimate);
    expect(result.upper).toBeGreaterThan(result.estimate);
  });

  test("44/225 = 19.5% report multiple identical runs; a Wilson interval on 7/28 is [12.7%, 43.4%]", () => {
    const overall = proportionCI({ x: 44, n: 225 });
    expect(truncatedPercent(overall.estimate)).toBe(19.5);
    expect(overall.lower).toBeLessThan(0.165);
    expect(overall.upper).toBeGreaterThan(0.245);
    const seSystems = proportionCI({ x: 7, n: 28 });
    expect(percent(seSystems.lower)).toBe(12.7);
    expect(percent(seSystems.upper)).toBe(43.4);
    // The paper's 25.0±4% is far narrower than any binomial interval on 28 papers.
    expect(seSystems.upper - seSystems.estimate).toBeGreaterThan(0.15);
  });

  test("90% SD interval of 16 runs (LeNet1 default, SD 2.6 points)", () => {
    const result = sdConfidenceInterval({ sd: 2.6, n: 16 });
    expect(result.level).toBe(0.9);
    expect(result.lower).toBeCloseTo(2.0141, 4);
    expect(result.upper).toBeCloseTo(3.7370, 4);
  });
});
