import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Database } from "@/lib/db/engine/connection";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { importRunResults } from "@/lib/db/runs";
import { AppError } from "@/lib/errors";
import { chooseExperimentStudy } from "@/lib/db/experiment-studies";
import {
  createRunnerJob,
  finishRunnerJob,
  isCancelRequested,
  listUnfinishedRunnerJobs,
  markRunnerJobStarted,
  recordRunnerJobProgress,
  requestRunnerJobCancel,
  type JobStatus,
  type RunnerJobView,
} from "@/lib/db/runner-jobs";
import { readResultsDirectory } from "@/lib/runner/results-io";
import { orphanedJobs, thisOwner } from "./job-owner";
import { isProcessAlive } from "./process-alive";
import { readJobProgress, type JobProgress } from "./progress-file";
import { runnerArguments, type JobRequest } from "./request";

/**
 * Background training jobs started from the app.
 *
 * - A job is a separate, detached process (`tsx scripts/run-job.ts`) in its own process group, so a slow
 *   training never runs inside a web request and the web server's event loop stays free.
 * - The server process that started it watches it: it copies progress from the job's progress file into the
 *   RunnerJob row about once a second, and when the process exits it imports the results itself (it owns the
 *   embedded database; the job never opens it) and records how the job ended.
 * - Cancel: SIGTERM to the job process, which stops after recording the runs in flight (as Ctrl-C does in the
 *   CLI); if it is still alive after a grace period its whole process group is killed.
 * - Server restarts: a job whose watching server process is gone (lib/jobs/job-owner.ts) is **marked failed**
 *   (not resumed) when the server starts, or when a job is started or cancelled: its process (if any is left) is
 *   killed, the runs it finished are imported, and the message says so. Resuming would need a watcher for a process this server
 *   did not start; the runs are cheap to start again, and finished ones are already in the database.
 */

const CANCEL_GRACE_MS = 8_000;
const POLL_MS = 1_000;

type Tracked = { pid: number; settled: Promise<void>; cancelTimer?: NodeJS.Timeout };
const globalJobs = globalThis as unknown as { varstudyJobs?: Map<string, Tracked> };
const tracked = (globalJobs.varstudyJobs ??= new Map());

/** Where job results go: `VARSTUDY_JOBS_DIR`, default `data/runs/jobs` (git-ignored). */
export function jobsDirectory(): string {
  return path.resolve(process.env.VARSTUDY_JOBS_DIR?.trim() || path.join(process.cwd(), "data", "runs", "jobs"));
}

/** Whether pid is (still) one of our job processes, not an unrelated process that reused the number. */
function isJobProcess(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("run-job.ts");
  } catch {
    return true; // no /proc (macOS): trust the pid
  }
}

/** The job process gets no secrets: it trains and writes files, and never needs the database or auth. */
function jobEnvironment(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!/DATABASE_URL|SECRET|PASSWORD|TOKEN|VARSTUDY_DATA_DIR/i.test(key)) env[key] = value;
  return env;
}

/** The command a user would type for the same job. */
export function jobCommand(request: JobRequest, outDir: string): string {
  return ["npm run variance -- run", ...runnerArguments(request, outDir)].join(" ");
}

/**
 * Starts a preset as a background job and returns at once (status RUNNING).
 * @param request parsed with jobRequestSchema.
 * @throws AppError FORBIDDEN without experiments.manage.
 */
export async function startRunnerJob(db: Database, actor: Actor, request: JobRequest): Promise<RunnerJobView> {
  assertCan(actor, "experiments.manage");
  // The results go into the study chosen on the form; without a choice only a lone study is assumed.
  const choice = await chooseExperimentStudy(db, request.study);
  if (!choice.ok) throw new AppError("INVALID_INPUT", choice.error);
  await recoverInterruptedJobs(db);
  const id = randomUUID();
  const outDir = path.join(jobsDirectory(), id);
  const job = await createRunnerJob(db, actor, { id, request, outDir, command: jobCommand(request, outDir), owner: thisOwner(), studyId: choice.study.id });
  fs.mkdirSync(outDir, { recursive: true });
  const log = fs.openSync(path.join(outDir, "job.log"), "a");
  const root = process.cwd();
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "scripts/run-job.ts"), outDir, ...runnerArguments(request, outDir)], {
      cwd: root,
      detached: true,
      stdio: ["ignore", log, log],
      env: jobEnvironment() as NodeJS.ProcessEnv,
    });
  } finally {
    fs.closeSync(log);
  }
  if (child.pid === undefined) {
    await finishRunnerJob(db, { jobId: id, status: "FAILED", message: "The job process could not be started (see job.log).", importedSets: [] });
    return { ...job, status: "FAILED" };
  }
  const pid = child.pid;
  child.unref();
  await markRunnerJobStarted(db, { jobId: id, pid });

  let lastUpdate = "";
  const poll = setInterval(() => {
    void (async () => {
      const progress = await readJobProgress(outDir);
      if (progress && progress.updatedAt !== lastUpdate) {
        lastUpdate = progress.updatedAt;
        await recordRunnerJobProgress(db, { jobId: id, progress });
      }
      // Another server instance may have recorded the cancel request; only this one can signal the process.
      if (!tracked.get(id)?.cancelTimer && (await isCancelRequested(db, id))) signalCancel(id);
    })().catch((error) => console.error(`job ${id}: progress update failed`, error));
  }, POLL_MS);
  poll.unref();

  const settled = new Promise<void>((resolve) => {
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      const entry = tracked.get(id);
      if (entry?.cancelTimer) clearTimeout(entry.cancelTimer);
      finalizeJob(db, { jobId: id, outDir, startedBy: actor, exit: { code, signal } })
        .catch((error) => console.error(`job ${id}: finishing failed`, error))
        .finally(() => {
          tracked.delete(id);
          resolve();
        });
    });
  });
  tracked.set(id, { pid, settled });
  return { ...job, status: "RUNNING", pid };
}

function signalCancel(jobId: string): void {
  const entry = tracked.get(jobId);
  if (!entry || entry.cancelTimer) return;
  try {
    process.kill(entry.pid, "SIGTERM");
  } catch {
    return; // already gone; the exit handler records it
  }
  // A job that does not stop in time (a long epoch on a slow backend) is killed with all its worker processes.
  entry.cancelTimer = setTimeout(() => {
    try {
      process.kill(-entry.pid, "SIGKILL");
    } catch {
      // exited meanwhile
    }
  }, CANCEL_GRACE_MS);
  entry.cancelTimer.unref();
}

/**
 * Cancels a running job: recorded at once, the process is stopped, finished runs are imported, and the job
 * ends as CANCELLED. Returns before the process has exited.
 * @throws AppError(FORBIDDEN | NOT_FOUND | CONFLICT) (see requestRunnerJobCancel).
 */
export async function cancelRunnerJob(db: Database, actor: Actor, input: { jobId: string }): Promise<RunnerJobView> {
  const job = await requestRunnerJobCancel(db, actor, input);
  if (tracked.has(input.jobId)) signalCancel(input.jobId);
  else await recoverInterruptedJobs(db);
  return job;
}

/** For tests and shutdown: resolves when the job's process has exited and its results are imported. */
export function jobSettled(jobId: string): Promise<void> {
  return tracked.get(jobId)?.settled ?? Promise.resolve();
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-lines).join(" / ");
  } catch {
    return "";
  }
}

async function importJobResults(db: Database, input: { jobId: string; outDir: string; startedBy: Actor | null }) {
  let read;
  try {
    read = await readResultsDirectory(input.outDir);
  } catch {
    return { imported: 0, sets: [] as string[], failures: 0, rejected: 0 };
  }
  if (read.runs.length === 0) return { imported: 0, sets: [], failures: read.failures.length, rejected: read.errors.length };
  const job = await db.prisma.runnerJob.findUnique({ where: { id: input.jobId }, select: { studyId: true } });
  // Jobs started before jobs recorded their study have none: only a lone study is then unambiguous.
  let studyId = job?.studyId ?? null;
  if (!studyId) {
    const choice = await chooseExperimentStudy(db, null);
    if (!choice.ok) throw new Error(`the job has no study to import into: ${choice.error}`);
    studyId = choice.study.id;
  }
  const outcome = await importRunResults(db, { system: "runner-job", jobId: input.jobId, startedBy: input.startedBy }, { runs: read.runs, studyId, source: `job ${input.jobId}` });
  return { imported: outcome.imported + outcome.alreadyPresent, sets: outcome.sets, failures: read.failures.length, rejected: read.errors.length };
}

async function finalizeJob(
  db: Database,
  input: { jobId: string; outDir: string; startedBy: Actor | null; exit: { code: number | null; signal: NodeJS.Signals | null } },
): Promise<void> {
  const progress: JobProgress | null = await readJobProgress(input.outDir);
  const cancelled = await isCancelRequested(db, input.jobId);
  let imported: Awaited<ReturnType<typeof importJobResults>>;
  try {
    imported = await importJobResults(db, input);
  } catch (error) {
    await finishRunnerJob(db, {
      jobId: input.jobId,
      status: "FAILED",
      message: `The runs finished but importing them failed: ${error instanceof Error ? error.message : String(error)}`,
      progress,
      importedSets: [],
    });
    return;
  }
  const counts = `${imported.imported} run(s) imported into ${imported.sets.length} set(s)${imported.failures ? `; ${imported.failures} run(s) failed` : ""}${imported.rejected ? `; ${imported.rejected} unreadable line(s)` : ""}`;
  let status: Exclude<JobStatus, "QUEUED" | "RUNNING">;
  let message: string;
  if (cancelled) {
    status = "CANCELLED";
    message = `Cancelled. ${counts}.`;
  } else if (input.exit.code === 0) {
    status = "SUCCEEDED";
    message = `Finished. ${counts}.`;
  } else {
    status = "FAILED";
    const how = input.exit.signal ? `was stopped by ${input.exit.signal}` : `exited with code ${input.exit.code}`;
    message = `The job ${how}. ${counts}. Last output: ${tail(path.join(input.outDir, "job.log"), 3) || "(none)"}`;
  }
  await finishRunnerJob(db, { jobId: input.jobId, status, message, progress, importedSets: imported.sets });
}

/**
 * Marks failed the jobs nobody watches any more (their server process stopped), after killing what is left of
 * their process and importing the runs they finished. Jobs watched by another live server process on this host,
 * or by a server on another host, are left alone.
 * @returns the ids of the jobs it marked failed.
 */
export async function recoverInterruptedJobs(db: Database): Promise<string[]> {
  const recovered: string[] = [];
  for (const job of orphanedJobs(await listUnfinishedRunnerJobs(db), (id) => tracked.has(id))) {
    if (job.pid !== null && isJobProcess(job.pid)) {
      try {
        process.kill(-job.pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    let importedText = "";
    let sets: string[] = [];
    try {
      const imported = await importJobResults(db, { jobId: job.id, outDir: job.outDir, startedBy: null });
      sets = imported.sets;
      importedText = `${imported.imported} finished run(s) were imported`;
    } catch (error) {
      importedText = `its finished runs could not be imported (${error instanceof Error ? error.message : String(error)})`;
    }
    await finishRunnerJob(db, {
      jobId: job.id,
      status: "FAILED",
      message: `The server stopped while this job ran, so it was marked failed; ${importedText}. Start the preset again for a complete set.`,
      progress: await readJobProgress(job.outDir),
      importedSets: sets,
    });
    recovered.push(job.id);
  }
  return recovered;
}
