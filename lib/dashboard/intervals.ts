/**
 * The interval choices a dashboard reader can make (URL `?method=…&level=…`) and the names printed next to
 * every number, so a table copied into a paper says how it was computed.
 */
import { z } from "zod";
import { PROPORTION_CI_METHODS, type ProportionCIMethod } from "@/lib/stats/proportion-ci";
import type { PAdjustMethod } from "@/lib/stats/p-adjust";

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

export const formatLevel = (level: number): string => `${Number((level * 100).toFixed(1))}%`;

/** A proportion as a percentage with one decimal, e.g. 0.83796 → "83.8%". */
export const formatPercent = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined || !Number.isFinite(value) ? "–" : `${(value * 100).toFixed(digits)}%`;

/** "[81.3%, 86.0%]" */
export const formatInterval = (lower: number, upper: number, digits = 1): string => `[${formatPercent(lower, digits)}, ${formatPercent(upper, digits)}]`;

/** A signed difference in percentage points, e.g. "+4.2 pp". */
export const formatPoints = (value: number, digits = 1): string => `${value >= 0 ? "+" : "−"}${Math.abs(value * 100).toFixed(digits)} pp`;

/** A p-value as journals print it. */
export const formatP = (p: number): string => (p < 0.001 ? "< 0.001" : p.toFixed(3));

/** A plain number with a fixed number of decimals, or "–". */
export const formatNumber = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(digits);
