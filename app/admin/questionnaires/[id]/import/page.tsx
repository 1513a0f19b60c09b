import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { getQuestionnaireDetail } from "@/lib/db/questionnaires";
import { listDataJobs } from "@/lib/db/data-jobs";
import { listImports } from "@/lib/db/response-imports";
import { recoverInterruptedDataJobs } from "@/lib/jobs/response-import-job";
import { AppError } from "@/lib/errors";
import { ImportForm } from "./import-form";
import type { ImportJob } from "./import-job-status";
import { ImportsList } from "./imports-list";

export const metadata: Metadata = { title: "Import responses" };
export const dynamic = "force-dynamic";

export default async function ImportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePermissionForPage("surveys.manage", `/admin/questionnaires/${id}/import`);
  const detail = await getQuestionnaireDetail(await getDatabase(), actor, id).catch((error) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const db = await getDatabase();
  // A job whose server stopped is reported as interrupted (and its partial rows removed) before it is shown.
  await recoverInterruptedDataJobs(db);
  const imports = await listImports(db, actor, { questionnaireId: id });
  // The newest import job is followed on the page while it runs. A failed or interrupted one is shown for an hour
  // (the admin may have left before it ended); a succeeded one is in the list of imports below.
  const [newest] = await listDataJobs(db, actor, { questionnaireId: id, limit: 1 });
  const recent = newest?.finishedAt ? Date.now() - newest.finishedAt.getTime() < 3_600_000 : false;
  const shownJob = newest && (newest.finishedAt === null || (recent && newest.status !== "SUCCEEDED")) ? (JSON.parse(JSON.stringify(newest)) as ImportJob) : null;
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
