/**
 * DataJob rows: heavy data work started from a page and run off the request path: a response import
 * (lib/jobs/response-import-job.ts) or a response export (lib/jobs/response-export-job.ts, its reads in export-jobs.ts). Every job belongs to a questionnaire and so to its study: it is read through
 * its questionnaire only, and a job asked for under another questionnaire is "not found".
 *
 * The state changes after creation are made by the server process that runs the job (or by the recovery after a
 * restart); they take no actor because no user performs them. SUCCEEDED is set in the transaction that commits
 * the data (see the job), never separately.
 */
import os from "node:os";
import type { Database, SqlRunner } from "./engine/connection";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { ResponseImportError, ResponseImportSummary } from "@/lib/io/response-import";

export type DataJobStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "INTERRUPTED";
export type DataJobPhase = "queued" | "stored" | "checking" | "writing" | "done";

/** What a finished job found: the counts it wrote, or the located problems (nothing written). */
export type DataJobResult =
  | { kind: "imported"; importId: string; imported: number; answers: number; summary: ResponseImportSummary; format: "qualtrics" | "plain"; timeZone?: string }
  | { kind: "problems"; errors: ResponseImportError[] }
  | ExportedFile;

/** A finished export: the file in the job's folder and what it holds. */
export type ExportedFile = { kind: "exported"; file: string; bytes: number; responses: number; format: string; includePartial: boolean; valueFormat: "codes" | "labels" };

export type DataJobView = {
  id: string;
  kind: string;
  questionnaireId: string | null;
  status: DataJobStatus;
  phase: DataJobPhase;
  fileName: string;
  /** Data rows of the file while checking; responses to write once writing. */
  rowsTotal: number | null;
  rowsChecked: number;
  rowsWritten: number;
  message: string | null;
  result: DataJobResult | null;
  importId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
};

type Row = Awaited<ReturnType<Database["prisma"]["dataJob"]["findFirstOrThrow"]>>;

export function dataJobView(row: Row): DataJobView {
  return {
    id: row.id,
    kind: row.kind,
    questionnaireId: row.questionnaireId,
    status: row.status,
    phase: row.phase as DataJobPhase,
    fileName: row.fileName,
    rowsTotal: row.rowsTotal,
    rowsChecked: row.rowsChecked,
    rowsWritten: row.rowsWritten,
    message: row.message,
    result: (row.result as DataJobResult | null) ?? null,
    importId: row.importId,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    updatedAt: row.updatedAt,
  };
}

/** Which server process runs the job: only that process can finish it; the others recover it once it is gone. */
export type DataJobOwner = { host: string; pid: number };
export const thisProcess = (): DataJobOwner => ({ host: os.hostname(), pid: process.pid });

/**
 * Records a new job for a questionnaire (status RUNNING, phase "stored": the upload is on disk).
 * @throws AppError(FORBIDDEN) without surveys.manage; AppError(NOT_FOUND) for an unknown questionnaire.
 */
export async function createDataJob(db: Database, actor: Actor, input: { id: string; kind: string; questionnaireId: string; fileName: string }): Promise<DataJobView> {
  assertCan(actor, "surveys.manage");
  const questionnaire = await db.prisma.questionnaire.findUnique({ where: { id: input.questionnaireId }, select: { studyId: true } });
  if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
  const owner = thisProcess();
  const now = new Date();
  const row = await db.prisma.dataJob.create({
    data: {
      id: input.id,
      kind: input.kind,
      questionnaireId: input.questionnaireId,
      studyId: questionnaire.studyId,
      fileName: input.fileName.slice(0, 200),
      status: "RUNNING",
      phase: "stored",
      ownerHost: owner.host,
      ownerPid: owner.pid,
      createdById: actor.id,
      startedAt: now,
      updatedAt: now,
    },
  });
  return dataJobView(row);
}

/**
 * One job, read through its questionnaire: a job of another questionnaire (another study's) is "not found".
 * @throws AppError(FORBIDDEN) without surveys.manage; AppError(NOT_FOUND).
 */
export async function getDataJob(db: Database, actor: Actor, input: { questionnaireId: string; jobId: string; kind?: string }): Promise<DataJobView> {
  assertCan(actor, "surveys.manage");
  const row = await db.prisma.dataJob.findFirst({ where: { id: input.jobId, questionnaireId: input.questionnaireId, ...(input.kind ? { kind: input.kind } : {}) } });
  if (!row) throw new AppError("NOT_FOUND", "That job does not exist.");
  return dataJobView(row);
}

/** The questionnaire's jobs (of one kind when given), newest first. */
export async function listDataJobs(db: Database, actor: Actor, input: { questionnaireId: string; kind?: string; limit?: number }): Promise<DataJobView[]> {
  assertCan(actor, "surveys.manage");
  const rows = await db.prisma.dataJob.findMany({ where: { questionnaireId: input.questionnaireId, ...(input.kind ? { kind: input.kind } : {}) }, orderBy: { createdAt: "desc" }, take: input.limit ?? 10 });
  return rows.map(dataJobView);
}

type JobFields = Partial<{ status: DataJobStatus; phase: DataJobPhase; rowsTotal: number | null; rowsChecked: number; rowsWritten: number; message: string | null; result: DataJobResult | null; importId: string; finished: boolean }>;

/**
 * Updates a job's state, through plain SQL so it can run inside the transaction that writes the data (the job
 * then says exactly what was committed).
 */
export async function updateDataJob(sql: SqlRunner, jobId: string, fields: JobFields): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [jobId];
  const set = (column: string, value: unknown, cast = "") => {
    params.push(value);
    sets.push(`"${column}" = $${params.length}${cast}`);
  };
  if (fields.status !== undefined) set("status", fields.status, `::"DataJobStatus"`);
  if (fields.phase !== undefined) set("phase", fields.phase);
  if (fields.rowsTotal !== undefined) set("rowsTotal", fields.rowsTotal);
  if (fields.rowsChecked !== undefined) set("rowsChecked", fields.rowsChecked);
  if (fields.rowsWritten !== undefined) set("rowsWritten", fields.rowsWritten);
  if (fields.message !== undefined) set("message", fields.message);
  if (fields.result !== undefined) set("result", fields.result === null ? null : JSON.stringify(fields.result), "::jsonb");
  if (fields.importId !== undefined) set("importId", fields.importId);
  const now = new Date().toISOString();
  set("updatedAt", now);
  if (fields.finished) set("finishedAt", now);
  await sql.query(`UPDATE "DataJob" SET ${sets.join(", ")} WHERE id = $1`, params);
}

/** Jobs of one kind still marked as queued or running, for the recovery after a restart (each kind recovers its own). */
export async function listUnfinishedDataJobs(db: Database, kind: string): Promise<Array<{ id: string; owner: DataJobOwner | null; importId: string | null; questionnaireId: string | null }>> {
  const rows = await db.prisma.dataJob.findMany({ where: { kind, status: { in: ["QUEUED", "RUNNING"] } }, select: { id: true, ownerHost: true, ownerPid: true, importId: true, questionnaireId: true } });
  return rows.map((row) => ({ id: row.id, owner: row.ownerHost && row.ownerPid ? { host: row.ownerHost, pid: row.ownerPid } : null, importId: row.importId, questionnaireId: row.questionnaireId }));
}

/** Whether a job is writing into this import right now (its responses are still arriving). */
export async function importIsBeingWritten(db: Database, importId: string): Promise<boolean> {
  return (await db.prisma.dataJob.count({ where: { importId, status: { in: ["QUEUED", "RUNNING"] } } })) > 0;
}

