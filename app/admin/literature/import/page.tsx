import type { Metadata } from "next";
import { listPaperImports } from "@/lib/db/papers";
import { listLiteratureJobs } from "@/lib/db/data-jobs";
import { jobToFollow } from "@/app/_lib/job-to-follow";
import { LiteratureNav } from "../_components/literature-nav";
import { loadLiteraturePage } from "../_components/study";
import { ImportForm } from "./import-form";
import { ReportDetails } from "./import-report";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Import papers" };
export const dynamic = "force-dynamic";

export default async function ImportPapersPage({ searchParams }: { searchParams: Promise<{ study?: string }> }) {
  const { actor, db, study } = await loadLiteraturePage("papers.manage", "/admin/literature/import", searchParams);
  if (!study) return <p>Create a study first on the <a href="/admin/literature">literature page</a>.</p>;
  const imports = await listPaperImports(db, actor, study.id);
  // The newest import job is followed while it runs, or shown for an hour after it failed (see jobToFollow).
  const shownJob = jobToFollow(await listLiteratureJobs(db, actor, { studyId: study.id, limit: 1 }));
  return (
    <>
      <h1>Import papers</h1>
      <LiteratureNav current="/admin/literature/import" studySlug={study.slug} />
      <p className="lead">
        Each file is deduplicated against itself and the papers already in {study.name} (same DOI, or same title and
        year) and sorted into the strata. An entry with a problem is rejected with its reason; a file that cannot be
        trusted as a whole is refused and writes nothing. The file is checked and imported on the server in the
        background: this page shows its progress, and you can leave it and come back.
      </p>
      <section className="card" aria-labelledby="upload-title">
        <h2 id="upload-title" style={{ marginTop: 0 }}>
          Upload a file
        </h2>
        <ImportForm studyId={study.id} runningJob={shownJob} />
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">Earlier imports ({imports.length})</h2>
        {imports.length === 0 ? <p className="muted">None yet.</p> : null}
        {imports.map((item) => (
          <details key={item.id} className="card">
            <summary>
              {item.fileName} ({item.format}) — {formatDateTime(item.createdAt, { zone: true })}: {item.report.counts ? `${item.report.counts.new} new` : "being imported"}
            </summary>
            {item.report.counts ? <ReportDetails report={item.report} /> : null}
          </details>
        ))}
      </section>
    </>
  );
}
