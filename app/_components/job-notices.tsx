import type { ReactNode } from "react";
import type { JobJson } from "./use-followed-job";

/**
 * A running import job as its page shows it: the file, `children` saying what the current phase does (once the
 * check has started), a progress bar, and a note when the page lost contact with the server.
 */
export function RunningJobNotice({ job, lost, progress, children }: { job: JobJson; lost: string | null; progress: { max: number; value: number; label: string } | null; children: ReactNode }) {
  return (
    <div className="notice import-job" role="status" aria-live="polite" data-job-status={job.status} data-job-phase={job.phase}>
      <p>
        <strong>Importing {job.fileName}</strong> — this runs on the server; you can leave the page and come back.
      </p>
      {job.phase === "stored" ? <p>The file is stored; the check starts in a moment.</p> : children}
      {progress && progress.max > 0 ? <progress max={progress.max} value={progress.value} aria-label={progress.label} /> : null}
      {lost ? <p className="small muted">{lost}</p> : null}
    </div>
  );
}

/** A job that ended without its data (failed, interrupted): its message says what happened to the file. */
export function EndedJobAlert({ job }: { job: JobJson }) {
  return (
    <p className="notice error" role="alert" data-job-status={job.status}>
      {job.message}
    </p>
  );
}
