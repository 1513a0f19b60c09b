/**
 * Import jobs (responses, papers) whose server process is gone (export jobs recover in response-export-job.ts). Recovery writes: it runs at server start
 * (instrumentation-node.ts) and when an import starts, never during a read. A read reports such a job as
 * interrupted without writing (reportedNow), so the page following it stops waiting at once.
 */
import fs from "node:fs";
import path from "node:path";
import type { Database } from "@/lib/db/engine/connection";
import { listUnfinishedDataJobs, updateDataJob, type DataJobView } from "@/lib/db/data-jobs";
import { removePartialPaperImport, removePartialResponseImport } from "@/lib/db/partial-imports";
import { importsDirectory } from "./check-process";
import { DATA_JOB_KINDS, isDataJobRunningHere } from "./data-job-runs";
import { isOwnerGone, orphanedJobs } from "./job-owner";
import { formatCount } from "@/lib/format";

/** What each kind of import leaves behind when it stops half-way, and how it is removed. */
const PARTIAL_WRITES: Record<string, { remove: (db: Database, importId: string) => Promise<number>; unit: string }> = {
  [DATA_JOB_KINDS.responseImport]: { remove: removePartialResponseImport, unit: "response" },
  [DATA_JOB_KINDS.paperImport]: { remove: removePartialPaperImport, unit: "paper" },
};

/**
 * Marks INTERRUPTED the jobs whose server process is gone (a restart, a crash), with the truth about their data:
 * in server mode their transaction never committed (nothing was written); in embedded mode the rows written so far
 * are removed first. Jobs of a live process on this host, and of other hosts, are left alone.
 * @returns the ids of the jobs it marked interrupted.
 */
export async function recoverInterruptedDataJobs(db: Database): Promise<string[]> {
  const recovered: string[] = [];
  for (const job of orphanedJobs(await listUnfinishedDataJobs(db, Object.keys(PARTIAL_WRITES)), isDataJobRunningHere)) {
    const partial = PARTIAL_WRITES[job.kind];
    const removed = partial && job.importId ? await partial.remove(db, job.importId) : 0;
    const what = partial ? `nothing of the file was imported${removed ? ` (the ${formatCount(removed, partial.unit)} written before the stop were removed)` : ""}. Upload it again.` : "start it again.";
    await updateDataJob(db.sql, job.id, { status: "INTERRUPTED", phase: "done", rowsWritten: 0, message: `The server stopped while this job ran; ${what}`, finished: true });
    fs.rmSync(path.join(importsDirectory(), job.id), { recursive: true, force: true });
    recovered.push(job.id);
  }
  return recovered;
}

const IMPORT_STOPPED =
  "The server stopped while this job ran, so it will not finish; nothing of the file counts as imported (rows it had written are removed when the server starts again or the next import starts). Upload it again.";

/**
 * The job as a reader should see it now: one still marked running whose server process is gone is reported
 * INTERRUPTED (it cannot finish). Nothing is written; the recovery settles the row and removes partial writes.
 */
export function reportedNow(job: DataJobView, message = IMPORT_STOPPED): DataJobView {
  if ((job.status !== "RUNNING" && job.status !== "QUEUED") || !isOwnerGone(job.owner)) return job;
  return {
    ...job,
    status: "INTERRUPTED",
    phase: "done",
    message,
  };
}
