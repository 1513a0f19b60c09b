import type { ReactNode } from "react";
import { DataTable, outcomeColumns, type Outcome } from "@/app/_components/data-table";
import type { PairAnalysis } from "@/lib/runner/pair-analysis";
import { formatCount, formatDecimal, formatP } from "@/lib/format";

const VERDICT: Record<string, { text: string; strong: boolean }> = {
  "a-better": { text: "A is better: the interval lies above 0.5 and the estimate reaches the threshold.", strong: true },
  "b-better": { text: "B is better: the interval lies below 0.5 and the estimate is at most one minus the threshold.", strong: true },
  "significant-not-meaningful": { text: "Significant but not meaningful: the interval excludes 0.5, the estimate does not reach the threshold.", strong: false },
  "not-significant": { text: "Not significant: the interval includes 0.5; neither configuration is shown to be better.", strong: false },
};

type StatisticRow = { id: string; name: ReactNode; outcome: Outcome<Record<"value" | "interval" | "method" | "reading", ReactNode>> };

const effectSize = (d: number) => (Math.abs(d) < 0.2 ? "very small" : Math.abs(d) < 0.5 ? "small" : Math.abs(d) < 0.8 ? "medium" : "large");

/** P(A > B) with its interval and Bouthillier et al.'s verdict, beside Mann–Whitney U and Cohen's d. */
export function OutperformingCard({ analysis }: { analysis: PairAnalysis }) {
  const p = analysis.outperforming;
  const { mannWhitney, cohensD } = analysis.tests;
  const rows: StatisticRow[] = [
    {
      id: "p",
      name: <>P(A &gt; B)</>,
      outcome: p.ok
        ? {
            ok: true,
            value: {
              value: <span data-testid="p-a-beats-b">{formatDecimal(p.value.estimate, 3)}</span>,
              interval: (
                <>
                  [{formatDecimal(p.value.lower, 3)}, {formatDecimal(p.value.upper, 3)}] <span className="muted">{Math.round(p.value.level * 100)}%</span>
                </>
              ),
              method: (
                <>
                  U/(n<sub>A</sub>·n<sub>B</sub>), ties half; percentile bootstrap, {formatCount(p.value.resamples)} resamples, seed {p.value.seed}; n = {p.value.nA} vs {p.value.nB}
                </>
              ),
              reading: (
                <>
                  {VERDICT[p.value.verdict]!.strong ? <strong>{VERDICT[p.value.verdict]!.text}</strong> : VERDICT[p.value.verdict]!.text}{" "}
                  <span className="muted small">(Bouthillier et al. 2021, threshold {p.value.threshold})</span>
                </>
              ),
            },
          }
        : p,
    },
    {
      id: "u",
      name: "Mann–Whitney U",
      outcome: mannWhitney.ok
        ? {
            ok: true,
            value: {
              value: formatDecimal(mannWhitney.value.u, 1),
              interval: `p = ${formatP(mannWhitney.value.pValue)}`,
              method: `two-sided; n = ${analysis.a.runs} vs ${analysis.b.runs}`,
              reading: mannWhitney.value.pValue < 0.05 ? "accuracies differ at the 5% level" : "no difference shown at the 5% level",
            },
          }
        : mannWhitney,
    },
    {
      id: "d",
      name: "Cohen's d (A − B)",
      outcome: cohensD.ok
        ? {
            ok: true,
            value: {
              value: formatDecimal(cohensD.value, 2),
              interval: <span className="muted">–</span>,
              method: `pooled SD (n − 1); n = ${analysis.a.runs} vs ${analysis.b.runs}`,
              reading: `${effectSize(cohensD.value)} (Cohen's conventions)`,
            },
          }
        : cohensD,
    },
  ];
  return (
    <DataTable
      className="exp-table"
      caption={<>Is A better than B: P(A &gt; B), Mann–Whitney U and Cohen&apos;s d</>}
      captionHidden
      rows={rows}
      rowKey={(row) => row.id}
      columns={[
        { label: "Statistic", rowHeader: true, cell: (row) => row.name },
        ...outcomeColumns((row: StatisticRow) => row.outcome, [
          { label: "Value", numeric: true, cell: (cells) => cells.value },
          { label: "Interval", cell: (cells) => cells.interval },
          { label: "Method, n", className: "small", cell: (cells) => cells.method },
          { label: "Reading", cell: (cells) => cells.reading },
        ]),
      ]}
    />
  );
}
