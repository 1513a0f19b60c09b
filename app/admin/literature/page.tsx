import type { Metadata } from "next";
import Link from "next/link";
import { getStudyCodebook, listLiteratureStudies } from "@/lib/db/codebooks";
import { getPopulationOverview } from "@/lib/db/papers";
import { getSampleOverview } from "@/lib/db/samples";
import { CreateStudyForm, DefinitionForm } from "./_components/forms";
import { LiteratureNav } from "./_components/literature-nav";
import { loadLiteraturePage } from "./_components/study";
import { DataTable } from "@/app/_components/data-table";

export const metadata: Metadata = { title: "Literature survey" };
export const dynamic = "force-dynamic";

export default async function LiteraturePage({ searchParams }: { searchParams: Promise<{ study?: string; created?: string }> }) {
  const { actor, db, params: search, study } = await loadLiteraturePage("papers.manage", "/admin/literature", searchParams);
  if (!study) {
    return (
      <>
        <h1>Literature survey</h1>
        <p className="lead">There is no study yet. Create one to import its paper population.</p>
        <section className="card">
          <CreateStudyForm />
        </section>
      </>
    );
  }
  const [population, sample, codebook, studies] = await Promise.all([
    getPopulationOverview(db, actor, study),
    getSampleOverview(db, actor, study.id),
    getStudyCodebook(db, study.id),
    listLiteratureStudies(db, actor),
  ]);
  const q = `?study=${encodeURIComponent(study.slug)}`;
  const members = population.strata.reduce((sum, stratum) => sum + stratum.size, 0);
  return (
    <>
      <h1>Literature survey: {study.name}</h1>
      <LiteratureNav current="/admin/literature" studySlug={study.slug} />
      {search.created ? (
        <p className="notice success" role="status">
          Created the study {study.name}. Import its paper population next.
        </p>
      ) : null}
      <p className="lead">
        Import the paper population, sort it into strata, draw a random sample with a recorded seed, let two or more
        annotators code it blind, resolve their disagreements, and read the shares with intervals and agreement.
      </p>
      <div className="grid">
        <section className="card" aria-labelledby="s-pop">
          <h2 id="s-pop" style={{ marginTop: 0 }}>1. Population</h2>
          <p>
            {population.totalPapers} papers imported; <strong>{members}</strong> in the population
            {population.strata.length > 0 ? ` (${population.strata.map((stratum) => `${stratum.label}: ${stratum.size}`).join("; ")})` : ""}, {population.excluded.length} excluded.
          </p>
          <p>
            <Link href={`/admin/literature/import${q}`}>Import papers</Link> · <Link href={`/admin/literature/population${q}`}>Strata and filters</Link>
          </p>
        </section>
        <section className="card" aria-labelledby="s-sample">
          <h2 id="s-sample" style={{ marginTop: 0 }}>2. Sample and coders</h2>
          {sample.draw ? (
            <p>
              {sample.draw.total} papers sampled (seed {sample.draw.seed}); {sample.draw.unassigned} not yet assigned.
            </p>
          ) : (
            <p>No sample drawn yet.</p>
          )}
          <p>
            <Link href={`/admin/literature/sample${q}`}>Sample size, draw and assignment</Link>
          </p>
        </section>
        <section className="card" aria-labelledby="s-results">
          <h2 id="s-results" style={{ marginTop: 0 }}>3. Coding, conflicts, results</h2>
          <p>
            {sample.progress.length === 0
              ? "No coder is assigned yet."
              : `${sample.progress.reduce((sum, row) => sum + row.done, 0)} of ${sample.progress.reduce((sum, row) => sum + row.total, 0)} assignments coded.`}
          </p>
          <p>
            <Link href="/code/adjudicate">Conflicts</Link> · <Link href={`/admin/literature/results${q}`}>Agreement and results</Link>
          </p>
        </section>
      </div>
      {sample.progress.length > 0 ? (
        <section aria-labelledby="progress-title">
          <h2 id="progress-title">Coding progress</h2>
          <DataTable
            rows={sample.progress}
            rowKey={(row) => `${row.coderId}-${row.round}`}
            columns={[
              { label: "Coder", cell: (row) => row.name },
              { label: "Round", cell: (row) => row.round === "CALIBRATION" ? "calibration" : "main" },
              { label: "Done", numeric: true, cell: (row) => row.done },
              { label: "Skipped", numeric: true, cell: (row) => row.skipped },
              { label: "Assigned", numeric: true, cell: (row) => row.total },
              { label: "Progress", cell: (row) => <progress max={row.total} value={row.done} aria-label={`${row.name}, ${row.round.toLowerCase()}: ${row.done} of ${row.total}`} /> },
            ]}
          />
        </section>
      ) : null}
      <section aria-labelledby="codebook-title">
        <h2 id="codebook-title">
          Codebook: {codebook.codebook.title} (v{codebook.codebook.version})
        </h2>
        <ol>
          {codebook.codebook.questions.map((question) => (
            <li key={question.id}>
              {question.text} <span className="muted">({question.type}{question.askIf.length > 0 ? `; asked when ${question.askIf.map((condition) => `${condition.question} is ${condition.anyOf.join(" or ")}`).join(" and ")}` : ""})</span>
            </li>
          ))}
        </ol>
        <details className="card">
          <summary>Install another codebook version</summary>
          <DefinitionForm studyId={study.id} kind="codebook" source={codebook.sourceText} />
        </details>
      </section>
      <section aria-labelledby="studies-title">
        <h2 id="studies-title">Studies</h2>
        <ul>
          {studies.map((item) => (
            <li key={item.id}>
              {item.id === study.id ? (
                <strong aria-current="true">{item.name}</strong>
              ) : (
                <Link href={`/admin/literature?study=${encodeURIComponent(item.slug)}`}>{item.name}</Link>
              )}{" "}
              <span className="muted">({item.slug})</span>
            </li>
          ))}
        </ul>
        <details className="card">
          <summary>Create another study</summary>
          <CreateStudyForm />
        </details>
      </section>
    </>
  );
}
