/**
 * Multiple-comparison adjustment of p-values, matching R's `p.adjust` for the three methods offered.
 */
import { StatsInputError } from "./errors";
import { assertOneOf } from "./guards";

export const P_ADJUST_METHODS = ["bonferroni", "holm", "bh"] as const;
export type PAdjustMethod = (typeof P_ADJUST_METHODS)[number];

/**
 * Adjusted p-values in the input order.
 * - bonferroni: min(1, m·p).
 * - holm (Holm 1979, step-down): sorted ascending, max over j ≤ i of min(1, (m − j + 1)·p_(j)).
 * - bh (Benjamini & Hochberg 1995, false discovery rate): sorted descending, min over j ≥ i of
 *   min(1, m/j·p_(j)).
 * @param pValues each in [0, 1]; an empty array gives an empty result.
 * @throws StatsInputError for a value outside [0, 1] or an unknown method.
 */
export function pAdjust(pValues: readonly number[], method: PAdjustMethod): number[] {
  assertOneOf(method, P_ADJUST_METHODS, "method");
  pValues.forEach((p, index) => {
    if (typeof p !== "number" || !Number.isFinite(p) || p < 0 || p > 1) {
      throw new StatsInputError(`pValues[${index}] must be a probability between 0 and 1, got ${String(p)}.`);
    }
  });
  const m = pValues.length;
  if (method === "bonferroni") return pValues.map((p) => Math.min(1, p * m));
  const adjusted = new Array<number>(m);
  if (method === "holm") {
    const order = pValues.map((_, index) => index).sort((a, b) => pValues[a]! - pValues[b]!);
    let running = 0;
    order.forEach((originalIndex, rank) => {
      running = Math.max(running, Math.min(1, (m - rank) * pValues[originalIndex]!));
      adjusted[originalIndex] = running;
    });
    return adjusted;
  }
  const order = pValues.map((_, index) => index).sort((a, b) => pValues[b]! - pValues[a]!);
  let running = 1;
  order.forEach((originalIndex, position) => {
    const rank = m - position;
    running = Math.min(running, (m / rank) * pValues[originalIndex]!);
    adjusted[originalIndex] = Math.min(1, running);
  });
  return adjusted;
}
