"use client";
import { useCallback } from "react";
import { EndedJobAlert, RunningJobNotice } from "@/app/_components/job-notices";
import { useFollowedJob, type JobJson } from "@/app/_components/use-followed-job";
import { ImportReportView, ReportDetails } from "./import-report";
import { formatCount } from "@/lib/format";


/**
 * Follows a paper-import job (lib/jobs/paper-import-job.ts) once a second while it runs: the file stored, then
 * checked, then the new papers written; then the outcome, which is the import report only once the papers are
 * committed, or the file's problems (nothing written).
 */
export function PaperJobStatus({ studyId, initial, onFinished }: { studyId: string; initial: JobJson; onFinished?: (job: JobJson) => void }) {
  const url = useCallback((job: JobJson) => `/api/literature/import/jobs/${job.id}?studyId=${encodeURIComponent(studyId)}`, [studyId]);
  const { job, lost } = useFollowedJob(url, initial, onFinished);

  if (job.status === "SUCCEEDED" && job.result?.kind === "papers-imported") {
    return (
      <div className="notice success" role="status" data-job-status={job.status}>
        <ReportDetails report={job.result.report} />
      </div>
    );
  }
  if (job.status === "FAILED" && job.result?.kind === "paper-problems") return <ImportReportView outcome={{ ok: false, format: job.result.format, errors: job.result.errors }} />;
  if (job.status !== "RUNNING" && job.status !== "QUEUED") return <EndedJobAlert job={job} />;
  const writing = job.phase === "writing";
  return (
    <RunningJobNotice job={job} lost={lost} progress={writing && job.rowsTotal ? { max: job.rowsTotal, value: job.rowsWritten, label: "New papers written" } : null}>
      {writing ? (
        <p>
          All {formatCount(job.rowsChecked)} entries are checked. Writing: <strong>{formatCount(job.rowsWritten)}</strong>
          {job.rowsTotal !== null ? ` of ${formatCount(job.rowsTotal)}` : ""} new papers written; they count as imported only when the last one is in.
        </p>
      ) : (
        <p>Reading and checking the entries against the study&apos;s papers. Nothing is written until the whole file has passed.</p>
      )}
    </RunningJobNotice>
  );
}
