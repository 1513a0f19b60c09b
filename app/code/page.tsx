import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { getDatabase } from "@/lib/db";
import { getCoderQueue, type StudyQueue } from "@/lib/db/coding";
import styles from "./_components/coding.module.css";

export const metadata: Metadata = { title: "Coding" };
export const dynamic = "force-dynamic";

export default async function CodingPage({ searchParams }: { searchParams: Promise<{ finished?: string; study?: string }> }) {
  const user = await requirePermissionForPage("coding.code", "/code");
  const { finished, study } = await searchParams;
  const queue = await getCoderQueue(await getDatabase(), user, { studySlug: study });
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
      {queue.studies.length === 0 ? <p>No papers are assigned to you yet.</p> : null}
      {queue.studies.map((study) => (
        <StudyQueueSection key={study.studySlug} study={study} />
      ))}
      {can(user, "coding.adjudicate") ? (
        <p>
          <Link href="/code/adjudicate">Conflicts to adjudicate →</Link>
        </p>
      ) : null}
    </>
  );
}

/** One study's queue: its own progress, calibration round and papers, headed by the study's name. */
function StudyQueueSection({ study }: { study: StudyQueue }) {
  const { progress } = study;
  const headingId = `study-${study.studySlug}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId} style={{ marginTop: 0 }}>
        Study: {study.studyName}
      </h2>
      <p>
        <label htmlFor={`${headingId}-progress`}>
          {progress.done} of {progress.total} papers coded
          {progress.calibrationTotal > 0 ? ` (calibration: ${progress.calibrationDone} of ${progress.calibrationTotal})` : ""}
        </label>
        <br />
        <progress id={`${headingId}-progress`} className={styles.progress} max={Math.max(progress.total, 1)} value={progress.done} />
      </p>
      {study.isInCalibration ? (
        <p className="notice">
          Calibration round of this study: every coder codes these papers first, so agreement can be checked before its main round.
          {study.waitingForCalibration > 0 ? ` ${study.waitingForCalibration} main-round paper(s) of this study wait until then.` : ""}
        </p>
      ) : null}
      {study.next ? (
        <p>
          <Link className="button" href={`/code/${study.next}`}>
            {progress.done === 0 ? "Start coding" : "Continue coding"} <span className="sr-only">{study.studyName}</span>
          </Link>
        </p>
      ) : (
        <p>You have coded every paper assigned to you in this study.</p>
      )}
      {study.remaining.length > 0 ? (
        <>
          <h3>Remaining ({study.remaining.length})</h3>
          <ol className={styles.queue}>
            {study.remaining.map((item) => (
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
        </>
      ) : null}
      {study.done.length > 0 ? (
        <details>
          <summary>Coded papers ({study.done.length})</summary>
          <ul>
            {study.done.map((item) => (
              <li key={item.assignmentId}>
                <Link href={`/code/${item.assignmentId}`}>{item.title}</Link>{" "}
                {item.isAdjudicated ? <span className="badge">adjudicated</span> : <span className="muted">(you can still correct it)</span>}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
