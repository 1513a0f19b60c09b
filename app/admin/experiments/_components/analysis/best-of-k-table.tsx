import type { SetAnalysis } from "@/lib/runner/pair-analysis";
import { formatDecimal } from "@/lib/format";

/** Best-of-k inflation of both sets side by side, k = 1..n (a row per k both sets have). */
export function BestOfKTable({ a, b }: { a: SetAnalysis; b: SetAnalysis }) {
  const rowsA = a.bestOfK.ok ? a.bestOfK.value.rows : [];
  const rowsB = b.bestOfK.ok ? b.bestOfK.value.rows : [];
  const ks = Math.max(rowsA.length, rowsB.length);
  const cell = (row: (typeof rowsA)[number] | undefined) =>
    row ? (
      <>
        <td className="num">{formatDecimal(row.expectedBest, 2)}</td>
        <td className="num">
          +{formatDecimal(row.inflation, 2)} <span className="muted">[{formatDecimal(row.lower, 2)}, {formatDecimal(row.upper, 2)}]</span>
        </td>
      </>
    ) : (
      <>
        <td className="muted">–</td>
        <td className="muted">–</td>
      </>
    );
  return (
    <>
      {!a.bestOfK.ok ? <p className="muted">A: not defined: {a.bestOfK.reason}</p> : null}
      {!b.bestOfK.ok ? <p className="muted">B: not defined: {b.bestOfK.reason}</p> : null}
      <div className="table-wrap">
        <table className="exp-table">
          <caption className="sr-only">Expected best of k runs and its excess over the mean, for both sets</caption>
          <thead>
            <tr>
              <th scope="col">k</th>
              <th scope="col" className="num">A: expected best (%)</th>
              <th scope="col" className="num">A: inflation (pts) [95% CI]</th>
              <th scope="col" className="num">B: expected best (%)</th>
              <th scope="col" className="num">B: inflation (pts) [95% CI]</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: ks }, (_, index) => (
              <tr key={index}>
                <th scope="row">{index + 1}</th>
                {cell(rowsA[index])}
                {cell(rowsB[index])}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
