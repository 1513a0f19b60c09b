/** The tables of one set's page: its implementations, the summary by checkpoint, per-class spreads and the runs. */
import { DataTable } from "@/app/_components/data-table";
import type { ClassSpread, ExperimentSetDetail, RunRow } from "@/lib/db/experiments";
import type { ImplementationRow, SetSummary } from "@/lib/runner/analysis";
import { formatDecimal, formatDuration, formatPercent } from "@/lib/format";

const CRITERIA = [
  { key: "bestLoss", label: "Best validation loss" },
  { key: "bestAccuracy", label: "Best validation accuracy" },
] as const;

/** A cross-implementation set's implementations, each with its first run's accuracy and the determinism audit of its repeats. */
export function ImplementationsTable({ rows }: { rows: ImplementationRow[] }) {
  return (
    <DataTable
      className="exp-table"
      rows={rows}
      rowKey={(row) => row.implementation}
      columns={[
        { label: "Implementation", rowHeader: true, cell: (row) => row.implementation },
        { label: "Runs", cell: (row) => row.runIndices.map((index) => `#${index + 1}`).join(" ") },
        { label: "Test accuracy, best loss (%)", numeric: true, cell: (row) => formatDecimal(row.bestLossAccuracy, 2) },
        { label: "… best accuracy (%)", numeric: true, cell: (row) => formatDecimal(row.bestAccuracyAccuracy, 2) },
        { label: "Final weights (SHA-256)", cell: (row) => <code>{row.finalWeightsSha256.slice(0, 16)}</code> },
        { label: "Repeats", cell: (row) => (row.repeatsIdentical === null ? "one run" : row.repeatsIdentical ? "bit-identical" : <strong>differ</strong>) },
      ]}
    />
  );
}

/** The runner's summary of the set under each checkpoint criterion (Table 2 and 3 figures before taking the larger). */
export function CriteriaTable({ summary }: { summary: SetSummary }) {
  return (
    <DataTable
      className="exp-table"
      rows={CRITERIA.map(({ key, label }) => ({ key, label, c: summary.criteria[key] }))}
      rowKey={(row) => row.key}
      columns={[
        { label: "Checkpoint", rowHeader: true, cell: (row) => row.label },
        { label: "n", numeric: true, cell: ({ c }) => c.n },
        { label: "Mean acc. (%)", numeric: true, cell: ({ c }) => formatDecimal(c.accuracy.mean, 2) },
        { label: "Diff (pts)", numeric: true, cell: ({ c }) => formatDecimal(c.accuracy.diff, 2) },
        {
          label: "SD (pts) [90% CI]",
          numeric: true,
          cell: ({ c }) => (
            <>
              {formatDecimal(c.accuracy.sd, 2)} <span className="muted">[{formatDecimal(c.accuracySdInterval.lower, 2)}, {formatDecimal(c.accuracySdInterval.upper, 2)}]</span>
            </>
          ),
        },
        {
          label: "Largest per-class Diff",
          numeric: true,
          cell: ({ c }) => (
            <>
              {formatDecimal(c.largestPerClassDiff.diff)} <span className="muted">(class {c.largestPerClassDiff.classIndex})</span>
            </>
          ),
        },
        {
          label: "Largest per-class SD",
          numeric: true,
          cell: ({ c }) => (
            <>
              {formatDecimal(c.largestPerClassSd.sd)} <span className="muted">(class {c.largestPerClassSd.classIndex})</span>
            </>
          ),
        },
        { label: "Time Diff (s)", numeric: true, cell: ({ c }) => formatDecimal(c.time.diff, 2) },
        { label: "RelDiff", numeric: true, cell: ({ c }) => formatPercent(c.time.relativeDiff) },
        { label: "RelSDev", numeric: true, cell: ({ c }) => formatPercent(c.time.cv) },
        {
          label: "Epochs",
          numeric: true,
          cell: ({ c }) => (
            <>
              {formatDecimal(c.epochs.mean)} <span className="muted">({c.epochs.min}–{c.epochs.max})</span>
            </>
          ),
        },
      ]}
    />
  );
}

/** Each class's range and spread of test accuracy at both checkpoints, beside the test-set noise of one run. */
export function ClassSpreadTable({ perClass }: { perClass: ExperimentSetDetail["perClass"] }) {
  const byClassAcc = new Map(perClass.bestAccuracy.map((c) => [c.classIndex, c]));
  const other = (c: ClassSpread) => byClassAcc.get(c.classIndex);
  return (
    <DataTable
      className="exp-table"
      rows={perClass.bestLoss}
      rowKey={(c) => String(c.classIndex)}
      columns={[
        { label: "Class", rowHeader: true, cell: (c) => c.classIndex },
        { label: "Test images", numeric: true, cell: (c) => c.testImages },
        { label: "Range, best loss (%)", numeric: true, cell: (c) => `${formatDecimal(c.min)}–${formatDecimal(c.max)}` },
        { label: "Diff / SD, best loss", numeric: true, cell: (c) => `${formatDecimal(c.diff)} / ${formatDecimal(c.sd)}` },
        { label: "Range, best acc. (%)", numeric: true, cell: (c) => (other(c) ? `${formatDecimal(other(c)!.min)}–${formatDecimal(other(c)!.max)}` : "–") },
        { label: "Diff / SD, best acc.", numeric: true, cell: (c) => (other(c) ? `${formatDecimal(other(c)!.diff)} / ${formatDecimal(other(c)!.sd)}` : "–") },
        { label: "Test-set noise (±)", numeric: true, cell: (c) => `±${formatDecimal(c.testNoiseHalfWidth)}` },
      ]}
    />
  );
}

/** Every run of the set: accuracies, checkpoints, time, seeds and final weights. */
export function RunsTable({ runs }: { runs: RunRow[] }) {
  return (
    <DataTable
      className="exp-table"
      rows={runs}
      rowKey={(run) => String(run.runIndex)}
      columns={[
        {
          label: "Run",
          rowHeader: true,
          cell: (run) => (
            <>
              {run.runIndex + 1} {run.weak ? <span className="badge inactive">weak</span> : null}
            </>
          ),
        },
        { label: "Acc. best loss (%)", numeric: true, cell: (run) => formatDecimal(run.bestLossAccuracy, 2) },
        { label: "Acc. best acc. (%)", numeric: true, cell: (run) => formatDecimal(run.bestAccAccuracy, 2) },
        { label: "Epoch (loss / acc)", numeric: true, cell: (run) => `${run.bestLossEpoch} / ${run.bestAccEpoch}` },
        { label: "Time to checkpoint (loss / acc)", numeric: true, cell: (run) => `${formatDecimal(run.bestLossSeconds, 1)} s / ${formatDecimal(run.bestAccSeconds, 1)} s` },
        { label: "Training", numeric: true, cell: (run) => formatDuration(run.trainingSeconds) },
        {
          label: "Seeds (master · init · order · dropout · augmentation)",
          cell: (run) => (
            <>
              <code>
                {run.seeds.master} · {run.seeds.init} · {run.seeds.order} · {run.seeds.dropout} · {run.seeds.augmentation}
              </code>
              {run.oneBitFlip ? (
                <div className="muted small">
                  bit {run.oneBitFlip.bit} of {run.oneBitFlip.weight}[{run.oneBitFlip.index}] flipped: {run.oneBitFlip.before} → {run.oneBitFlip.after}
                </div>
              ) : null}
            </>
          ),
        },
        { label: "Final weights", cell: (run) => <code title={run.finalWeightsSha256}>{run.finalWeightsSha256.slice(0, 12)}</code> },
      ]}
    />
  );
}
