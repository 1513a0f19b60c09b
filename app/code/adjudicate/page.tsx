import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listConflicts } from "@/lib/db/adjudication";

export const metadata: Metadata = { title: "Adjudication" };
export const dynamic = "force-dynamic";

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export default async function AdjudicationPage() {
  const actor = await requirePermissionForPage("coding.adjudicate", "/code/adjudicate");
  const conflicts = await listConflicts(await getDatabase(), actor);
  const open = conflicts.filter((item) => !item.resolution);
  const resolved = conflicts.filter((item) => item.resolution);
  return (
    <>
      <h1>Conflicts to adjudicate</h1>
      <p className="lead">
        Papers whose coders disagree on at least one question. A paper appears once every coder assigned to it has
        submitted, so coders stay blind to each other until then. Your final code, with its reason, feeds the results.
      </p>
      <section aria-labelledby="open-title">
        <h2 id="open-title">Open ({open.length})</h2>
        {open.length === 0 ? (
          <p>No open conflicts.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Paper</th>
                  <th scope="col">Study</th>
                  <th scope="col">Stratum</th>
                  <th scope="col">Round</th>
                  <th scope="col">Disagreement on</th>
                  <th scope="col" className="num">Coders</th>
                </tr>
              </thead>
              <tbody>
                {open.map((item) => (
                  <tr key={item.paperId}>
                    <td>
                      <Link href={`/code/adjudicate/${item.paperId}`}>{item.title}</Link>
                    </td>
                    <td>{item.studyName}</td>
                    <td>{item.stratum}</td>
                    <td>{item.round}</td>
                    <td>{item.questions.join(", ")}</td>
                    <td className="num">{item.coders}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
                <Link href={`/code/adjudicate/${item.paperId}`}>{item.title}</Link> — by {item.resolution!.adjudicatorName},{" "}
                {dateFormat.format(item.resolution!.at)}: <q>{item.resolution!.reason}</q>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
