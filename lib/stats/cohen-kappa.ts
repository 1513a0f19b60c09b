/**
 * Two-rater agreement: percent agreement and Cohen's kappa (unweighted or weighted), with the
 * large-sample standard errors of Fleiss, Cohen & Everitt (1969) — the ones SAS PROC FREQ (AGREE) and
 * statsmodels report: `se` for the interval, `seNull` (under kappa = 0) for the z test.
 */
import { normalQuantile, normalTwoSidedP } from "./distributions";
import { StatsInputError } from "./errors";
import { assertLevel, assertOneOf } from "./guards";
import { defaultCategoryOrder, labelKey, type Label, type MaybeLabel } from "./labels";

export const KAPPA_WEIGHTS = ["none", "linear", "quadratic"] as const;
export type KappaWeights = (typeof KAPPA_WEIGHTS)[number];

export type CohenKappaOptions = {
  /** agreement weights on equally spaced category scores; default "none" */
  weights?: KappaWeights;
  /** category order (for weights and for naming table rows/columns); default: sorted observed labels */
  categories?: readonly Label[];
  /** confidence level in (0, 1); default 0.95 */
  level?: number;
};

export type CohenKappaInput =
  | ({ table: readonly (readonly number[])[]; rater1?: undefined; rater2?: undefined } & CohenKappaOptions)
  | ({ rater1: readonly MaybeLabel[]; rater2: readonly MaybeLabel[]; table?: undefined } & CohenKappaOptions);

export type CohenKappaResult = {
  kappa: number;
  /** large-sample SE of kappa, used for the interval */
  se: number;
  /** SE under the null hypothesis kappa = 0, used for z and pValue */
  seNull: number;
  lower: number;
  upper: number;
  z: number;
  /** two-sided p-value of H0: kappa = 0 */
  pValue: number;
  /** (weighted) observed agreement p_o */
  observedAgreement: number;
  /** (weighted) agreement expected by chance p_e */
  expectedAgreement: number;
  /** number of rated items (pairs with a missing rating are dropped) */
  n: number;
  categories: Label[];
  weights: KappaWeights;
  level: number;
};

/**
 * Proportion of items on which two raters give the same label.
 * @param rater1, rater2 equal-length label arrays; items where either rating is null are skipped.
 * @returns a proportion in [0, 1].
 * @throws StatsInputError for unequal lengths or no item rated by both.
 */
export function percentAgreement(rater1: readonly MaybeLabel[], rater2: readonly MaybeLabel[]): number {
  const pairs = completePairs(rater1, rater2);
  const agreed = pairs.filter(([a, b]) => labelKey(a) === labelKey(b)).length;
  return agreed / pairs.length;
}

function completePairs(rater1: readonly MaybeLabel[], rater2: readonly MaybeLabel[]): [Label, Label][] {
  if (rater1.length !== rater2.length) {
    throw new StatsInputError(`rater1 and rater2 must have the same length, got ${rater1.length} and ${rater2.length}.`);
  }
  const pairs: [Label, Label][] = [];
  rater1.forEach((a, index) => {
    const b = rater2[index];
    if (a !== null && a !== undefined && b !== null && b !== undefined) pairs.push([a, b]);
  });
  if (pairs.length === 0) throw new StatsInputError("No item was rated by both raters.");
  return pairs;
}

/** Builds the k × k count table (rows = rater 1) from paired labels. */
export function contingencyTable(
  rater1: readonly MaybeLabel[],
  rater2: readonly MaybeLabel[],
  categories?: readonly Label[],
): { table: number[][]; categories: Label[] } {
  const pairs = completePairs(rater1, rater2);
  const order = categories ? [...categories] : defaultCategoryOrder(pairs.flat());
  const index = new Map(order.map((label, position) => [labelKey(label), position]));
  if (index.size !== order.length) throw new StatsInputError("categories must not repeat a label.");
  const table = order.map(() => order.map(() => 0));
  for (const [a, b] of pairs) {
    const row = index.get(labelKey(a));
    const column = index.get(labelKey(b));
    if (row === undefined || column === undefined) {
      throw new StatsInputError(`Label "${String(row === undefined ? a : b)}" is not among the given categories.`);
    }
    table[row]![column]! += 1;
  }
  return { table, categories: order };
}

/** Agreement weight between categories i and j of k (1 on the diagonal). */
export function agreementWeight(i: number, j: number, k: number, weights: KappaWeights): number {
  if (weights === "none" || k === 1) return i === j ? 1 : 0;
  const distance = Math.abs(i - j) / (k - 1);
  return weights === "linear" ? 1 - distance : 1 - distance * distance;
}

function validateTable(table: readonly (readonly number[])[]): void {
  const k = table.length;
  if (k === 0) throw new StatsInputError("table must have at least one row.");
  table.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== k) {
      throw new StatsInputError(`table must be square (k × k); row ${i} has ${row?.length ?? 0} entries, expected ${k}.`);
    }
    row.forEach((count, j) => {
      if (!Number.isInteger(count) || count < 0) {
        throw new StatsInputError(`table[${i}][${j}] must be a non-negative whole number, got ${count}.`);
      }
    });
  });
}

/**
 * Cohen's kappa for two raters, from a square count table (rows = rater 1, columns = rater 2) or from
 * two label arrays. Options may be passed in the first argument or in the second.
 * @returns kappa with SEs, a Wald interval kappa ± z·se clipped to [−1, 1], and the z test of kappa = 0.
 *   Identical raters with at least two categories give kappa = 1, se = 0 and the interval [1, 1].
 * @throws StatsInputError for ragged/non-square tables, fractional or negative counts, unequal rater
 *   arrays, labels outside `categories`, an empty table, or when both raters use one single category
 *   (chance agreement is 1 and kappa is 0/0; report percent agreement instead).
 */
export function cohenKappa(input: CohenKappaInput, options: CohenKappaOptions = {}): CohenKappaResult {
  const weights = options.weights ?? input.weights ?? "none";
  const level = options.level ?? input.level ?? 0.95;
  const givenCategories = options.categories ?? input.categories;
  assertOneOf(weights, KAPPA_WEIGHTS, "weights");
  assertLevel(level);
  let table: readonly (readonly number[])[];
  let categories: Label[];
  if (input.table !== undefined) {
    validateTable(input.table);
    table = input.table;
    if (givenCategories && givenCategories.length !== table.length) {
      throw new StatsInputError(`categories has ${givenCategories.length} labels but the table has ${table.length} rows.`);
    }
    categories = givenCategories ? [...givenCategories] : table.map((_, index) => index + 1);
  } else {
    ({ table, categories } = contingencyTable(input.rater1, input.rater2, givenCategories));
  }
  const k = table.length;
  const total = table.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  if (total === 0) throw new StatsInputError("table is empty (all counts are 0).");
  const p = table.map((row) => row.map((count) => count / total));
  const rowMargins = p.map((row) => row.reduce((a, b) => a + b, 0));
  const columnMargins = p[0]!.map((_, j) => p.reduce((sum, row) => sum + row[j]!, 0));
  const w = (i: number, j: number) => agreementWeight(i, j, k, weights);

  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      observed += w(i, j) * p[i]![j]!;
      expected += w(i, j) * rowMargins[i]! * columnMargins[j]!;
    }
  }
  if (expected >= 1 - 1e-12) {
    throw new StatsInputError(
      "Cohen's kappa is undefined when both raters use a single category (chance agreement is 1); report percent agreement instead.",
    );
  }
  const kappa = (observed - expected) / (1 - expected);
  // w̄_i. and w̄_.j of Fleiss, Cohen & Everitt (1969).
  const rowMeanWeight = Array.from({ length: k }, (_, i) => columnMargins.reduce((s, c, j) => s + c * w(i, j), 0));
  const columnMeanWeight = Array.from({ length: k }, (_, j) => rowMargins.reduce((s, r, i) => s + r * w(i, j), 0));
  let varianceSum = 0;
  let nullSum = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const margins = rowMeanWeight[i]! + columnMeanWeight[j]!;
      varianceSum += p[i]![j]! * (w(i, j) - margins * (1 - kappa)) ** 2;
      nullSum += rowMargins[i]! * columnMargins[j]! * (w(i, j) - margins) ** 2;
    }
  }
  const scale = total * (1 - expected) ** 2;
  const se = Math.sqrt(Math.max(0, (varianceSum - (kappa - expected * (1 - kappa)) ** 2) / scale));
  const seNull = Math.sqrt(Math.max(0, (nullSum - expected * expected) / scale));
  const zCritical = normalQuantile(1 - (1 - level) / 2);
  const z = seNull > 0 ? kappa / seNull : kappa === 0 ? 0 : Math.sign(kappa) * Infinity;
  return {
    kappa,
    se,
    seNull,
    lower: Math.max(-1, kappa - zCritical * se),
    upper: Math.min(1, kappa + zCritical * se),
    z,
    pValue: normalTwoSidedP(z),
    observedAgreement: observed,
    expectedAgreement: expected,
    n: total,
    categories,
    weights,
    level,
  };
}
