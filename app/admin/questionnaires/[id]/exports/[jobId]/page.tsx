import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { getExportJob } from "@/lib/db/export-jobs";
import { exportedDefinition } from "@/lib/db/survey-export";
import { exportedFilePath } from "@/lib/jobs/response-export-job";
import { ExportJobStatus, type ExportJob } from "./export-job-status";
import { orNotFound } from "@/app/_lib/or-not-found";

export const metadata: Metadata = { title: "Export" };
export const dynamic = "force-dynamic";

/** One response export: its progress while it is written, then the file. A job of another questionnaire is not found. */
export default async function ExportJobPage({ params }: { params: Promise<{ id: string; jobId: string }> }) {
  const { id, jobId } = await params;
  const actor = await requirePermissionForPage("surveys.read-results", `/admin/questionnaires/${id}/exports/${jobId}`);
  const db = await getDatabase();
  const { questionnaire } = await orNotFound(exportedDefinition(db, actor, { questionnaireId: id }));
  const job = await orNotFound(getExportJob(db, actor, { questionnaireId: id, jobId }));
  return (
    <>
      <p>
        <Link href={`/admin/questionnaires/${id}#export`}>← {questionnaire.title}</Link>
      </p>
      <h1>Export of responses</h1>
      <p className="lead">
        {job.fileName}, asked for {job.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC.
      </p>
      <section className="card" aria-label="Progress">
        <ExportJobStatus questionnaireId={id} initial={JSON.parse(JSON.stringify(job)) as ExportJob} initialDownloadable={exportedFilePath(job) !== null} />
      </section>
    </>
  );
}
