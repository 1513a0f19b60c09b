/** The literature survey's results and the coders' agreement on a study's pages. */
import { kappaIntervalCaveat, zeroWidthCaveat, type IntervalCaveat } from "@/lib/dashboard/intervals";
import { formatInterval, formatLevel, formatNumber, formatPercent } from "@/lib/format";
import type { StudyLiterature } from "@/lib/db/dashboard/results";
import type { Coefficient } from "@/lib/coding/agreement";
import { DataTable } from "@/app/_components/data-table";
import { CaveatNote } from "./estimates";

/** A coefficient with its interval, or why it is undefined (never a made-up number). */
function coefficientText(value: Coefficient | null, asPercent: boolean): string {
  if (!value) return "–";
  if (value.value === null) return `undefined: ${value.reason}`;
  const format = (x: number) => (asPercent ? formatPercent(x) : formatNumber(x));
  return value.interval ? `${format(value.value)} [${format(value.interval.lower)}, ${format(value.interval.upper)}]` : `${format(value.value)} (${value.note ?? "no interval"})`;
}

function kappaCaveat(value: Coefficient | null): IntervalCaveat | null {
  if (!value) return null;
  if (value.value === null) return kappaIntervalCaveat({ n: value.n, value: null, reason: value.reason });
  return kappaIntervalCaveat({ n: value.n, value: value.value, lower: value.interval?.lower, upper: value.interval?.upper });
}

export function LiteratureView({ literature }: { literature: StudyLiterature }) {
  const { results, agreement } = literature;
  const level = formatLevel(results.settings.level);
  const { counts } = results;
  const main = agreement.main;
  return (
    <>
      <p className="muted" data-testid="literature-counts">
        {counts.finalCoded} of {counts.sampled} sampled papers with final codes ({counts.agreed} agreed by the coders, {counts.adjudicated} adjudicated,{" "}
        {counts.pending} pending); {main?.papers ?? 0} coded by two or more coders in the main round.
      </p>
      <DataTable
        rows={results.strata}
        rowKey={(stratum) => stratum.stratumId}
        caption={"Population and sample per stratum"}
        columns={[
          { label: "Stratum", rowHeader: true, cell: (stratum) => stratum.label },
          { label: "Population", numeric: true, cell: (stratum) => stratum.populationSize },
          { label: "Sampled", numeric: true, cell: (stratum) => stratum.sampled },
        ]}
      />
      {results.measures.map((measure) => (
        <DataTable
          key={measure.measureId}
          rows={[...measure.strata, ...(measure.stratified ? [{ ...measure.stratified, label: "Overall (stratified)", stratumId: "_overall" }] : [])]}
          rowKey={(share) => share.stratumId}
          caption={measure.label}
          columns={[
            { label: "Stratum", rowHeader: true, cell: (share) => share.label },
            { label: "x / n", numeric: true, cell: (share) => `${share.x} / ${share.n}` },
            { label: "Share", numeric: true, cell: (share) => (share.estimate === null ? "–" : formatPercent(share.estimate)) },
            { label: `${level} interval`, numeric: true, cell: (share) => (share.estimate === null ? "–" : formatInterval(share.lower, share.upper)) },
            {
              label: "Method",
              cell: (share) =>
                share.estimate === null ? (
                  share.reason
                ) : (
                  <>
                    {share.method}
                    <CaveatNote caveat={zeroWidthCaveat({ x: share.x, n: share.n, lower: share.lower, upper: share.upper, methodName: share.method })} />
                  </>
                ),
            },
          ]}
        />
      ))}
      {main && main.questions.length > 0 ? (
        <DataTable
          rows={main.questions}
          rowKey={(row) => row.questionId}
          caption={"Agreement of the coders before adjudication (main round)"}
          columns={[
            { label: "Question", rowHeader: true, cell: (row) => row.questionId },
            { label: "Papers", numeric: true, cell: (row) => row.units },
            { label: <>Percent agreement ({level} Wilson)</>, numeric: true, cell: (row) => coefficientText(row.percentAgreement, true) },
            { label: <>{main.coderIds.length > 2 ? "Fleiss' kappa" : `Cohen's kappa (${level})`}</>, numeric: true, cell: (row) => <>{coefficientText(main.coderIds.length > 2 ? row.fleissKappa : row.cohenKappa, false)}<CaveatNote caveat={kappaCaveat(main.coderIds.length > 2 ? row.fleissKappa : row.cohenKappa)} /></> },
          ]}
        />
      ) : null}
    </>
  );
}
