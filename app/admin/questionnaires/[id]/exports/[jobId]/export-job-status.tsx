"use client";
import { useEffect, useState } from "react";
import type { DataJobView } from "@/lib/db/data-jobs";

/** An export job as JSON gives it (dates as strings), with whether its file can be downloaded. */
export type ExportJob = Omit<DataJobView, "createdAt" | "startedAt" | "finishedAt" | "updatedAt"> & { createdAt: string; startedAt: string | null; finishedAt: string | null; updatedAt: string };

const POLL_MS = 1000;
const number = (value: number) => value.toLocaleString("en");
const size = (bytes: number) => (bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
const unfinished = (job: ExportJob) => job.status === "RUNNING" || job.status === "QUEUED";

/**
 * Follows an export job (lib/jobs/response-export-job.ts): polls it once a second while it runs, showing the
 * responses written of the total, then the Download link, which exists only once the whole file is written.
 */
export function ExportJobStatus({ questionnaireId, initial, initialDownloadable }: { questionnaireId: string; initial: ExportJob; initialDownloadable: boolean }) {
  const [job, setJob] = useState(initial);
  const [downloadable, setDownloadable] = useState(initialDownloadable);
  const [lost, setLost] = useState<string | null>(null);
  useEffect(() => {
    if (!unfinished(job)) return;
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/questionnaires/${questionnaireId}/export/jobs/${job.id}`, { cache: "no-store" });
        const body = (await response.json()) as { ok: boolean; job?: ExportJob; downloadable?: boolean; error?: string };
        if (!body.ok || !body.job) return setLost(body.error ?? `The server answered ${response.status}.`);
        setLost(null);
        setJob(body.job);
        setDownloadable(body.downloadable === true);
      } catch {
        // A network hiccup: the export runs on the server regardless; try again on the next tick.
        setLost("The page lost contact with the server; the export continues there. Retrying…");
        setJob({ ...job });
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job, questionnaireId]);

  if (job.status === "SUCCEEDED") {
    const file = job.result?.kind === "exported" ? job.result : null;
    return (
      <div className="notice success" role="status" data-job-status={job.status}>
        <p>{job.message}</p>
        {downloadable && file ? (
          <p>
            <a className="button" href={`/api/questionnaires/${questionnaireId}/export/jobs/${job.id}/download`} download={file.file}>
              Download {file.file}
            </a>{" "}
            <span className="muted small">({size(file.bytes)}; kept on the server for 24 hours)</span>
          </p>
        ) : (
          <p>The file is no longer on the server (files are kept for 24 hours): export again.</p>
        )}
      </div>
    );
  }
  if (job.status === "FAILED" || job.status === "INTERRUPTED") {
    return (
      <p className="notice error" role="alert" data-job-status={job.status}>
        {job.message}
      </p>
    );
  }
  const total = job.rowsTotal === null ? null : Math.max(job.rowsTotal, job.rowsWritten);
  return (
    <div className="notice import-job" role="status" aria-live="polite" data-job-status={job.status}>
      <p>
        <strong>Preparing {job.fileName}</strong> — this runs on the server; you can leave the page and come back.
      </p>
      {job.status === "QUEUED" ? (
        <p>Waiting for the export started before this one to finish.</p>
      ) : (
        <p>
          <strong>{number(job.rowsWritten)}</strong>
          {total !== null ? ` of ${number(total)}` : ""} responses written. The file can be downloaded once the last one is in.
        </p>
      )}
      {total ? <progress max={total} value={job.rowsWritten} aria-label="Responses written" /> : null}
      {lost ? <p className="small muted">{lost}</p> : null}
    </div>
  );
}
