import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { getCodingTask } from "@/lib/db/coding";
import { CodingScreen } from "./coding-screen";
import { orNotFound } from "@/app/_lib/or-not-found";

export const metadata: Metadata = { title: "Code a paper" };
export const dynamic = "force-dynamic";

export default async function CodePaperPage({ params, searchParams }: { params: Promise<{ assignmentId: string }>; searchParams: Promise<{ saved?: string }> }) {
  const { assignmentId } = await params;
  const { saved } = await searchParams;
  const actor = await requirePermissionForPage("coding.code", `/code/${encodeURIComponent(assignmentId)}`);
  const task = await orNotFound(getCodingTask(await getDatabase(), actor, assignmentId));
  const { progress } = task.queue;
  return (
    <>
      <p className="no-print">
        <Link href="/code">← Your queue</Link>
      </p>
      <h1>
        Code a paper <span className="badge">{task.round === "calibration" ? "Calibration round" : "Main round"}</span>
      </h1>
      <p>
        Study: <strong>{task.study.name}</strong>
        <br />
        <label htmlFor="coding-progress">
          Progress in this study: {progress.done} of {progress.total} papers done
          {task.queue.position ? ` · this is paper ${task.queue.position} of ${task.queue.remaining} remaining` : ""}
        </label>{" "}
        <progress id="coding-progress" max={Math.max(progress.total, 1)} value={progress.done} style={{ verticalAlign: "middle" }} />
      </p>
      {saved === "submit" ? (
        <p className="notice success" role="status">
          Saved. Here is the next paper.
        </p>
      ) : saved === "skip" ? (
        <p className="notice" role="status">
          Skipped for later; it stays at the end of your queue.
        </p>
      ) : null}
      {task.isLocked ? (
        <p className="notice">This paper has been adjudicated; your codes are shown read-only.</p>
      ) : task.isWaitingForCalibration ? (
        <p className="notice">This is a main-round paper. Finish your calibration papers of this study first; its main round opens after calibration.</p>
      ) : null}
      <CodingScreen task={task} />
    </>
  );
}
