import { formatCount, formatDuration } from "../format";
import type { RunEvent } from "./pool";

/** Aggregated view of a set of runs in progress, for the CLI and for app job status. */
export type ProgressSnapshot = {
  total: number;
  /** Runs finished by this invocation (resumed ones are counted in `skipped`). */
  done: number;
  failed: number;
  skipped: number;
  /** Runs in flight: their current epoch and step. */
  active: Array<{ label: string; epoch: number; epochs: number; step: number; steps: number }>;
  /** Sum of the active runs' current training throughput (images/s). */
  samplesPerSecond: number;
  /** Estimated seconds left, or null until one run has finished or reported throughput. */
  secondsLeft: number | null;
  elapsedSeconds: number;
};

/**
 * Tracks run events and estimates time left. The estimate is work-based: each run is `epochs × steps`
 * units; remaining units divided by the units completed per second so far (across all workers).
 * Pass `now` explicitly (ms) so the estimate is testable.
 */
export class ProgressTracker {
  private readonly startedAt: number;
  private done = 0;
  private failed = 0;
  private readonly active = new Map<string, { label: string; epoch: number; epochs: number; step: number; steps: number; samplesPerSecond: number }>();
  /** Work units (steps) finished by completed runs plus steps of active runs. */
  private completedUnits = 0;
  private unitsPerRun: number | null = null;

  constructor(
    private readonly total: number,
    private readonly skipped: number,
    now: number,
  ) {
    this.startedAt = now;
  }

  /** Updates the state from one pool event. */
  record(event: RunEvent): void {
    const key = `${event.spec.setId}#${event.spec.runIndex}`;
    const label = `${event.spec.setting} #${event.spec.runIndex + 1}`;
    switch (event.type) {
      case "started":
        this.active.set(key, { label, epoch: 0, epochs: event.spec.training.epochs, step: 0, steps: 0, samplesPerSecond: 0 });
        break;
      case "progress": {
        const { progress } = event;
        this.unitsPerRun = progress.epochs * progress.steps;
        this.active.set(key, { label, ...progress });
        break;
      }
      case "finished":
      case "failed":
        if (event.type === "finished") {
          this.done += 1;
          this.completedUnits += this.unitsPerRun ?? 0;
        } else {
          this.failed += 1;
        }
        this.active.delete(key);
        break;
    }
  }

  /** Current aggregate; `now` in ms since the epoch. */
  snapshot(now: number): ProgressSnapshot {
    const elapsedSeconds = Math.max(0, (now - this.startedAt) / 1000);
    const active = [...this.active.values()];
    const activeUnits = active.reduce((sum, run) => sum + Math.max(0, run.epoch - 1) * run.steps + run.step, 0);
    const unitsDone = this.completedUnits + activeUnits;
    let secondsLeft: number | null = null;
    if (this.unitsPerRun && unitsDone > 0 && elapsedSeconds > 0) {
      // Resumed runs were done before this invocation: they are neither remaining work nor speed evidence.
      const remainingRuns = this.total - this.skipped - this.done - this.failed;
      const unitsLeft = Math.max(0, remainingRuns * this.unitsPerRun - activeUnits);
      secondsLeft = unitsLeft / (unitsDone / elapsedSeconds);
    }
    return {
      total: this.total,
      done: this.done,
      failed: this.failed,
      skipped: this.skipped,
      active: active.map(({ label, epoch, epochs, step, steps }) => ({ label, epoch, epochs, step, steps })),
      samplesPerSecond: active.reduce((sum, run) => sum + run.samplesPerSecond, 0),
      secondsLeft,
      elapsedSeconds,
    };
  }
}

/**
 * One status line, e.g.
 * `runs 3/16 done (1 failed, 4 resumed) | fixed-seed #4 epoch 2/5 step 12/32 | 1,480 img/s | 2m10s left`.
 */
export function formatProgressLine(snapshot: ProgressSnapshot): string {
  const counts = [snapshot.failed > 0 ? `${snapshot.failed} failed` : "", snapshot.skipped > 0 ? `${snapshot.skipped} resumed` : ""].filter(Boolean);
  const parts = [`runs ${snapshot.done + snapshot.skipped}/${snapshot.total} done${counts.length ? ` (${counts.join(", ")})` : ""}`];
  for (const run of snapshot.active.slice(0, 4)) {
    parts.push(run.epoch === 0 ? `${run.label} starting` : `${run.label} epoch ${run.epoch}/${run.epochs} step ${run.step}/${run.steps}`);
  }
  if (snapshot.active.length > 4) parts.push(`+${snapshot.active.length - 4} more`);
  parts.push(`${formatCount(Math.round(snapshot.samplesPerSecond))} img/s`);
  parts.push(snapshot.secondsLeft === null ? "estimating time left" : `${formatDuration(snapshot.secondsLeft)} left`);
  return parts.join(" | ");
}
