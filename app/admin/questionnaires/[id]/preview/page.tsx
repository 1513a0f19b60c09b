import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { getVersionDefinition } from "@/lib/db/questionnaires";
import { PageForm } from "../../../../s/_components/page-form";
import { orNotFound } from "@/app/_lib/or-not-found";

export const metadata: Metadata = { title: "Preview" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * Preview of a version as participants see it, page by page. Nothing is stored: "Check this page" validates in
 * the browser, and skip logic reacts to what is chosen on the page. Pages after the welcome page are listed by
 * section, so pages hidden by earlier answers can be previewed too.
 */
export default async function PreviewPage({ params, searchParams }: Props) {
  const { id } = await params;
  const query = await searchParams;
  const actor = await requirePermissionForPage("surveys.manage", `/admin/questionnaires/${id}/preview`);
  const versionId = typeof query.version === "string" ? query.version : undefined;
  const found = await orNotFound(getVersionDefinition(await getDatabase(), actor, { questionnaireId: id, versionId }));
  const { definition } = found;
  const total = definition.sections.length;
  const pageNumber = Math.min(Math.max(Number(typeof query.page === "string" ? query.page : "0") || 0, 0), total);
  const href = (page: number) => `/admin/questionnaires/${id}/preview?version=${found.versionId}&page=${page}`;
  const section = pageNumber > 0 ? definition.sections[pageNumber - 1] : undefined;
  return (
    <>
      <p className="notice preview-banner">
        Preview of version {found.version} ({found.published ? "published" : "draft"}). Nothing you enter here is stored.{" "}
        <Link href={`/admin/questionnaires/${id}`}>Back to the questionnaire</Link>
      </p>
      <nav aria-label="Preview pages" className="button-row">
        <Link href={href(0)} aria-current={pageNumber === 0 ? "page" : undefined}>
          Welcome
        </Link>
        {definition.sections.map((s, index) => (
          <Link key={s.id} href={href(index + 1)} aria-current={pageNumber === index + 1 ? "page" : undefined}>
            {index + 1}. {s.title}
          </Link>
        ))}
      </nav>
      <article className="survey">
        {section ? (
          <PageForm
            key={section.id}
            mode={{ kind: "preview", previousHref: href(pageNumber - 1), nextHref: pageNumber < total ? href(pageNumber + 1) : null }}
            definition={definition}
            sectionId={section.id}
            answers={{}}
            initialFields={{}}
            progress={{ index: pageNumber - 1, total }}
            isFirst={pageNumber === 1}
            isLast={pageNumber === total}
          />
        ) : (
          <>
            <h1>{definition.welcome.title ?? definition.title}</h1>
            <p className="welcome-text">{definition.welcome.text}</p>
            <section className="card consent" aria-labelledby="consent-title">
              <h2 id="consent-title">Consent</h2>
              <p>{definition.consent.text}</p>
              <div className="page-buttons">
                <Link className="button" href={href(1)}>
                  {definition.consent.agreeLabel}
                </Link>
                <span className="button secondary" aria-disabled="true">
                  {definition.consent.declineLabel}
                </span>
              </div>
            </section>
          </>
        )}
      </article>
    </>
  );
}
