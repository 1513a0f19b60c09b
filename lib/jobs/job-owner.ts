/**
 * Who owns a background job, and which jobs nobody owns any more. Both kinds of job (RunnerJob: a training
 * process watched by the server; DataJob: an import run inside the server) are owned by the server process that
 * started them: only that process can see them end. When it is gone (a crash, a restart) the job is orphaned and
 * its recovery settles it. A read may report an orphan as interrupted, but only the recoveries (at server start
 * or in an action) write.
 */
import os from "node:os";
import { isProcessAlive } from "./process-alive";

/** The server process that runs (or watches) a job, recorded with the job. */
export type JobOwner = { host: string; pid: number };

export const thisOwner = (): JobOwner => ({ host: os.hostname(), pid: process.pid });

/**
 * Whether the owner process has ended. Only a process on this host can be checked: another host's owner counts as
 * alive (that host's own recovery settles its jobs). A job without a recorded owner has nobody to finish it.
 */
export function isOwnerGone(owner: JobOwner | null): boolean {
  if (!owner) return true;
  const me = thisOwner();
  if (owner.host !== me.host || owner.pid === me.pid) return false;
  return !isProcessAlive(owner.pid);
}

/**
 * The unfinished jobs nobody runs: not run by this process (runsHere), and owned by a process that is gone or by
 * this very process, which then lost them (a failed start, a development reload).
 */
export function orphanedJobs<Job extends { id: string; owner: JobOwner | null }>(jobs: readonly Job[], runsHere: (jobId: string) => boolean): Job[] {
  const me = thisOwner();
  return jobs.filter((job) => !runsHere(job.id) && (isOwnerGone(job.owner) || (job.owner!.host === me.host && job.owner!.pid === me.pid)));
}
