/**
 * Category labels as they arrive from coding sheets and JSON: strings or numbers, `null` for a missing
 * rating. Labels are compared by type and value, so 1 and "1" are different categories.
 */
export type Label = string | number;
export type MaybeLabel = Label | null;

/** A key that keeps 1 and "1" apart in maps. */
export const labelKey = (label: Label): string => `${typeof label}:${String(label)}`;

/**
 * Sorts distinct labels into the default category order: numbers ascending first, then strings in code
 * point order. Deterministic across locales, unlike localeCompare.
 */
export function defaultCategoryOrder(labels: Iterable<Label>): Label[] {
  const distinct = new Map<string, Label>();
  for (const label of labels) distinct.set(labelKey(label), label);
  return [...distinct.values()].sort((a, b) => {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (typeof a === "number") return -1;
    if (typeof b === "number") return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
