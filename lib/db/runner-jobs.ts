import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { JobOwner } from "@/lib/jobs/job-owner";
import type { JobProgress } from "@/lib/jobs/progress-file";
import type { JobRequest } from "@/lib/jobs/request";

/**
 * RunnerJob rows: presets started from the app. The state changes after creation (started, progress,
 * finished) are made by the app's own job monitor (lib/jobs/manager.ts) for a job an authorised admin
 * started; they take no actor because no user performs them.
 */

export type JobStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

/** Which server process watches the job: only that process can see the child exit (lib/jobs/job-owner.ts). */
export type { JobOwner };

export type RunnerJobView = {
  id: string;
  preset: string;
  setting: string;
  runs: number;
  request: JobRequest;
  command: string;
  status: JobStatus;
  progress: JobProgress | null;
  outDir: string;
  pid: number | null;
  message: string | null;
  createdByEmail: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Set ids this job's results were imported into (after it ended). */
  importedSets: string[];
  owner: JobOwner | null;
};

type Options = { request: JobRequest; command: string; owner?: JobOwner; importedSets?: string[]; cancelRequested?: boolean };

type Row = Awaited<ReturnType<Database["prisma"]["runnerJob"]["findFirstOrThrow"]>>;

function toView(row: Row, createdByEmail: string | null): RunnerJobView {
  const options = row.options as unknown as Options;
  return {
    id: row.id,
    preset: row.preset,
    setting: row.setting,
    runs: row.runs,
    request: options.request,
    command: options.command,
    status: row.status,
    progress: (row.progress as JobProgress | null) ?? null,
    outDir: row.outDir,
    pid: row.pid,
    message: row.message,
    createdByEmail,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    importedSets: options.importedSets ?? [],
    owner: options.owner ?? null,
  };
}

async function emailsOf(db: Database, ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = ids.filter((id): id is string => id !== null);
  if (wanted.length === 0) return new Map();
  const users = await db.prisma.user.findMany({ where: { id: { in: wanted } }, select: { id: true, email: true } });
  return new Map(users.map((user) => [user.id, user.email]));
}

/**
 * Records a new job (QUEUED). The caller (lib/jobs/manager.ts) starts its process.
 * @param input.outDir the job's own results directory.
 * @param input.command the equivalent command line, shown to users so they can run it themselves.
 */
export async function createRunnerJob(
  db: Database,
  actor: Actor,
  input: { id?: string; request: JobRequest; outDir: string; command: string; owner: JobOwner; studyId: string },
): Promise<RunnerJobView> {
  assertCan(actor, "experiments.manage");
  const options: Options = { request: input.request, command: input.command, owner: input.owner };
  const row = await db.prisma.$transaction(async (tx) => {
    const created = await tx.runnerJob.create({
      data: {
        ...(input.id ? { id: input.id } : {}),
        preset: input.request.preset,
        setting: input.request.setting,
        runs: input.request.runs,
        options: options as unknown as Prisma.InputJsonValue,
        outDir: input.outDir,
        studyId: input.studyId,
        createdById: actor.id,
      },
    });
    await recordAudit(tx, actor, "experiments.job-start", created.id, { command: input.command, studyId: input.studyId });
    return created;
  });
  return toView(row, null);
}

/** The newest jobs of one study first (a study never sees another study's jobs). */
export async function listRunnerJobs(db: Database, actor: Actor, options: { studyId: string; limit?: number }): Promise<RunnerJobView[]> {
  assertCan(actor, "experiments.read");
  const rows = await db.prisma.runnerJob.findMany({ where: { studyId: options.studyId }, orderBy: { createdAt: "desc" }, take: Math.min(options.limit ?? 20, 200) });
  const emails = await emailsOf(db, rows.map((row) => row.createdById));
  return rows.map((row) => toView(row, row.createdById ? (emails.get(row.createdById) ?? null) : null));
}

/** @throws AppError(NOT_FOUND) for an unknown job. */
export async function getRunnerJob(db: Database, actor: Actor, input: { jobId: string }): Promise<RunnerJobView> {
  assertCan(actor, "experiments.read");
  const row = await db.prisma.runnerJob.findUnique({ where: { id: input.jobId } });
  if (!row) throw new AppError("NOT_FOUND", "That job does not exist.");
  const emails = await emailsOf(db, [row.createdById]);
  return toView(row, row.createdById ? (emails.get(row.createdById) ?? null) : null);
}

/**
 * Marks that an admin asked to cancel a running job (the monitor kills its process and records CANCELLED when
 * it has exited). Audited.
 * @throws AppError(NOT_FOUND) / AppError(CONFLICT) when the job is unknown or no longer running.
 */
export async function requestRunnerJobCancel(db: Database, actor: Actor, input: { jobId: string }): Promise<RunnerJobView> {
  assertCan(actor, "experiments.manage");
  return db.prisma.$transaction(async (tx) => {
    const row = await tx.runnerJob.findUnique({ where: { id: input.jobId } });
    if (!row) throw new AppError("NOT_FOUND", "That job does not exist.");
    if (row.status !== "RUNNING" && row.status !== "QUEUED") throw new AppError("CONFLICT", `The job has already ended (${row.status.toLowerCase()}).`);
    const options = { ...(row.options as unknown as Options), cancelRequested: true };
    const updated = await tx.runnerJob.update({ where: { id: row.id }, data: { options: options as unknown as Prisma.InputJsonValue, message: "Cancelling…" } });
    await recordAudit(tx, actor, "experiments.job-cancel", row.id);
    return toView(updated, null);
  });
}

/** Whether an admin asked to cancel the job. */
export async function isCancelRequested(db: Database, jobId: string): Promise<boolean> {
  const row = await db.prisma.runnerJob.findUnique({ where: { id: jobId }, select: { options: true } });
  return (row?.options as unknown as Options | undefined)?.cancelRequested === true;
}

/** Monitor: the job's process is running with this pid. */
export async function markRunnerJobStarted(db: Database, input: { jobId: string; pid: number }): Promise<void> {
  await db.prisma.runnerJob.update({ where: { id: input.jobId }, data: { status: "RUNNING", pid: input.pid, startedAt: new Date() } });
}

/** Monitor: latest progress read from the job's progress file. Ignored once the job has ended. */
export async function recordRunnerJobProgress(db: Database, input: { jobId: string; progress: JobProgress }): Promise<void> {
  await db.prisma.runnerJob.updateMany({
    where: { id: input.jobId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { progress: input.progress as unknown as Prisma.InputJsonValue },
  });
}

/** Monitor: the job has ended (its results already imported). */
export async function finishRunnerJob(
  db: Database,
  input: { jobId: string; status: Exclude<JobStatus, "QUEUED" | "RUNNING">; message: string; progress?: JobProgress | null; importedSets: string[] },
): Promise<void> {
  await db.prisma.$transaction(async (tx) => {
    const row = await tx.runnerJob.findUnique({ where: { id: input.jobId } });
    if (!row) return;
    const options = { ...(row.options as unknown as Options), importedSets: input.importedSets };
    await tx.runnerJob.update({
      where: { id: row.id },
      data: {
        status: input.status,
        message: input.message,
        finishedAt: new Date(),
        options: options as unknown as Prisma.InputJsonValue,
        ...(input.progress ? { progress: input.progress as unknown as Prisma.InputJsonValue } : {}),
      },
    });
    await recordAudit(tx, null, `experiments.job-${input.status.toLowerCase()}`, row.id, { message: input.message, importedSets: input.importedSets });
  });
}

/** Jobs recorded as QUEUED or RUNNING, with what the monitor needs to decide whether anyone still watches them. */
export async function listUnfinishedRunnerJobs(db: Database): Promise<Array<{ id: string; pid: number | null; outDir: string; owner: JobOwner | null; createdById: string | null }>> {
  const rows = await db.prisma.runnerJob.findMany({ where: { status: { in: ["QUEUED", "RUNNING"] } } });
  return rows.map((row) => ({ id: row.id, pid: row.pid, outDir: row.outDir, owner: (row.options as unknown as Options).owner ?? null, createdById: row.createdById }));
}
