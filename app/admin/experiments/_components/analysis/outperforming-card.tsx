import type { PairAnalysis } from "@/lib/runner/pair-analysis";
import { formatCount, formatDecimal, formatP } from "@/lib/format";

const VERDICT: Record<string, { text: string; strong: boolean }> = {
  "a-better": { text: "A is better: the interval lies above 0.5 and the estimate reaches the threshold.", strong: true },
  "b-better": { text: "B is better: the interval lies below 0.5 and the estimate is at most one minus the threshold.", strong: true },
  "significant-not-meaningful": { text: "Significant but not meaningful: the interval excludes 0.5, the estimate does not reach the threshold.", strong: false },
  "not-significant": { text: "Not significant: the interval includes 0.5; neither configuration is shown to be better.", strong: false },
};

/** P(A > B) with its interval and Bouthillier et al.'s verdict, beside Mann–Whitney U and Cohen's d. */
export function OutperformingCard({ analysis }: { analysis: PairAnalysis }) {
  const p = analysis.outperforming;
  const { mannWhitney, cohensD } = analysis.tests;
  return (
    <div className="table-wrap">
      <table className="exp-table">
        <caption className="sr-only">Is A better than B: P(A &gt; B), Mann–Whitney U and Cohen&apos;s d</caption>
        <thead>
          <tr>
            <th scope="col">Statistic</th>
            <th scope="col" className="num">Value</th>
            <th scope="col">Interval</th>
            <th scope="col">Method, n</th>
            <th scope="col">Reading</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">P(A &gt; B)</th>
            {p.ok ? (
              <>
                <td className="num" data-testid="p-a-beats-b">{formatDecimal(p.value.estimate, 3)}</td>
                <td>
                  [{formatDecimal(p.value.lower, 3)}, {formatDecimal(p.value.upper, 3)}] <span className="muted">{Math.round(p.value.level * 100)}%</span>
                </td>
                <td className="small">
                  U/(n<sub>A</sub>·n<sub>B</sub>), ties half; percentile bootstrap, {formatCount(p.value.resamples)} resamples, seed {p.value.seed}; n = {p.value.nA} vs {p.value.nB}
                </td>
                <td>
                  {VERDICT[p.value.verdict]!.strong ? <strong>{VERDICT[p.value.verdict]!.text}</strong> : VERDICT[p.value.verdict]!.text}{" "}
                  <span className="muted small">(Bouthillier et al. 2021, threshold {p.value.threshold})</span>
                </td>
              </>
            ) : (
              <td colSpan={4} className="muted">not defined: {p.reason}</td>
            )}
          </tr>
          <tr>
            <th scope="row">Mann–Whitney U</th>
            {mannWhitney.ok ? (
              <>
                <td className="num">{formatDecimal(mannWhitney.value.u, 1)}</td>
                <td>p = {formatP(mannWhitney.value.pValue)}</td>
                <td className="small">two-sided; n = {analysis.a.runs} vs {analysis.b.runs}</td>
                <td>{mannWhitney.value.pValue < 0.05 ? "accuracies differ at the 5% level" : "no difference shown at the 5% level"}</td>
              </>
            ) : (
              <td colSpan={4} className="muted">not defined: {mannWhitney.reason}</td>
            )}
          </tr>
          <tr>
            <th scope="row">Cohen&apos;s d (A − B)</th>
            {cohensD.ok ? (
              <>
                <td className="num">{formatDecimal(cohensD.value, 2)}</td>
                <td className="muted">–</td>
                <td className="small">pooled SD (n − 1); n = {analysis.a.runs} vs {analysis.b.runs}</td>
                <td>{Math.abs(cohensD.value) < 0.2 ? "very small" : Math.abs(cohensD.value) < 0.5 ? "small" : Math.abs(cohensD.value) < 0.8 ? "medium" : "large"} (Cohen&apos;s conventions)</td>
              </>
            ) : (
              <td colSpan={4} className="muted">not defined: {cohensD.reason}</td>
            )}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
