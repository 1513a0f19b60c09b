"use client";
import { BarController, BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from "chart.js";
import { Bar } from "react-chartjs-2";

ChartJS.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/**
 * Per-class max − min of test accuracy across runs, for both checkpoints, next to the spread test-set sampling
 * alone would give one run (95% Wilson half-width × 2). Plain numbers in; the page has the same table.
 */
export function ClassBars({ classes, series }: { classes: string[]; series: Array<{ name: string; values: number[]; color: string }> }) {
  return (
    <div style={{ position: "relative", height: 300 }} role="img" aria-label="Bar chart of per-class accuracy differences; the same numbers are in the table below.">
      <Bar
        data={{ labels: classes, datasets: series.map((s) => ({ label: s.name, data: s.values, backgroundColor: s.color })) }}
        options={{
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { beginAtZero: true, title: { display: true, text: "percentage points" } } },
          plugins: { legend: { position: "bottom" } },
        }}
      />
    </div>
  );
}
