import { DataTable, outcomeColumns } from "@/app/_components/data-table";
import type { SetAnalysis } from "@/lib/runner/pair-analysis";
import { NoiseChart } from "./noise-chart";
import { formatDecimal, formatP } from "@/lib/format";

type NoiseRow = { label: string; testImages: number; noise: SetAnalysis["overallNoise"] };

/** One set's test-set noise beside its run-to-run spread: chart and table, overall and per class. */
export function NoiseSection({ set, name }: { set: SetAnalysis; name: string }) {
  const rows: NoiseRow[] = [{ label: "overall", testImages: set.testImages, noise: set.overallNoise }, ...set.perClassNoise.map((c) => ({ label: `class ${c.classIndex}`, testImages: c.testImages, noise: c.noise }))];
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
      <DataTable
        className="exp-table"
        caption={`Set ${name}: observed SD across runs and the SD test-set sampling implies`}
        captionHidden
        rows={rows}
        rowKey={(row) => row.label}
        columns={[
          { label: "", rowHeader: true, cell: (row) => row.label },
          { label: "Test images", numeric: true, cell: (row) => row.testImages },
          ...outcomeColumns((row: NoiseRow) => row.noise, [
            { label: "Mean (%)", numeric: true, cell: (noise) => formatDecimal(noise.meanAccuracy * 100, 1) },
            { label: "Diff (pts)", numeric: true, cell: (noise) => formatDecimal(noise.observedDiff * 100, 1) },
            {
              label: "Observed SD [90% CI]",
              numeric: true,
              cell: (noise) => (
                <>
                  {formatDecimal(noise.observedSd * 100, 2)} <span className="muted">[{formatDecimal(noise.observedSdInterval.lower * 100, 2)}, {formatDecimal(noise.observedSdInterval.upper * 100, 2)}]</span>
                </>
              ),
            },
            { label: "Noise SD", numeric: true, cell: (noise) => formatDecimal(noise.noiseSd * 100, 2) },
            { label: "Noise bound", numeric: true, cell: (noise) => formatDecimal(noise.noiseSdUpperBound * 100, 2) },
            { label: "p (χ²)", numeric: true, cell: (noise) => formatP(noise.pValue) },
            { label: "Within noise?", cell: (noise) => (noise.withinNoise ? "yes" : <strong>no: runs differ beyond test luck</strong>) },
          ]),
        ]}
      />
    </section>
  );
}
