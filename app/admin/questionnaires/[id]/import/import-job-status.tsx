"use client";
import Link from "next/link";
import { useCallback } from "react";
import { EndedJobAlert, RunningJobNotice } from "@/app/_components/job-notices";
import { isUnfinished, useFollowedJob, type JobJson } from "@/app/_components/use-followed-job";
import { ImportProblems } from "./import-problems";
import { formatCount } from "@/lib/format";

export { isUnfinished };
export type ImportJob = JobJson;


/**
 * Follows an import job (lib/jobs/response-import-job.ts): polls it once a second while it runs and shows the rows
 * checked, then the responses written, then the outcome, which is "imported" only once the data is committed.
 */
export function ImportJobStatus({ questionnaireId, initial, onFinished }: { questionnaireId: string; initial: ImportJob; onFinished?: (job: ImportJob) => void }) {
  const url = useCallback((job: ImportJob) => `/api/questionnaires/${questionnaireId}/import/jobs/${job.id}`, [questionnaireId]);
  const { job, lost } = useFollowedJob(url, initial, onFinished);

  if (job.status === "SUCCEEDED") {
    return (
      <p className="notice success" role="status" data-job-status={job.status}>
        {job.message} <Link href={`/admin/questionnaires/${questionnaireId}`}>See the counts</Link>.
      </p>
    );
  }
  if (job.status === "FAILED" && job.result?.kind === "problems") return <ImportProblems errors={job.result.errors} title="Nothing was imported." />;
  if (job.status === "FAILED" || job.status === "INTERRUPTED") return <EndedJobAlert job={job} />;
  const total = job.rowsTotal;
  const writing = job.phase === "writing";
  const progress = total ? { max: total, value: writing ? job.rowsWritten : job.rowsChecked, label: writing ? "Responses written" : "Rows checked" } : null;
  return (
    <RunningJobNotice job={job} lost={lost} progress={progress}>
      {writing ? (
        <p>
          All {formatCount(job.rowsChecked)} rows passed the check. Writing: <strong>{formatCount(job.rowsWritten)}</strong>
          {total !== null ? ` of ${formatCount(total)}` : ""} responses written; they count as imported only when the last one is in.
        </p>
      ) : (
        <p>
          Checking the file: <strong>{formatCount(job.rowsChecked)}</strong>
          {total !== null ? ` of ${formatCount(total)}` : ""} rows checked. Nothing is written until every row has passed.
        </p>
      )}
    </RunningJobNotice>
  );
}
