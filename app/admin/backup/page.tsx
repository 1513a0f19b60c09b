import type { Metadata } from "next";
import { requirePermissionForPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Backup" };
export const dynamic = "force-dynamic";

export default async function BackupPage() {
  await requirePermissionForPage("data.backup", "/admin/backup");
  return (
    <>
      <h1>Backup</h1>
      <p className="lead">
        A backup holds every table of the study: accounts, questionnaires and responses, papers and codings, experiment
        results and the audit log. It is a consistent snapshot even while people keep answering.
      </p>
      <section className="card">
        <h2>Download a backup</h2>
        <p>
          <a className="button" href="/api/admin/backup" download>
            Download backup (.jsonl.gz)
          </a>
        </p>
        <p className="muted">
          From a terminal, with the app stopped: <code>npm run db:backup -- backups/varstudy.jsonl.gz</code>
        </p>
      </section>
      <section className="card">
        <h2>Restore</h2>
        <p>
          Restoring writes into an empty database, never over a running study. Stop the app, point{" "}
          <code>VARSTUDY_DATA_DIR</code> at a new folder (or <code>DATABASE_URL</code> at a new PostgreSQL database), then run{" "}
          <code>npm run db:restore -- &lt;file&gt;</code>. A backup from the embedded database restores into PostgreSQL
          and back.
        </p>
      </section>
    </>
  );
}
