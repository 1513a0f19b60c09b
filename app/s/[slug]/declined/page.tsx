import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDatabase } from "@/lib/db";
import { findPublicQuestionnaire } from "@/lib/db/responses";
import { isStableId } from "@/lib/survey/definition";

export const metadata: Metadata = { title: "Thank you", robots: { index: false } };
export const dynamic = "force-dynamic";

/** Shown after declining consent. Nothing about the visitor was stored; only the decline counter moved. */
export default async function DeclinedPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const questionnaire = isStableId(slug) ? await findPublicQuestionnaire(await getDatabase(), slug) : null;
  if (!questionnaire) notFound();
  return (
    <article className="survey narrow-survey">
      <h1>Thank you</h1>
      <p className="notice" role="status">
        {questionnaire.definition.consent.declinedMessage}
      </p>
      <p className="muted">You can close this page.</p>
    </article>
  );
}
