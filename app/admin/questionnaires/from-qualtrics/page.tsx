import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listStudies } from "@/lib/db/studies";
import { ConversionForm } from "./conversion-form";

export const metadata: Metadata = { title: "Questionnaire from Qualtrics" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ study?: string }> };

/** A questionnaire converted from Qualtrics is created inside a study, like one written by hand (?study=slug preselects it). */
export default async function FromQualtricsPage({ searchParams }: Props) {
  const search = await searchParams;
  const actor = await requirePermissionForPage("surveys.manage", "/admin/questionnaires/from-qualtrics");
  const studies = (await listStudies(await getDatabase(), actor)).filter((item) => !item.archived);
  const study = search.study ? studies.find((item) => item.slug === search.study) : undefined;
  if (search.study && !study) notFound();
  return (
    <>
      <p>
        <Link href={study ? `/admin/questionnaires?study=${encodeURIComponent(study.slug)}` : "/admin/questionnaires"}>← Questionnaires</Link>
      </p>
      <h1>Create a questionnaire from Qualtrics</h1>
      <p className="lead">
        Upload the survey you ran on Qualtrics. You will see what could be carried over and what could not, review the result, and
        create it as a draft; then import its responses.
      </p>
      {studies.length > 0 ? (
        <ConversionForm studies={studies.map(({ id, name, slug }) => ({ id, name, slug }))} studyId={study?.id} />
      ) : (
        <p>
          A questionnaire belongs to a study. <Link href="/admin/studies">Create a study</Link> first.
        </p>
      )}
    </>
  );
}
