/**
 * The experiment sets' Table 2/3 measures on a study's pages: the runner's figures, the same the Experiments area
 * shows (the larger over the two checkpoints).
 */
import Link from "next/link";
import { formatNumber, formatPercent } from "@/lib/format";
import type { ExperimentRow } from "@/lib/dashboard/experiment-results";
import { DataTable } from "@/app/_components/data-table";

export function ExperimentsView({ rows }: { rows: ExperimentRow[] }) {
  if (rows.length === 0)
    return (
      <p>
        No experiment sets imported yet. <Link href="/admin/experiments">Run or import experiments</Link>.
      </p>
    );
  return (
    <DataTable
      rows={rows}
      rowKey={(row) => row.id}
      caption={<>Accuracy and training-time variance per set (the study&apos;s Table 2/3 measures)</>}
      columns={[
        { label: "Set", rowHeader: true, cell: (row) => <><Link href={`/admin/experiments/sets/${encodeURIComponent(row.id)}`}>{row.preset}</Link><span className="muted"> ({row.backend})</span></> },
        { label: "Setting", cell: (row) => row.setting },
        { label: "Runs", numeric: true, cell: (row) => row.runs },
        { label: "Diff (pp)", numeric: true, cell: (row) => formatNumber(row.accuracyDiff) },
        { label: "SD (pp) [90% CI]", numeric: true, cell: (row) => <>{row.accuracySd ? `${formatNumber(row.accuracySd.sd)} [${formatNumber(row.accuracySd.lower)}, ${formatNumber(row.accuracySd.upper)}]` : "–"}</> },
        { label: "Per-class Diff (pp)", numeric: true, cell: (row) => formatNumber(row.perClassDiff) },
        { label: "Weak", numeric: true, cell: (row) => row.weakRuns },
        { label: "Time RelDiff", numeric: true, cell: (row) => row.timeRelDiff === null ? "–" : formatPercent(row.timeRelDiff) },
        { label: "Study Diff", numeric: true, cell: (row) => row.reference ? row.reference.overallDiff : "–" },
      ]}
    />
  );
}
