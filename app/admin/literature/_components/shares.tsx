import { DataTable } from "@/app/_components/data-table";
import type { LiteratureResults } from "@/lib/db/literature-results";
import type { ShareEstimate } from "@/lib/coding/results";
import { zeroWidthCaveat } from "@/lib/dashboard/intervals";

export const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/** A share with its x/n and interval, and the caveat where the interval must not be read as a result. */
function Share({ share }: { share: ShareEstimate | null | undefined }) {
  if (!share) return "—";
  if (share.estimate === null) return `— (${share.reason})`;
  const caveat = zeroWidthCaveat({ x: share.x, n: share.n, lower: share.lower, upper: share.upper, methodName: share.method });
  return (
    <>
      <strong>{pct(share.estimate)}</strong> <span className="muted">({share.x}/{share.n})</span>
      <br />
      <span className="muted">
        [{pct(share.lower)}, {pct(share.upper)}]
      </span>
      {caveat ? (
        <span className="interval-caveat" data-caveat={caveat.kind} role="note">
          {" "}
          ⚠ {caveat.message}
        </span>
      ) : null}
    </>
  );
}

const shareClass = (share: ShareEstimate | null | undefined) => (!share || share.estimate === null ? "muted" : undefined);

type Measure = LiteratureResults["measures"][number];

/** Every measure's share per stratum, stratified overall and pooled, with intervals. */
export function SharesTable({ results }: { results: LiteratureResults }) {
  const inStratum = (measure: Measure, stratumId: string) => measure.strata.find((item) => item.stratumId === stratumId);
  return (
    <DataTable
      caption="Shares per stratum with 95% intervals"
      captionHidden
      rows={results.measures}
      rowKey={(measure) => measure.measureId}
      columns={[
        { label: "Measure", rowHeader: true, cell: (measure) => measure.label },
        ...results.strata.map((stratum) => ({
          label: (
            <>
              {stratum.label}
              <br />
              <span className="muted">
                N = {stratum.populationSize}, sampled {stratum.sampled}
              </span>
            </>
          ),
          numeric: true,
          className: (measure: Measure) => shareClass(inStratum(measure, stratum.stratumId)),
          cell: (measure: Measure) => <Share share={inStratum(measure, stratum.stratumId)} />,
        })),
        { label: "Stratified overall", numeric: true, className: (measure) => shareClass(measure.stratified), cell: (measure) => <Share share={measure.stratified} /> },
        { label: "Pooled sample", numeric: true, className: (measure) => shareClass(measure.pooled), cell: (measure) => <Share share={measure.pooled} /> },
      ]}
    />
  );
}
