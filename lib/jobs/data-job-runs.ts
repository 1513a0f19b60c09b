/**
 * The data jobs (imports) this server process is running, and how they give the event loop back to participants'
 * requests between their batches.
 */
import fs from "node:fs";

const globalJobs = globalThis as unknown as { varstudyDataJobs?: Map<string, Promise<void>> };
const running = (globalJobs.varstudyDataJobs ??= new Map());

/** Remembers a job's work until it has ended (then `cleanup` runs, whatever the outcome). */
export function trackDataJob(jobId: string, work: Promise<void>, cleanup: () => void): void {
  running.set(
    jobId,
    work.finally(() => {
      running.delete(jobId);
      cleanup();
    }),
  );
}

/**
 * Writes the row of a job whose upload is already stored in `dir`, then starts its work. The folder goes when the
 * work has ended, or at once when the row could not be written (no job would ever clear it up then).
 */
export async function startStoredDataJob<Job>(jobId: string, dir: string, createRow: () => Promise<Job>, work: () => Promise<void>): Promise<Job> {
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  let job: Job;
  try {
    job = await createRow();
  } catch (error) {
    removeDir();
    throw error;
  }
  trackDataJob(jobId, work(), removeDir);
  return job;
}

export const isDataJobRunningHere = (jobId: string): boolean => running.has(jobId);

/** For tests and the benchmark: resolves when the job has ended (whatever its outcome). */
export function dataJobSettled(jobId: string): Promise<void> {
  return running.get(jobId) ?? Promise.resolve();
}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The kinds of DataJob this process runs (DataJob.kind). */
export const DATA_JOB_KINDS = { responseImport: "response-import", paperImport: "paper-import" } as const;
