import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { DataTable } from "@/app/_components/data-table";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { getAdjudicationView } from "@/lib/db/adjudication";
import { answerKey, type CodebookQuestion } from "@/lib/coding/codebook";
import { toDraft } from "../../_components/draft";
import styles from "../../_components/coding.module.css";
import { ResolveForm } from "./resolve-form";
import { webUrlOrNull } from "@/lib/security/safe-url";
import { orNotFound } from "@/app/_lib/or-not-found";

export const metadata: Metadata = { title: "Adjudicate a paper" };
export const dynamic = "force-dynamic";

/** One question's codes side by side (or the coders' notes), with whether the coders agree. */
type SideBySideRow = { id: string; label: string; answers: ReactNode[]; status: string };

function describe(question: CodebookQuestion, value: unknown): string {
  if (value === undefined || value === null || value === "") return "—";
  const values = Array.isArray(value) ? value.map(String) : [String(value)];
  return values.map((item) => question.options?.find((option) => option.value === item)?.label ?? item).join(", ") || "(none ticked)";
}

export default async function AdjudicatePaperPage({ params }: { params: Promise<{ paperId: string }> }) {
  const { paperId } = await params;
  const actor = await requirePermissionForPage("coding.adjudicate", `/code/adjudicate/${encodeURIComponent(paperId)}`);
  const view = await orNotFound(getAdjudicationView(await getDatabase(), actor, paperId));
  const status = new Map(view.comparison.questions.map((question) => [question.questionId, question.status]));
  // Prefill the final code with the answers every coder shares; disputed questions start empty.
  const agreed: Record<string, unknown> = {};
  for (const question of view.codebook.questions) {
    const keys = view.codings.map((coding) => answerKey(coding.answers[question.id]));
    if (question.type !== "text" && keys.every((key) => key !== null && key === keys[0])) agreed[question.id] = view.codings[0]!.answers[question.id];
  }
  const rows: SideBySideRow[] = view.codebook.questions
    .filter((question) => view.codings.some((coding) => coding.askedQuestionIds.includes(question.id)))
    .map((question) => ({
      id: question.id,
      label: question.text,
      answers: view.codings.map((coding) => (coding.askedQuestionIds.includes(question.id) ? describe(question, coding.answers[question.id]) : <span className="muted">not asked</span>)),
      status: status.get(question.id) ?? (question.type === "text" ? "note" : ""),
    }));
  if (view.codings.some((coding) => coding.note)) rows.push({ id: "_note", label: "Note", answers: view.codings.map((coding) => coding.note ?? "—"), status: "" });
  const initial = view.final.status === "adjudicated" ? view.final.answers : agreed;
  const paper = view.paper;
  // Imported data: only web addresses become links (lib/security/safe-url.ts).
  const link = webUrlOrNull(paper.doi ? `https://doi.org/${paper.doi}` : paper.url);
  return (
    <>
      <p>
        <Link href={`/code/adjudicate?study=${encodeURIComponent(view.study.slug)}`}>← Conflicts of {view.study.name}</Link>
      </p>
      <h1>Adjudicate: {paper.title}</h1>
      <p className="muted">
        {[`Study: ${view.study.name}`, paper.venue, paper.year, `stratum ${view.stratumLabel}`, `${paper.round} round`].filter(Boolean).join(" · ")}
        {link ? (
          <>
            {" · "}
            <a href={link} target="_blank" rel="noreferrer noopener">
              Open the paper<span className="sr-only"> (opens in a new tab)</span>
            </a>
          </>
        ) : null}
      </p>
      {view.final.status === "adjudicated" ? (
        <p className="notice success">
          Adjudicated: {view.final.reason}.{view.override ? ` (Adjudicated by a coder of the paper, overridden by an admin: ${view.override}.)` : ""} You can revise the final code below.
        </p>
      ) : null}
      <section aria-labelledby="side-by-side">
        <h2 id="side-by-side">The codings side by side</h2>
        <DataTable
          rows={rows}
          rowKey={(row) => row.id}
          rowProps={(row) => ({ className: row.status === "disagree" ? styles.disagree : row.status === "agree" ? styles.agree : undefined })}
          columns={[
            { label: "Question", rowHeader: true, cell: (row) => row.label },
            ...view.codings.map((coding, index) => ({ label: coding.coderName, cell: (row: SideBySideRow) => row.answers[index] })),
            { label: "Status", cell: (row) => (row.status === "disagree" ? <strong>disagree</strong> : row.status) },
          ]}
        />
      </section>
      {paper.abstract ? (
        <details className="card">
          <summary>Abstract</summary>
          <p className={styles.abstract}>{paper.abstract}</p>
        </details>
      ) : null}
      <section className="card" aria-labelledby="final-title">
        <h2 id="final-title" style={{ marginTop: 0 }}>
          Final code
        </h2>
        {view.standing === "coded-may-not" ? (
          <p className="notice" role="status">
            You coded this paper, so another adjudicator must settle its disagreement (a third person keeps the final code independent of both coders).
          </p>
        ) : (
          <ResolveForm
            paperId={paper.id}
            codebook={view.codebook}
            initial={toDraft(initial)}
            initialReason={view.final.status === "adjudicated" ? view.final.reason : ""}
            needsOverride={view.standing === "coded-may-override"}
          />
        )}
      </section>
    </>
  );
}
