import Link from "next/link";
import type { DataJobView } from "@/lib/db/data-jobs";
import { exportExpired } from "@/lib/jobs/response-export-job";

const STATUS: Record<DataJobView["status"], string> = { QUEUED: "waiting", RUNNING: "being written", SUCCEEDED: "ready", FAILED: "failed", INTERRUPTED: "interrupted" };

/** The questionnaire's latest exports, each linking to its page (progress, outcome, the file while it is kept). */
export function RecentExports({ questionnaireId, jobs }: { questionnaireId: string; jobs: DataJobView[] }) {
  if (jobs.length === 0) return null;
  return (
    <>
      <h3>Recent exports</h3>
      <ul className="small">
        {jobs.map((job) => (
          <li key={job.id}>
            <Link href={`/admin/questionnaires/${questionnaireId}/exports/${job.id}`}>{job.fileName}</Link> — {job.status === "SUCCEEDED" && exportExpired(job) ? "file deleted after 24 hours" : STATUS[job.status]}
            {job.status === "SUCCEEDED" ? `, ${job.rowsWritten.toLocaleString("en")} responses` : ""}, {job.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC
          </li>
        ))}
      </ul>
    </>
  );
}
