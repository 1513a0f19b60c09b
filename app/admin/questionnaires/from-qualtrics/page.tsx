import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { ConversionForm } from "./conversion-form";

export const metadata: Metadata = { title: "Questionnaire from Qualtrics" };
export const dynamic = "force-dynamic";

export default async function FromQualtricsPage() {
  await requirePermissionForPage("surveys.manage", "/admin/questionnaires/from-qualtrics");
  return (
    <>
      <p>
        <Link href="/admin/questionnaires">← Questionnaires</Link>
      </p>
      <h1>Create a questionnaire from Qualtrics</h1>
      <p className="lead">
        Upload the survey you ran on Qualtrics. You will see what could be carried over and what could not, review the result, and
        create it as a draft; then import its responses.
      </p>
      <ConversionForm />
    </>
  );
}
