import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/app/_components/data-table";
import { getPopulationOverview, listPapers } from "@/lib/db/papers";
import { DefinitionForm } from "../_components/forms";
import { LiteratureNav } from "../_components/literature-nav";
import { loadLiteraturePage } from "../_components/study";

export const metadata: Metadata = { title: "Population and strata" };
export const dynamic = "force-dynamic";

export default async function PopulationPage({ searchParams }: { searchParams: Promise<{ study?: string; stratum?: string; q?: string }> }) {
  const { actor, db, params, study } = await loadLiteraturePage("papers.manage", "/admin/literature/population", searchParams);
  if (!study) return <p>Create a study first on the <Link href="/admin/literature">literature page</Link>.</p>;
  const overview = await getPopulationOverview(db, actor, study);
  const list = await listPapers(db, actor, { studyId: study.id, stratum: params.stratum ?? null, query: params.q ?? null, limit: 200 });
  const { definition } = overview;
  const exclusionOf = (paperId: string) => overview.excluded.find((item) => item.paperId === paperId);
  const strata = [
    ...overview.strata.map((stratum) => ({ id: stratum.id, label: stratum.label, papers: stratum.size, detail: stratum.venues.map((venue) => `${venue.id} ${venue.size}`).join(" · ") })),
    { id: "_excluded", label: "Excluded", papers: overview.excluded.length, detail: overview.exclusionReasons.slice(0, 6).map((item) => `${item.reason} (${item.count})`).join(" · ") },
  ];
  const members = overview.strata.reduce((sum, stratum) => sum + stratum.size, 0);
  return (
    <>
      <h1>Population and strata</h1>
      <LiteratureNav current="/admin/literature/population" studySlug={study.slug} />
      <p className="lead">
        {definition.title}. Venues are recognised in each paper&apos;s venue text by their aliases; papers of other venues,
        {definition.excludeTracks.length > 0 ? ` of the tracks ${definition.excludeTracks.join(", ")},` : ""}
        {definition.yearRange ? ` outside ${definition.yearRange.from}–${definition.yearRange.to},` : ""} or of workshops and
        similar ({definition.excludeVenuesMatching.join(", ")}) are outside the population.
        {overview.isDefault ? " This is the reference study's definition; edit it below for your own survey." : ""}
      </p>
      <section aria-labelledby="strata-title">
        <h2 id="strata-title">
          Strata ({members} of {overview.totalPapers} papers)
        </h2>
        <DataTable
          rows={strata}
          rowKey={(row) => row.id}
          columns={[
            { label: "Stratum", rowHeader: true, cell: (row) => row.label },
            { label: "Papers", numeric: true, cell: (row) => row.papers },
            { label: "Per venue", cell: (row) => row.detail },
          ]}
        />
      </section>
      <section aria-labelledby="papers-title">
        <h2 id="papers-title">Papers</h2>
        <form method="get" className="inline-form" aria-label="Filter papers">
          <input type="hidden" name="study" value={study.slug} />
          <label htmlFor="filter-stratum">Stratum</label>
          <select id="filter-stratum" name="stratum" defaultValue={params.stratum ?? ""}>
            <option value="">all</option>
            {overview.strata.map((stratum) => (
              <option key={stratum.id} value={stratum.id}>
                {stratum.label}
              </option>
            ))}
            <option value="excluded">excluded</option>
          </select>
          <label htmlFor="filter-q">Title contains</label>
          <input id="filter-q" name="q" type="search" defaultValue={params.q ?? ""} style={{ width: "14rem" }} />
          <button type="submit" className="secondary">
            Filter
          </button>
        </form>
        <p className="muted">
          {list.total} paper(s){list.total > list.papers.length ? `, the first ${list.papers.length} shown` : ""}.
        </p>
        <DataTable
          rows={list.papers}
          rowKey={(paper) => paper.id}
          columns={[
            {
              label: "Title",
              cell: (paper) => (
                <>
                  {paper.title} {paper.isSampled ? <span className="badge">sampled</span> : null}
                </>
              ),
            },
            { label: "Venue", cell: (paper) => paper.venue ?? "—" },
            { label: "Year", numeric: true, cell: (paper) => paper.year ?? "—" },
            { label: "Track", cell: (paper) => paper.track ?? "" },
            { label: "Stratum", cell: (paper) => paper.stratum ?? <span className="muted">excluded{exclusionOf(paper.id) ? `: ${exclusionOf(paper.id)!.reason}` : ""}</span> },
          ]}
        />
      </section>
      <section className="card" aria-labelledby="definition-title">
        <h2 id="definition-title" style={{ marginTop: 0 }}>
          Strata and filters
        </h2>
        <DefinitionForm studyId={study.id} kind="population" source={overview.source} />
      </section>
    </>
  );
}
