/**
 * Fleiss' kappa for a fixed number of raters per subject (Fleiss 1971), with the standard error under
 * kappa = 0 of Fleiss, Nee & Landis (1979) — the z that R's irr::kappam.fleiss reports.
 */
import { normalTwoSidedP } from "./distributions";
import { StatsInputError } from "./errors";
import { defaultCategoryOrder, labelKey, type Label, type MaybeLabel } from "./labels";

export type FleissKappaInput =
  | { ratings: readonly (readonly MaybeLabel[])[]; counts?: undefined }
  | { counts: readonly (readonly number[])[]; ratings?: undefined };

export type FleissKappaResult = {
  kappa: number;
  /** kappa / SE under H0 (kappa = 0) */
  z: number;
  /** two-sided p-value of H0: kappa = 0 */
  pValue: number;
  seNull: number;
  subjects: number;
  raters: number;
  /** category labels (from ratings) or column numbers 1..k (from counts) */
  categories: Label[];
};

/** Converts subjects × raters labels into subjects × categories counts. */
export function ratingsToCounts(ratings: readonly (readonly MaybeLabel[])[]): { counts: number[][]; categories: Label[] } {
  ratings.forEach((row, index) =>
    row.forEach((label) => {
      if (label === null || label === undefined) {
        throw new StatsInputError(
          `ratings[${index}] has a missing rating; Fleiss' kappa needs every subject rated by all raters (use krippendorff-alpha for missing data).`,
        );
      }
    }),
  );
  const categories = defaultCategoryOrder(ratings.flat() as Label[]);
  const index = new Map(categories.map((label, position) => [labelKey(label), position]));
  const counts = ratings.map((row) => {
    const subjectCounts = categories.map(() => 0);
    for (const label of row) subjectCounts[index.get(labelKey(label as Label))!]! += 1;
    return subjectCounts;
  });
  return { counts, categories };
}

/**
 * Fleiss' kappa.
 * @param input `ratings` (subjects × raters labels, no missing values) or `counts` (subjects × categories,
 *   whole numbers; every row must sum to the same number of raters m ≥ 2).
 * @returns kappa, z and a two-sided p-value. Perfect agreement with at least two categories used gives 1.
 * @throws StatsInputError for no subjects, ragged rows, unequal raters per subject, fewer than 2 raters,
 *   missing ratings, or when only one category is ever used (chance agreement 1, kappa 0/0).
 */
export function fleissKappa(input: FleissKappaInput): FleissKappaResult {
  let counts: readonly (readonly number[])[];
  let categories: Label[];
  if (input.ratings !== undefined) {
    if (input.ratings.length === 0) throw new StatsInputError("ratings must contain at least one subject.");
    ({ counts, categories } = ratingsToCounts(input.ratings));
  } else {
    counts = input.counts;
    if (counts.length === 0) throw new StatsInputError("counts must contain at least one subject.");
    categories = (counts[0] ?? []).map((_, index) => index + 1);
  }
  const k = counts[0]!.length;
  counts.forEach((row, i) => {
    if (row.length !== k) throw new StatsInputError(`Row ${i} has ${row.length} categories, expected ${k} like row 0.`);
    row.forEach((count, j) => {
      if (!Number.isInteger(count) || count < 0) {
        throw new StatsInputError(`counts[${i}][${j}] must be a non-negative whole number, got ${count}.`);
      }
    });
  });
  const raters = counts[0]!.reduce((a, b) => a + b, 0);
  counts.forEach((row, i) => {
    const sum = row.reduce((a, b) => a + b, 0);
    if (sum !== raters) {
      throw new StatsInputError(`Subject ${i} has ${sum} ratings but subject 0 has ${raters}; Fleiss' kappa needs the same number per subject.`);
    }
  });
  if (raters < 2) throw new StatsInputError(`Fleiss' kappa needs at least 2 ratings per subject, got ${raters}.`);
  const subjects = counts.length;
  const proportions = Array.from({ length: k }, (_, j) => counts.reduce((s, row) => s + row[j]!, 0) / (subjects * raters));
  const meanAgreement =
    counts.reduce((s, row) => s + (row.reduce((a, c) => a + c * c, 0) - raters) / (raters * (raters - 1)), 0) / subjects;
  const chanceAgreement = proportions.reduce((s, p) => s + p * p, 0);
  if (chanceAgreement >= 1 - 1e-12) {
    throw new StatsInputError("Fleiss' kappa is undefined when every rating is the same category (chance agreement is 1).");
  }
  const kappa = (meanAgreement - chanceAgreement) / (1 - chanceAgreement);
  const pq = proportions.reduce((s, p) => s + p * (1 - p), 0);
  const skew = proportions.reduce((s, p) => s + p * (1 - p) * (1 - 2 * p), 0);
  const varianceNull = (2 / (pq * pq * subjects * raters * (raters - 1))) * (pq * pq - skew);
  const seNull = Math.sqrt(varianceNull);
  const z = kappa / seNull;
  return { kappa, z, pValue: normalTwoSidedP(z), seNull, subjects, raters, categories };
}
