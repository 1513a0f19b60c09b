/**
 * A response export (CSV, JSON, R/SPSS data) as a background job that its page follows (issue 23: exporting 167k
 * responses on the request path held the embedded database, and so every participant, for a minute).
 *
 * 1. The request checks the permission, records the job (QUEUED, with an audit entry) and returns at once.
 * 2. Jobs of this server process run one at a time. A job reads the responses in the export's order in batches
 *    (keyset on (startedAt, id): two short queries per batch, see listExportBatch) and appends each batch to
 *    `<exportsDirectory()>/<job id>/<file>.part`, recording the responses written. Between batches it yields to the
 *    event loop; in embedded mode it also pauses as long as the batch took, so at most about half the database's
 *    time goes to the export and participants' queries interleave.
 * 3. Complete, the file is flushed and renamed to its name, and only then is the job SUCCEEDED: the download
 *    serves SUCCEEDED jobs only, so a half-written file is never offered. A failure, or a server that stopped
 *    (recovery at start and when a job is followed), leaves the job FAILED or INTERRUPTED and its folder deleted.
 * 4. Files are kept for EXPORT_RETENTION_MS after the job finished, then deleted by the sweep (server start, each
 *    new export); folders of jobs that no longer exist (a deleted questionnaire) go with the same sweep.
 *
 * The file is not a snapshot: a batch holds the responses as they are when it is read (a response finished during
 * the export is in the file if the export had not yet passed it). The bytes are those of the direct export for the
 * same data (lib/io/response-export-file.ts).
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Database } from "@/lib/db/engine/connection";
import { listUnfinishedDataJobs, updateDataJob, type DataJobView, type ExportedFile } from "@/lib/db/data-jobs";
import { createExportJob, exportJobStates, RESPONSE_EXPORT_JOB, type ExportRequest } from "@/lib/db/export-jobs";
import { countExportedResponses, exportedDefinition, listExportBatch, type ExportCursor } from "@/lib/db/survey-export";
import { storedHeadlineConfig } from "@/lib/dashboard/headlines";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { exportFileName, exportFilePieces, type ExportFileMeta } from "@/lib/io/response-export-file";
import { logServerError } from "@/lib/log-error";
import { orphanedJobs, thisOwner } from "./job-owner";
import { formatCount } from "@/lib/format";

export { RESPONSE_EXPORT_JOB, type ExportRequest };

/**
 * Exports of at most this many responses may still be answered directly by GET …/export (about 0.3 s of database
 * time at the rate measured for 167k responses); larger ones are jobs only. The admin pages always start a job.
 */
export const DIRECT_EXPORT_MAX_RESPONSES = 1000;
/** How long a finished export's file is kept for download. */
export const EXPORT_RETENTION_MS = 24 * 3600 * 1000;

/** Responses per batch: embedded, about 0.1 s of PGlite's time on a busy 2-core machine; server, one short query. */
const EMBEDDED_BATCH = 250;
const SERVER_BATCH = 1000;

/** For tests: called after each batch is written to the file (a test can hold an export mid-way). */
export const exportJobTestHooks: { afterBatch?: (at: { jobId: string; written: number }) => Promise<void> } = {};

const globalExports = globalThis as unknown as { varstudyExportJobs?: { running: Map<string, Promise<void>>; tail: Promise<void> } };
const state = (globalExports.varstudyExportJobs ??= { running: new Map(), tail: Promise.resolve() });

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Where export files are kept, one folder per job: `VARSTUDY_EXPORTS_DIR`, default `data/exports` (git-ignored). */
export function exportsDirectory(): string {
  return path.resolve(process.env.VARSTUDY_EXPORTS_DIR?.trim() || path.join(process.cwd(), "data", "exports"));
}

/**
 * Queues an export of a questionnaire's responses; returns at once with the job (QUEUED).
 * @throws AppError(FORBIDDEN) without surveys.read-results; AppError(NOT_FOUND) for an unknown questionnaire.
 */
export async function startResponseExportJob(db: Database, actor: Actor, input: { questionnaireId: string; request: ExportRequest }): Promise<DataJobView> {
  assertCan(actor, "surveys.read-results");
  await recoverInterruptedExportJobs(db);
  const { questionnaire, version, definition } = await exportedDefinition(db, actor, input);
  const meta: ExportFileMeta = { slug: questionnaire.slug, version: version.version, exportedAt: new Date().toISOString(), definition, headlineConfig: storedHeadlineConfig(questionnaire.headlineConfig) };
  const fileName = exportFileName(input.request, meta);
  const total = await countExportedResponses(db, actor, { questionnaireId: input.questionnaireId, includePartial: input.request.includePartial });
  const id = randomUUID();
  const job = await createExportJob(db, actor, { id, questionnaireId: input.questionnaireId, fileName, request: input.request, rowsTotal: total, owner: thisOwner() });
  const settled = state.tail
    .then(() => runExportJob(db, { jobId: id, questionnaireId: input.questionnaireId, request: input.request, meta, fileName, total }))
    .finally(() => state.running.delete(id));
  state.tail = settled;
  state.running.set(id, settled);
  return job;
}

/** For tests and the benchmark: resolves when the export job has ended (whatever its outcome). */
export function exportJobSettled(jobId: string): Promise<void> {
  return state.running.get(jobId) ?? Promise.resolve();
}

/** The finished file of a SUCCEEDED export job, or null (not finished, failed, expired or gone from the disk). */
export function exportedFilePath(job: DataJobView): { path: string; file: ExportedFile } | null {
  if (job.kind !== RESPONSE_EXPORT_JOB || job.status !== "SUCCEEDED" || job.result?.kind !== "exported") return null;
  if (exportExpired(job)) return null;
  const file = path.join(exportsDirectory(), job.id, path.basename(job.result.file));
  try {
    return fs.statSync(file).size === job.result.bytes ? { path: file, file: job.result } : null;
  } catch {
    return null;
  }
}

export const exportExpired = (job: Pick<DataJobView, "finishedAt">, now = Date.now()) => job.finishedAt !== null && now - job.finishedAt.getTime() > EXPORT_RETENTION_MS;

/** total: the responses the export held when it was asked for (participants may add some meanwhile). */
type JobInput = { jobId: string; questionnaireId: string; request: ExportRequest; meta: ExportFileMeta; fileName: string; total: number };

async function runExportJob(db: Database, input: JobInput): Promise<void> {
  const { jobId } = input;
  const dir = path.join(exportsDirectory(), jobId);
  try {
    await updateDataJob(db.sql, jobId, { status: "RUNNING", phase: "writing", rowsTotal: input.total, rowsWritten: 0 });
    fs.mkdirSync(dir, { recursive: true });
    const { bytes, written } = await writeExportFile(db, input, path.join(dir, `${input.fileName}.part`));
    fs.renameSync(path.join(dir, `${input.fileName}.part`), path.join(dir, input.fileName));
    const result: ExportedFile = { kind: "exported", file: input.fileName, bytes, responses: written, ...input.request };
    await updateDataJob(db.sql, jobId, { status: "SUCCEEDED", phase: "done", rowsTotal: written, rowsWritten: written, message: `Exported ${formatCount(written, "response")}.`, result, finished: true });
  } catch (error) {
    const ref = logServerError(`response export job ${jobId}`, error);
    fs.rmSync(dir, { recursive: true, force: true });
    const message = `The export failed (reference ${ref}); no file was kept. Try again; if it fails again, quote the reference.`;
    await updateDataJob(db.sql, jobId, { status: "FAILED", phase: "done", message, finished: true }).catch((cause) => logServerError(`response export job ${jobId} (recording the failure)`, cause));
  }
}

/** Writes the file a batch at a time; returns its size and the responses in it. */
async function writeExportFile(db: Database, input: JobInput, file: string): Promise<{ bytes: number; written: number }> {
  const pieces = exportFilePieces(input.request, input.meta);
  const limit = db.target.kind === "embedded" ? EMBEDDED_BATCH : SERVER_BATCH;
  const handle = await fs.promises.open(file, "w");
  let bytes = 0;
  const write = async (text: string) => {
    const chunk = Buffer.from(text, "utf8");
    await handle.write(chunk);
    bytes += chunk.length;
  };
  let written = 0;
  try {
    await write(pieces.head);
    let after: ExportCursor | null = null;
    for (;;) {
      const started = Date.now();
      const batch = await listExportBatch(db, input.meta.definition, { questionnaireId: input.questionnaireId, includePartial: input.request.includePartial, after, limit });
      if (batch.records.length === 0) break;
      await write(pieces.batch(batch.records, written === 0));
      written += batch.records.length;
      after = batch.last;
      await updateDataJob(db.sql, input.jobId, { rowsWritten: written });
      await exportJobTestHooks.afterBatch?.({ jobId: input.jobId, written });
      if (batch.records.length < limit) break;
      // Participants' queries queued meanwhile run first; in embedded mode the pause lets their next query in too.
      await yieldToEventLoop();
      if (db.target.kind === "embedded") await pause(Math.min(1000, Date.now() - started));
    }
    await write(pieces.tail(written > 0));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { bytes, written };
}

export const EXPORT_STOPPED = "The server stopped while this export was being written, so it will not finish; its unfinished file is deleted. Export again.";

/**
 * Export jobs whose server process is gone (a restart, a crash) are marked INTERRUPTED and their partial files
 * deleted; jobs of a live process on this host, and of other hosts, are left alone. Then the sweep: folders of
 * jobs that failed, were interrupted, expired or no longer exist are deleted.
 */
export async function recoverInterruptedExportJobs(db: Database): Promise<void> {
  for (const job of orphanedJobs(await listUnfinishedDataJobs(db, [RESPONSE_EXPORT_JOB]), (jobId) => state.running.has(jobId))) {
    fs.rmSync(path.join(exportsDirectory(), job.id), { recursive: true, force: true });
    await updateDataJob(db.sql, job.id, { status: "INTERRUPTED", phase: "done", message: EXPORT_STOPPED, finished: true });
  }
  await sweepExportFiles(db);
}

async function sweepExportFiles(db: Database): Promise<void> {
  let folders: string[];
  try {
    folders = fs.readdirSync(exportsDirectory());
  } catch {
    return; // no export yet
  }
  const states = await exportJobStates(db, folders);
  for (const folder of folders) {
    const job = states.get(folder);
    const keep = job && (job.status === "RUNNING" || job.status === "QUEUED" || (job.status === "SUCCEEDED" && !exportExpired(job)));
    if (!keep && !state.running.has(folder)) fs.rmSync(path.join(exportsDirectory(), folder), { recursive: true, force: true });
  }
}
