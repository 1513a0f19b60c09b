/**
 * Response exports as DataJob rows (kind "response-export", run by lib/jobs/response-export-job.ts). They are read
 * through their questionnaire with the export's own permission (surveys.read-results, as the direct export in
 * survey-export.ts): a job asked for under another questionnaire, another study's, or of another kind is "not found".
 */
import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { dataJobView, getDataJob, listDataJobs, type DataJobView, type QuestionnaireJobAccess } from "./data-jobs";
import type { JobOwner } from "@/lib/jobs/job-owner";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";

export const RESPONSE_EXPORT_JOB = "response-export";

const EXPORT_ACCESS: QuestionnaireJobAccess = { permission: "surveys.read-results", missing: "That export does not exist." };

/** What an export job writes: the files of the direct export that read responses. */
export type ExportRequest = { format: "csv" | "json" | "r-data"; includePartial: boolean; valueFormat: "codes" | "labels" };

/**
 * Records a queued export of a questionnaire's responses, with an audit entry (who took which responses out).
 * @param input.owner the server process that writes it (thisOwner() of lib/jobs/job-owner.ts).
 * @throws AppError(FORBIDDEN) without surveys.read-results; AppError(NOT_FOUND) for an unknown questionnaire.
 */
export async function createExportJob(db: Database, actor: Actor, input: { id: string; questionnaireId: string; fileName: string; request: ExportRequest; rowsTotal: number; owner: JobOwner }): Promise<DataJobView> {
  assertCan(actor, "surveys.read-results");
  const questionnaire = await db.prisma.questionnaire.findUnique({ where: { id: input.questionnaireId }, select: { studyId: true, slug: true } });
  if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
  const { owner } = input;
  const now = new Date();
  const row = await db.prisma.$transaction(async (tx) => {
    const created = await tx.dataJob.create({
      data: {
        id: input.id,
        kind: RESPONSE_EXPORT_JOB,
        questionnaireId: input.questionnaireId,
        studyId: questionnaire.studyId,
        fileName: input.fileName.slice(0, 200),
        status: "QUEUED",
        phase: "queued",
        rowsTotal: input.rowsTotal,
        ownerHost: owner.host,
        ownerPid: owner.pid,
        createdById: actor.id,
        updatedAt: now,
      },
    });
    await recordAudit(tx, actor, "responses.export", questionnaire.slug, { job: input.id, ...input.request });
    return created;
  });
  return dataJobView(row);
}

/**
 * One export job, read through its questionnaire.
 * @throws AppError(FORBIDDEN) without surveys.read-results; AppError(NOT_FOUND) for a job of another questionnaire.
 */
export function getExportJob(db: Database, actor: Actor, input: { questionnaireId: string; jobId: string }): Promise<DataJobView> {
  return getDataJob(db, actor, { ...input, kind: RESPONSE_EXPORT_JOB }, EXPORT_ACCESS);
}

/** The questionnaire's export jobs, newest first. */
export function listExportJobs(db: Database, actor: Actor, input: { questionnaireId: string; limit?: number }): Promise<DataJobView[]> {
  return listDataJobs(db, actor, { questionnaireId: input.questionnaireId, kind: RESPONSE_EXPORT_JOB, limit: input.limit ?? 5 }, EXPORT_ACCESS);
}

/** The status of the jobs whose folders the sweep found (a folder without a row belongs to no job any more). */
export async function exportJobStates(db: Database, ids: string[]): Promise<Map<string, { status: DataJobView["status"]; finishedAt: Date | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.prisma.dataJob.findMany({ where: { id: { in: ids }, kind: RESPONSE_EXPORT_JOB }, select: { id: true, status: true, finishedAt: true } });
  return new Map(rows.map((row) => [row.id, { status: row.status, finishedAt: row.finishedAt }]));
}
