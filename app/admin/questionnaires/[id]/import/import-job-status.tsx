"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { DataJobView } from "@/lib/db/data-jobs";
import { ImportProblems } from "./import-problems";
import { formatCount } from "@/lib/format";

/** A job as JSON gives it (dates as strings). */
export type ImportJob = Omit<DataJobView, "createdAt" | "startedAt" | "finishedAt" | "updatedAt"> & { createdAt: string; startedAt: string | null; finishedAt: string | null; updatedAt: string };

const POLL_MS = 1000;
export const isUnfinished = (job: ImportJob) => job.status === "RUNNING" || job.status === "QUEUED";

/**
 * Follows an import job (lib/jobs/response-import-job.ts): polls it once a second while it runs and shows the rows
 * checked, then the responses written, then the outcome, which is "imported" only once the data is committed.
 */
export function ImportJobStatus({ questionnaireId, initial, onFinished }: { questionnaireId: string; initial: ImportJob; onFinished?: (job: ImportJob) => void }) {
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
        const response = await fetch(`/api/questionnaires/${questionnaireId}/import/jobs/${job.id}`, { cache: "no-store" });
        const body = (await response.json()) as { ok: boolean; job?: ImportJob; error?: string };
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
  }, [job, questionnaireId, onFinished]);

  if (job.status === "SUCCEEDED") {
    return (
      <p className="notice success" role="status" data-job-status={job.status}>
        {job.message} <Link href={`/admin/questionnaires/${questionnaireId}`}>See the counts</Link>.
      </p>
    );
  }
  if (job.status === "FAILED" && job.result?.kind === "problems") return <ImportProblems errors={job.result.errors} title="Nothing was imported." />;
  if (job.status === "FAILED" || job.status === "INTERRUPTED") {
    return (
      <p className="notice error" role="alert" data-job-status={job.status}>
        {job.message}
      </p>
    );
  }
  const total = job.rowsTotal;
  const writing = job.phase === "writing";
  return (
    <div className="notice import-job" role="status" aria-live="polite" data-job-status={job.status} data-job-phase={job.phase}>
      <p>
        <strong>Importing {job.fileName}</strong> — this runs on the server; you can leave the page and come back.
      </p>
      {writing ? (
        <p>
          All {formatCount(job.rowsChecked)} rows passed the check. Writing: <strong>{formatCount(job.rowsWritten)}</strong>
          {total !== null ? ` of ${formatCount(total)}` : ""} responses written; they count as imported only when the last one is in.
        </p>
      ) : job.phase === "checking" ? (
        <p>
          Checking the file: <strong>{formatCount(job.rowsChecked)}</strong>
          {total !== null ? ` of ${formatCount(total)}` : ""} rows checked. Nothing is written until every row has passed.
        </p>
      ) : (
        <p>The file is stored; the check starts in a moment.</p>
      )}
      {total ? <progress max={total} value={writing ? job.rowsWritten : job.rowsChecked} aria-label={writing ? "Responses written" : "Rows checked"} /> : null}
      {lost ? <p className="small muted">{lost}</p> : null}
    </div>
  );
}
