import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { notFound } from "next/navigation";
import { getDatabase } from "@/lib/db";
import { findPublicQuestionnaire, getParticipantState } from "@/lib/db/responses";
import { answersToFormFields } from "@/lib/survey/answers";
import { resolveVisibility } from "@/lib/survey/conditions";
import { PageForm } from "../_components/page-form";
import { resumeCookieName } from "../participant-cookies";
import { ConsentForm } from "./consent-form";
import { isStableId } from "@/lib/survey/definition";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const questionnaire = isStableId(slug) ? await findPublicQuestionnaire(await getDatabase(), slug) : null;
  return { title: questionnaire?.title ?? "Questionnaire", robots: { index: false } };
}

async function origin(): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto}://${host}`;
}

/**
 * The participant's page at /s/<slug>: welcome and consent, then one section per page, then thanks. Which one
 * is shown follows from the response the resume cookie points at.
 */
export default async function ParticipantPage({ params, searchParams }: Props) {
  const { slug } = await params;
  if (!isStableId(slug)) notFound();
  const query = await searchParams;
  const db = await getDatabase();
  const token = (await cookies()).get(resumeCookieName(slug))?.value;
  const state = await getParticipantState(db, { slug, resumeToken: token });

  if (state?.kind === "completed") {
    return (
      <article className="survey narrow-survey">
        <h1>Thank you</h1>
        <p className="notice success" role="status">
          Your answers have been submitted. You can close this page.
        </p>
        {state.definition.closingText ? <p>{state.definition.closingText}</p> : null}
      </article>
    );
  }

  if (state?.kind === "page") {
    const resumeLink = `${await origin()}/s/${slug}/resume?r=${token}`;
    const visible = resolveVisibility(state.definition, state.answers).effectiveAnswers;
    return (
      <article className="survey">
        <PageForm
          key={state.page.section.id}
          mode={{ kind: "live", slug }}
          definition={state.definition}
          sectionId={state.page.section.id}
          answers={visible}
          initialFields={answersToFormFields(state.page.section, state.answers)}
          presentation={state.presentation}
          progress={state.progress}
          isFirst={state.isFirst}
          isLast={state.isLast}
        />
        <details className="resume-later">
          <summary>Continue later</summary>
          <p>
            Your answers are saved each time you press “Next”. If you close this page, opening the questionnaire again in this browser
            brings you back here. To continue in another browser or device, keep this private link:
          </p>
          <p className="resume-link">
            <code>{resumeLink}</code>
          </p>
        </details>
      </article>
    );
  }

  const questionnaire = await findPublicQuestionnaire(db, slug);
  if (!questionnaire) notFound();
  const { definition } = questionnaire;
  const invitation = typeof query.t === "string" ? query.t : "";
  return (
    <article className="survey narrow-survey">
      <h1>{definition.welcome.title ?? questionnaire.title}</h1>
      {questionnaire.unavailable ? (
        <p className="notice" role="status">
          {questionnaire.unavailable}
        </p>
      ) : !questionnaire.publicLinkOpen && !invitation ? (
        <p className="notice" role="status">
          This questionnaire can only be answered through a personal invitation link.
        </p>
      ) : (
        <>
          <p className="welcome-text">{definition.welcome.text}</p>
          <section className="card consent" aria-labelledby="consent-title">
            <h2 id="consent-title">Consent</h2>
            <p>{definition.consent.text}</p>
            <ConsentForm slug={slug} invitationToken={invitation} agreeLabel={definition.consent.agreeLabel} declineLabel={definition.consent.declineLabel} />
          </section>
        </>
      )}
    </article>
  );
}
