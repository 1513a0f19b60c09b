import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listConflicts } from "@/lib/db/adjudication";
import { DataTable } from "@/app/_components/data-table";
import { formatDate } from "@/lib/format";

export const metadata: Metadata = { title: "Adjudication" };
export const dynamic = "force-dynamic";

export default async function AdjudicationPage({ searchParams }: { searchParams: Promise<{ study?: string }> }) {
  const actor = await requirePermissionForPage("coding.adjudicate", "/code/adjudicate");
  const { study } = await searchParams;
  const conflicts = await listConflicts(await getDatabase(), actor, { studySlug: study });
  const open = conflicts.filter((item) => !item.resolution);
  const resolved = conflicts.filter((item) => item.resolution);
  return (
    <>
      <h1>Conflicts to adjudicate</h1>
      <p className="lead">
        Papers whose coders disagree on at least one question. A paper appears once every coder assigned to it has
        submitted, so coders stay blind to each other until then. Your final code, with its reason, feeds the results.
        A disagreement is settled by someone who did not code the paper.
      </p>
      {study ? (
        <p>
          Showing one study only. <Link href="/code/adjudicate">Show every study</Link>
        </p>
      ) : null}
      <section aria-labelledby="open-title">
        <h2 id="open-title">Open ({open.length})</h2>
        {open.length === 0 ? (
          <p>No open conflicts.</p>
        ) : (
          <DataTable
            rows={open}
            rowKey={(item) => item.paperId}
            columns={[
              { label: "Paper", cell: (item) => <Link href={`/code/adjudicate/${item.paperId}`}>{item.title}</Link> },
              { label: "Study", cell: (item) => <Link href={`/code/adjudicate?study=${encodeURIComponent(item.studySlug)}`}>{item.studyName}</Link> },
              { label: "Stratum", cell: (item) => item.stratumLabel },
              { label: "Round", cell: (item) => item.round },
              { label: "Disagreement on", cell: (item) => item.questions.join(", ") },
              { label: "Coders", numeric: true, cell: (item) => item.coders },
              { label: "Who may settle it", cell: (item) => item.standing === "third-person" ? "you" : item.standing === "coded-may-override" ? "another adjudicator (you coded it; admin override possible)" : "another adjudicator (you coded it)" },
            ]}
          />
        )}
      </section>
      <section aria-labelledby="resolved-title">
        <h2 id="resolved-title">Resolved ({resolved.length})</h2>
        {resolved.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ul>
            {resolved.map((item) => (
              <li key={item.paperId}>
                <Link href={`/code/adjudicate/${item.paperId}`}>{item.title}</Link> <span className="muted">({item.studyName})</span> — by{" "}
                {item.resolution!.adjudicatorName}, {formatDate(item.resolution!.at)}: <q>{item.resolution!.reason}</q>
                {item.resolution!.override ? <span className="badge">admin override: {item.resolution!.override}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
