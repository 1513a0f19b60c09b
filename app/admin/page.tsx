import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listDashboardStudies } from "@/lib/db/dashboard/studies";
import { formatCount } from "@/lib/format";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

/** The study picker: every study with the size of each instrument, linking to its overview. */
export default async function AdminPage() {
  const actor = await requirePermissionForPage("surveys.read-results", "/admin");
  const studies = await listDashboardStudies(await getDatabase(), actor);
  return (
    <>
      <h1>Dashboard</h1>
      <p className="lead">Pick a study to read its questionnaire, literature survey and training experiments together, each result with its interval.</p>
      {studies.length === 0 ? (
        <p className="notice">
          There is no study yet. Run <code>npm run db:seed</code> for the demo study, or <Link href="/admin/questionnaires">start with a questionnaire</Link>.
        </p>
      ) : (
        <ul className="grid study-list">
          {studies.map((study) => (
            <li key={study.id} className="card">
              <h2>
                <Link href={`/admin/studies/${study.slug}`}>{study.name}</Link>
              </h2>
              {study.description ? <p className="muted">{study.description}</p> : null}
              <dl className="study-counts">
                <div>
                  <dt>Completed responses</dt>
                  <dd>{formatCount(study.completedResponses)}</dd>
                </div>
                <div>
                  <dt>Papers (with final codes)</dt>
                  <dd>
                    {formatCount(study.papers)}
                    {study.finalCodes === null ? "" : ` (${formatCount(study.finalCodes)})`}
                  </dd>
                </div>
                <div>
                  <dt>Experiment sets (runs)</dt>
                  <dd>
                    {study.experimentSets} ({study.experimentRuns})
                  </dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
      <p className="muted">
        Manage the instruments: <Link href="/admin/questionnaires">questionnaires</Link> · <Link href="/admin/literature">literature</Link> ·{" "}
        <Link href="/admin/experiments">experiments</Link> · <Link href="/admin/users">users</Link>.
      </p>
    </>
  );
}
