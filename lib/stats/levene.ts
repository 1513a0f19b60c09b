/**
 * Levene's test for equal variances (Levene 1960, center = mean) and its Brown–Forsythe (1974) variant
 * (center = median, the default here as in scipy and car::leveneTest). The statistic is the one-way
 * ANOVA F of the absolute deviations |y_ij − center_i|.
 */
import { fUpperTail } from "./distributions";
import { StatsInputError } from "./errors";
import { mean, median } from "./descriptive";
import { assertFiniteValues, assertOneOf } from "./guards";

export const LEVENE_CENTERS = ["median", "mean"] as const;
export type LeveneCenter = (typeof LEVENE_CENTERS)[number];

export type LeveneResult = {
  /** W, F-distributed with (k − 1, N − k) degrees of freedom under H0 */
  statistic: number;
  pValue: number;
  df1: number;
  df2: number;
  center: LeveneCenter;
};

/**
 * Levene / Brown–Forsythe test.
 * @param groups at least two groups, each with at least two finite values.
 * @param options.center "median" (default, Brown–Forsythe) or "mean" (original Levene).
 * @throws StatsInputError for fewer than two groups or values, or when the absolute deviations do not
 *   vary within any group (e.g. all values tied): the F ratio is then x/0 and the test is undefined.
 */
export function leveneTest(groups: readonly (readonly number[])[], options: { center?: LeveneCenter } = {}): LeveneResult {
  const center = options.center ?? "median";
  assertOneOf(center, LEVENE_CENTERS, "center");
  if (groups.length < 2) throw new StatsInputError(`Levene's test needs at least 2 groups, got ${groups.length}.`);
  groups.forEach((group, index) => assertFiniteValues(group, `groups[${index}]`, 2));
  const deviations = groups.map((group) => {
    const middle = center === "median" ? median(group) : mean(group);
    return group.map((value) => Math.abs(value - middle));
  });
  const total = deviations.reduce((sum, group) => sum + group.length, 0);
  const groupMeans = deviations.map((group) => mean(group));
  const grandMean = deviations.flat().reduce((a, b) => a + b, 0) / total;
  let between = 0;
  let within = 0;
  deviations.forEach((group, index) => {
    const groupMean = groupMeans[index]!;
    between += group.length * (groupMean - grandMean) ** 2;
    for (const value of group) within += (value - groupMean) ** 2;
  });
  // Relative to the deviations' size: two groups of two values, e.g. accuracies 0.784 and 0.7892, have deviations equal
  // up to rounding (within ≈ 1e-32), and an absolute cut-off would report W ≈ 1e27 instead of "undefined".
  const scale = deviations.flat().reduce((sum, value) => sum + value * value, 0);
  if (within <= scale * 1e-20) {
    throw new StatsInputError(
      "Levene's test is undefined when the absolute deviations from each group's centre are constant within every group (e.g. all values tied).",
    );
  }
  const df1 = groups.length - 1;
  const df2 = total - groups.length;
  const statistic = (df2 / df1) * (between / within);
  return { statistic, pValue: fUpperTail(statistic, df1, df2), df1, df2, center };
}
