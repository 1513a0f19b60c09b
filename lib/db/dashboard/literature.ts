/**
 * Literature-survey aggregates: population and sample per stratum, final codes grouped by the answers the
 * codebook's measures read, and two-coder contingency tables for agreement. Needs coding.read-all.
 */
import type { Database } from "@/lib/db/connection";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { codebookSchema, type Codebook } from "@/lib/coding/codebook";

export type LiteratureAggregates = {
  codebook: Codebook | null;
  /** Papers per stratum of the population (papers outside every stratum are not counted). */
  population: Array<{ stratum: string; count: number }>;
  sampled: Array<{ stratum: string; count: number }>;
  /** Final codes grouped by stratum and the JSON answers of the measures' questions. */
  finalCodeGroups: Array<{ stratum: string; answers: Record<string, unknown>; count: number }>;
  /** Papers coded by two coders in the main round (both submitted). */
  doubleCoded: number;
  /** question id → (coder 1 answer, coder 2 answer, papers); coders ordered by id, so pairs are stable. */
  agreementTables: Map<string, Array<{ first: string | null; second: string | null; count: number }>>;
  strataLabels: Record<string, string>;
};

const COMPARABLE_TYPES = new Set(["yes-no-unsure", "single-choice"]);

/** Reads the literature survey's aggregates for a study. */
export async function literatureAggregates(db: Database, actor: Actor, studyId: string): Promise<LiteratureAggregates> {
  assertCan(actor, "coding.read-all");
  const study = await db.prisma.study.findUnique({ where: { id: studyId }, select: { strataConfig: true, codebook: { select: { definition: true } } } });
  const parsed = study?.codebook ? codebookSchema.safeParse(study.codebook.definition) : null;
  const codebook = parsed?.success ? parsed.data : null;
  const strataLabels: Record<string, string> = {};
  const strataConfig = study?.strataConfig as { strata?: Array<{ id?: unknown; label?: unknown }> } | null;
  for (const stratum of strataConfig?.strata ?? []) {
    if (typeof stratum.id === "string") strataLabels[stratum.id] = typeof stratum.label === "string" ? stratum.label : stratum.id;
  }

  const population = await db.sql.query<{ stratum: string; count: number }>(
    `SELECT p."stratum" AS stratum, count(*)::int AS count FROM "Paper" p WHERE p."studyId" = $1 AND p."stratum" IS NOT NULL GROUP BY 1 ORDER BY 1`,
    [studyId],
  );
  const sampled = await db.sql.query<{ stratum: string; count: number }>(
    `SELECT p."stratum" AS stratum, count(*)::int AS count FROM "SampleItem" si JOIN "Paper" p ON p."id" = si."paperId"
      WHERE p."studyId" = $1 AND p."stratum" IS NOT NULL GROUP BY 1 ORDER BY 1`,
    [studyId],
  );

  let finalCodeGroups: LiteratureAggregates["finalCodeGroups"] = [];
  const measureQuestions = codebook ? [...new Set(codebook.measures.flatMap((measure) => [measure.question, ...(measure.among ? [measure.among.question] : [])]))] : [];
  if (measureQuestions.length > 0) {
    const columns = measureQuestions.map((_, index) => `f."answers" -> $${index + 2} AS a${index}`);
    const rows = await db.sql.query<Record<string, unknown> & { stratum: string; count: number }>(
      `SELECT p."stratum" AS stratum, ${columns.join(", ")}, count(*)::int AS count
         FROM "FinalCode" f JOIN "Paper" p ON p."id" = f."paperId"
        WHERE p."studyId" = $1 AND p."stratum" IS NOT NULL
        GROUP BY ${["1", ...measureQuestions.map((_, index) => String(index + 2))].join(", ")}`,
      [studyId, ...measureQuestions],
    );
    finalCodeGroups = rows.map((row) => ({
      stratum: row.stratum,
      count: row.count,
      answers: Object.fromEntries(measureQuestions.map((question, index) => [question, parseJsonValue(row[`a${index}`])])),
    }));
  }

  const [double] = await db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT a."paperId" FROM "Assignment" a JOIN "Coding" c ON c."assignmentId" = a."id" JOIN "Paper" p ON p."id" = a."paperId"
        WHERE p."studyId" = $1 AND a."round" = 'MAIN' AND c."submittedAt" IS NOT NULL
        GROUP BY 1 HAVING count(*) >= 2) t`,
    [studyId],
  );

  // All comparable questions in one pass: number the two coders of each paper once, pair them, and group by
  // question and answer pair (one query instead of one per question).
  const agreementTables = new Map<string, Array<{ first: string | null; second: string | null; count: number }>>();
  const comparable = (codebook?.questions ?? []).filter((question) => COMPARABLE_TYPES.has(question.type)).map((question) => question.id);
  for (const id of comparable) agreementTables.set(id, []);
  if (comparable.length > 0) {
    const rows = await db.sql.query<{ question: string; first: string | null; second: string | null; count: number }>(
      `WITH coded AS (
         SELECT a."paperId", c."answers", row_number() OVER (PARTITION BY a."paperId" ORDER BY a."coderId") AS position
           FROM "Assignment" a JOIN "Coding" c ON c."assignmentId" = a."id" JOIN "Paper" p ON p."id" = a."paperId"
          WHERE p."studyId" = $1 AND a."round" = 'MAIN' AND c."submittedAt" IS NOT NULL)
       SELECT q.id AS question, one."answers" ->> q.id AS first, two."answers" ->> q.id AS second, count(*)::int AS count
         FROM coded one JOIN coded two ON two."paperId" = one."paperId" AND one.position = 1 AND two.position = 2
        CROSS JOIN unnest($2::text[]) AS q(id)
        GROUP BY 1, 2, 3`,
      [studyId, comparable],
    );
    for (const row of rows) agreementTables.get(row.question)!.push({ first: row.first, second: row.second, count: row.count });
  }
  return { codebook, population, sampled, finalCodeGroups, doubleCoded: double?.n ?? 0, agreementTables, strataLabels };
}

/** PGlite returns jsonb as parsed values, node-postgres too; a string that is JSON text is parsed defensively. */
function parseJsonValue(value: unknown): unknown {
  return value === undefined ? null : value;
}
