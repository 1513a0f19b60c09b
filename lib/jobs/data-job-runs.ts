/**
 * The data jobs (imports) this server process is running, and how they give the event loop back to participants'
 * requests between their batches.
 */
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

export const isDataJobRunningHere = (jobId: string): boolean => running.has(jobId);

/** For tests and the benchmark: resolves when the job has ended (whatever its outcome). */
export function dataJobSettled(jobId: string): Promise<void> {
  return running.get(jobId) ?? Promise.resolve();
}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const plural = (count: number, word: string) => `${count.toLocaleString("en")} ${word}${count === 1 ? "" : "s"}`;

/** The kinds of DataJob this process runs (DataJob.kind). */
export const DATA_JOB_KINDS = { responseImport: "response-import", paperImport: "paper-import" } as const;
