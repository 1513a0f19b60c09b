import type { JobJson } from "@/app/_components/use-followed-job";
import type { DataJobView } from "@/lib/db/data-jobs";
import { reportedNow } from "@/lib/jobs/data-job-recovery";

/**
 * Which job an import page follows when it opens: the newest one while it runs, or for an hour after it failed or
 * was interrupted (the admin may have left before it ended); a succeeded one is in the page's list of imports.
 * A job whose server stopped is shown as interrupted (reportedNow): the render reads, it never recovers.
 * As JSON (dates as strings), for the client component that follows it.
 */
export function jobToFollow([listed]: DataJobView[]): JobJson | null {
  if (!listed) return null;
  const newest = reportedNow(listed);
  const recent = newest.finishedAt !== null && Date.now() - newest.finishedAt.getTime() < 3_600_000;
  return newest.finishedAt === null || (recent && newest.status !== "SUCCEEDED") ? (JSON.parse(JSON.stringify(newest)) as JobJson) : null;
}
