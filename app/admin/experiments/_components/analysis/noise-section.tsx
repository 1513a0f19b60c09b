import type { SetAnalysis } from "@/lib/runner/pair-analysis";
import { NoiseChart } from "./noise-chart";
import { formatDecimal, formatP } from "@/lib/format";

/** One set's test-set noise beside its run-to-run spread: chart and table, overall and per class. */
export function NoiseSection({ set, name }: { set: SetAnalysis; name: string }) {
  const rows = [{ label: "overall", testImages: set.testImages, noise: set.overallNoise }, ...set.perClassNoise.map((c) => ({ label: `class ${c.classIndex}`, testImages: c.testImages, noise: c.noise }))];
  const bars = rows.flatMap((row) =>
    row.noise.ok && row.label !== "overall"
      ? [{ label: row.label, observedSd: row.noise.value.observedSd * 100, noiseSd: row.noise.value.noiseSd * 100, noiseBound: row.noise.value.noiseSdUpperBound * 100, withinNoise: row.noise.value.withinNoise }]
      : [],
  );
  const measured = set.perClassNoise.filter((c) => c.noise.ok);
  const within = measured.filter((c) => c.noise.ok && c.noise.value.withinNoise).length;
  return (
    <section aria-labelledby={`noise-${name}`} className="noise-set">
      <h3 id={`noise-${name}`}>
        {name}: {set.preset} <span className="badge">{set.setting}</span>
      </h3>
      <p className="muted small">
        {within} of {measured.length} classes within test-set noise ({set.runs} runs).
      </p>
      {bars.length > 0 ? (
        <div className="card">
          <NoiseChart bars={bars} title={`Per-class run-to-run SD of set ${name} beside the binomial test-set noise SD`} />
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="exp-table">
          <caption className="sr-only">Set {name}: observed SD across runs and the SD test-set sampling implies</caption>
          <thead>
            <tr>
              <th scope="col"></th>
              <th scope="col" className="num">Test images</th>
              <th scope="col" className="num">Mean (%)</th>
              <th scope="col" className="num">Diff (pts)</th>
              <th scope="col" className="num">Observed SD [90% CI]</th>
              <th scope="col" className="num">Noise SD</th>
              <th scope="col" className="num">Noise bound</th>
              <th scope="col" className="num">p (χ²)</th>
              <th scope="col">Within noise?</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                <td className="num">{row.testImages}</td>
                {row.noise.ok ? (
                  <>
                    <td className="num">{formatDecimal(row.noise.value.meanAccuracy * 100, 1)}</td>
                    <td className="num">{formatDecimal(row.noise.value.observedDiff * 100, 1)}</td>
                    <td className="num">
                      {formatDecimal(row.noise.value.observedSd * 100, 2)} <span className="muted">[{formatDecimal(row.noise.value.observedSdInterval.lower * 100, 2)}, {formatDecimal(row.noise.value.observedSdInterval.upper * 100, 2)}]</span>
                    </td>
                    <td className="num">{formatDecimal(row.noise.value.noiseSd * 100, 2)}</td>
                    <td className="num">{formatDecimal(row.noise.value.noiseSdUpperBound * 100, 2)}</td>
                    <td className="num">{formatP(row.noise.value.pValue)}</td>
                    <td>{row.noise.value.withinNoise ? "yes" : <strong>no: runs differ beyond test luck</strong>}</td>
                  </>
                ) : (
                  <td colSpan={7} className="muted">not defined: {row.noise.reason}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
