import type { Metadata } from "next";
import { DataTable } from "@/app/_components/data-table";
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
      <DataTable
        rows={entries}
        rowKey={(entry) => entry.id}
        empty="Nothing has been recorded yet."
        columns={[
          { label: "When (UTC)", cell: (entry) => formatDateTime(entry.at, { seconds: true }) },
          { label: "Who", cell: (entry) => entry.actorEmail ?? "(deleted user)" },
          { label: "Action", cell: (entry) => <code>{entry.action}</code> },
          { label: "On", cell: (entry) => entry.target ?? "" },
          { label: "Details", cell: (entry) => (entry.details ? <code>{JSON.stringify(entry.details)}</code> : "") },
        ]}
      />
    </>
  );
}
