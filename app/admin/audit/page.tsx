import type { Metadata } from "next";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listAuditEntries } from "@/lib/db/audit";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

export default async function AuditPage() {
  const actor = await requirePermissionForPage("audit.read", "/admin/audit");
  const entries = await listAuditEntries(await getDatabase(), actor);
  return (
    <>
      <h1>Audit log</h1>
      <p className="lead">Every administrative action: who did what, and when (newest first, up to 200).</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">On</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 ? (
              <tr>
                <td colSpan={5}>Nothing has been recorded yet.</td>
              </tr>
            ) : (
              entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.at, { seconds: true })}</td>
                  <td>{entry.actorEmail ?? "(deleted user)"}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{entry.target ?? ""}</td>
                  <td>{entry.details ? <code>{JSON.stringify(entry.details)}</code> : ""}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
