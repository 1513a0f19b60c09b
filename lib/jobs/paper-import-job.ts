/**
 * A paper import (BibTeX, RIS, CSV) as a background job that the literature import page follows.
 *
 * 1. The request stores the upload under importsDirectory()/<job id>/, records a DataJob of the study (RUNNING,
 *    "stored"; one per study at a time, see createLiteratureJob) and answers at once.
 * 2. "checking": the file is parsed and checked against the study's papers in a child process
 *    (paper-import-check.ts): entries with a problem are rejected with their location and reason, and a file that
 *    cannot be trusted as a whole (a broken CSV quote, no usable entry) ends the job FAILED with its located
 *    problems, having written nothing.
 * 3. "writing": the new papers go in batches (papers.ts: begin, insert, complete):
 *    - PostgreSQL server: one transaction; the job's progress is written beside it, and SUCCEEDED inside it, so
 *      the papers and "done" commit together or not at all.
 *    - embedded PGlite: short transactions (a transaction holds the in-process database exclusively), each
 *      recording the papers written so far, with a pause as long as the batch took; the last one completes the
 *      existing papers, sorts the study into strata, stores the report and writes SUCCEEDED. Until then the new
 *      papers show as outside the population. If the job fails or the server stops, the papers already written
 *      are removed (here, or by the recovery, data-job-recovery.ts).
 * An outcome is therefore "done" exactly when the papers are committed, never "failed" for committed data.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Database, SqlRunner } from "@/lib/db/engine/connection";
import { createLiteratureJob, jobSqlOf, updateDataJob, type DataJobView } from "@/lib/db/data-jobs";
import { removePartialPaperImport } from "@/lib/db/partial-imports";
import { analyzePapersAfterLoad, assertPaperFileSize, beginPaperImport, completePaperImport, insertImportedPapers, paperImportContext, type PaperImportContext, type PassedPaperCheck, type Tx } from "@/lib/db/papers";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import type { PaperImportReport } from "@/lib/coding/paper-import";
import type { PaperImportFormat, PaperRecord } from "@/lib/io/paper-record";
import { logServerError } from "@/lib/log-error";
import { CHECK_FILES, importsDirectory, runCheckScript } from "./check-process";
import { recoverInterruptedDataJobs } from "./data-job-recovery";
import { DATA_JOB_KINDS, pause, startStoredDataJob, yieldToEventLoop } from "./data-job-runs";
import { thisOwner } from "./job-owner";
import { formatCount } from "@/lib/format";

export const PAPER_IMPORT_JOB = DATA_JOB_KINDS.paperImport;

/** What the check process reads from input.json. */
export type PaperCheckInput = { fileName: string; format?: PaperImportFormat; csvMapping?: unknown; existing: PaperRecord[] };

/** Papers per short transaction in embedded mode (a statement of well under 0.1 s). */
const EMBEDDED_BATCH = 200;
/** Papers per statement in server mode (one transaction for all). */
const SERVER_BATCH = 1000;

/** For tests: called after each batch of papers is written, so a test can stop an import mid-way. */
export const paperImportTestHooks: { afterBatch?: (at: { written: number }) => Promise<void> } = {};

type JobInput = { jobId: string; dir: string; studyId: string; fileName: string; format?: PaperImportFormat; csvMapping?: unknown };

/**
 * Stores the upload and starts the import job; returns at once with the job (RUNNING, phase "stored").
 * @throws AppError FORBIDDEN without papers.manage; INVALID_INPUT for an empty or oversized file; NOT_FOUND for an
 * unknown study; CONFLICT while another import of the study runs.
 */
export async function startPaperImportJob(
  db: Database,
  actor: Actor,
  input: { studyId: string; fileName: string; bytes: Uint8Array; format?: PaperImportFormat; csvMapping?: unknown },
): Promise<DataJobView> {
  assertCan(actor, "papers.manage");
  assertPaperFileSize(input.bytes);
  // An import of this study whose server died would otherwise hold the study's one import slot.
  await recoverInterruptedDataJobs(db);
  const id = randomUUID();
  const dir = path.join(importsDirectory(), id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, CHECK_FILES.upload), input.bytes);
  const jobInput: JobInput = { jobId: id, dir, studyId: input.studyId, fileName: input.fileName, format: input.format, csvMapping: input.csvMapping };
  return startStoredDataJob(
    id,
    dir,
    () => createLiteratureJob(db, actor, { id, kind: PAPER_IMPORT_JOB, studyId: input.studyId, fileName: input.fileName, owner: thisOwner() }),
    () => runPaperImportJob(db, actor, jobInput),
  );
}

async function runPaperImportJob(db: Database, actor: Actor, input: JobInput): Promise<void> {
  const { jobId } = input;
  const importId = randomUUID();
  try {
    await updateDataJob(db.sql, jobId, { phase: "checking" });
    const context = await paperImportContext(db, input.studyId);
    const checkInput: PaperCheckInput = { fileName: input.fileName, format: input.format, csvMapping: input.csvMapping, existing: context.existing };
    fs.writeFileSync(path.join(input.dir, CHECK_FILES.input), JSON.stringify(checkInput));
    const checked = await runCheckScript<PaperImportReport>("lib/jobs/paper-import-check.ts", input.dir, []);
    if (!checked.ok) {
      await updateDataJob(db.sql, jobId, {
        status: "FAILED",
        phase: "done",
        message: `Nothing was imported: the ${checked.format ? `${checked.format} ` : ""}file cannot be imported as it is.`,
        result: { kind: "paper-problems", format: checked.format, errors: checked.errors },
        finished: true,
      });
      return;
    }
    await updateDataJob(db.sql, jobId, { phase: "writing", rowsChecked: checked.counts.entriesFound, rowsTotal: checked.papers.length, rowsWritten: 0 });
    await writePapers(db, actor, { ...input, importId, context, checked });
    await analyzePapersAfterLoad(db, checked.papers.length).catch(() => undefined);
  } catch (error) {
    const ref = logServerError(`paper import job ${jobId}`, error);
    const removed = db.target.kind === "embedded" ? await removePartialPaperImport(db, importId).catch(() => null) : 0;
    const message =
      removed === null
        ? `The import failed (reference ${ref}) and the papers written so far could not be removed; they belong to import ${importId}.`
        : `The import failed (reference ${ref}); nothing was imported${removed ? ` (the ${formatCount(removed, "paper")} written so far were removed)` : ""}. Try again; if it fails again, quote the reference.`;
    await updateDataJob(db.sql, jobId, { status: "FAILED", phase: "done", message, rowsWritten: 0, finished: true }).catch((cause) => logServerError(`paper import job ${jobId} (recording the failure)`, cause));
  }
}

const successMessage = ({ counts }: PassedPaperCheck) =>
  `Imported ${formatCount(counts.new, "new paper")} of ${formatCount(counts.entriesFound)} ${counts.entriesFound === 1 ? "entry" : "entries"}: ${counts.mergedDuplicates} duplicate(s) merged within the file, ${counts.alreadyInStudy} already in the study, ${counts.rejected} rejected.`;

/**
 * Runs the writes in steps: in server mode every step shares one transaction (progress is written beside it, on
 * another connection, so the page sees it before the commit); in embedded mode each step is a short transaction
 * of its own and records its progress with its rows.
 */
async function inSteps(db: Database, body: (step: (work: (tx: Tx, progress: Pick<SqlRunner, "query">) => Promise<void>) => Promise<void>) => Promise<void>): Promise<void> {
  if (db.target.kind === "server") {
    await db.prisma.$transaction((tx) => body((work) => work(tx, db.sql)), { timeout: 600_000, maxWait: 20_000 });
    return;
  }
  await body((work) => db.prisma.$transaction((tx) => work(tx, jobSqlOf(tx)), { timeout: 120_000, maxWait: 20_000 }));
}

async function writePapers(db: Database, actor: Actor, input: JobInput & { importId: string; context: PaperImportContext; checked: PassedPaperCheck }): Promise<void> {
  const { jobId, importId, context, checked } = input;
  const at = { studyId: context.studyId, importId };
  const batchSize = db.target.kind === "server" ? SERVER_BATCH : EMBEDDED_BATCH;
  await inSteps(db, async (step) => {
    await step(async (tx, progress) => {
      await beginPaperImport(tx, { importId, studyId: context.studyId, fileName: input.fileName, format: checked.format, actorId: actor.id });
      await updateDataJob(progress, jobId, { importId });
    });
    let written = 0;
    for (let start = 0; start < checked.papers.length; start += batchSize) {
      const batch = checked.papers.slice(start, start + batchSize);
      const started = Date.now();
      await step(async (tx, progress) => {
        await insertImportedPapers(tx, at, batch);
        await updateDataJob(progress, jobId, { rowsWritten: written + batch.length });
      });
      written += batch.length;
      await paperImportTestHooks.afterBatch?.({ written });
      // Participants' queries queued meanwhile run first; in embedded mode the pause lets a request's next query in too.
      await yieldToEventLoop();
      if (db.target.kind === "embedded") await pause(Math.min(1000, Date.now() - started));
    }
    await step(async (tx) => {
      const report = await completePaperImport(tx, actor, { context, importId, fileName: input.fileName, checked });
      // Inside the transaction that commits the last of the papers: "done" exactly when they are in.
      await updateDataJob(jobSqlOf(tx), jobId, {
        status: "SUCCEEDED",
        phase: "done",
        rowsWritten: written,
        message: successMessage(checked),
        result: { kind: "papers-imported", importId, format: checked.format, report },
        finished: true,
      });
    });
  });
}
