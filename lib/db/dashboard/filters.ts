/**
 * The dashboard's response filter and its SQL. Every survey aggregate goes through responseFilterSql so the
 * overview, the per-question pages and the exports count the same responses.
 */
import { z } from "zod";

/** Which responses an aggregate counts. */
export type SurveyFilter = {
  questionnaireId: string;
  /** Only responses to this questionnaire version; undefined = every version. */
  versionId?: string;
  /** Only completed responses (the default: partial responses are not valid responses). */
  completedOnly: boolean;
  /** Responses started on or after this day (UTC, inclusive). */
  from?: Date;
  /** Responses started on or before this day (UTC, inclusive: up to the end of that day). */
  to?: Date;
  /** Only responses that came through an invitation of this list. */
  invitationListId?: string;
};

const dayString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date such as 2020-02-14.")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "Use a real calendar date.");

/** The filter as it arrives in a URL (`?version=…&status=all&from=…&to=…&list=…`). */
export const surveyFilterParamsSchema = z.object({
  version: z.string().max(100).optional().transform((value) => value || undefined),
  status: z.enum(["completed", "all"]).optional().default("completed"),
  from: z.union([dayString, z.literal("")]).optional().transform((value) => value || undefined),
  to: z.union([dayString, z.literal("")]).optional().transform((value) => value || undefined),
  list: z.string().max(100).optional().transform((value) => value || undefined),
});
export type SurveyFilterParams = z.infer<typeof surveyFilterParamsSchema>;

/** Builds the filter for a questionnaire from parsed URL parameters. */
export function surveyFilterFrom(questionnaireId: string, params: SurveyFilterParams): SurveyFilter {
  return {
    questionnaireId,
    versionId: params.version,
    completedOnly: params.status !== "all",
    from: params.from ? new Date(`${params.from}T00:00:00.000Z`) : undefined,
    to: params.to ? new Date(`${params.to}T23:59:59.999Z`) : undefined,
    invitationListId: params.list,
  };
}

/** A growing list of SQL parameters; `add` returns the placeholder of the value it appends. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The WHERE condition selecting the filtered responses of alias `r` ("Response").
 * @param options.ignoreStatus count started and completed responses alike (the funnel needs both).
 */
export function responseFilterSql(filter: SurveyFilter, params: SqlParams, alias = "r", options: { ignoreStatus?: boolean } = {}): string {
  const conditions = [`${alias}."questionnaireId" = ${params.add(filter.questionnaireId)}`];
  if (filter.versionId) conditions.push(`${alias}."versionId" = ${params.add(filter.versionId)}`);
  if (filter.completedOnly && !options.ignoreStatus) conditions.push(`${alias}."status" = 'COMPLETED'`);
  if (filter.from) conditions.push(`${alias}."startedAt" >= ${params.add(filter.from.toISOString())}::timestamp`);
  if (filter.to) conditions.push(`${alias}."startedAt" <= ${params.add(filter.to.toISOString())}::timestamp`);
  if (filter.invitationListId) {
    conditions.push(`EXISTS (SELECT 1 FROM "Invitation" i WHERE i."responseId" = ${alias}."id" AND i."listId" = ${params.add(filter.invitationListId)})`);
  }
  return conditions.join(" AND ");
}
