import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { getQuestionnaireDetail } from "@/lib/db/questionnaires";
import { AppError } from "@/lib/errors";
import { ImportForm } from "./import-form";

export const metadata: Metadata = { title: "Import responses" };
export const dynamic = "force-dynamic";

export default async function ImportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePermissionForPage("surveys.manage", `/admin/questionnaires/${id}/import`);
  const detail = await getQuestionnaireDetail(await getDatabase(), actor, id).catch((error) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <>
      <p>
        <Link href={`/admin/questionnaires/${id}`}>← {detail.title}</Link>
      </p>
      <h1>Import responses</h1>
      <p className="lead">
        Upload responses collected elsewhere: a Qualtrics CSV export (three header rows; choice text or numeric values) or a plain CSV
        with one column per question, such as this site&apos;s own export. Every cell is checked first; if anything is wrong, nothing is
        imported and each problem is listed with its row and column.
      </p>
      {detail.currentVersion === null ? (
        <p className="notice">Publish the questionnaire first: imported responses are stored against the published version.</p>
      ) : (
        <section className="card" aria-label="Upload">
          <ImportForm questionnaireId={id} />
        </section>
      )}
    </>
  );
}
