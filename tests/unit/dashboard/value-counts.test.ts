/**
 * Summaries from frequency tables (lib/dashboard/value-counts.ts) against lib/stats over the raw values they
 * stand for: the dashboard's numbers must not depend on whether the answers were counted first.
 */
import { describe, expect, it } from "vitest";
import { histogramFromValueCounts, momentsFromPairCounts, summarizeValueCounts, type PairCount, type ValueCount } from "@/lib/dashboard/value-counts";
import { histogramBins } from "@/lib/dashboard/survey-results";
import { mean, quantile, sampleStdDev } from "@/lib/stats/descriptive";
import { createRng, randomInt } from "@/lib/stats/random";

/** The frequency table of values, sorted by value, as the database returns it per question. */
function countsOf(values: readonly number[]): ValueCount[] {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, n]) => ({ value, n })).sort((a, b) => a.value - b.value);
}

describe("summaries from value counts", () => {
  it.each([1, 2, 3, 7, 50, 901])("equal lib/stats over %i raw values (few distinct, many repeats)", (size) => {
    const rng = createRng(size);
    const values = Array.from({ length: size }, () => randomInt(rng, 31) / (size % 2 === 0 ? 1 : 4));
    const summary = summarizeValueCounts(countsOf(values));
    expect(summary.n).toBe(size);
    expect(summary.mean).toBeCloseTo(mean(values), 12);
    if (size > 1) expect(summary.sd).toBeCloseTo(sampleStdDev(values), 12);
    else expect(summary.sd).toBeNull();
    for (const [key, probability] of [["q1", 0.25], ["median", 0.5], ["q3", 0.75]] as const) expect(summary[key], key).toBeCloseTo(quantile(values, probability), 12);
    expect(summary.min).toBe(Math.min(...values));
    expect(summary.max).toBe(Math.max(...values));
  });

  it("gives no estimate for no answers", () => {
    expect(summarizeValueCounts([])).toEqual({ n: 0, mean: null, sd: null, min: null, q1: null, median: null, q3: null, max: null });
  });

  it("bins counts as the raw values bin, the maximum in the closed last bin", () => {
    const values = [0, 0.5, 4.99, 5, 17, 17, 23.5, 60];
    const bins = histogramBins(0, 60, 12);
    const brute = new Array(bins.count).fill(0);
    for (const value of values) brute[Math.min(bins.count - 1, Math.floor((value - bins.lower) / bins.width))] += 1;
    expect(histogramFromValueCounts(countsOf(values), bins)).toEqual(brute);
    expect(histogramFromValueCounts(countsOf([3, 3, 3]), histogramBins(3, 3))).toEqual([3]);
  });

  it("gives the same sums of squares and products as the raw pairs, in any row order", () => {
    const rng = createRng(5);
    const pairs = Array.from({ length: 400 }, () => ({ x: (1 + randomInt(rng, 3)), y: randomInt(rng, 26) }));
    const grouped = new Map<string, PairCount>();
    for (const { x, y } of pairs) {
      const entry = grouped.get(`${x}:${y}`) ?? { x, y, n: 0 };
      entry.n += 1;
      grouped.set(`${x}:${y}`, entry);
    }
    const counts = [...grouped.values()];
    const mx = mean(pairs.map((pair) => pair.x));
    const my = mean(pairs.map((pair) => pair.y));
    const moments = momentsFromPairCounts(counts);
    expect(moments.n).toBe(400);
    expect(moments.sxx).toBeCloseTo(pairs.reduce((sum, pair) => sum + (pair.x - mx) ** 2, 0), 9);
    expect(moments.syy).toBeCloseTo(pairs.reduce((sum, pair) => sum + (pair.y - my) ** 2, 0), 9);
    expect(moments.sxy).toBeCloseTo(pairs.reduce((sum, pair) => sum + (pair.x - mx) * (pair.y - my), 0), 9);
    expect(momentsFromPairCounts([...counts].reverse())).toEqual(moments);
    expect(momentsFromPairCounts([])).toEqual({ n: 0, meanX: null, meanY: null, sxx: 0, syy: 0, sxy: 0 });
  });
});
