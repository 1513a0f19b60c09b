import Link from "next/link";
import type { FamilyDecomposition, SourceRow } from "@/lib/runner/source-family";
import { setHref } from "./format";
import { SourceFamilyChart } from "./source-family-chart";
import { formatDecimal } from "@/lib/format";

/** Short names keep the chart's axis readable on a phone; the table beside it has the long ones. */
const CHART_LABEL: Record<SourceRow["source"], string> = {
  all: "default (all)",
  none: "control (none)",
  init: "init",
  order: "order",
  dropout: "dropout",
  augmentation: "augmentation",
  implementation: "implementation",
  "one-bit": "one bit",
};

function ShareCell({ row }: { row: SourceRow }) {
  if (row.source === "all") return <span className="muted">reference (100%)</span>;
  if (!row.share) return <span className="muted">{row.note ?? "–"}</span>;
  return (
    <>
      {formatDecimal(row.share.value * 100, 0)}% <span className="muted">[{formatDecimal(row.share.lower * 100, 0)}, {formatDecimal(row.share.upper * 100, 0)}]</span>
    </>
  );
}

/**
 * One variance-by-source family: the decomposition table, a chart of each source's SD with its interval, the
 * control's check (a loud warning when the all-fixed runs differ), and the methods paragraph. Every number comes
 * from lib/runner/source-family.ts; this only lays it out.
 */
export function SourceFamilyPanel({ family }: { family: FamilyDecomposition }) {
  const headingId = `family-${family.familyId.replaceAll(/[^a-z0-9]/gi, "-")}`;
  const measured = family.rows.filter((row) => row.status === "measured" && row.sd !== null && row.sdInterval !== null);
  const checkpoint = family.criterion === "bestLoss" ? "best-validation-loss" : "best-validation-accuracy";
  return (
    <article className="card source-family" aria-labelledby={headingId} data-family={family.familyId}>
      <h3 id={headingId}>
        {family.preset} <span className="badge">family {family.familyId.split("/").at(-1)?.slice(0, 8)}</span>{" "}
        <span className="muted small">on {family.implementation}</span>
      </h3>
      {family.control.warning ? (
        <p className="notice error" role="alert">
          <strong>{family.control.warning}</strong>
        </p>
      ) : null}
      <p className="muted small">
        Test accuracy at the {checkpoint} checkpoint, percentage points. Each row varies one source; every other is held at the fixed seed.
        SD with its 90% chi-square interval; share = the row&apos;s variance over the default setting&apos;s, with a 90% F interval; per-class: the
        class with the largest Diff and with the largest SD; an implementation row counts each implementation once.
      </p>
      <div className="table-wrap">
        <table className="exp-table">
          <caption className="sr-only">Variance of test accuracy by source for {family.preset}</caption>
          <thead>
            <tr>
              <th scope="col">Source varied</th>
              <th scope="col" className="num">n</th>
              <th scope="col" className="num">Mean (%)</th>
              <th scope="col" className="num">SD (pts) [90% CI]</th>
              <th scope="col" className="num">Share of default variance [90% CI]</th>
              <th scope="col" className="num">Largest per-class Diff</th>
              <th scope="col" className="num">Largest per-class SD</th>
              <th scope="col" className="num">Distinct final weights</th>
            </tr>
          </thead>
          <tbody>
            {family.rows.map((row) => (
              <tr key={row.source} data-source={row.source}>
                <th scope="row">
                  {row.setId ? <Link href={setHref(row.setId)}>{row.label}</Link> : row.label}
                </th>
                {row.status === "measured" ? (
                  <>
                    <td className="num">{row.n}</td>
                    <td className="num">{formatDecimal(row.mean, 2)}</td>
                    <td className="num">
                      {formatDecimal(row.sd, 2)} <span className="muted">[{formatDecimal(row.sdInterval?.lower, 2)}, {formatDecimal(row.sdInterval?.upper, 2)}]</span>
                    </td>
                    <td className="num">
                      <ShareCell row={row} />
                    </td>
                    <td className="num">
                      {formatDecimal(row.perClass?.largestDiff.diff)} <span className="muted">(class {row.perClass?.largestDiff.classIndex})</span>
                    </td>
                    <td className="num">
                      {formatDecimal(row.perClass?.largestSd.sd)} <span className="muted">(class {row.perClass?.largestSd.classIndex})</span>
                    </td>
                    <td className="num">{row.distinctFinalWeights}</td>
                  </>
                ) : (
                  <td colSpan={7} className="muted">
                    {row.status === "not-applicable" ? "Not applicable: " : row.status === "missing" ? "Not measured: " : "Too few runs: "}
                    {row.note}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="small">
        <li>
          Control:{" "}
          {family.control.status === "zero-spread"
            ? "every all-fixed run ended with bit-identical weights (zero spread), as it must on a deterministic implementation."
            : family.control.status === "missing"
              ? "not measured, so the implementation's own noise is not ruled out."
              : "NOT zero spread (see the warning above)."}
        </li>
        {family.dominant ? (
          <li>
            Dominant source: <strong>{family.dominant.label}</strong> (SD {formatDecimal(family.dominant.sd, 2)} points).
          </li>
        ) : null}
        {family.oneBitVersusInit ? (
          <li>
            Instability (Summers &amp; Dinneen 2021): one flipped bit of one initial weight gives SD {formatDecimal(family.oneBitVersusInit.oneBitSd, 2)} points; a
            new initialisation seed gives {formatDecimal(family.oneBitVersusInit.initSd, 2)}.
          </li>
        ) : null}
        <li>{family.caveat}</li>
      </ul>
      {measured.length > 0 ? (
        <SourceFamilyChart
          title={`SD of test accuracy by source for ${family.preset}`}
          bars={measured.map((row) => ({ label: CHART_LABEL[row.source], sd: row.sd!, lower: row.sdInterval!.lower, upper: row.sdInterval!.upper, n: row.n }))}
        />
      ) : null}
      <h4>For the methods section</h4>
      <p className="methods-sentence">{family.methods}</p>
    </article>
  );
}
