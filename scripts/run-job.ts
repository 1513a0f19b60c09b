/**
 * The background job process: `tsx scripts/run-job.ts <outDir> <runner arguments...>`, spawned detached by
 * lib/jobs/manager.ts. Its arguments are the runner's own (lib/runner/run-arguments.ts reads them, as for
 * `npm run variance -- run`), written by runnerArguments (lib/jobs/request.ts). It trains with the runner
 * (lib/runner/execute.ts) and reports progress by rewriting `<outDir>/progress.json` (write + rename, so a reader never sees half a file). It never opens the database:
 * the app process, which owns it, imports the results when this process has exited.
 *
 * SIGTERM (cancel) stops after the runs in flight are recorded, like Ctrl-C in the CLI; exit codes: 0 all runs
 * done, 1 some runs failed, 2 bad request, 130 cancelled.
 */
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { executeRequest } from "../lib/runner/execute";
import { formatProgressLine, ProgressTracker } from "../lib/runner/progress";
import { parseRunOptions, runRequestFromOptions } from "../lib/runner/run-arguments";
import type { JobProgress } from "../lib/jobs/progress-file";
import { PROGRESS_FILE } from "../lib/jobs/progress-file";

const [outDir, ...rest] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: run-job.ts <outDir> --preset <name> --setting <s> --runs <n> [...]");
  process.exit(2);
}
// The runner's own reader decides (the app checked the same rules before starting this process).
const request = await (async () => runRequestFromOptions(parseRunOptions(rest)))().catch((error: Error) => {
  console.error(`bad job request: ${error.message}`);
  process.exit(2);
});

const progressPath = path.join(request.outDir, PROGRESS_FILE);
function writeProgress(progress: JobProgress): void {
  const temp = `${progressPath}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(progress));
  renameSync(temp, progressPath);
}

const controller = new AbortController();
process.on("SIGTERM", () => controller.abort());
process.on("SIGINT", () => controller.abort());

let tracker: ProgressTracker | undefined;
let lastWrite = 0;
const report = (phase: JobProgress["phase"], force: boolean) => {
  const now = Date.now();
  // Progress events arrive every few steps; one write a second is plenty for a page that polls.
  if (!tracker || (!force && now - lastWrite < 1000)) return;
  lastWrite = now;
  const snapshot = tracker.snapshot(now);
  writeProgress({ phase, snapshot, line: formatProgressLine(snapshot), updatedAt: new Date(now).toISOString() });
};

const summary = await executeRequest(request, {
  // One worker: train in this process (it is already separate from the web server); more: a worker pool. A
  // cross-implementation set always uses the pool, which gives each implementation a fresh process (the native
  // backend's threads and oneDNN switch are fixed once it has loaded).
  mode: request.workers === 1 && !request.settings.includes("cross-implementation") ? "in-process" : "processes",
  signal: controller.signal,
  onPlanned: ({ total, skipped }) => {
    tracker = new ProgressTracker(total, skipped, Date.now());
    report("running", true);
  },
  onEvent: (event) => {
    tracker?.record(event);
    if (event.type === "failed") console.error(`run ${event.spec.setting} #${event.spec.runIndex + 1} failed: ${event.error}`);
    report("running", event.type !== "progress");
  },
});
report(summary.interrupted ? "cancelled" : "finished", true);
console.log(`${summary.completed} run(s) completed, ${summary.skipped} resumed, ${summary.failed.length} failed; results in ${summary.resultsFile}`);
process.exit(summary.interrupted ? 130 : summary.failed.length > 0 ? 1 : 0);
