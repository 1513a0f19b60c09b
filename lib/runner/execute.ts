import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { isBackendAvailable, tensorflowInstallStatus } from "./backend";
import { locateDataset } from "./data/load";
import { planRuns, resultLineIdentity, resultsFileName, selectShard, type RunRequest, type RunSpec } from "./plan";
import { runInWorkerProcesses, type RunEvent } from "./pool";
import { runKey } from "./result-schema";
import { appendResultLine, readResultsDirectory } from "./results-io";
import { executeRun } from "./run-one";
import { RunInterruptedError } from "./train";
import { oneLine } from "./worker-protocol";

export type ExecutionSummary = {
  resultsFile: string;
  planned: number;
  /** Runs already completed in the output directory (never redone). */
  skipped: number;
  completed: number;
  failed: Array<{ setId: string; runIndex: number; error: string }>;
  interrupted: boolean;
};

/** A request that cannot start at all (missing dataset or backend): reported once, before any run. */
export class RequestNotRunnableError extends Error {}

/**
 * Checks what every run of a plan needs before any starts: the dataset's files and each backend.
 * @throws RequestNotRunnableError with one line saying what is missing and how to get it.
 */
export async function checkRunnable(specs: readonly RunSpec[]): Promise<void> {
  const first = specs[0];
  if (!first) return;
  const location = await locateDataset(first.training.dataset, first.dataDir);
  if (!location.ok) throw new RequestNotRunnableError(location.error);
  const firstSpecOfBackend = new Map(specs.map((spec) => [spec.backend.backend, spec] as const).reverse());
  for (const [backend, spec] of firstSpecOfBackend) {
    if (await isBackendAvailable(backend)) continue;
    // Only tensorflow can be missing; its install status says why and what to do.
    const status = tensorflowInstallStatus();
    const reason = status.installed ? "its files are there but it is not usable" : status.reason;
    const instead = spec.setting === "cross-implementation" ? `leave ${backend} out of --implementations` : "use --backend wasm";
    throw new RequestNotRunnableError(`Backend '${backend}' is not available: ${reason} (or ${instead}).`);
  }
}

/**
 * Runs (a shard of) a request: plans the runs, skips those already completed in the output
 * directory, executes the rest and appends each result or failure to the shard's results file as
 * soon as it is known. Interrupting loses at most the runs in flight; calling again resumes.
 *
 * @param request validated request (see runRequestSchema).
 * @param options.mode "processes" (default; a pool of `request.workers` child processes) or
 *   "in-process" (sequential in this process; used by tests and for debugging).
 * @param options.onEvent every pool event, e.g. for a progress display, after it has been recorded.
 * @param options.onPlanned called once with the counts before any run starts.
 * @param options.signal aborting stops after recording what has finished.
 * @returns counts and the failures; failed runs are recorded as `failure` lines and retried next time.
 * @throws RequestNotRunnableError before any run starts (and before the output directory is created) when
 *   the dataset or a backend is missing.
 */
export async function executeRequest(
  request: RunRequest,
  options: {
    mode?: "processes" | "in-process";
    onEvent?: (event: RunEvent) => void;
    onPlanned?: (counts: { total: number; skipped: number }) => void;
    signal?: AbortSignal;
  } = {},
): Promise<ExecutionSummary> {
  const shardPlan = selectShard(planRuns(request), request.shard);
  const existing = existsSync(request.outDir) ? (await readResultsDirectory(request.outDir)).runs : [];
  const completedKeys = new Set(existing.map(runKey));
  const todo = shardPlan.filter((spec) => !completedKeys.has(runKey(spec)));
  // Refuse before writing anything, rather than record one failed run per planned run.
  await checkRunnable(todo);
  await mkdir(request.outDir, { recursive: true });
  const resultsFile = path.join(request.outDir, resultsFileName(request.shard));
  const skipped = shardPlan.length - todo.length;
  options.onPlanned?.({ total: shardPlan.length, skipped });

  const summary: ExecutionSummary = { resultsFile, planned: shardPlan.length, skipped, completed: 0, failed: [], interrupted: false };
  const handle = async (event: RunEvent) => {
    if (event.type === "finished") {
      await appendResultLine(resultsFile, event.result);
      summary.completed += 1;
    } else if (event.type === "failed") {
      await appendResultLine(resultsFile, failureLine(event.spec, event.error));
      summary.failed.push({ setId: event.spec.setId, runIndex: event.spec.runIndex, error: event.error });
    }
    options.onEvent?.(event);
  };

  if ((options.mode ?? "processes") === "processes") {
    await runInWorkerProcesses(todo, { workers: request.workers, onEvent: handle, signal: options.signal });
  } else {
    await runSequentially(todo, handle, options.signal);
  }
  summary.interrupted = options.signal?.aborted ?? false;
  return summary;
}

async function runSequentially(specs: RunSpec[], handle: (event: RunEvent) => Promise<void>, signal?: AbortSignal): Promise<void> {
  for (const spec of specs) {
    if (signal?.aborted) return;
    await handle({ type: "started", spec, worker: 0 });
    try {
      const result = await executeRun(spec, {
        onProgress: (progress) => void handle({ type: "progress", spec, worker: 0, progress }),
        shouldStop: () => signal?.aborted === true,
      });
      await handle({ type: "finished", spec, worker: 0, result });
    } catch (error) {
      if (error instanceof RunInterruptedError) return;
      await handle({ type: "failed", spec, worker: 0, error: oneLine(error) });
    }
  }
}

function failureLine(spec: RunSpec, error: string) {
  return {
    schemaVersion: 1 as const,
    kind: "failure" as const,
    ...resultLineIdentity(spec),
    error,
    failedAt: new Date().toISOString(),
  };
}
