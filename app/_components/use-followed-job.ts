"use client";
import { useEffect, useState } from "react";
import type { DataJobView } from "@/lib/db/data-jobs";

/** A background job as its progress route gives it (dates as strings). */
export type JobJson = Omit<DataJobView, "createdAt" | "startedAt" | "finishedAt" | "updatedAt"> & { createdAt: string; startedAt: string | null; finishedAt: string | null; updatedAt: string };

const POLL_MS = 1000;
export const isUnfinished = (job: JobJson) => job.status === "RUNNING" || job.status === "QUEUED";

/**
 * Follows a background job (an import): polls its progress route once a second while it runs and returns the
 * latest state; onFinished sees it once it has ended. `lost` says when the page lost contact (the job goes on).
 */
export function useFollowedJob(url: (job: JobJson) => string, initial: JobJson, onFinished?: (job: JobJson) => void): { job: JobJson; lost: string | null } {
  const [job, setJob] = useState(initial);
  const [lost, setLost] = useState<string | null>(null);
  // A new job from the parent replaces the one followed (React's "adjust state while rendering", not an effect).
  const [followed, setFollowed] = useState(initial);
  if (followed !== initial) {
    setFollowed(initial);
    setJob(initial);
  }
  useEffect(() => {
    if (!isUnfinished(job)) return;
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(url(job), { cache: "no-store" });
        const body = (await response.json()) as { ok: boolean; job?: JobJson; error?: string };
        if (!body.ok || !body.job) return setLost(body.error ?? `The server answered ${response.status}.`);
        setLost(null);
        setJob(body.job);
        if (!isUnfinished(body.job)) onFinished?.(body.job);
      } catch {
        // A network hiccup: the job runs on the server regardless; try again on the next tick.
        setLost("The page lost contact with the server; the import continues there. Retrying…");
        setJob({ ...job });
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job, url, onFinished]);
  return { job, lost };
}
