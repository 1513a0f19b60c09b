"use client";
import { BarController, BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from "chart.js";
import { Chart } from "react-chartjs-2";

ChartJS.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

export type NoiseBar = { label: string; observedSd: number; noiseSd: number; noiseBound: number; withinNoise: boolean };

/**
 * Per class: the observed run-to-run SD (blue when sampling noise explains it, red when it does not), with the
 * binomial noise SD (dark tick) and the bound the flag uses (grey tick) drawn over the bars. Plain numbers in; the table below has the same numbers.
 */
export function NoiseChart({ bars, title }: { bars: NoiseBar[]; title: string }) {
  const labels = bars.map((bar) => bar.label);
  // A tick a little wider than its bar, whatever the chart's width (a phone has ~25 px per class).
  const tickRadius = (context: { chart: { width: number } }) => Math.max(5, Math.min(16, context.chart.width / Math.max(1, bars.length) / 4));
  return (
    <div style={{ position: "relative", height: 300 }} role="img" aria-label={`${title}; the same numbers are in the table below.`}>
      <Chart
        type="bar"
        data={{
          labels,
          datasets: [
            { type: "bar" as const, label: "observed SD, within noise", data: bars.map((bar) => (bar.withinNoise ? bar.observedSd : null)), backgroundColor: "#0b5cad", grouped: false, barPercentage: 0.3, order: 2 },
            { type: "bar" as const, label: "observed SD, beyond noise", data: bars.map((bar) => (bar.withinNoise ? null : bar.observedSd)), backgroundColor: "#c2410c", grouped: false, barPercentage: 0.3, order: 2 },
            { type: "line" as const, label: "binomial noise SD", data: bars.map((bar) => bar.noiseSd), borderColor: "#1f2328", backgroundColor: "#1f2328", showLine: false, pointStyle: "line", pointRadius: tickRadius, pointBorderWidth: 3, order: 0 },
            { type: "line" as const, label: "noise bound (95%)", data: bars.map((bar) => bar.noiseBound), borderColor: "#8c959f", backgroundColor: "#8c959f", showLine: false, pointStyle: "line", pointRadius: tickRadius, pointBorderWidth: 3, borderDash: [4, 3], order: 1 },
          ],
        }}
        options={{
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { beginAtZero: true, title: { display: true, text: "SD, percentage points" } } },
          plugins: { legend: { position: "bottom" } },
        }}
      />
    </div>
  );
}
