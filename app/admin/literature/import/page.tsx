import type { Metadata } from "next";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listPaperImports } from "@/lib/db/papers";
import { LiteratureNav } from "../_components/literature-nav";
import { studyForPage } from "../_components/study";
import { ImportForm } from "./import-form";
import { ReportDetails } from "./import-report";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Import papers" };
export const dynamic = "force-dynamic";

export default async function ImportPapersPage({ searchParams }: { searchParams: Promise<{ study?: string }> }) {
  const actor = await requirePermissionForPage("papers.manage", "/admin/literature/import");
  const db = await getDatabase();
  const study = await studyForPage(db, actor, (await searchParams).study);
  if (!study) return <p>Create a study first on the <a href="/admin/literature">literature page</a>.</p>;
  const imports = await listPaperImports(db, actor, study.id);
  return (
    <>
      <h1>Import papers</h1>
      <LiteratureNav current="/admin/literature/import" studySlug={study.slug} />
      <p className="lead">
        Each file is deduplicated against itself and the papers already in {study.name} (same DOI, or same title and
        year) and sorted into the strata. An entry with a problem is rejected with its reason; a file that cannot be
        trusted as a whole is refused and writes nothing. Files of several thousand entries are parsed within the
        upload request (about 2 ms per BibTeX entry).
      </p>
      <section className="card" aria-labelledby="upload-title">
        <h2 id="upload-title" style={{ marginTop: 0 }}>
          Upload a file
        </h2>
        <ImportForm studyId={study.id} />
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">Earlier imports ({imports.length})</h2>
        {imports.length === 0 ? <p className="muted">None yet.</p> : null}
        {imports.map((item) => (
          <details key={item.id} className="card">
            <summary>
              {item.fileName} ({item.format}) — {formatDateTime(item.createdAt, { zone: true })}: {item.report.counts?.new ?? 0} new
            </summary>
            {item.report.counts ? <ReportDetails report={item.report} /> : null}
          </details>
        ))}
      </section>
    </>
  );
}
