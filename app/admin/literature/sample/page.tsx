import type { Metadata } from "next";
import Link from "next/link";
import { getPopulationOverview } from "@/lib/db/papers";
import { getSampleOverview } from "@/lib/db/samples";
import { precisionShortfalls, sampleSizesPerStratum } from "@/lib/coding/sampling";
import { isStatsInputError } from "@/lib/stats/errors";
import { AssignForm, DrawForm, ExtendForm } from "../_components/forms";
import { LiteratureNav } from "../_components/literature-nav";
import { loadLiteraturePage } from "../_components/study";
import { DataTable } from "@/app/_components/data-table";
import { formatDateTime, formatNumber, formatPercent } from "@/lib/format";

export const metadata: Metadata = { title: "Sample and coders" };
export const dynamic = "force-dynamic";

type Search = { study?: string; margin?: string; level?: string; p?: string };

export default async function SamplePage({ searchParams }: { searchParams: Promise<Search> }) {
  const { actor, db, params, study } = await loadLiteraturePage("papers.manage", "/admin/literature/sample", searchParams);
  if (!study) return <p>Create a study first on the <Link href="/admin/literature">literature page</Link>.</p>;
  const [population, sample] = await Promise.all([getPopulationOverview(db, actor, study), getSampleOverview(db, actor, study.id)]);
  // Calculator inputs are percentages in the form; defaults are the reference study's (±5 points, 95%, p = 50%).
  const margin = Number(params.margin ?? "5");
  const level = Number(params.level ?? "95");
  const p = Number(params.p ?? "50");
  let sizes: ReturnType<typeof sampleSizesPerStratum> | null = null;
  let calculatorError: string | null = null;
  const populated = population.strata.filter((stratum) => stratum.size > 0);
  try {
    sizes = sampleSizesPerStratum(
      populated.map((stratum) => ({ stratumId: stratum.id, populationSize: stratum.size })),
      { margin: margin / 100, level: level / 100, p: p / 100 },
    );
  } catch (error) {
    if (!isStatsInputError(error)) throw error;
    calculatorError = error.message;
  }
  const label = (id: string) => population.strata.find((stratum) => stratum.id === id)?.label ?? id;
  const shortfalls = sample.draw && sizes ? precisionShortfalls(sample.draw.perStratum, sizes) : [];
  const defaultSeed = 20200901;
  return (
    <>
      <h1>Sample and coders</h1>
      <LiteratureNav current="/admin/literature/sample" studySlug={study.slug} />
      <section className="card" aria-labelledby="calc-title">
        <h2 id="calc-title" style={{ marginTop: 0 }}>
          Sample-size calculator
        </h2>
        <p className="muted">
          Papers needed per stratum to estimate a share within the margin, with the finite population correction (Cochran): n₀ = z²·p(1−p)/m², n = n₀/(1 + (n₀−1)/N).
          The reference study sized its two strata this way (95%, ±5 points, p = 50%).
        </p>
        <form method="get" className="inline-form" aria-label="Sample-size calculator">
          <input type="hidden" name="study" value={study.slug} />
          <label htmlFor="calc-margin">Margin ± (points)</label>
          <input id="calc-margin" name="margin" type="number" step="0.1" min="0.1" max="50" defaultValue={String(margin)} style={{ width: "6rem" }} />
          <label htmlFor="calc-level">Confidence (%)</label>
          <input id="calc-level" name="level" type="number" step="0.1" min="50" max="99.9" defaultValue={String(level)} style={{ width: "6rem" }} />
          <label htmlFor="calc-p">Expected share (%)</label>
          <input id="calc-p" name="p" type="number" step="1" min="0" max="100" defaultValue={String(p)} style={{ width: "6rem" }} />
          <button type="submit" className="secondary">
            Calculate
          </button>
        </form>
        {calculatorError ? (
          <p className="notice error" role="alert">
            {calculatorError}
          </p>
        ) : sizes ? (
          <DataTable
            caption="Required sample size per stratum"
            captionHidden
            rows={sizes}
            rowKey={(row) => row.stratumId}
            columns={[
              { label: "Stratum", rowHeader: true, cell: (row) => label(row.stratumId) },
              { label: "Population N", numeric: true, cell: (row) => row.populationSize },
              { label: "n₀ (infinite population)", numeric: true, cell: (row) => formatNumber(row.sampleSize.n0, 1) },
              { label: "Required n", numeric: true, cell: (row) => row.sampleSize.n },
              { label: "Share of stratum", numeric: true, cell: (row) => formatPercent(row.sampleSize.n / row.populationSize) },
            ]}
            footer={
              <tr>
                <th scope="row">Total</th>
                <td className="num">{sizes.reduce((sum, row) => sum + row.populationSize, 0)}</td>
                <td />
                <td className="num">{sizes.reduce((sum, row) => sum + row.sampleSize.n, 0)}</td>
                <td />
              </tr>
            }
          />
        ) : null}
      </section>

      <section className="card" aria-labelledby="draw-title">
        <h2 id="draw-title" style={{ marginTop: 0 }}>
          {sample.draw ? "The sample" : "Draw the sample"}
        </h2>
        {sample.draw ? (
          <>
            <p>
              <strong>{sample.draw.total} papers</strong> drawn {formatDateTime(sample.draw.createdAt, { zone: true })} with seed <strong>{sample.draw.seed}</strong>, design{" "}
              {sample.draw.design.kind === "simple" || sample.draw.design.kind === "stratified-proportional"
                ? `${sample.draw.design.kind} (n = ${sample.draw.design.n})`
                : `stratified (${Object.entries(sample.draw.design.perStratum).map(([id, n]) => `${label(id)} ${n}`).join(", ")})`}
              . Population fingerprint <code>{sample.draw.recordedFingerprint}</code>
              {sample.draw.populationChanged ? (
                <> — the population has changed since (now <code>{sample.populationFingerprint}</code>); the draw is reproducible from the recorded snapshot.</>
              ) : (
                <> (unchanged: drawing again with this seed gives the same papers).</>
              )}
            </p>
            {shortfalls.length > 0 ? (
              <div className="notice warning" role="status" data-testid="precision-warning">
                <p>
                  <strong>Below the planned precision.</strong>{" "}
                  {shortfalls.map((row) => `${label(row.stratumId)}: ${row.sampled} drawn, ${row.needed} needed`).join("; ")} for ±{margin} points at {level}% (p = {p}%, the
                  calculator above). Shares in {shortfalls.length === 1 ? "this stratum" : "these strata"} will have wider intervals; add papers below to reach the size.
                </p>
              </div>
            ) : null}
            <DataTable
              rows={sample.draw.perStratum}
              rowKey={(row) => row.stratumId}
              columns={[
                { label: "Stratum", rowHeader: true, cell: (row) => label(row.stratumId) },
                { label: "Sampled", numeric: true, cell: (row) => row.sampled },
                { label: "Calibration", numeric: true, cell: (row) => row.calibration },
                { label: "Assigned", numeric: true, cell: (row) => row.assigned },
              ]}
            />
            <h3>Add papers later</h3>
            <p className="muted">New papers continue each stratum&apos;s seeded order; papers already drawn (and coded) stay.</p>
            <ExtendForm studyId={study.id} isSimple={sample.draw.design.kind === "simple"} strata={populated.map((stratum) => ({ id: stratum.id, label: stratum.label }))} />
          </>
        ) : populated.length === 0 ? (
          <p>The population is empty. <Link href={`/admin/literature/import?study=${study.slug}`}>Import papers</Link> first.</p>
        ) : (
          <DrawForm
            studyId={study.id}
            defaultSeed={defaultSeed}
            strata={populated.map((stratum) => ({ id: stratum.id, label: stratum.label, size: stratum.size, suggested: sizes?.find((row) => row.stratumId === stratum.id)?.sampleSize.n ?? null }))}
          />
        )}
      </section>

      {sample.draw ? (
        <section className="card" aria-labelledby="assign-title">
          <h2 id="assign-title" style={{ marginTop: 0 }}>
            Assign coders
          </h2>
          {sample.draw.unassigned === 0 ? (
            <p>Every sampled paper is assigned. Coding progress is on the <Link href={`/admin/literature?study=${study.slug}`}>overview</Link>.</p>
          ) : (
            <>
              <p className="muted">
                Each main-round paper goes to k different coders, loads balanced; calibration papers go to every chosen coder and are coded first. Both are seeded.
              </p>
              <AssignForm
                studyId={study.id}
                coders={sample.coders}
                hasCalibration={sample.draw.perStratum.some((row) => row.calibration > 0)}
                unassigned={sample.draw.unassigned}
                defaultSeed={defaultSeed}
              />
            </>
          )}
        </section>
      ) : null}
    </>
  );
}
