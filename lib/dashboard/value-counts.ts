/**
 * Summaries computed from frequency tables ("this value was answered n times") instead of the raw answers.
 * The database returns such tables (lib/db/dashboard/survey.ts) because they add up across responses, so a
 * cached summary can take in newly completed responses; the results are the same as over the raw values
 * (type 7 quantiles as lib/stats/descriptive, sample SD, Pearson sums of squares).
 */
import type { HistogramBins } from "./survey-results";

export type ValueCount = { value: number; n: number };
export type PairCount = { x: number; y: number; n: number };

export type NumericSummary = {
  n: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  max: number | null;
};

export type PairedMoments = { n: number; meanX: number | null; meanY: number | null; sxx: number; syy: number; sxy: number };

/**
 * n, mean, sample SD (null below 2 answers), quartiles (type 7, as R's default and percentile_cont) and range.
 * @param counts sorted by value ascending, each value once.
 */
export function summarizeValueCounts(counts: readonly ValueCount[]): NumericSummary {
  const n = counts.reduce((sum, count) => sum + count.n, 0);
  if (n === 0) return { n: 0, mean: null, sd: null, min: null, q1: null, median: null, q3: null, max: null };
  const mean = counts.reduce((sum, count) => sum + count.n * count.value, 0) / n;
  const squares = counts.reduce((sum, count) => sum + count.n * (count.value - mean) ** 2, 0);
  return {
    n,
    mean,
    sd: n > 1 ? Math.sqrt(squares / (n - 1)) : null,
    min: counts[0]!.value,
    q1: quantileOfCounts(counts, n, 0.25),
    median: quantileOfCounts(counts, n, 0.5),
    q3: quantileOfCounts(counts, n, 0.75),
    max: counts.at(-1)!.value,
  };
}

/** The type 7 quantile of the n values the sorted counts stand for. */
function quantileOfCounts(counts: readonly ValueCount[], n: number, probability: number): number {
  const position = (n - 1) * probability;
  const below = Math.floor(position);
  const lowerValue = valueAtRank(counts, below);
  return lowerValue + (position - below) * (valueAtRank(counts, Math.min(below + 1, n - 1)) - lowerValue);
}

/** The value at 0-based rank `rank` of the sorted values the counts stand for. */
function valueAtRank(counts: readonly ValueCount[], rank: number): number {
  let seen = 0;
  for (const count of counts) {
    seen += count.n;
    if (rank < seen) return count.value;
  }
  return counts.at(-1)!.value;
}

/** Counts per histogram bin [lower + i·width, lower + (i+1)·width), the last bin closed. */
export function histogramFromValueCounts(counts: readonly ValueCount[], bins: HistogramBins): number[] {
  const result = new Array<number>(bins.count).fill(0);
  for (const count of counts) {
    const index = bins.width === 0 ? 0 : Math.floor((count.value - bins.lower) / bins.width);
    result[Math.min(Math.max(index, 0), bins.count - 1)]! += count.n;
  }
  return result;
}

/**
 * n, means and the centred sums of squares and cross-products of the pairs the counts stand for. The pairs are
 * summed in sorted order, so the same counts give the same bits however the database grouped them.
 */
export function momentsFromPairCounts(unsorted: readonly PairCount[]): PairedMoments {
  const counts = [...unsorted].sort((a, b) => a.x - b.x || a.y - b.y);
  const n = counts.reduce((sum, count) => sum + count.n, 0);
  if (n === 0) return { n: 0, meanX: null, meanY: null, sxx: 0, syy: 0, sxy: 0 };
  const meanX = counts.reduce((sum, count) => sum + count.n * count.x, 0) / n;
  const meanY = counts.reduce((sum, count) => sum + count.n * count.y, 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const count of counts) {
    sxx += count.n * (count.x - meanX) ** 2;
    syy += count.n * (count.y - meanY) ** 2;
    sxy += count.n * (count.x - meanX) * (count.y - meanY);
  }
  return { n, meanX, meanY, sxx, syy, sxy };
}
