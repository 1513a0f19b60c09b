/** The dashboard's study picker and the study header: counts per instrument, each a database aggregate. */
import type { Database } from "@/lib/db/engine/connection";
import { assertCan, can, type Actor } from "@/lib/auth/permissions";
import { getLiteratureCounts } from "@/lib/db/literature-results";
import { AppError } from "@/lib/errors";

export type DashboardStudy = {
  id: string;
  slug: string;
  name: string;
  description: string;
  questionnaires: number;
  completedResponses: number;
  papers: number;
  /**
   * Sampled papers with a final code, agreed or adjudicated (lib/db/literature-results.ts, the one source of
   * that count); null for a reader without coding.read-all.
   */
  finalCodes: number | null;
  experimentSets: number;
  experimentRuns: number;
  archived: boolean;
};

const STUDY_COUNTS = `
  SELECT s."id", s."slug", s."name", s."description", (s."archivedAt" IS NOT NULL) AS archived,
    (SELECT count(*)::int FROM "Questionnaire" q WHERE q."studyId" = s."id") AS questionnaires,
    (SELECT count(*)::int FROM "Response" r JOIN "Questionnaire" q ON q."id" = r."questionnaireId"
      WHERE q."studyId" = s."id" AND r."status" = 'COMPLETED') AS "completedResponses",
    (SELECT count(*)::int FROM "Paper" p WHERE p."studyId" = s."id") AS papers,
    (SELECT count(*)::int FROM "ExperimentSet" e WHERE e."studyId" = s."id") AS "experimentSets",
    (SELECT count(*)::int FROM "ExperimentRun" x JOIN "ExperimentSet" e ON e."id" = x."setId" WHERE e."studyId" = s."id") AS "experimentRuns"
  FROM "Study" s`;

/** Every active study with the size of each instrument, newest first (archived ones on request). Needs surveys.read-results. */
export async function listDashboardStudies(db: Database, actor: Actor, options: { includeArchived?: boolean } = {}): Promise<DashboardStudy[]> {
  assertCan(actor, "surveys.read-results");
  const rows = await db.sql.query<Omit<DashboardStudy, "finalCodes">>(`${STUDY_COUNTS} ${options.includeArchived ? "" : `WHERE s."archivedAt" IS NULL`} ORDER BY s."createdAt" DESC, s."slug"`);
  return Promise.all(rows.map((row) => withFinalCodes(db, actor, row)));
}

async function withFinalCodes(db: Database, actor: Actor, row: Omit<DashboardStudy, "finalCodes">): Promise<DashboardStudy> {
  return { ...row, finalCodes: can(actor, "coding.read-all") ? (await getLiteratureCounts(db, actor, row.id)).finalCoded : null };
}

/**
 * One study by its slug.
 * @throws AppError NOT_FOUND for an unknown slug.
 */
export async function findDashboardStudy(db: Database, actor: Actor, slug: string): Promise<DashboardStudy> {
  assertCan(actor, "surveys.read-results");
  const [study] = await db.sql.query<Omit<DashboardStudy, "finalCodes">>(`${STUDY_COUNTS} WHERE s."slug" = $1`, [slug]);
  if (!study) throw new AppError("NOT_FOUND", `There is no study "${slug}".`);
  return withFinalCodes(db, actor, study);
}
