/**
 * A response import as a background job that the import page follows.
 *
 * 1. The request stores the upload under importsDirectory()/<job id>/, records a DataJob (RUNNING, "stored") and
 *    returns at once.
 * 2. "checking": the whole file is decoded and checked in a child process (response-import-check.ts): pure CPU
 *    work that would otherwise stop the server's event loop. Rows checked are copied into the job about once a
 *    second. Response ids are then checked against the database, 5,000 per short query.
 * 3. "writing": the rows are written in batches, yielding to the event loop between batches:
 *    - PostgreSQL server: one transaction on one pooled connection (the others stay free for participants); the
 *      job's SUCCEEDED is written inside it, so the data and "done" commit together or not at all. The dashboard's
 *      data-version counters are bumped once, by the transaction's last statement (varstudy_meta.defer_bumps, see
 *      the dashboard_version_deferred_bumps migration): bumped per statement, the import would hold its counter
 *      slot's row from the first batch to the commit, and participants whose connection shares the slot would
 *      wait for the whole import.
 *    - embedded PGlite: the database runs inside this process, one statement at a time, and a transaction holds
 *      it exclusively, so one long transaction would stop every participant for minutes. The rows go in short
 *      transactions instead (EMBEDDED_BATCH responses each, then a pause as long as the batch took, so at most
 *      half the database's time goes to the import), each recording the rows written so far with the rows; the
 *      last one writes the audit entry and SUCCEEDED. While it runs the imported responses appear in the counts
 *      as they are written. If the job fails or the server stops, the responses already written are removed
 *      (here, or by the recovery after the restart) and the job says so: nothing of the file is kept.
 * An outcome is therefore "done" exactly when the data is committed, never "failed" for committed data.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Database, SqlRunner } from "@/lib/db/engine/connection";
import { createDataJob, updateDataJob, type DataJobResult, type DataJobView } from "@/lib/db/data-jobs";
import { removePartialResponseImport } from "@/lib/db/partial-imports";
import { applyDeferredDataVersionBumps, auditImport, beginImport, deferDataVersionBumps, checkIdsAgainstDatabase, importRowsOf, importTarget, insertAnswerRows, insertResponseRows, withSavedMapping, type ImportRecord, type ImportTarget } from "@/lib/db/response-imports";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { logServerError } from "@/lib/log-error";
import type { ResponseImportError, ResponseImportOptions } from "@/lib/io/response-import";
import { recoverInterruptedDataJobs } from "./data-job-recovery";
import { DATA_JOB_KINDS, pause, startStoredDataJob, yieldToEventLoop } from "./data-job-runs";
import { thisOwner } from "./job-owner";
import { importsDirectory, prepareCheckDirectory, readCheckedResponses, runCheckProcess, type PassedCheck } from "./response-import-files";
import { formatCount } from "@/lib/format";

export const RESPONSE_IMPORT_JOB = DATA_JOB_KINDS.responseImport;
// Where they lived before the paper import shared them: callers and tests keep importing them from here.
export { dataJobSettled } from "./data-job-runs";
export { recoverInterruptedDataJobs } from "./data-job-recovery";

/** Responses per transaction in embedded mode: about 600 answers, a statement of roughly 0.1–0.3 s on a busy 2-core machine. */
const EMBEDDED_BATCH = 25;
/** Responses per statement in server mode (one transaction for all). */
const SERVER_BATCH = 500;

/**
 * For tests: called after each batch is written (server mode: inside the import's transaction, with its
 * connection), so a test can hold an import mid-way and look at what it holds.
 */
export const importJobTestHooks: { afterBatch?: (at: { written: number; sql: SqlRunner }) => Promise<void> } = {};

/**
 * Stores the upload and starts the import job; returns at once with the job (RUNNING, phase "stored").
 * @throws AppError(FORBIDDEN) without surveys.manage; AppError(NOT_FOUND) for an unknown questionnaire.
 */
export async function startResponseImportJob(
  db: Database,
  actor: Actor,
  input: { questionnaireId: string; fileName: string; bytes: Uint8Array; options: ResponseImportOptions },
): Promise<DataJobView> {
  assertCan(actor, "surveys.manage");
  await recoverInterruptedDataJobs(db);
  const target = await importTarget(db, input.questionnaireId);
  const { options } = await withSavedMapping(db, input.questionnaireId, input.options);
  const id = randomUUID();
  const dir = path.join(importsDirectory(), id);
  prepareCheckDirectory(dir, { bytes: input.bytes, definition: target.definition, options });
  return startStoredDataJob(
    id,
    dir,
    () => createDataJob(db, actor, { id, kind: RESPONSE_IMPORT_JOB, questionnaireId: input.questionnaireId, fileName: input.fileName, owner: thisOwner() }),
    () => runImportJob(db, actor, { jobId: id, dir, target, options, questionnaireId: input.questionnaireId, fileName: input.fileName }),
  );
}

type JobInput = { jobId: string; dir: string; target: ImportTarget; options: ResponseImportOptions; questionnaireId: string; fileName: string };

async function runImportJob(db: Database, actor: Actor, input: JobInput): Promise<void> {
  const { jobId } = input;
  let importId: string | null = null;
  try {
    await updateDataJob(db.sql, jobId, { phase: "checking" });
    const checked = await runCheckProcess(input.dir, "import", (progress) => {
      void updateDataJob(db.sql, jobId, { rowsChecked: progress.rowsChecked, rowsTotal: progress.rowsTotal }).catch(() => undefined);
    });
    const problems = !checked.ok ? checked.errors : !checked.check.ok ? checked.check.errors : null;
    if (problems || !checked.ok || !checked.check.ok) {
      await failWithProblems(db, jobId, problems ?? [], checked.ok ? checked.preview.dataRowCount : null);
      return;
    }
    const check = checked.check;
    await updateDataJob(db.sql, jobId, { rowsChecked: checked.preview.dataRowCount, rowsTotal: checked.preview.dataRowCount });
    const duplicates = await checkIdsAgainstDatabase(db, input.questionnaireId, check.ids, check.responseIdColumn);
    if (duplicates.length > 0) {
      await failWithProblems(db, jobId, duplicates, checked.preview.dataRowCount);
      return;
    }
    importId = randomUUID();
    const record: ImportRecord = {
      importId,
      questionnaireId: input.questionnaireId,
      fileName: input.fileName,
      format: check.format,
      timeZone: check.timeZone ?? null,
      mapping: input.options.questionKeyOverrides ?? {},
      actorId: actor.id,
      now: new Date(),
    };
    const answers = db.target.kind === "server" ? await writeInOneTransaction(db, input, record, check) : await writeInShortTransactions(db, input, record, check);
    // Embedded PGlite runs no autovacuum: refresh the planner's statistics after a bulk load (as commitImport does).
    if (answers >= 10_000) await db.sql.exec(`ANALYZE "Response"; ANALYZE "Answer";`).catch(() => undefined);
  } catch (error) {
    const ref = logServerError(`response import job ${jobId}`, error);
    const removed = importId && db.target.kind === "embedded" ? await removePartialResponseImport(db, importId).catch(() => null) : 0;
    const message =
      removed === null
        ? `The import failed (reference ${ref}) and the responses written so far could not be removed; they belong to import ${importId}: undo it on this page.`
        : `The import failed (reference ${ref}); nothing was imported${removed ? ` (the ${formatCount(removed, "response")} written so far were removed)` : ""}. Try again; if it fails again, quote the reference.`;
    await updateDataJob(db.sql, jobId, { status: "FAILED", phase: "done", message, rowsWritten: 0, finished: true }).catch((cause) => logServerError(`response import job ${jobId} (recording the failure)`, cause));
  }
}

async function failWithProblems(db: Database, jobId: string, errors: ResponseImportError[], rowsTotal: number | null) {
  await updateDataJob(db.sql, jobId, {
    status: "FAILED",
    phase: "done",
    ...(rowsTotal !== null ? { rowsTotal } : {}),
    message: `Nothing was imported: the file has ${errors.length >= 500 ? "500 or more problems" : formatCount(errors.length, "problem")}.`,
    result: { kind: "problems", errors },
    finished: true,
  });
}

function successResult(record: ImportRecord, check: PassedCheck, answers: number): DataJobResult {
  return { kind: "imported", importId: record.importId, imported: check.responses, answers, summary: check.summary, format: check.format, ...(check.timeZone ? { timeZone: check.timeZone } : {}) };
}

const successMessage = (check: PassedCheck) => `Imported ${formatCount(check.responses, "response")} (${check.summary.complete} finished, ${check.summary.partial} unfinished).`;

/** Server mode: everything in one transaction on one connection; progress is reported outside it. Returns the answers written. */
async function writeInOneTransaction(db: Database, input: JobInput, record: ImportRecord, check: PassedCheck): Promise<number> {
  await updateDataJob(db.sql, input.jobId, { phase: "writing", rowsTotal: check.responses, rowsWritten: 0 });
  return db.sql.transaction(async (tx) => {
    await deferDataVersionBumps(tx);
    await beginImport(tx, input.target, record, check.responses);
    let written = 0;
    let answers = 0;
    for await (const batch of readCheckedResponses(input.dir, SERVER_BATCH)) {
      const rows = importRowsOf(input.target, { questionnaireId: input.questionnaireId, importId: record.importId, now: record.now }, batch);
      await insertResponseRows(tx, rows.responseRows);
      for (let start = 0; start < rows.answerRows.length; start += 10_000) await insertAnswerRows(tx, rows.answerRows.slice(start, start + 10_000));
      written += rows.responseRows.length;
      answers += rows.answerRows.length;
      // Written but not committed yet: the page says so.
      await updateDataJob(db.sql, input.jobId, { rowsWritten: written });
      await importJobTestHooks.afterBatch?.({ written, sql: tx });
      await yieldToEventLoop();
    }
    await auditImport(tx, input.target, record, { responses: written, answers, summary: check.summary });
    await updateDataJob(tx, input.jobId, { status: "SUCCEEDED", phase: "done", importId: record.importId, rowsWritten: written, message: successMessage(check), result: successResult(record, check, answers), finished: true });
    // Last statement before the commit: the counters move once, and their row is held only until the commit.
    await applyDeferredDataVersionBumps(tx);
    return answers;
  });
}

/** Embedded mode: short transactions with pauses between them (see the file comment). Returns the answers written. */
async function writeInShortTransactions(db: Database, input: JobInput, record: ImportRecord, check: PassedCheck): Promise<number> {
  await db.sql.transaction(async (tx) => {
    await beginImport(tx, input.target, record, check.responses);
    await updateDataJob(tx, input.jobId, { phase: "writing", rowsTotal: check.responses, importId: record.importId, rowsWritten: 0 });
  });
  let written = 0;
  let answers = 0;
  for await (const batch of readCheckedResponses(input.dir, EMBEDDED_BATCH)) {
    const rows = importRowsOf(input.target, { questionnaireId: input.questionnaireId, importId: record.importId, now: record.now }, batch);
    const started = Date.now();
    await db.sql.transaction(async (tx) => {
      await insertResponseRows(tx, rows.responseRows);
      await insertAnswerRows(tx, rows.answerRows);
      await updateDataJob(tx, input.jobId, { rowsWritten: written + rows.responseRows.length });
    });
    written += rows.responseRows.length;
    answers += rows.answerRows.length;
    await importJobTestHooks.afterBatch?.({ written, sql: db.sql });
    // Participants' queries queued meanwhile run first; the pause lets a request's next query in too.
    await yieldToEventLoop();
    await pause(Math.min(1000, Date.now() - started));
  }
  await db.sql.transaction(async (tx) => {
    await auditImport(tx, input.target, record, { responses: written, answers, summary: check.summary });
    await updateDataJob(tx, input.jobId, { status: "SUCCEEDED", phase: "done", rowsWritten: written, message: successMessage(check), result: successResult(record, check, answers), finished: true });
  });
  return answers;
}
