/**
 * Headline definitions: which answers of which question make a headline proportion (e.g. "unaware or unsure
 * of implementation-level variance" = Q26 Yes + Maybe), with the interval method and level to report it with
 * and the published figure to show beside it. They are data stored per questionnaire (Questionnaire.headlineConfig),
 * edited in the admin questionnaire page and exported/imported as YAML with the questionnaire. Pure: no I/O.
 */
import { parse, stringify } from "yaml";
import { z } from "zod";
import { PROPORTION_CI_METHODS } from "@/lib/stats/proportion-ci";
import { STABLE_ID_PATTERN } from "@/lib/survey/definition";

const idSchema = z.string().regex(STABLE_ID_PATTERN, "Use a letter, then letters, digits or underscores (at most 64).");

export const headlineSchema = z.strictObject({
  id: idSchema,
  label: z.string().trim().min(1, "Give the headline a label.").max(200),
  question: idSchema,
  anyOf: z.array(idSchema).min(1, "Choose at least one answer that counts."),
  /** The interval method this headline is reported with; absent = the reader's choice on the page. */
  method: z.enum(PROPORTION_CI_METHODS).optional(),
  /** The confidence level this headline is reported with; absent = the reader's choice on the page. */
  level: z.number().gt(0.5).lt(1).optional(),
  /** The published figure, shown beside the computed one and never used in a computation. */
  reference: z.strictObject({ percent: z.number().min(0).max(100), x: z.number().int().optional(), n: z.number().int().optional() }).optional(),
});

export const headlineConfigSchema = z.strictObject({
  /** The questionnaire id the file was written for (informational; the stored config belongs to its row). */
  questionnaire: z.string().min(1).optional(),
  headlines: z.array(headlineSchema).default([]),
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

/** An empty configuration: a questionnaire without headlines still gets every per-question result. */
export const EMPTY_HEADLINES: HeadlineConfig = headlineConfigSchema.parse({});

/**
 * Parses a headlines file's text (YAML or JSON).
 * @throws Error naming the file and the first invalid path, so a broken file is fixed rather than ignored.
 */
export function parseHeadlineConfig(text: string, fileName = "headlines file"): HeadlineConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new Error(`${fileName}: not valid YAML (${(error as Error).message.split("\n")[0]})`);
  }
  const result = headlineConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${fileName}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  assertUniqueHeadlineIds(result.data, fileName);
  return result.data;
}

function assertUniqueHeadlineIds(config: HeadlineConfig, where: string): void {
  const seen = new Set<string>();
  for (const [index, headline] of config.headlines.entries()) {
    if (seen.has(headline.id)) throw new Error(`${where}: headlines.${index}.id: "${headline.id}" is used twice.`);
    seen.add(headline.id);
  }
}

/**
 * The configuration stored in a questionnaire row (JSON column). A null column is "no headlines".
 * @throws Error when a stored value no longer validates (only after a schema change in code).
 */
export function storedHeadlineConfig(value: unknown): HeadlineConfig {
  if (value === null || value === undefined) return EMPTY_HEADLINES;
  const result = headlineConfigSchema.safeParse(value);
  if (!result.success) throw new Error(`stored headline configuration does not validate: ${result.error.issues[0]?.path.join(".")}: ${result.error.issues[0]?.message}`);
  return result.data;
}

/** The YAML a questionnaire's headlines are exported as; parseHeadlineConfig reads it back unchanged. */
export function headlineConfigToYaml(config: HeadlineConfig, questionnaire: string): string {
  const { questionnaire: _ignored, ...rest } = config;
  const trimmed = Object.fromEntries(
    Object.entries(rest).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0) && !(typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0)),
  );
  return `# Headline results of the ${questionnaire} questionnaire (VarStudy). Import it on another questionnaire's page.\n${stringify({ questionnaire, ...trimmed })}`;
}

/** Adds a headline, or replaces the one with the same id. */
export function withHeadline(config: HeadlineConfig, headline: HeadlineDefinition): HeadlineConfig {
  const index = config.headlines.findIndex((item) => item.id === headline.id);
  const headlines = index === -1 ? [...config.headlines, headline] : config.headlines.map((item, i) => (i === index ? headline : item));
  return { ...config, headlines };
}

/** Removes the headline with this id (no change when there is none). */
export function withoutHeadline(config: HeadlineConfig, id: string): HeadlineConfig {
  return { ...config, headlines: config.headlines.filter((item) => item.id !== id) };
}
