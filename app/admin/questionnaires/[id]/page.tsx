import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { getQuestionnaireDetail } from "@/lib/db/questionnaires";
import { listStudies } from "@/lib/db/studies";
import { METHOD_NAMES } from "@/lib/dashboard/intervals";
import { listExportJobs } from "@/lib/db/export-jobs";
import { formatDateTime, formatLevel } from "@/lib/format";
import { DefinitionEditor, InvitationForm, OpenForm, PublishForm, SettingsForm } from "../forms";
import { ArchiveQuestionnaireForm, DeleteQuestionnaireForm, HeadlineForm, ImportHeadlinesForm, MoveQuestionnaireForm, RemoveHeadlineForm } from "../manage-forms";
import { StatisticsDownloads } from "./statistics-downloads";
import { ExportButtons } from "./export-buttons";
import { RecentExports } from "./recent-exports";
import { DataTable } from "@/app/_components/data-table";
import { orNotFound } from "@/app/_lib/or-not-found";

export const metadata: Metadata = { title: "Questionnaire" };
export const dynamic = "force-dynamic";

const dateOnly = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");

export default async function QuestionnairePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePermissionForPage("surveys.manage", `/admin/questionnaires/${id}`);
  const db = await getDatabase();
  const detail = await orNotFound(getQuestionnaireDetail(db, actor, id));
  const exports = await listExportJobs(db, actor, { questionnaireId: detail.id });
  const studies = (await listStudies(db, actor)).map((study) => ({ id: study.id, name: study.name, slug: study.slug }));
  const responses = detail.started + detail.imported;
  const headlines = detail.headlineConfig.headlines;
  const optionLabel = (questionId: string, optionId: string) => detail.choiceQuestions.find((q) => q.id === questionId)?.options.find((o) => o.id === optionId)?.label ?? optionId;
  const published = detail.currentVersion !== null;
  const maxDrop = Math.max(1, ...detail.dropOff.map((d) => d.count));
  const api = `/api/questionnaires/${detail.id}`;
  return (
    <>
      <p>
        <Link href={detail.study ? `/admin/questionnaires?study=${detail.study.slug}` : "/admin/questionnaires"}>← Questionnaires{detail.study ? ` of ${detail.study.name}` : ""}</Link>
      </p>
      <p className="study-context">
        Study:{" "}
        {detail.study ? (
          <>
            <strong>{detail.study.name}</strong> · <Link href={`/admin/studies/${detail.study.slug}?questionnaire=${encodeURIComponent(detail.slug)}`}>results on the study dashboard</Link>
          </>
        ) : (
          <strong>none — move it into a study below to read its results on a dashboard</strong>
        )}
      </p>
      <h1>
        {detail.title} {detail.archived ? <span className="badge closed">Archived</span> : null}
      </h1>
      <p>
        <span className={`badge ${detail.status.toLowerCase()}`}>{detail.status === "OPEN" ? "Open" : detail.status === "CLOSED" ? "Closed" : "Draft"}</span>{" "}
        {published ? (
          <>
            Public link: <Link href={`/s/${detail.slug}`}>/s/{detail.slug}</Link>
          </>
        ) : (
          <span className="muted">Not published yet: participants cannot see it.</span>
        )}
      </p>

      <section className="card" aria-labelledby="responses">
        <h2 id="responses">Responses</h2>
        <ul className="stat-row">
          <li>
            <strong>{detail.started}</strong> started
          </li>
          <li>
            <strong>{detail.completed}</strong> completed
          </li>
          <li>
            <strong>{detail.inProgress}</strong> unfinished
          </li>
          <li>
            <strong>{detail.declined}</strong> declined consent
          </li>
          <li>
            <strong>{detail.imported}</strong> imported
          </li>
        </ul>
        {detail.dropOff.length > 0 ? (
          <>
            <h3>Where unfinished responses stopped</h3>
            <DataTable
              rows={detail.dropOff}
              rowKey={(d) => d.sectionId}
              columns={[
                { label: "Page", cell: (d) => d.title },
                { label: "Responses", numeric: true, cell: (d) => d.count },
                { label: <><span className="sr-only">Share</span></>, cell: (d) => <><div className="bar-cell" aria-hidden="true"><span className="bar" style={{ width: `${(100 * d.count) / maxDrop}%` }} /></div></> },
              ]}
            />
          </>
        ) : null}
        <h3 id="export">Export</h3>
        <p className="muted small">Each export is prepared on the server while participants keep answering; its page shows the progress and offers the file.</p>
        <div className="button-row">
          <ExportButtons
            questionnaireId={detail.id}
            choices={[
              { label: "CSV (completed)", format: "csv", partial: false },
              { label: "CSV (with unfinished)", format: "csv", partial: true },
              { label: "JSON (all)", format: "json", partial: true },
            ]}
          />
          <a className="button secondary" href={`${api}/export?format=codebook`}>
            Codebook CSV
          </a>
          <Link className="button secondary" href={`/admin/questionnaires/${detail.id}/import`}>
            Import responses…
          </Link>
        </div>
        <StatisticsDownloads questionnaireId={detail.id} api={api} />
        <RecentExports questionnaireId={detail.id} jobs={exports} />
      </section>

      <section className="card" aria-labelledby="versions">
        <h2 id="versions">Versions</h2>
        <DataTable
          rows={detail.versions}
          rowKey={(v) => v.id}
          columns={[
            { label: "Version", cell: (v) => <>v{v.version}</> },
            { label: "State", cell: (v) => <>{v.publishedAt ? `published ${formatDateTime(v.publishedAt, { zone: true })}${detail.currentVersion === v.version ? " (current)" : ""}` : "draft"}</> },
            { label: "Responses", numeric: true, cell: (v) => v.responseCount },
            { label: "Actions", cell: (v) => <><div className="button-row"><Link href={`/admin/questionnaires/${detail.id}/preview?version=${v.id}`}>Preview<span className="sr-only"> version {v.version}</span></Link>{v.publishedAt ? null : <PublishForm questionnaireId={detail.id} versionId={v.id} version={v.version} />}</div></> },
          ]}
        />
        {published ? (
          // A <form> may not sit inside a <p>: the browser closes the paragraph first, so the DOM no longer matches
          // what React rendered on the server (hydration error #418 on this page).
          <div className="button-row">
            <OpenForm questionnaireId={detail.id} open={detail.status === "OPEN"} />
          </div>
        ) : null}
      </section>

      <section className="card" aria-labelledby="edit">
        <h2 id="edit">Edit the definition</h2>
        <p className="muted">
          {detail.latestPublished
            ? `Version ${detail.latestVersion} is published and frozen; saving creates draft version ${detail.latestVersion + 1}.`
            : `You are editing draft version ${detail.latestVersion}.`}
        </p>
        <DefinitionEditor mode="edit" questionnaireId={detail.id} initialSource={detail.latestSource} />
      </section>

      <section className="card" aria-labelledby="headlines">
        <h2 id="headlines">Headline proportions</h2>
        <p className="muted">
          Each headline is the share of respondents who chose one of the listed answers, among those who answered the question, shown with its interval at
          the top of the study dashboard.
        </p>
        {headlines.length > 0 ? (
          <DataTable
            rows={headlines}
            rowKey={(headline) => headline.id}
            rowProps={(headline) => ({ "data-headline": headline.id })}
            columns={[
              {
                label: "Headline",
                cell: (headline) => (
                  <>
                    {headline.label}
                    <br />
                    <span className="muted small">{headline.id}</span>
                  </>
                ),
              },
              { label: "Counts", cell: (headline) => `${headline.anyOf.map((option) => `“${optionLabel(headline.question, option)}”`).join(" or ")} on ${headline.question}` },
              { label: "Interval", cell: (headline) => `${headline.method ? METHOD_NAMES[headline.method] : "reader's choice"}, ${headline.level ? formatLevel(headline.level) : "reader's level"}` },
              { label: "Reference", cell: (headline) => (headline.reference ? `${headline.reference.percent}%${headline.reference.n ? ` (n = ${headline.reference.n})` : ""}` : "–") },
              { label: <span className="sr-only">Remove</span>, cell: (headline) => <RemoveHeadlineForm questionnaireId={detail.id} headlineId={headline.id} label={headline.label} /> },
            ]}
          />
        ) : (
          <p>No headline proportions yet.</p>
        )}
        <h3>Define a headline</h3>
        {detail.choiceQuestions.length > 0 ? <HeadlineForm questionnaireId={detail.id} questions={detail.choiceQuestions} /> : <p className="muted">The questionnaire has no choice question to define a headline on.</p>}
        <h3>Export and import</h3>
        <p>
          <a className="button secondary" href={`${api}/export?format=headlines`}>
            Download headlines (YAML)
          </a>
        </p>
        <ImportHeadlinesForm questionnaireId={detail.id} />
      </section>

      <section className="card" aria-labelledby="settings">
        <h2 id="settings">Distribution settings</h2>
        <SettingsForm
          questionnaireId={detail.id}
          settings={{
            opensAt: dateOnly(detail.opensAt),
            closesAt: dateOnly(detail.closesAt),
            maxResponses: detail.maxResponses === null ? "" : String(detail.maxResponses),
            allowRepeat: detail.allowRepeat,
            publicLinkOpen: detail.publicLinkOpen,
          }}
        />
      </section>

      <section className="card" aria-labelledby="invitations">
        <h2 id="invitations">Invitation lists</h2>
        <p className="muted">
          Each address or identifier gets a single-use link. No e-mail is sent: download the links and send them with your own mail tool.
        </p>
        {detail.invitationLists.length > 0 ? (
          <DataTable
            rows={detail.invitationLists}
            rowKey={(list) => list.id}
            columns={[
              { label: "List", cell: (list) => list.name },
              { label: "Invitations", numeric: true, cell: (list) => list.size },
              { label: "Used", numeric: true, cell: (list) => list.used },
              {
                label: "Links",
                cell: (list) => (
                  <a href={`/api/questionnaires/invitations/${list.id}`}>
                    Download CSV<span className="sr-only"> of {list.name}</span>
                  </a>
                ),
              },
            ]}
          />
        ) : null}
        <h3>New list</h3>
        <InvitationForm questionnaireId={detail.id} />
      </section>

      <section className="card" aria-labelledby="manage">
        <h2 id="manage">Study, archive, delete</h2>
        <h3>Move to another study</h3>
        <MoveQuestionnaireForm questionnaireId={detail.id} studies={studies} currentStudyId={detail.studyId} />
        <h3>Archive</h3>
        <p className="muted">Archiving closes the questionnaire to participants and hides it from the list; its responses and results stay.</p>
        <ArchiveQuestionnaireForm questionnaireId={detail.id} archived={detail.archived} />
        <h3>Delete</h3>
        <p className="muted">
          Deleting removes the questionnaire, its versions and invitation lists{responses > 0 ? `, and — only if you tick the box — its ${responses} responses` : ""}. It is
          recorded in the audit log and cannot be undone.
        </p>
        <DeleteQuestionnaireForm questionnaireId={detail.id} slug={detail.slug} responses={responses} />
      </section>
    </>
  );
}
