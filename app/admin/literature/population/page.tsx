import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { getPopulationOverview, listPapers } from "@/lib/db/papers";
import { DefinitionForm } from "../_components/forms";
import { LiteratureNav } from "../_components/literature-nav";
import { studyForPage } from "../_components/study";

export const metadata: Metadata = { title: "Population and strata" };
export const dynamic = "force-dynamic";

export default async function PopulationPage({ searchParams }: { searchParams: Promise<{ study?: string; stratum?: string; q?: string }> }) {
  const actor = await requirePermissionForPage("papers.manage", "/admin/literature/population");
  const db = await getDatabase();
  const params = await searchParams;
  const study = await studyForPage(db, actor, params.study);
  if (!study) return <p>Create a study first on the <Link href="/admin/literature">literature page</Link>.</p>;
  const overview = await getPopulationOverview(db, actor, study);
  const list = await listPapers(db, actor, { studyId: study.id, stratum: params.stratum ?? null, query: params.q ?? null, limit: 200 });
  const { definition } = overview;
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
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Stratum</th>
                <th scope="col" className="num">Papers</th>
                <th scope="col">Per venue</th>
              </tr>
            </thead>
            <tbody>
              {overview.strata.map((stratum) => (
                <tr key={stratum.id}>
                  <th scope="row">{stratum.label}</th>
                  <td className="num">{stratum.size}</td>
                  <td>{stratum.venues.map((venue) => `${venue.id} ${venue.size}`).join(" · ")}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Excluded</th>
                <td className="num">{overview.excluded.length}</td>
                <td>{overview.exclusionReasons.slice(0, 6).map((item) => `${item.reason} (${item.count})`).join(" · ")}</td>
              </tr>
            </tbody>
          </table>
        </div>
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
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Venue</th>
                <th scope="col" className="num">Year</th>
                <th scope="col">Track</th>
                <th scope="col">Stratum</th>
              </tr>
            </thead>
            <tbody>
              {list.papers.map((paper) => {
                const exclusion = paper.stratum ? null : overview.excluded.find((item) => item.paperId === paper.id);
                return (
                  <tr key={paper.id}>
                    <td>
                      {paper.title} {paper.isSampled ? <span className="badge">sampled</span> : null}
                    </td>
                    <td>{paper.venue ?? "—"}</td>
                    <td className="num">{paper.year ?? "—"}</td>
                    <td>{paper.track ?? ""}</td>
                    <td>{paper.stratum ?? <span className="muted">excluded{exclusion ? `: ${exclusion.reason}` : ""}</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
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
