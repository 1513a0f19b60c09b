import { DataTable, outcomeColumns } from "@/app/_components/data-table";
import type { ExperimentSetView } from "@/lib/db/experiments";
import { SELECTION_CRITERIA, type SelectionCriterion } from "@/lib/runner/analysis";
import { notComputed, SetName, shortSetId, summaryOf } from "./set-heading";
import { formatDecimal, formatPercent } from "@/lib/format";

/** The study's Table-3 values of a set's network and setting, for one checkpoint criterion. */
function studyTimes(set: ExperimentSetView, criterion: SelectionCriterion) {
  const ref = set.reference?.time;
  if (!ref) return null;
  return criterion === "bestLoss"
    ? { diff: ref.lossDiffSeconds, relDiff: ref.lossRelDiffPercent, relSd: ref.lossRelSdPercent }
    : { diff: ref.accDiffSeconds, relDiff: ref.accRelDiffPercent, relSd: ref.accRelSdPercent };
}

/** Our figure with the study's under it, when the study has a row for the set. */
function WithStudy({ ours, study }: { ours: string; study: string | null }) {
  return (
    <>
      {ours}
      {study ? <span className="study-value">study {study}</span> : null}
    </>
  );
}

/** Table 3 of the study for our sets: time to the selected checkpoint, per criterion, from the runner's summary. */
export function TimeTable({ sets }: { sets: ExperimentSetView[] }) {
  return (
    <DataTable
      className="exp-table"
      caption={<>Time to the selected checkpoint per set, with the study&apos;s values</>}
      captionHidden
      rows={sets}
      rowKey={(set) => set.id}
      groups={[
        { span: 1 },
        { label: "Best validation loss", span: 4, numeric: true },
        { label: "Best validation accuracy", span: 4, numeric: true },
      ]}
      columns={[
        {
          label: "Set",
          rowHeader: true,
          cell: (set) => (
            <>
              <SetName set={set} /> <code className="small">{shortSetId(set.id)}</code>
            </>
          ),
        },
        ...outcomeColumns(
          summaryOf,
          SELECTION_CRITERIA.flatMap((criterion) => [
            {
              label: "Diff (s)",
              numeric: true,
              cell: (s, set) => <WithStudy ours={formatDecimal(s.criteria[criterion].time.diff, 2)} study={studyTimes(set, criterion) && formatDecimal(studyTimes(set, criterion)!.diff, 0)} />,
            },
            {
              label: "RelDiff",
              numeric: true,
              cell: (s, set) => <WithStudy ours={formatPercent(s.criteria[criterion].time.relativeDiff)} study={studyTimes(set, criterion) && `${formatDecimal(studyTimes(set, criterion)!.relDiff)}%`} />,
            },
            {
              label: "RelSDev",
              numeric: true,
              cell: (s, set) => <WithStudy ours={formatPercent(s.criteria[criterion].time.cv)} study={studyTimes(set, criterion) && `${formatDecimal(studyTimes(set, criterion)!.relSd)}%`} />,
            },
            {
              label: "Epochs (mean, range)",
              numeric: true,
              cell: (s) => (
                <>
                  {formatDecimal(s.criteria[criterion].epochs.mean)} <span className="muted">({s.criteria[criterion].epochs.min}–{s.criteria[criterion].epochs.max})</span>
                </>
              ),
            },
          ]),
          notComputed,
        ),
      ]}
    />
  );
}
