import { DataTable } from "@/app/_components/data-table";
import type { ExperimentSetView } from "@/lib/db/experiments";
import { setLabel } from "./format";
import { StripPlot } from "./strip-plot";
import { formatDecimal } from "@/lib/format";

const SHORT_SETTING: Record<string, string> = { "fixed-seed": "fixed", "cross-implementation": "cross-impl" };

/** Every run's test accuracy at both checkpoints: a strip plot, one column per set, with its numbers below. */
export function RunAccuracies({ sets }: { sets: ExperimentSetView[] }) {
  const groups = sets.map((set) => ({
    label: `${set.preset} ${SHORT_SETTING[set.setting] ?? set.setting} ${set.id.split("/").at(-1)?.slice(0, 6) ?? ""}`,
    series: [
      { name: "best-loss checkpoint", values: set.runs.map((run) => ({ run: run.runIndex, value: run.bestLossAccuracy })) },
      { name: "best-accuracy checkpoint", values: set.runs.map((run) => ({ run: run.runIndex, value: run.bestAccAccuracy })) },
    ],
  }));
  return (
    <>
      <div className="card">
        <StripPlot groups={groups} unit="% test accuracy" title="Strip plot of test accuracy per run, one column per set" />
      </div>
      <details>
        <summary>The numbers in the plot</summary>
        <DataTable
          className="exp-table"
          rows={sets}
          rowKey={(set) => set.id}
          columns={[
            { label: "Set", rowHeader: true, cell: (set) => setLabel(set) },
            { label: "Test accuracy per run at the best-loss checkpoint (%)", cell: (set) => set.runs.map((run) => formatDecimal(run.bestLossAccuracy, 2)).join(", ") },
            { label: "… at the best-accuracy checkpoint (%)", cell: (set) => set.runs.map((run) => formatDecimal(run.bestAccAccuracy, 2)).join(", ") },
          ]}
        />
      </details>
    </>
  );
}
