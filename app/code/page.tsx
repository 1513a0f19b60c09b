import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { getDatabase } from "@/lib/db";
import { getCoderQueue } from "@/lib/db/coding";
import styles from "./_components/coding.module.css";

export const metadata: Metadata = { title: "Coding" };
export const dynamic = "force-dynamic";

export default async function CodingPage({ searchParams }: { searchParams: Promise<{ finished?: string }> }) {
  const user = await requirePermissionForPage("coding.code", "/code");
  const { finished } = await searchParams;
  const queue = await getCoderQueue(await getDatabase(), user);
  const { progress } = queue;
  return (
    <>
      <h1>Your coding queue</h1>
      <p className="lead">
        Papers assigned to you, {user.name}, one at a time with the codebook beside them. You never see another
        annotator&apos;s codes; where coders disagree, an adjudicator decides.
      </p>
      {finished ? (
        <p className="notice success" role="status">
          Saved. {queue.next ? "" : "Your queue is empty — thank you."}
        </p>
      ) : null}
      <section className="card" aria-labelledby="progress-title">
        <h2 id="progress-title" style={{ marginTop: 0 }}>
          Progress
        </h2>
        <p>
          <label htmlFor="queue-progress">
            {progress.done} of {progress.total} papers coded
            {progress.calibrationTotal > 0 ? ` (calibration: ${progress.calibrationDone} of ${progress.calibrationTotal})` : ""}
          </label>
          <br />
          <progress id="queue-progress" className={styles.progress} max={Math.max(progress.total, 1)} value={progress.done} />
        </p>
        {queue.isInCalibration ? (
          <p className="notice">
            Calibration round: every coder codes these papers first, so agreement can be checked before the main round.
            {queue.waitingForCalibration > 0 ? ` ${queue.waitingForCalibration} main-round paper(s) wait until then.` : ""}
          </p>
        ) : null}
        {queue.next ? (
          <p>
            <Link className="button" href={`/code/${queue.next}`}>
              {progress.done === 0 ? "Start coding" : "Continue coding"}
            </Link>
          </p>
        ) : progress.total === 0 ? (
          <p>No papers are assigned to you yet.</p>
        ) : (
          <p>You have coded every paper assigned to you.</p>
        )}
      </section>
      {queue.remaining.length > 0 ? (
        <section aria-labelledby="remaining-title">
          <h2 id="remaining-title">Remaining ({queue.remaining.length})</h2>
          <ol className={styles.queue}>
            {queue.remaining.map((item) => (
              <li key={item.assignmentId}>
                <Link href={`/code/${item.assignmentId}`}>{item.title}</Link>{" "}
                <span className="muted">
                  {[item.venue, item.year].filter(Boolean).join(" ")}
                  {item.round === "calibration" ? " · calibration" : ""}
                </span>{" "}
                {item.isSkipped ? <span className="badge">skipped</span> : item.hasDraft ? <span className="badge">draft</span> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {queue.done.length > 0 ? (
        <details>
          <summary>Coded papers ({queue.done.length})</summary>
          <ul>
            {queue.done.map((item) => (
              <li key={item.assignmentId}>
                <Link href={`/code/${item.assignmentId}`}>{item.title}</Link>{" "}
                {item.isAdjudicated ? <span className="badge">adjudicated</span> : <span className="muted">(you can still correct it)</span>}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {can(user, "coding.adjudicate") ? (
        <p>
          <Link href="/code/adjudicate">Conflicts to adjudicate →</Link>
        </p>
      ) : null}
    </>
  );
}
