import type { Chart, Plugin } from "chart.js";

/** Interval limits of each bar, in the bar's own unit; null = no interval (e.g. n = 0). */
export type ErrorBarData = { lower: (number | null)[]; upper: (number | null)[] };

declare module "chart.js" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends import("chart.js").ChartType> {
    errorBars?: { series: (ErrorBarData | null)[]; colour?: string };
  }
}

/**
 * Draws interval whiskers on bar charts (vertical or horizontal). Chart.js has no error bars of its own
 * and the chartjs-chart-error-bars package replaces the bar controller; this small plugin draws after the
 * bars from `options.plugins.errorBars.series[datasetIndex]`, so the ordinary Bar chart stays in charge.
 */
export const errorBarsPlugin: Plugin<"bar"> = {
  id: "errorBars",
  afterDatasetsDraw(chart: Chart<"bar">) {
    const options = chart.options.plugins?.errorBars;
    if (!options?.series) return;
    const horizontal = chart.options.indexAxis === "y";
    const valueScale = horizontal ? chart.scales.x : chart.scales.y;
    if (!valueScale) return;
    const context = chart.ctx;
    context.save();
    context.strokeStyle = options.colour ?? "#1b1f24";
    context.lineWidth = 1.5;
    options.series.forEach((bars, datasetIndex) => {
      if (!bars?.lower || !bars.upper || !chart.isDatasetVisible(datasetIndex)) return;
      const { lower: lowers, upper: uppers } = bars;
      const meta = chart.getDatasetMeta(datasetIndex);
      meta.data.forEach((element, index) => {
        const lower = lowers[index];
        const upper = uppers[index];
        if (lower === null || lower === undefined || upper === null || upper === undefined) return;
        const { x, y, width, height } = element.getProps(["x", "y", "width", "height"], true) as { x: number; y: number; width: number; height: number };
        const from = valueScale.getPixelForValue(lower);
        const to = valueScale.getPixelForValue(upper);
        const cap = Math.max(3, Math.min(8, (horizontal ? height : width) / 4));
        context.beginPath();
        if (horizontal) {
          context.moveTo(from, y);
          context.lineTo(to, y);
          context.moveTo(from, y - cap);
          context.lineTo(from, y + cap);
          context.moveTo(to, y - cap);
          context.lineTo(to, y + cap);
        } else {
          context.moveTo(x, from);
          context.lineTo(x, to);
          context.moveTo(x - cap, from);
          context.lineTo(x + cap, from);
          context.moveTo(x - cap, to);
          context.lineTo(x + cap, to);
        }
        context.stroke();
      });
    });
    context.restore();
  },
};
