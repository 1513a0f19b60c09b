import { DataTable, type Column } from "@/app/_components/data-table";
import type { SetAnalysis } from "@/lib/runner/pair-analysis";
import { formatDecimal } from "@/lib/format";

type BestOfKRow = Extract<SetAnalysis["bestOfK"], { ok: true }>["value"]["rows"][number];

/** Best-of-k inflation of both sets side by side, k = 1..n (a row per k both sets have). */
export function BestOfKTable({ a, b }: { a: SetAnalysis; b: SetAnalysis }) {
  const rowsA = a.bestOfK.ok ? a.bestOfK.value.rows : [];
  const rowsB = b.bestOfK.ok ? b.bestOfK.value.rows : [];
  const ks = Math.max(rowsA.length, rowsB.length);
  const rows = Array.from({ length: ks }, (_, index) => ({ k: index + 1, a: rowsA[index], b: rowsB[index] }));
  const side = (name: "A" | "B", of: (row: (typeof rows)[number]) => BestOfKRow | undefined): Column<(typeof rows)[number]>[] => [
    { label: `${name}: expected best (%)`, numeric: true, className: (row) => (of(row) ? undefined : "muted"), cell: (row) => (of(row) ? formatDecimal(of(row)!.expectedBest, 2) : "–") },
    {
      label: `${name}: inflation (pts) [95% CI]`,
      numeric: true,
      className: (row) => (of(row) ? undefined : "muted"),
      cell: (row) => {
        const value = of(row);
        return value ? (
          <>
            +{formatDecimal(value.inflation, 2)} <span className="muted">[{formatDecimal(value.lower, 2)}, {formatDecimal(value.upper, 2)}]</span>
          </>
        ) : (
          "–"
        );
      },
    },
  ];
  return (
    <>
      {!a.bestOfK.ok ? <p className="muted">A: not defined: {a.bestOfK.reason}</p> : null}
      {!b.bestOfK.ok ? <p className="muted">B: not defined: {b.bestOfK.reason}</p> : null}
      <DataTable
        className="exp-table"
        caption="Expected best of k runs and its excess over the mean, for both sets"
        captionHidden
        rows={rows}
        rowKey={(row) => String(row.k)}
        columns={[{ label: "k", rowHeader: true, cell: (row) => row.k }, ...side("A", (row) => row.a), ...side("B", (row) => row.b)]}
      />
    </>
  );
}
