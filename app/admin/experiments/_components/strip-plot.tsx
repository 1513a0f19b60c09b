"use client";
import { Chart as ChartJS, Legend, LinearScale, PointElement, ScatterController, Tooltip } from "chart.js";
import { Scatter } from "react-chartjs-2";
import { formatNumber } from "@/lib/format";

// Only the pieces a strip plot uses, so the chart bundle stays small.
ChartJS.register(ScatterController, PointElement, LinearScale, Tooltip, Legend);

export type StripGroup = { label: string; series: Array<{ name: string; values: Array<{ run: number; value: number }> }> };

const COLORS = ["#0b5cad", "#c2410c", "#1a7f37", "#7c3aed"];

/**
 * One column of points per group (a set), one colour per series (e.g. the two checkpoint criteria), offset
 * sideways with a fixed jitter by run index so ties stay visible. Plain numbers in, nothing computed here.
 */
export function StripPlot({ groups, unit, title }: { groups: StripGroup[]; unit: string; title: string }) {
  const seriesNames = [...new Set(groups.flatMap((group) => group.series.map((series) => series.name)))];
  const datasets = seriesNames.map((name, s) => ({
    label: name,
    backgroundColor: COLORS[s % COLORS.length],
    borderColor: COLORS[s % COLORS.length],
    pointRadius: 4,
    pointStyle: s === 0 ? ("circle" as const) : ("triangle" as const),
    data: groups.flatMap((group, g) =>
      (group.series.find((series) => series.name === name)?.values ?? []).map(({ run, value }) => ({
        x: g + (seriesNames.length > 1 ? (s - (seriesNames.length - 1) / 2) * 0.3 : 0) + (((run * 37) % 11) - 5) * 0.012,
        y: value,
        run,
      })),
    ),
  }));
  const height = Math.max(260, Math.min(420, 200 + groups.length * 20));
  return (
    <div style={{ position: "relative", height }} role="img" aria-label={`${title}; the same numbers are in the table below.`}>
      <Scatter
        data={{ datasets }}
        options={{
          maintainAspectRatio: false,
          animation: false,
          scales: {
            x: {
              type: "linear",
              min: -0.5,
              max: groups.length - 0.5,
              // One tick per group, at its centre (the axis runs from -0.5 so the default ticks fall between groups).
              afterBuildTicks: (axis) => {
                axis.ticks = groups.map((_, index) => ({ value: index }));
              },
              ticks: { autoSkip: false, callback: (value) => groups[Number(value)]?.label ?? "" },
              grid: { display: false },
            },
            y: { title: { display: true, text: unit } },
          },
          plugins: {
            legend: { position: "bottom" },
            tooltip: {
              callbacks: {
                label: (item) => {
                  const point = item.raw as { y: number; run: number };
                  return `${item.dataset.label}: run ${point.run + 1}, ${formatNumber(point.y)} ${unit}`;
                },
              },
            },
          },
        }}
      />
    </div>
  );
}
