"use client";
import { BarController, BarElement, CategoryScale, Chart as ChartJS, LinearScale, Tooltip } from "chart.js";
import { Bar } from "react-chartjs-2";
import { errorBarsPlugin } from "@/app/_components/charts/error-bars";
import { seriesColour } from "@/app/_components/charts/palette";
import { formatNumber } from "@/lib/format";

ChartJS.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, errorBarsPlugin);

export type SourceBar = { label: string; sd: number; lower: number; upper: number; n: number };

/**
 * The SD of test accuracy per source of a family, horizontal bars with their 90% chi-square whiskers. Plain
 * numbers in (computed by lib/runner/source-family.ts); the same numbers are in the table beside it.
 */
export function SourceFamilyChart({ bars, title }: { bars: SourceBar[]; title: string }) {
  const height = Math.max(180, bars.length * 34 + 70);
  return (
    <div style={{ position: "relative", height }} role="img" aria-label={`${title}; the same numbers are in the table.`}>
      <Bar
        data={{
          labels: bars.map((bar) => `${bar.label} (n = ${bar.n})`),
          datasets: [{ label: "SD of test accuracy (points)", data: bars.map((bar) => bar.sd), backgroundColor: bars.map((_, index) => (index === 0 ? "#8a939c" : seriesColour(0))) }],
        }}
        options={{
          indexAxis: "y",
          maintainAspectRatio: false,
          animation: false,
          // Up to the largest interval limit, so no whisker is cut off (with few runs they are long, and should be seen).
          scales: { x: { min: 0, max: niceCeiling(Math.max(...bars.map((bar) => bar.upper), ...bars.map((bar) => bar.sd))), title: { display: true, text: "SD of test accuracy between runs (percentage points), 90% interval" } } },
          plugins: {
            legend: { display: false },
            errorBars: { series: [{ lower: bars.map((bar) => bar.lower), upper: bars.map((bar) => bar.upper) }] },
            tooltip: {
              callbacks: {
                label: (item) => {
                  const bar = bars[item.dataIndex]!;
                  return `SD ${formatNumber(bar.sd)} [${formatNumber(bar.lower)}, ${formatNumber(bar.upper)}] points, n = ${bar.n}`;
                },
              },
            },
          },
        }}
      />
    </div>
  );
}

/** A round axis limit at or above `value` (1, 2, 2.5, 5 × a power of ten), at least 0.1 so an all-zero chart still has an axis. */
function niceCeiling(value: number): number {
  if (!(value > 0.1)) return 0.1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * power >= value)!;
  return step * power;
}
