"use client";

import { useId, useRef } from "react";
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Title, Tooltip, type ChartOptions } from "chart.js";
import { Bar } from "react-chartjs-2";
import { writeCsv, type CsvCell } from "@/lib/io/csv";
import { DataTable } from "../data-table";
import { errorBarsPlugin } from "./error-bars";
import { seriesColour } from "./palette";
import { formatNumber } from "@/lib/format";

// Only the pieces a bar chart needs are registered (tree-shaken Chart.js).
ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend, Title, errorBarsPlugin);

export type ChartSeries = {
  label: string;
  /** Bar values in the chart's unit (percent 0–100, or counts). */
  values: (number | null)[];
  lower?: (number | null)[];
  upper?: (number | null)[];
};

export type ChartTable = { columns: string[]; rows: CsvCell[][] };

export type ResultChartProps = {
  title: string;
  /** One sentence for screen readers and under the chart: what is shown and how intervals were computed. */
  caption: string;
  categories: string[];
  series: ChartSeries[];
  unit: "percent" | "count";
  stacked?: boolean;
  horizontal?: boolean;
  /** The same numbers as a table (the accessible alternative, and the CSV download). */
  table: ChartTable;
  fileName: string;
  /** Warnings printed under the chart, e.g. intervals that must not be read as results. */
  notes?: string[];
};

/**
 * A bar chart with interval whiskers, its numbers as a table, and PNG/CSV downloads. The table is always in
 * the page (not only on request) so the numbers can be read, searched, printed and copied.
 */
export function ResultChart({ title, caption, categories, series, unit, stacked = false, horizontal = true, table, fileName, notes = [] }: ResultChartProps) {
  const chartRef = useRef<ChartJS<"bar"> | null>(null);
  const captionId = useId();
  const longestLabel = Math.max(...categories.map((label) => label.length), 1);
  // Horizontal bars keep long option labels readable on a phone; height grows with the number of bars.
  const height = horizontal ? Math.max(160, categories.length * (stacked ? 34 : 22 * series.length + 14) + 70) : 300;
  const options: ChartOptions<"bar"> = {
    indexAxis: horizontal ? "y" : "x",
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: {
      x: {
        stacked,
        ...(horizontal ? { min: 0, max: unit === "percent" ? 100 : undefined, title: { display: true, text: unit === "percent" ? "% of respondents" : "respondents" } } : {}),
        ticks: horizontal ? {} : { autoSkip: false, maxRotation: 60 },
      },
      y: {
        stacked,
        ...(horizontal ? { ticks: { callback: (_value, index) => shorten(categories[index] ?? "", longestLabel > 28 ? 28 : 40) } } : { min: 0, title: { display: true, text: unit === "percent" ? "%" : "respondents" } }),
      },
    },
    plugins: {
      legend: { display: series.length > 1, position: "bottom" },
      title: { display: false },
      tooltip: {
        callbacks: {
          label: (item) => {
            const bars = series[item.datasetIndex];
            const lower = bars?.lower?.[item.dataIndex];
            const upper = bars?.upper?.[item.dataIndex];
            const value = unit === "percent" ? `${formatNumber(Number(item.raw), 1)}%` : String(item.raw);
            const interval = lower !== undefined && lower !== null && upper !== undefined && upper !== null ? ` [${formatNumber(lower, 1)}, ${formatNumber(upper, 1)}]` : "";
            return `${bars?.label ?? ""}: ${value}${interval}`;
          },
        },
      },
      errorBars: { series: series.map((item) => (item.lower && item.upper && !stacked ? { lower: item.lower, upper: item.upper } : null)) },
    },
  };
  const data = {
    labels: categories,
    datasets: series.map((item, index) => ({
      label: item.label,
      data: item.values,
      backgroundColor: seriesColour(index),
      borderColor: seriesColour(index),
      borderWidth: 0,
    })),
  };

  function downloadPng() {
    const chart = chartRef.current;
    if (!chart) return;
    download(`${fileName}.png`, chart.toBase64Image("image/png", 1));
  }
  function downloadCsv() {
    const csv = writeCsv([table.columns, ...table.rows], { finalLineBreak: true });
    download(`${fileName}.csv`, URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" })));
  }

  return (
    <figure className="chart" aria-labelledby={captionId}>
      <div className="chart-canvas" style={{ height }}>
        <Bar ref={chartRef} options={options} data={data} role="img" aria-label={`${title}. ${caption} The numbers are in the table below.`} />
      </div>
      <figcaption id={captionId} className="muted">
        {caption}
      </figcaption>
      {notes.map((note) => (
        <p key={note} className="interval-caveat" role="note">
          ⚠ {note}
        </p>
      ))}
      <div className="chart-actions no-print">
        <button type="button" className="secondary" onClick={downloadPng}>
          Download PNG<span className="sr-only"> of {title}</span>
        </button>
        <button type="button" className="secondary" onClick={downloadCsv}>
          Download CSV<span className="sr-only"> of {title}</span>
        </button>
      </div>
      <DataTable
        className="chart-table"
        caption={<>{title}: the chart&apos;s numbers</>}
        captionHidden
        rows={table.rows}
        rowKey={(_row, index) => String(index)}
        columns={table.columns.map((column, index) => ({ label: column, numeric: index > 0, rowHeader: index === 0, cell: (row: CsvCell[]) => row[index] }))}
      />
    </figure>
  );
}

function shorten(label: string, max: number): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

function download(name: string, href: string) {
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  if (href.startsWith("blob:")) setTimeout(() => URL.revokeObjectURL(href), 1000);
}
