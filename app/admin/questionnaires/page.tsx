import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listQuestionnaires } from "@/lib/db/questionnaires";
import { DefinitionEditor } from "./forms";

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

export default async function QuestionnairesPage() {
  const actor = await requirePermissionForPage("surveys.manage", "/admin/questionnaires");
  const questionnaires = await listQuestionnaires(await getDatabase(), actor);
  return (
    <>
      <h1>Questionnaires</h1>
      <p className="lead">
        Build a questionnaire from a definition, preview it, publish it and share its link. A published version is frozen: editing makes a
        new version, and every response keeps the version it answered.
      </p>
      <section aria-labelledby="all-questionnaires">
        <h2 id="all-questionnaires">All questionnaires ({questionnaires.length})</h2>
        {questionnaires.length === 0 ? (
          <p className="muted">No questionnaire yet. Create one below.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Questionnaire</th>
                  <th scope="col">Status</th>
                  <th scope="col">Version</th>
                  <th scope="col" className="num">Started</th>
                  <th scope="col" className="num">Completed</th>
                  <th scope="col" className="num">Unfinished</th>
                  <th scope="col" className="num">Declined</th>
                  <th scope="col" className="num">Imported</th>
                </tr>
              </thead>
              <tbody>
                {questionnaires.map((q) => (
                  <tr key={q.id}>
                    <td>
                      <Link href={`/admin/questionnaires/${q.id}`}>{q.title}</Link>
                      <br />
                      <span className="muted small">/s/{q.slug}</span>
                    </td>
                    <td>
                      <span className={`badge ${q.status.toLowerCase()}`}>{q.status === "OPEN" ? "Open" : q.status === "CLOSED" ? "Closed" : "Draft"}</span>
                    </td>
                    <td>
                      {q.currentVersion ? `v${q.currentVersion} published` : "not published"}
                      {q.hasDraft ? <span className="muted"> · draft v{q.latestVersion}</span> : null}
                    </td>
                    <td className="num">{q.started}</td>
                    <td className="num">{q.completed}</td>
                    <td className="num">{q.inProgress}</td>
                    <td className="num">{q.declined}</td>
                    <td className="num">{q.imported}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="new-questionnaire">
        <h2 id="new-questionnaire">Create a questionnaire</h2>
        <p>
          <Link href="/admin/questionnaires/from-qualtrics">Create from a Qualtrics survey file or export…</Link>
        </p>
        <DefinitionEditor mode="create" initialSource={STARTER} />
      </section>
    </>
  );
}
