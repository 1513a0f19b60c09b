import { DataTable } from "@/app/_components/data-table";
import type { ExperimentSetView, PairComparison } from "@/lib/db/experiments";
import type { SetComparison } from "@/lib/runner/analysis";
import { setLabel } from "./format";
import { formatDecimal, formatP } from "@/lib/format";

type Row = { pair: PairComparison; test: SetComparison; index: number };

/** A test's figure with its p-value marked below 0.05, or why it is not defined for these runs. */
function TestResult({ result, figure, marked }: { result: SetComparison["levene"] | SetComparison["mannWhitney"]; figure: string; marked: string }) {
  if (!result.ok) return <span className="muted">not defined: {result.reason}</span>;
  return (
    <>
      {figure}, p = {formatP(result.value.pValue)} {result.value.pValue < 0.05 ? <strong>({marked})</strong> : null}
    </>
  );
}

/** Levene, Mann–Whitney U and Cohen's d between each default set and the fixed-seed set of the same setup, per criterion. */
export function ComparisonsTable({ comparisons, sets }: { comparisons: PairComparison[]; sets: ExperimentSetView[] }) {
  const label = (id: string) => {
    const set = sets.find((candidate) => candidate.id === id);
    return set ? setLabel(set) : id;
  };
  const rows: Row[] = comparisons.flatMap((pair) => pair.byCriterion.map((test, index) => ({ pair, test, index })));
  return (
    <DataTable
      className="exp-table"
      caption="Tests between the default and fixed-seed sets of the same training setup"
      captionHidden
      rows={rows}
      rowKey={({ pair, test }) => `${pair.defaultSetId}-${pair.fixedSeedSetId}-${test.criterion}`}
      columns={[
        {
          label: "Default vs fixed-seed",
          rowHeader: true,
          rowSpan: ({ pair, index }) => (index === 0 ? pair.byCriterion.length : 0),
          cell: ({ pair }) => (
            <>
              {label(pair.defaultSetId)}
              <div className="muted small">vs {label(pair.fixedSeedSetId)}</div>
            </>
          ),
        },
        { label: "Checkpoint", cell: ({ test }) => (test.criterion === "bestLoss" ? "best loss" : "best accuracy") },
        {
          label: "Levene (Brown–Forsythe): equal variances?",
          cell: ({ test }) => <TestResult result={test.levene} figure={test.levene.ok ? `W = ${formatDecimal(test.levene.value.statistic, 2)}` : ""} marked="variances differ" />,
        },
        {
          label: "Mann–Whitney U (two-sided)",
          cell: ({ test }) => <TestResult result={test.mannWhitney} figure={test.mannWhitney.ok ? `U = ${formatDecimal(test.mannWhitney.value.u, 1)}` : ""} marked="accuracies differ" />,
        },
        {
          label: "Cohen's d",
          numeric: true,
          cell: ({ test }) => (test.cohensD.ok ? formatDecimal(test.cohensD.value, 2) : <span className="muted">not defined: {test.cohensD.reason}</span>),
        },
      ]}
    />
  );
}
