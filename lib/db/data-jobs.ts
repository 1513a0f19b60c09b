/**
 * DataJob rows: heavy data work started from a page and run off the request path: response imports
 * (lib/jobs/response-import-job.ts) and response exports (lib/jobs/response-export-job.ts, their reads in
 * export-jobs.ts) belong to a questionnaire and are read through it only; paper imports
 * (lib/jobs/paper-import-job.ts) belong to a study's literature survey and are read through that study only. A job
 * asked for under another questionnaire or study is "not found".
 *
 * The state changes after creation are made by the server process that runs the job (or by the recovery after a
 * restart); they take no actor because no user performs them. SUCCEEDED is set in the transaction that commits
 * the data (see the job), never separately.
 */
import type { Database, SqlRunner } from "./engine/connection";
import { recordAudit } from "./audit";
import type { StoredImportReport } from "./papers";
import { assertCan, type Actor, type Permission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ResponseImportError, ResponseImportSummary } from "@/lib/io/response-import";
import type { PaperImportFormat } from "@/lib/io/paper-record";
import type { JobOwner } from "@/lib/jobs/job-owner";

export type DataJobStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "INTERRUPTED";
export type DataJobPhase = "queued" | "stored" | "checking" | "writing" | "done";

/** What a finished job found: the counts it wrote, or the located problems (nothing written). */
export type DataJobResult =
  | { kind: "imported"; importId: string; imported: number; answers: number; summary: ResponseImportSummary; format: "qualtrics" | "plain"; timeZone?: string }
  | { kind: "problems"; errors: ResponseImportError[] }
  | { kind: "papers-imported"; importId: string; format: PaperImportFormat; report: StoredImportReport }
  | { kind: "paper-problems"; format: PaperImportFormat | null; errors: string[] }
  | ExportedFile;

/** A finished export: the file in the job's folder and what it holds. */
export type ExportedFile = { kind: "exported"; file: string; bytes: number; responses: number; format: string; includePartial: boolean; valueFormat: "codes" | "labels" };

export type DataJobView = {
  id: string;
  kind: string;
  questionnaireId: string | null;
  studyId: string | null;
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
  /** The server process running the job (lib/jobs/job-owner.ts). */
  owner: JobOwner | null;
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
    studyId: row.studyId,
    status: row.status,
    phase: row.phase as DataJobPhase,
    fileName: row.fileName,
    rowsTotal: row.rowsTotal,
    rowsChecked: row.rowsChecked,
    rowsWritten: row.rowsWritten,
    message: row.message,
    result: (row.result as DataJobResult | null) ?? null,
    importId: row.importId,
    owner: ownerOf(row),
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    updatedAt: row.updatedAt,
  };
}

/** Which server process runs the job: only that process can finish it; the others recover it once it is gone. */
function ownerOf(row: { ownerHost: string | null; ownerPid: number | null }): JobOwner | null {
  return row.ownerHost && row.ownerPid ? { host: row.ownerHost, pid: row.ownerPid } : null;
}

/**
 * Records a new job for a questionnaire (status RUNNING, phase "stored": the upload is on disk).
 * @param input.owner the server process that runs it (thisOwner() of lib/jobs/job-owner.ts).
 * @throws AppError(FORBIDDEN) without surveys.manage; AppError(NOT_FOUND) for an unknown questionnaire.
 */
export async function createDataJob(db: Database, actor: Actor, input: { id: string; kind: string; questionnaireId: string; fileName: string; owner: JobOwner }): Promise<DataJobView> {
  assertCan(actor, "surveys.manage");
  const questionnaire = await db.prisma.questionnaire.findUnique({ where: { id: input.questionnaireId }, select: { studyId: true } });
  if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
  const owner = input.owner;
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
 * Who may read a kind of questionnaire job and what a missing one is called: imports need surveys.manage, while
 * exports are read with the export's own permission (lib/db/export-jobs.ts).
 */
export type QuestionnaireJobAccess = { permission: Permission; missing: string };

const MANAGE_ACCESS: QuestionnaireJobAccess = { permission: "surveys.manage", missing: "That job does not exist." };

/**
 * One job, read through its questionnaire: a job of another questionnaire (another study's) is "not found".
 * @throws AppError(FORBIDDEN) without the access's permission (surveys.manage by default); AppError(NOT_FOUND).
 */
export async function getDataJob(db: Database, actor: Actor, input: { questionnaireId: string; jobId: string; kind?: string }, access = MANAGE_ACCESS): Promise<DataJobView> {
  assertCan(actor, access.permission);
  const row = await db.prisma.dataJob.findFirst({ where: { id: input.jobId, questionnaireId: input.questionnaireId, ...(input.kind ? { kind: input.kind } : {}) } });
  if (!row) throw new AppError("NOT_FOUND", access.missing);
  return dataJobView(row);
}

/** The questionnaire's jobs (of one kind when given), newest first. */
export async function listDataJobs(db: Database, actor: Actor, input: { questionnaireId: string; kind?: string; limit?: number }, access = MANAGE_ACCESS): Promise<DataJobView[]> {
  assertCan(actor, access.permission);
  const rows = await db.prisma.dataJob.findMany({ where: { questionnaireId: input.questionnaireId, ...(input.kind ? { kind: input.kind } : {}) }, orderBy: { createdAt: "desc" }, take: input.limit ?? 10 });
  return rows.map(dataJobView);
}

type JobFields = Partial<{ status: DataJobStatus; phase: DataJobPhase; rowsTotal: number | null; rowsChecked: number; rowsWritten: number; message: string | null; result: DataJobResult | null; importId: string; finished: boolean }>;

/**
 * Updates a job's state, through plain SQL so it can run inside the transaction that writes the data (the job
 * then says exactly what was committed).
 */
export async function updateDataJob(sql: Pick<SqlRunner, "query">, jobId: string, fields: JobFields): Promise<void> {
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

/** updateDataJob's statements inside a Prisma transaction (the paper import writes its rows through Prisma). */
export const jobSqlOf = (tx: Prisma.TransactionClient): Pick<SqlRunner, "query"> => ({
  query: async <Row>(text: string, params: unknown[] = []) => {
    await tx.$executeRawUnsafe(text, ...params);
    return [] as Row[];
  },
});

/** Jobs of these kinds still marked as queued or running, for the recovery after a restart (each kind recovers its own). */
export async function listUnfinishedDataJobs(db: Database, kinds: readonly string[]): Promise<Array<{ id: string; kind: string; owner: JobOwner | null; importId: string | null; questionnaireId: string | null; studyId: string | null }>> {
  const rows = await db.prisma.dataJob.findMany({ where: { kind: { in: [...kinds] }, status: { in: ["QUEUED", "RUNNING"] } }, select: { id: true, kind: true, ownerHost: true, ownerPid: true, importId: true, questionnaireId: true, studyId: true } });
  return rows.map((row) => ({ id: row.id, kind: row.kind, owner: ownerOf(row), importId: row.importId, questionnaireId: row.questionnaireId, studyId: row.studyId }));
}

/** Whether a job is writing into this import right now (its responses are still arriving). */
export async function importIsBeingWritten(db: Database, importId: string): Promise<boolean> {
  return (await db.prisma.dataJob.count({ where: { importId, status: { in: ["QUEUED", "RUNNING"] } } })) > 0;
}


/**
 * Records a new job of a study's literature survey (a paper import; no questionnaire), status RUNNING, phase
 * "stored". One such job runs per study at a time: its duplicate check reads the study's papers before it writes,
 * so a second import meanwhile could miss or repeat them. The study row is locked while this is decided. Audited.
 * @throws AppError(FORBIDDEN) without papers.manage; AppError(NOT_FOUND) for an unknown study; AppError(CONFLICT)
 * while another import of the study runs.
 */
export async function createLiteratureJob(db: Database, actor: Actor, input: { id: string; kind: string; studyId: string; fileName: string; owner: JobOwner }): Promise<DataJobView> {
  assertCan(actor, "papers.manage");
  const row = await db.prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id FROM "Study" WHERE id = $1 FOR UPDATE`, input.studyId);
    if (locked.length === 0) throw new AppError("NOT_FOUND", "That study does not exist.");
    const running = await tx.dataJob.findFirst({ where: { studyId: input.studyId, questionnaireId: null, kind: input.kind, status: { in: ["QUEUED", "RUNNING"] } }, select: { fileName: true } });
    if (running) throw new AppError("CONFLICT", `An import into this study is still running (${running.fileName}); wait until it has finished, then upload again.`);
    const now = new Date();
    const created = await tx.dataJob.create({
      data: {
        id: input.id,
        kind: input.kind,
        studyId: input.studyId,
        fileName: input.fileName.slice(0, 200),
        status: "RUNNING",
        phase: "stored",
        ownerHost: input.owner.host,
        ownerPid: input.owner.pid,
        createdById: actor.id,
        startedAt: now,
        updatedAt: now,
      },
    });
    await recordAudit(tx, actor, "papers.job-start", input.id, { kind: input.kind, fileName: input.fileName.slice(0, 200), studyId: input.studyId });
    return created;
  });
  return dataJobView(row);
}

/**
 * One literature job, read through its study: a job of another study (or a questionnaire's job) is "not found".
 * @throws AppError(FORBIDDEN) without papers.manage; AppError(NOT_FOUND).
 */
export async function getLiteratureJob(db: Database, actor: Actor, input: { studyId: string; jobId: string }): Promise<DataJobView> {
  assertCan(actor, "papers.manage");
  const row = await db.prisma.dataJob.findFirst({ where: { id: input.jobId, studyId: input.studyId, questionnaireId: null } });
  if (!row) throw new AppError("NOT_FOUND", "That job does not exist.");
  return dataJobView(row);
}

/** The study's literature jobs, newest first. */
export async function listLiteratureJobs(db: Database, actor: Actor, input: { studyId: string; limit?: number }): Promise<DataJobView[]> {
  assertCan(actor, "papers.manage");
  const rows = await db.prisma.dataJob.findMany({ where: { studyId: input.studyId, questionnaireId: null }, orderBy: { createdAt: "desc" }, take: input.limit ?? 10 });
  return rows.map(dataJobView);
}
