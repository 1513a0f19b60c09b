/**
 * Krippendorff's alpha for any number of coders, missing data and four levels of measurement, computed
 * through the coincidence matrix as in Krippendorff (2011), "Computing Krippendorff's alpha-reliability".
 * α = 1 − (n − 1)·Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, over pairable values only (units with ≥ 2 values).
 */
import { StatsInputError } from "./errors";
import { assertOneOf } from "./guards";
import { defaultCategoryOrder, labelKey, type Label, type MaybeLabel } from "./labels";

export const KRIPPENDORFF_LEVELS = ["nominal", "ordinal", "interval", "ratio"] as const;
export type KrippendorffLevel = (typeof KRIPPENDORFF_LEVELS)[number];

export type KrippendorffAlphaOptions = {
  /** coders × units; null marks a missing value */
  data: readonly (readonly MaybeLabel[])[];
  /** level of measurement; default "nominal" */
  level?: KrippendorffLevel;
};

export type KrippendorffAlphaResult = {
  alpha: number;
  level: KrippendorffLevel;
  /** number of pairable values n (values in units coded at least twice) */
  pairableValues: number;
  /** units with at least two values */
  pairableUnits: number;
  /** observed and expected disagreement D_o, D_e (α = 1 − D_o/D_e) */
  observedDisagreement: number;
  expectedDisagreement: number;
};

function squaredDistance(
  level: KrippendorffLevel,
  values: readonly Label[],
  marginals: readonly number[],
  c: number,
  k: number,
): number {
  if (c === k) return 0;
  if (level === "nominal") return 1;
  const a = values[c] as number;
  const b = values[k] as number;
  if (level === "interval") return (a - b) ** 2;
  if (level === "ratio") return a + b === 0 ? 0 : ((a - b) / (a + b)) ** 2;
  // ordinal: ranks are the sorted distinct values; the distance counts the values lying between them.
  const low = Math.min(c, k);
  const high = Math.max(c, k);
  let between = 0;
  for (let g = low; g <= high; g++) between += marginals[g]!;
  return (between - (marginals[c]! + marginals[k]!) / 2) ** 2;
}

/**
 * Krippendorff's alpha.
 * @param options.data coders × units (each row one coder, equal lengths); null = missing. Nominal data may
 *   use any labels; ordinal, interval and ratio need numbers (ratio: non-negative).
 * @param options.level "nominal" (default), "ordinal", "interval" or "ratio".
 * @returns alpha ≤ 1 (1 = perfect reliability, 0 = chance, negative = systematic disagreement). Units
 *   coded by fewer than two coders are dropped, as Krippendorff prescribes.
 * @throws StatsInputError for ragged rows, non-numeric values at non-nominal levels, fewer than two
 *   pairable values, or no variation among pairable values (every value the same: α is 0/0).
 */
export function krippendorffAlpha(options: KrippendorffAlphaOptions): KrippendorffAlphaResult {
  const { data, level = "nominal" } = options;
  assertOneOf(level, KRIPPENDORFF_LEVELS, "level");
  if (data.length < 2) throw new StatsInputError(`data needs at least 2 coders (rows), got ${data.length}.`);
  const unitCount = data[0]!.length;
  data.forEach((row, index) => {
    if (!Array.isArray(row) || row.length !== unitCount) {
      throw new StatsInputError(`Every coder row must have ${unitCount} units; row ${index} has ${row?.length ?? 0}.`);
    }
    row.forEach((value, unit) => {
      if (value === null || value === undefined) return;
      if (level !== "nominal" && (typeof value !== "number" || !Number.isFinite(value))) {
        throw new StatsInputError(`data[${index}][${unit}] must be a number at the ${level} level, got ${JSON.stringify(value)}.`);
      }
      if (level === "ratio" && (value as number) < 0) {
        throw new StatsInputError(`data[${index}][${unit}] must be non-negative at the ratio level, got ${String(value)}.`);
      }
    });
  });
  const units: Label[][] = [];
  for (let unit = 0; unit < unitCount; unit++) {
    const values = data.map((row) => row[unit]).filter((value): value is Label => value !== null && value !== undefined);
    if (values.length >= 2) units.push(values);
  }
  const values = defaultCategoryOrder(units.flat());
  const index = new Map(values.map((value, position) => [labelKey(value), position]));
  const size = values.length;
  const coincidences = values.map(() => values.map(() => 0));
  for (const unitValues of units) {
    const counts = new Map<number, number>();
    for (const value of unitValues) {
      const position = index.get(labelKey(value))!;
      counts.set(position, (counts.get(position) ?? 0) + 1);
    }
    for (const [c, countC] of counts) {
      for (const [k, countK] of counts) {
        coincidences[c]![k]! += (countC * (c === k ? countK - 1 : countK)) / (unitValues.length - 1);
      }
    }
  }
  const marginals = coincidences.map((row) => row.reduce((a, b) => a + b, 0));
  const total = marginals.reduce((a, b) => a + b, 0);
  if (total < 2) throw new StatsInputError("Krippendorff's alpha needs at least one unit coded by two or more coders.");
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < size; c++) {
    for (let k = 0; k < size; k++) {
      const delta = squaredDistance(level, values, marginals, c, k);
      observed += coincidences[c]![k]! * delta;
      expected += marginals[c]! * marginals[k]! * delta;
    }
  }
  if (expected === 0) {
    throw new StatsInputError("Krippendorff's alpha is undefined when all pairable values are identical (no variation to agree on).");
  }
  const observedDisagreement = observed / total;
  const expectedDisagreement = expected / (total * (total - 1));
  return {
    alpha: 1 - observedDisagreement / expectedDisagreement,
    level,
    pairableValues: total,
    pairableUnits: units.length,
    observedDisagreement,
    expectedDisagreement,
  };
}
