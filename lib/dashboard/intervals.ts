/**
 * The interval choices a dashboard reader can make (URL `?method=…&level=…`) and the names printed next to
 * every number, so a table copied into a paper says how it was computed.
 */
import { z } from "zod";
import { PROPORTION_CI_METHODS, type ProportionCIMethod } from "@/lib/stats/proportion-ci";
import type { PAdjustMethod } from "@/lib/stats/p-adjust";
import { formatLevel } from "@/lib/format";

export const METHOD_NAMES: Record<ProportionCIMethod, string> = {
  wald: "Wald",
  "wald-cc": "Wald with continuity correction",
  wilson: "Wilson score",
  "wilson-cc": "Wilson score with continuity correction",
  "agresti-coull": "Agresti–Coull",
  "plus-four": "plus-four",
  "clopper-pearson": "Clopper–Pearson exact",
  jeffreys: "Jeffreys",
  "mid-p": "mid-p exact",
  "likelihood-ratio": "likelihood ratio",
};

export const ADJUST_NAMES: Record<PAdjustMethod, string> = {
  bonferroni: "Bonferroni",
  holm: "Holm",
  bh: "Benjamini–Hochberg (false discovery rate)",
};

export const LEVELS = [0.9, 0.95, 0.99] as const;

/** The reader's interval settings, parsed from URL parameters; bad values fall back to the defaults. */
export const intervalParamsSchema = z.object({
  method: z.enum(PROPORTION_CI_METHODS).catch("wilson").default("wilson"),
  level: z.coerce
    .number()
    .refine((value) => (LEVELS as readonly number[]).includes(value))
    .catch(0.95)
    .default(0.95),
  adjust: z.enum(["holm", "bh", "bonferroni"]).catch("holm").default("holm"),
});
export type IntervalSettings = { method: ProportionCIMethod; level: number; adjust: PAdjustMethod };

/** Parses the interval settings from a search-params record (first value of repeated keys). */
export function intervalSettingsFrom(params: Record<string, string | string[] | undefined>): IntervalSettings {
  const first = (key: string) => (Array.isArray(params[key]) ? params[key]![0] : params[key]);
  return intervalParamsSchema.parse({ method: first("method"), level: first("level"), adjust: first("adjust") });
}

/** "Wilson score 95% CI" — the words printed beside an interval. */
export const intervalName = (method: ProportionCIMethod, level: number): string => `${METHOD_NAMES[method]} ${formatLevel(level)} CI`;

/**
 * Why an interval must not be read as a result, or null when it can be. Zero-width intervals ("[0.0%, 0.0%]")
 * look like certainty but come from a method breaking down (Wald at x = 0 or x = n), not from the data.
 */
export type IntervalCaveat = { kind: "zero-width" | "approximation" | "tiny-n" | "at-bound" | "undefined"; message: string };

/** Below this many answers any proportion's interval is mostly width; say so instead of implying precision. */
export const TINY_N = 5;
/** Wald-type intervals need about this many answers on each side (x and n − x) for the normal approximation. */
const WALD_MIN_SIDE = 5;
const WALD_TYPE: ReadonlySet<ProportionCIMethod> = new Set(["wald", "wald-cc"]);
const WORKS_AT_EDGES = "Wilson score or Clopper–Pearson exact";

/**
 * A zero-width interval of a share with answers, whatever produced it (a Wald-type method at x = 0 or x = n, or a
 * stratified estimate whose strata are all at an edge): the method failing, not certainty.
 */
export function zeroWidthCaveat(input: { x: number; n: number; lower: number; upper: number; methodName: string }): IntervalCaveat | null {
  const { x, n, lower, upper, methodName } = input;
  if (n <= 0 || upper - lower > 1e-12) return null;
  const edge = x === 0 || x === n ? ` at x = ${x} of n = ${n}` : "";
  return { kind: "zero-width", message: `The ${methodName} interval has zero width${edge}: that is the method failing, not certainty. Use the ${WORKS_AT_EDGES} interval here.` };
}

/**
 * The caveat of a proportion's interval: Wald-type at x = 0 or x = n (zero width), Wald-type with fewer than 5
 * answers on one side, any zero-width interval, or fewer than TINY_N answers. n = 0 is "no answers" (no caveat).
 */
export function proportionIntervalCaveat(input: { x: number; n: number; method: ProportionCIMethod; lower: number | null; upper: number | null }): IntervalCaveat | null {
  const { x, n, method, lower, upper } = input;
  if (n <= 0 || lower === null || upper === null) return null;
  const name = METHOD_NAMES[method];
  const zeroWidth = zeroWidthCaveat({ x, n, lower, upper, methodName: name });
  if (zeroWidth) return zeroWidth;
  if (WALD_TYPE.has(method) && (x < WALD_MIN_SIDE || n - x < WALD_MIN_SIDE)) {
    return { kind: "approximation", message: `The ${name} interval is unreliable with ${x} of n = ${n} (its normal approximation needs at least ${WALD_MIN_SIDE} on each side). Use the ${WORKS_AT_EDGES} interval here.` };
  }
  if (n < TINY_N) return { kind: "tiny-n", message: `Only n = ${n} answered: the interval is too wide to say much.` };
  return null;
}

/** Below this many rated items Cohen's kappa's large-sample standard error means little. */
export const KAPPA_MIN_N = 10;

/**
 * The caveat of a Cohen's kappa interval: undefined kappa, a zero-width interval (SE = 0, e.g. kappa = 1 or
 * constant ratings), kappa at a bound (±1), or too few items for the large-sample SE.
 */
export function kappaIntervalCaveat(input: { n: number; value: number | null; lower?: number | null; upper?: number | null; reason?: string }): IntervalCaveat | null {
  const agreementHint = `report percent agreement with its ${WORKS_AT_EDGES} interval instead`;
  if (input.value === null || !Number.isFinite(input.value)) {
    return { kind: "undefined", message: `Kappa is undefined here${input.reason ? ` (${input.reason})` : ""}; ${agreementHint}.` };
  }
  const { lower, upper } = input;
  if (lower !== null && lower !== undefined && upper !== null && upper !== undefined && upper - lower <= 1e-12) {
    return { kind: "zero-width", message: `Zero-width interval at n = ${input.n}: the large-sample SE is 0 here, which is not certainty; ${agreementHint}.` };
  }
  if (Math.abs(input.value) >= 1 - 1e-12) return { kind: "at-bound", message: `Kappa is at its bound (${input.value > 0 ? "+1" : "−1"}), where its large-sample interval does not hold; ${agreementHint}.` };
  if (input.n < KAPPA_MIN_N) return { kind: "tiny-n", message: `Only n = ${input.n} papers: the large-sample kappa interval is unreliable below ${KAPPA_MIN_N}; ${agreementHint}.` };
  return null;
}
