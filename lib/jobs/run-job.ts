/**
 * The background job process: `tsx lib/jobs/run-job.ts <outDir> <runner arguments...>`, spawned detached by
 * lib/jobs/manager.ts. It trains with the runner (lib/runner/execute.ts) and reports progress by rewriting
 * `<outDir>/progress.json` (write + rename, so a reader never sees half a file). It never opens the database:
 * the app process, which owns it, imports the results when this process has exited.
 *
 * SIGTERM (cancel) stops after the runs in flight are recorded, like Ctrl-C in the CLI; exit codes: 0 all runs
 * done, 1 some runs failed, 2 bad request, 130 cancelled.
 */
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { executeRequest } from "../runner/execute";
import { parseImplementations } from "../runner/implementation";
import { runRequestSchema } from "../runner/plan";
import { formatProgressLine, ProgressTracker } from "../runner/progress";
import type { JobProgress } from "./progress-file";
import { PROGRESS_FILE } from "./progress-file";

const [outDir, ...rest] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: run-job.ts <outDir> --preset <name> --setting <s> --runs <n> [...]");
  process.exit(2);
}
const { values } = parseArgs({
  args: rest,
  options: Object.fromEntries(
    ["preset", "setting", "runs", "workers", "out", "epochs", "train-size", "val-size", "test-size", "seed", "data-dir", "implementations", "repeats"].map((name) => [name, { type: "string" as const }]),
  ),
  strict: true,
});
const int = (value: string | undefined) => (value === undefined ? undefined : Number(value));
// The runner's own parser decides (the app checked the same rules before starting this process).
const implementations = values.implementations === undefined ? { ok: true as const, implementations: [] } : parseImplementations(values.implementations);
if (!implementations.ok) {
  console.error(`bad job request: ${implementations.error}`);
  process.exit(2);
}
const parsed = runRequestSchema.safeParse({
  preset: values.preset,
  settings: values.setting === "both" ? ["default", "fixed-seed"] : [values.setting],
  runs: int(values.runs),
  implementations: implementations.implementations,
  repeats: int(values.repeats),
  outDir: values.out ?? outDir,
  dataDir: values["data-dir"],
  seed: int(values.seed),
  workers: int(values.workers),
  overrides: { epochs: int(values.epochs), trainSize: int(values["train-size"]), validationSize: int(values["val-size"]), testSize: int(values["test-size"]) },
});
if (!parsed.success) {
  console.error(`bad job request: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
  process.exit(2);
}
const request = parsed.data;

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
