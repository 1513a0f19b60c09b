import Link from "next/link";
import type { RunnerJobView } from "@/lib/db/runner-jobs";
import { setHref } from "./format";
import { CancelJobButton } from "./job-forms";
import { formatCount, formatDateTime, formatDuration } from "@/lib/format";

export const isJobRunning = (job: Pick<RunnerJobView, "status">) => job.status === "RUNNING" || job.status === "QUEUED";

function JobProgress({ job, title }: { job: RunnerJobView; title: string }) {
  const snapshot = job.progress?.snapshot;
  const running = isJobRunning(job);
  if (!snapshot) return running ? <p className="muted small">Starting (loading TensorFlow.js and the data)…</p> : null;
  const done = snapshot.done + snapshot.skipped;
  return (
    <div className="job-progress">
      <progress value={done} max={snapshot.total} aria-label={`Runs done of ${title}`} />
      <span>
        {done}/{snapshot.total} runs
        {running ? ` · ${formatCount(Math.round(snapshot.samplesPerSecond))} images/s · ${snapshot.secondsLeft === null ? "estimating time left" : `${formatDuration(snapshot.secondsLeft)} left`}` : ""}
        {snapshot.failed ? ` · ${snapshot.failed} failed` : ""}
      </span>
      {running && snapshot.active.length > 0 ? (
        <div className="muted small">
          {snapshot.active.map((run) => (run.epoch === 0 ? `${run.label} starting` : `${run.label}: epoch ${run.epoch}/${run.epochs}, step ${run.step}/${run.steps}`)).join(" · ")}
        </div>
      ) : null}
    </div>
  );
}

/** The study's background runner jobs, newest first: progress while running, the imported sets when done. */
export function JobList({ jobs, canManage }: { jobs: RunnerJobView[]; canManage: boolean }) {
  if (jobs.length === 0) return <p className="muted">No jobs yet.</p>;
  return (
    <ul className="job-list">
      {jobs.map((job) => {
        const title = `${job.preset} · ${job.setting} · ${job.runs} runs`;
        return (
          <li key={job.id} className="card job" aria-label={`Job ${title}`}>
            <div className="job-head">
              <strong>{title}</strong> <span className={`badge status-${job.status.toLowerCase()}`}>{job.status.toLowerCase()}</span>
              {canManage && isJobRunning(job) ? <CancelJobButton jobId={job.id} label={title} /> : null}
            </div>
            <JobProgress job={job} title={title} />
            {job.message ? <p className="small">{job.message}</p> : null}
            {job.importedSets.length > 0 ? (
              <p className="small">
                Sets:{" "}
                {job.importedSets.map((id, index) => (
                  <span key={id}>
                    {index > 0 ? ", " : ""}
                    <Link href={setHref(id)}>{id}</Link>
                  </span>
                ))}
              </p>
            ) : null}
            <p className="muted small">
              Started {formatDateTime(job.createdAt, { zone: true })}
              {job.createdByEmail ? ` by ${job.createdByEmail}` : ""}
              {job.finishedAt ? ` · ended ${formatDateTime(job.finishedAt, { zone: true })}` : ""}. Same on a terminal: <code>{job.command}</code>
            </p>
          </li>
        );
      })}
    </ul>
  );
}
