import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { getQuestionnaireDetail } from "@/lib/db/questionnaires";
import { listDataJobs } from "@/lib/db/data-jobs";
import { jobToFollow } from "@/app/_lib/job-to-follow";
import { listImports } from "@/lib/db/response-imports";
import { RESPONSE_IMPORT_JOB } from "@/lib/jobs/response-import-job";
import { ImportForm } from "./import-form";
import { ImportsList } from "./imports-list";
import { orNotFound } from "@/app/_lib/or-not-found";

export const metadata: Metadata = { title: "Import responses" };
export const dynamic = "force-dynamic";

export default async function ImportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePermissionForPage("surveys.manage", `/admin/questionnaires/${id}/import`);
  const db = await getDatabase();
  const detail = await orNotFound(getQuestionnaireDetail(db, actor, id));
  const imports = await listImports(db, actor, { questionnaireId: id });
  // The newest import job is followed on the page while it runs. A failed or interrupted one is shown for an hour
  // (the admin may have left before it ended); a succeeded one is in the list of imports below. Jobs whose server
  // stopped were marked interrupted when this server started (instrumentation-node.ts), not during this render.
  const shownJob = jobToFollow(await listDataJobs(db, actor, { questionnaireId: id, kind: RESPONSE_IMPORT_JOB, limit: 1 }));
  return (
    <>
      <p>
        <Link href={`/admin/questionnaires/${id}`}>← {detail.title}</Link>
      </p>
      <h1>Import responses</h1>
      <p className="lead">
        Upload responses collected elsewhere: a Qualtrics CSV export (three header rows; choice text or numeric values) or a plain CSV
        with one column per question, such as this site&apos;s own export. Every cell is checked first; if anything is wrong, nothing is
        imported and the problems are listed by kind, with their rows and columns. A large file is imported in the background: this page
        shows the rows checked and written, and participants can keep answering meanwhile. A draft or closed questionnaire can take an import; an
        import can be undone as a whole.
      </p>
      <section className="card" aria-label="Upload">
        <ImportForm questionnaireId={id} runningJob={shownJob} />
      </section>
      <section className="card" aria-labelledby="imports-title">
        <h2 id="imports-title">Imports</h2>
        <ImportsList questionnaireId={id} imports={imports} />
      </section>
    </>
  );
}
