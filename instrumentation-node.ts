import { getDatabase } from "@/lib/db";
import { parseServerEnv } from "@/lib/env";
import { recoverInterruptedJobs } from "@/lib/jobs/manager";
import { recoverInterruptedDataJobs } from "@/lib/jobs/data-job-recovery";
import { recoverInterruptedExportJobs } from "@/lib/jobs/response-export-job";
import { logServerError } from "@/lib/log-error";

/**
 * Jobs whose watching server process stopped (a crash, a restart) are settled when the server starts, so a page
 * render only reads: runner jobs are marked failed with their finished runs imported (starting or cancelling a job
 * checks again, lib/jobs/manager.ts); import jobs (responses, papers) are marked interrupted with their partial rows
 * removed (starting an import checks again, lib/jobs/data-job-recovery.ts); response-export jobs are marked
 * interrupted with their unfinished files deleted, and export files past their retention are deleted
 * (lib/jobs/response-export-job.ts). Who counts as gone: lib/jobs/job-owner.ts.
 */
export async function startServer(): Promise<void> {
  // A bad environment stops the start here, with every wrong variable named.
  parseServerEnv();
  await recoverJobsAtStart();
}

async function recoverJobsAtStart(): Promise<void> {
  try {
    const recovered = await recoverInterruptedJobs(await getDatabase());
    if (recovered.length > 0) console.log(`Marked ${recovered.length} interrupted runner job(s) failed: ${recovered.join(", ")}`);
  } catch (error) {
    // The server still starts; the next start or cancel of a job tries again.
    logServerError("recovering interrupted runner jobs at start", error);
  }
  try {
    await recoverInterruptedDataJobs(await getDatabase());
  } catch (error) {
    logServerError("recovering interrupted import jobs at start", error);
  }
  try {
    await recoverInterruptedExportJobs(await getDatabase());
  } catch (error) {
    logServerError("recovering interrupted export jobs at start", error);
  }
}
