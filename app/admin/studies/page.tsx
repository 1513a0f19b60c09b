import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listStudies } from "@/lib/db/studies";
import { ArchiveStudyForm, CreateStudyForm, RenameStudyForm } from "./study-forms";

export const metadata: Metadata = { title: "Studies" };
export const dynamic = "force-dynamic";

/** Studies as the unit everything belongs to: create one, rename it, archive it; each links to its instruments. */
export default async function StudiesPage() {
  const actor = await requirePermissionForPage("studies.manage", "/admin/studies");
  const studies = await listStudies(await getDatabase(), actor, { includeArchived: true });
  return (
    <>
      <h1>Studies</h1>
      <p className="lead">
        A study holds its questionnaires, its paper population and its experiment sets; its dashboard shows only its own numbers.
      </p>
      <section className="card" aria-labelledby="new-study">
        <h2 id="new-study">Create a study</h2>
        <CreateStudyForm />
      </section>
      <section aria-labelledby="all-studies">
        <h2 id="all-studies">All studies ({studies.length})</h2>
        {studies.length === 0 ? <p className="muted">No study yet. Create one above.</p> : null}
        <ul className="grid study-list">
          {studies.map((study) => (
            <li key={study.id} className="card" data-study={study.slug}>
              <h3>
                <Link href={`/admin/studies/${study.slug}`}>{study.name}</Link> {study.archived ? <span className="badge closed">Archived</span> : null}
              </h3>
              <p className="muted">
                /{study.slug} · {study.questionnaires} questionnaire{study.questionnaires === 1 ? "" : "s"} · {study.papers} papers · {study.experimentSets} experiment sets
              </p>
              <p>
                <Link href={`/admin/questionnaires?study=${study.slug}`}>Questionnaires</Link> · <Link href={`/admin/literature?study=${study.slug}`}>Literature</Link> ·{" "}
                <Link href={`/admin/studies/${study.slug}`}>Dashboard</Link>
              </p>
              <details>
                <summary>Rename or archive</summary>
                <RenameStudyForm studyId={study.id} name={study.name} description={study.description} />
                <ArchiveStudyForm studyId={study.id} archived={study.archived} name={study.name} />
              </details>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
