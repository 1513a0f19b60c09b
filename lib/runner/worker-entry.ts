/**
 * Entry point of a runner worker process (started by pool.ts with `node --import tsx`). It performs
 * one run at a time, as the parent asks, and reports progress, the result or the failure over IPC.
 * Not meant to be started by hand.
 */
import { executeRun } from "./run-one";
import { oneLine, type FromWorker, type ToWorker } from "./worker-protocol";

const send = (message: FromWorker): void => {
  process.send?.(message);
};

if (!process.send) {
  console.error("worker-entry.ts must be started by the runner's worker pool (it needs an IPC channel)");
  process.exit(2);
}

/** Progress messages are throttled: one per step would flood the channel for tiny networks. */
const PROGRESS_INTERVAL_MS = 250;

process.on("message", (message: ToWorker) => {
  if (message.type === "exit") {
    process.disconnect();
    return;
  }
  const { spec } = message;
  let lastProgress = 0;
  executeRun(spec, {
    onProgress: (progress) => {
      const now = Date.now();
      if (now - lastProgress < PROGRESS_INTERVAL_MS && progress.step !== progress.steps) return;
      lastProgress = now;
      send({ type: "progress", setId: spec.setId, runIndex: spec.runIndex, progress });
    },
  }).then(
    (result) => send({ type: "result", result }),
    (error: unknown) => send({ type: "failed", setId: spec.setId, runIndex: spec.runIndex, error: oneLine(error) }),
  );
});

send({ type: "ready" });
