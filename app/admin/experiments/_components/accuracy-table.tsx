import { DataTable, outcomeColumns } from "@/app/_components/data-table";
import type { ExperimentSetView } from "@/lib/db/experiments";
import type { SetSummary } from "@/lib/runner/analysis";
import type { StudyAccuracyRow } from "@/lib/runner/study-reference";
import { notComputed, SetName, shortSetId, summaryOf } from "./set-heading";
import { formatCount, formatDecimal } from "@/lib/format";

/** The study's own figure for the same network and setting, under ours. */
function Study({ value, below = false }: { value: number | undefined; below?: boolean }) {
  if (value === undefined) return null;
  return <span className="study-value">study {below ? "<" : ""}{formatDecimal(value)}</span>;
}

/** A per-class figure of the runner's summary with the study's under it. */
const perClass = (label: string, ours: (summary: SetSummary) => number, study: (row: StudyAccuracyRow) => number) => ({
  label,
  numeric: true,
  cell: (summary: SetSummary, set: ExperimentSetView) => (
    <>
      {formatDecimal(ours(summary))}
      <Study value={set.reference ? study(set.reference.accuracy) : undefined} />
    </>
  ),
});

const weakCount = (set: ExperimentSetView) => set.runs.filter((run) => run.weak).length;

function SetCell({ set }: { set: ExperimentSetView }) {
  const s = set.summary;
  return (
    <>
      <SetName set={set} />
      {set.label ? <span className="badge demo-badge" title={set.label}>{set.label.startsWith("Demo") ? "demo, computed ahead" : "labelled"}</span> : null}
      <div className="muted small">
        {set.setup ? `${set.setup.epochs} epochs, ${formatCount(set.setup.trainSize)} train / ${formatCount(set.setup.testSize)} test · ` : ""}
        {s?.implementations
          ? `${s.implementations.implementations.map((row) => row.implementation).join(" vs ")} (${s.implementations.distinctFinalWeights} distinct weights)`
          : set.backend}{" "}
        · <code>{shortSetId(set.id)}</code>
        <br />
        {set.studyNetwork && set.reference ? `study row: ${set.studyNetwork}${set.setting === "cross-implementation" ? " fixed-seed" : ""}` : "no study row"}
      </div>
    </>
  );
}

/**
 * Table 2 of the study for our sets: the runner's summary (lib/runner/analysis.ts, `largest`), with the study's
 * values for the same network and setting beside ours.
 */
export function AccuracyTable({ sets }: { sets: ExperimentSetView[] }) {
  return (
    <DataTable
      className="exp-table"
      caption={<>Accuracy differences per set, with the study&apos;s values for the same network and setting</>}
      captionHidden
      rows={sets}
      rowKey={(set) => set.id}
      columns={[
        { label: "Set", rowHeader: true, cell: (set) => <SetCell set={set} /> },
        {
          label: "Runs",
          numeric: true,
          cell: (set) => (
            <>
              {set.runs.length}
              {set.summary && set.summary.runCount !== set.summary.plannedRunCount ? <div className="muted small">of {set.summary.plannedRunCount} planned</div> : null}
            </>
          ),
        },
        ...outcomeColumns(
          summaryOf,
          [
            {
              label: "Overall Diff (pts)",
              numeric: true,
              cell: (s, set) => (
                <>
                  {formatDecimal(s.largest.overallDiff)}
                  {set.setting === "cross-implementation" ? <div className="muted small">between implementations</div> : null}
                  <Study value={set.reference?.accuracy.overallDiff} />
                </>
              ),
            },
            {
              label: "Overall SD (pts) [90% CI]",
              numeric: true,
              cell: (s, set) => (
                <>
                  {formatDecimal(s.largest.overallSd)} <span className="muted">[{formatDecimal(s.largest.overallSdInterval.lower)}, {formatDecimal(s.largest.overallSdInterval.upper)}]</span>
                  <Study value={set.reference?.accuracy.overallSd} below={set.reference?.accuracy.sdBelow} />
                </>
              ),
            },
            perClass("Per-class Diff (pts)", (s) => s.largest.perClassDiff, (study) => study.perClassDiff),
            perClass("Per-class SD (pts)", (s) => s.largest.perClassSd, (study) => study.perClassSd),
          ],
          notComputed,
        ),
        {
          label: "Weak models (< 20%)",
          cell: (set) => (
            <>
              {weakCount(set) === 0 ? "none" : `${weakCount(set)}/${set.runs.length}${set.weakExcluded ? " (excluded)" : ""}`}
              {set.reference?.accuracy.weakModels ? <span className="study-value">study {set.reference.accuracy.weakModels}</span> : null}
            </>
          ),
        },
      ]}
    />
  );
}
