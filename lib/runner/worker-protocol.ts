import type { RunSpec } from "./plan";
import type { RunResult } from "./result-schema";
import type { TrainingProgress } from "./train";

/** Parent → worker process. */
export type ToWorker = { type: "run"; spec: RunSpec } | { type: "exit" };

/** Worker process → parent. */
export type FromWorker =
  | { type: "ready" }
  | { type: "progress"; runIndex: number; setId: string; progress: TrainingProgress }
  | { type: "result"; result: RunResult }
  | { type: "failed"; setId: string; runIndex: number; error: string };

/** First line of an error's message (stack traces stay out of result files and progress output). */
export const oneLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 500) || "unknown error";
