import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { notFound } from "next/navigation";
import { listQuestionnaires } from "@/lib/db/questionnaires";
import { listStudies } from "@/lib/db/studies";
import { DefinitionEditor } from "./forms";
import { DataTable } from "@/app/_components/data-table";

export const metadata: Metadata = { title: "Questionnaires" };
export const dynamic = "force-dynamic";

const STARTER = `id: my_survey
title: My questionnaire
version: 1
language: en
welcome:
  text: Thank you for taking part. This takes about five minutes.
consent:
  text: Participation is voluntary and anonymous.
  agreeLabel: I agree, start
  declineLabel: No, thank you
sections:
  - id: about
    title: About you
    questions:
      - id: years
        type: numeric
        text: How many years have you worked with deep learning?
        unit: years
        min: 0
        max: 60
        required: true
`;

type Props = { searchParams: Promise<{ study?: string; archived?: string }> };

/** The questionnaires of one study (?study=slug) or of every study, each row naming its study. */
export default async function QuestionnairesPage({ searchParams }: Props) {
  const search = await searchParams;
  const actor = await requirePermissionForPage("surveys.manage", "/admin/questionnaires");
  const db = await getDatabase();
  const studies = await listStudies(db, actor, { includeArchived: true });
  const study = search.study ? studies.find((item) => item.slug === search.study) : undefined;
  if (search.study && !study) notFound();
  const showArchived = search.archived === "1";
  const questionnaires = await listQuestionnaires(db, actor, { studyId: study?.id, includeArchived: showArchived });
  const here = (extra: Record<string, string | undefined>) => {
    const query = new URLSearchParams(Object.entries({ study: study?.slug, archived: showArchived ? "1" : undefined, ...extra }).filter((entry): entry is [string, string] => Boolean(entry[1])));
    return `/admin/questionnaires${query.size ? `?${query}` : ""}`;
  };
  return (
    <>
      <h1>Questionnaires{study ? `: ${study.name}` : ""}</h1>
      <nav className="actions-row" aria-label="Choose a study">
        Study:{" "}
        {study ? <Link href={here({ study: "" })}>all studies</Link> : <strong aria-current="page">all studies</strong>}
        {studies
          .filter((item) => !item.archived || item.id === study?.id)
          .map((item) => (
            <span key={item.id}>
              {" · "}
              {item.id === study?.id ? <strong aria-current="page">{item.name}</strong> : <Link href={here({ study: item.slug })}>{item.name}</Link>}
            </span>
          ))}
        {" · "}
        <Link href={here({ archived: showArchived ? "" : "1" })}>{showArchived ? "Hide archived questionnaires" : "Show archived questionnaires"}</Link>
        {study ? (
          <>
            {" · "}
            <Link href={`/admin/studies/${study.slug}`}>Dashboard of {study.name}</Link>
          </>
        ) : null}
      </nav>
      <p className="lead">
        Build a questionnaire from a definition, preview it, publish it and share its link. A published version is frozen: editing makes a
        new version, and every response keeps the version it answered.
      </p>
      <section aria-labelledby="all-questionnaires">
        <h2 id="all-questionnaires">All questionnaires ({questionnaires.length})</h2>
        {questionnaires.length === 0 ? (
          <p className="muted">No questionnaire yet. Create one below.</p>
        ) : (
          <DataTable
            rows={questionnaires}
            rowKey={(q) => q.id}
            columns={[
              { label: "Questionnaire", cell: (q) => <><Link href={`/admin/questionnaires/${q.id}`}>{q.title}</Link><br /><span className="muted small">/s/{q.slug}</span></> },
              { label: "Study", cell: (q) => <>{q.study ? <Link href={`/admin/studies/${q.study.slug}?questionnaire=${encodeURIComponent(q.slug)}`}>{q.study.name}</Link> : <span className="muted">no study</span>}</> },
              { label: "Status", cell: (q) => <><span className={`badge ${q.status.toLowerCase()}`}>{q.status === "OPEN" ? "Open" : q.status === "CLOSED" ? "Closed" : "Draft"}</span>{q.archived ? <span className="badge closed">Archived</span> : null}</> },
              { label: "Version", cell: (q) => <>{q.currentVersion ? `v${q.currentVersion} published` : "not published"}{q.hasDraft ? <span className="muted"> · draft v{q.latestVersion}</span> : null}</> },
              { label: "Started", numeric: true, cell: (q) => q.started },
              { label: "Completed", numeric: true, cell: (q) => q.completed },
              { label: "Unfinished", numeric: true, cell: (q) => q.inProgress },
              { label: "Declined", numeric: true, cell: (q) => q.declined },
              { label: "Imported", numeric: true, cell: (q) => q.imported },
            ]}
          />
        )}
      </section>
      <section className="card" aria-labelledby="new-questionnaire">
        <h2 id="new-questionnaire">Create a questionnaire{study ? ` in ${study.name}` : ""}</h2>
        <p>
          <Link href={`/admin/questionnaires/from-qualtrics${study ? `?study=${encodeURIComponent(study.slug)}` : ""}`}>Create from a Qualtrics survey file or export…</Link>
        </p>
        {studies.some((item) => !item.archived) ? (
          <DefinitionEditor mode="create" initialSource={STARTER} studies={studies.filter((item) => !item.archived)} studyId={study && !study.archived ? study.id : undefined} />
        ) : (
          <p>
            A questionnaire belongs to a study. <Link href="/admin/studies">Create a study</Link> first.
          </p>
        )}
      </section>
    </>
  );
}
