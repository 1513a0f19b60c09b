import Link from "next/link";
import { DataTable, outcomeColumns, type Outcome } from "@/app/_components/data-table";
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

const UNMEASURED: Record<Exclude<SourceRow["status"], "measured">, string> = { "not-applicable": "Not applicable", missing: "Not measured", "too-few": "Too few runs" };

/** A measured row, or the sentence why the row has no figures. */
const measuredRow = (row: SourceRow): Outcome<SourceRow> =>
  row.status === "measured" ? { ok: true, value: row } : { ok: false, reason: `${UNMEASURED[row.status]}: ${row.note ?? ""}` };

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
      <DataTable
        className="exp-table"
        caption={`Variance of test accuracy by source for ${family.preset}`}
        captionHidden
        rows={family.rows}
        rowKey={(row) => row.source}
        rowProps={(row) => ({ "data-source": row.source })}
        columns={[
          { label: "Source varied", rowHeader: true, cell: (row) => (row.setId ? <Link href={setHref(row.setId)}>{row.label}</Link> : row.label) },
          ...outcomeColumns(measuredRow, [
            { label: "n", numeric: true, cell: (row) => row.n },
            { label: "Mean (%)", numeric: true, cell: (row) => formatDecimal(row.mean, 2) },
            {
              label: "SD (pts) [90% CI]",
              numeric: true,
              cell: (row) => (
                <>
                  {formatDecimal(row.sd, 2)} <span className="muted">[{formatDecimal(row.sdInterval?.lower, 2)}, {formatDecimal(row.sdInterval?.upper, 2)}]</span>
                </>
              ),
            },
            { label: "Share of default variance [90% CI]", numeric: true, cell: (row) => <ShareCell row={row} /> },
            {
              label: "Largest per-class Diff",
              numeric: true,
              cell: (row) => (
                <>
                  {formatDecimal(row.perClass?.largestDiff.diff)} <span className="muted">(class {row.perClass?.largestDiff.classIndex})</span>
                </>
              ),
            },
            {
              label: "Largest per-class SD",
              numeric: true,
              cell: (row) => (
                <>
                  {formatDecimal(row.perClass?.largestSd.sd)} <span className="muted">(class {row.perClass?.largestSd.classIndex})</span>
                </>
              ),
            },
            { label: "Distinct final weights", numeric: true, cell: (row) => row.distinctFinalWeights },
          ], (reason) => reason),
        ]}
      />
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
