/**
 * Headline definitions: which answers of which question make a headline proportion (e.g. "unaware or unsure
 * of implementation-level variance" = Q26 Yes + Maybe). They are data, kept beside the questionnaire as
 * `data/questionnaires/<questionnaire id>-headlines.yaml`, so another study states its own without code.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";

const idSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/);

export const headlineConfigSchema = z.strictObject({
  questionnaire: z.string().min(1),
  headlines: z
    .array(
      z.strictObject({
        id: idSchema,
        label: z.string().min(1),
        question: idSchema,
        anyOf: z.array(idSchema).min(1),
        /** The published figure, shown beside the computed one and never used in a computation. */
        reference: z.strictObject({ percent: z.number().min(0).max(100), x: z.number().int().optional(), n: z.number().int().optional() }).optional(),
      }),
    )
    .default([]),
  expectations: z.array(z.strictObject({ setting: z.string().min(1), question: idSchema })).default([]),
  /** Upper bound of each estimate bin in percentage points; null = unbounded ("Over 20%"). */
  binUpperBounds: z.record(idSchema, z.number().nullable()).default({}),
  /** Numeric scores of ordinal single-choice answers, for correlations. */
  ordinalScores: z.record(idSchema, z.record(idSchema, z.number())).default({}),
  defaultCorrelation: z.strictObject({ x: idSchema, y: idSchema }).optional(),
  defaultBreakdown: idSchema.optional(),
});
export type HeadlineConfig = z.infer<typeof headlineConfigSchema>;
export type HeadlineDefinition = HeadlineConfig["headlines"][number];

/** An empty configuration: a questionnaire without a headlines file still gets every per-question result. */
export const EMPTY_HEADLINES: HeadlineConfig = headlineConfigSchema.parse({ questionnaire: "none" });

/**
 * Parses a headlines file's text.
 * @throws Error naming the file and the first invalid path, so a broken file is fixed rather than ignored.
 */
export function parseHeadlineConfig(text: string, fileName = "headlines file"): HeadlineConfig {
  const result = headlineConfigSchema.safeParse(parse(text));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${fileName}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  return result.data;
}

/**
 * Reads `data/questionnaires/<definitionId>-headlines.yaml` when it exists.
 * @returns the parsed configuration, or EMPTY_HEADLINES when the questionnaire has no headlines file.
 */
export function loadHeadlineConfig(definitionId: string, directory = path.join(process.cwd(), "data", "questionnaires")): HeadlineConfig {
  if (!/^[A-Za-z0-9_-]+$/.test(definitionId)) return EMPTY_HEADLINES;
  const file = path.join(directory, `${definitionId}-headlines.yaml`);
  if (!fs.existsSync(file)) return EMPTY_HEADLINES;
  return parseHeadlineConfig(fs.readFileSync(file, "utf8"), path.basename(file));
}
