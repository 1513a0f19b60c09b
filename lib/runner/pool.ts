import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { implementationKey } from "./implementation";
import type { RunSpec } from "./plan";
import { REPOSITORY_ROOT } from "./provenance";
import type { RunResult } from "./result-schema";
import type { TrainingProgress } from "./train";
import { oneLine, type FromWorker, type ToWorker } from "./worker-protocol";

/** What the executor hears about each run, whichever way it is executed. */
export type RunEvent =
  /** `pid` is the worker process's id (absent when running in-process). */
  | { type: "started"; spec: RunSpec; worker: number; pid?: number }
  | { type: "progress"; spec: RunSpec; worker: number; progress: TrainingProgress }
  | { type: "finished"; spec: RunSpec; worker: number; result: RunResult }
  | { type: "failed"; spec: RunSpec; worker: number; error: string };

const WORKER_ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker-entry.ts");
/** Lines of a worker's stderr kept to explain a crash. */
const STDERR_TAIL_LINES = 5;

/**
 * `implementation` is the one this process has trained on: a process never switches, because the native
 * backend's thread count and oneDNN switch are fixed when it loads, and a cross-implementation set must
 * not carry one implementation's state into another's runs.
 */
type Slot = { id: number; child: ChildProcess; current: RunSpec | undefined; stderrTail: string[]; exited: boolean; implementation?: string };

/**
 * Executes runs in a pool of child processes, one run per process at a time.
 *
 * Why processes rather than worker_threads: a run that exhausts memory or aborts inside the wasm
 * module takes only its own process down; the pool reports that run as failed, starts a fresh
 * process and goes on. Each process has its own tfjs engine, so parallel runs share no state and a
 * fixed-seed run gives the same bits whether it runs alone or beside others.
 *
 * Workers are TypeScript, started with `node --import tsx` from the repository root.
 * @param specs runs to perform (in this order of dispatch).
 * @param options.workers maximum simultaneous processes (>= 1).
 * @param options.onEvent receives every event; `finished`/`failed` arrive exactly once per spec
 *   unless the signal aborts first.
 * @param options.signal aborting kills the workers; runs in flight are then neither finished nor failed.
 * @returns when every spec has finished or failed, or after an abort.
 */
export function runInWorkerProcesses(
  specs: readonly RunSpec[],
  options: { workers: number; onEvent: (event: RunEvent) => void | Promise<void>; signal?: AbortSignal },
): Promise<void> {
  const queue = [...specs];
  const slots: Slot[] = [];
  let nextSlotId = 1;
  let pendingEvents: Promise<void> = Promise.resolve();
  // Events are delivered in order, one at a time, so the caller can append to a file without races.
  const emit = (event: RunEvent) => {
    pendingEvents = pendingEvents.then(() => options.onEvent(event));
  };

  return new Promise<void>((resolve) => {
    let settled = false;
    const finishIfDone = () => {
      if (settled) return;
      const busy = slots.some((slot) => slot.current !== undefined);
      if (queue.length === 0 && !busy) {
        settled = true;
        for (const slot of slots) if (!slot.exited) send(slot, { type: "exit" });
        pendingEvents.then(resolve, resolve);
      }
    };
    const send = (slot: Slot, message: ToWorker) => {
      if (slot.child.connected) slot.child.send(message);
    };
    const dispatch = (slot: Slot) => {
      const spec = queue[0];
      if (!spec) {
        finishIfDone();
        return;
      }
      const implementation = implementationKey(spec.backend);
      if (slot.implementation !== undefined && slot.implementation !== implementation) {
        // Retire this process; its exit starts a fresh one for the next spec.
        send(slot, { type: "exit" });
        return;
      }
      queue.shift();
      slot.implementation = implementation;
      slot.current = spec;
      emit({ type: "started", spec, worker: slot.id, pid: slot.child.pid });
      send(slot, { type: "run", spec });
    };
    const startWorker = () => {
      const child = fork(WORKER_ENTRY, [], {
        cwd: REPOSITORY_ROOT,
        // One worker, one core: V8 otherwise optimizes code and collects garbage on helper threads, which kept
        // about 0.08 of another core busy per worker (measured with tensorflow: 1,004 CPU-seconds for 928 s of a
        // one-worker set), so two workers on two cores fought over them. Same throughput per CPU-second
        // (docs/benchmarks.md, scaling); V8 flags do not change any result's bits.
        execArgv: ["--single-threaded", "--import", "tsx"],
        // stdout is dropped (tfjs prints a banner there); stderr is kept to explain crashes.
        stdio: ["ignore", "ignore", "pipe", "ipc"],
      });
      const slot: Slot = { id: nextSlotId++, child, current: undefined, stderrTail: [], exited: false };
      slots.push(slot);
      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (chunk: string) => {
        slot.stderrTail.push(...chunk.split("\n").filter((line) => line.trim() !== ""));
        slot.stderrTail.splice(0, Math.max(0, slot.stderrTail.length - STDERR_TAIL_LINES));
      });
      child.on("message", (message: FromWorker) => {
        switch (message.type) {
          case "ready":
            dispatch(slot);
            break;
          case "progress":
            if (slot.current) emit({ type: "progress", spec: slot.current, worker: slot.id, progress: message.progress });
            break;
          case "result":
          case "failed": {
            const spec = slot.current;
            slot.current = undefined;
            if (spec) {
              emit(
                message.type === "result"
                  ? { type: "finished", spec, worker: slot.id, result: message.result }
                  : { type: "failed", spec, worker: slot.id, error: message.error },
              );
            }
            if (!settled) dispatch(slot);
            break;
          }
        }
      });
      child.on("exit", (code, signal) => {
        slot.exited = true;
        const spec = slot.current;
        slot.current = undefined;
        if (settled || options.signal?.aborted) return;
        if (spec) {
          const hint = slot.stderrTail.at(-1);
          emit({
            type: "failed",
            spec,
            worker: slot.id,
            error: `worker process exited (${signal ?? `code ${code}`})${hint ? `: ${hint}` : ""}`,
          });
        }
        if (queue.length > 0) startWorker();
        else finishIfDone();
      });
      child.on("error", (error) => {
        slot.stderrTail.push(oneLine(error));
      });
    };

    options.signal?.addEventListener(
      "abort",
      () => {
        if (settled) return;
        settled = true;
        queue.length = 0;
        for (const slot of slots) if (!slot.exited) slot.child.kill("SIGTERM");
        pendingEvents.then(resolve, resolve);
      },
      { once: true },
    );
    if (queue.length === 0) {
      settled = true;
      resolve();
      return;
    }
    for (let i = 0; i < Math.min(options.workers, queue.length); i++) startWorker();
  });
}
