import type { SetComparison, SetSummary } from "./analysis";
import type { PairAnalysis } from "./pair-analysis";
import { findPreset } from "./presets";
import type { FamilyDecomposition } from "./source-family";
import { studyReferenceFor } from "./study-reference";
import { formatNumber, formatP, formatPercent } from "../format";


function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

/**
 * Renders one set's summary as plain-text tables shaped like the study's Tables 2 and 3 (per
 * criterion, plus the study's value for the same network and setting when there is one).
 */
export function formatSetSummary(summary: SetSummary): string {
  const preset = findPreset(summary.preset);
  const reference = studyReferenceFor(preset?.studyNetwork ?? null, summary.setting);
  const lines: string[] = [];
  const trainedOn = summary.implementations ? `${summary.implementations.implementations.length} implementations on ${summary.backend}` : `backend ${summary.backend}`;
  lines.push(`Set ${summary.setId}  (${summary.runCount}/${summary.plannedRunCount} runs, ${trainedOn})`);
  lines.push(`Reproduce: ${summary.command}`);
  if (summary.weakRuns.length > 0) {
    const list = summary.weakRuns.map((run) => `#${run.runIndex + 1} (${formatNumber(run.bestLossAccuracy, 1)}%/${formatNumber(run.bestAccuracyAccuracy, 1)}%)`).join(", ");
    lines.push(`Weak models (<20% accuracy): ${summary.weakRuns.length}/${summary.runCount}: ${list}${summary.weakExcluded ? " — excluded below" : ""}`);
  }
  if (summary.identicalFinalWeights) lines.push("All runs ended with bit-identical weights.");
  if (summary.implementations) lines.push("", formatImplementations(summary.implementations));
  lines.push("");
  const criterionName = { bestLoss: "best-loss", bestAccuracy: "best-acc" } as const;
  const accuracyRows = Object.values(summary.criteria).map((c) => [
    criterionName[c.criterion],
    String(c.n),
    `${formatNumber(c.accuracy.mean, 2)}`,
    `${formatNumber(c.accuracy.min, 2)}–${formatNumber(c.accuracy.max, 2)}`,
    formatNumber(c.accuracy.diff, 1),
    `${formatNumber(c.accuracy.sd, 2)} [${formatNumber(c.accuracySdInterval.lower, 2)}, ${formatNumber(c.accuracySdInterval.upper, 2)}]`,
    `${formatNumber(c.largestPerClassDiff.diff, 1)} (class ${c.largestPerClassDiff.classIndex})`,
    `${formatNumber(c.largestPerClassSd.sd, 1)} (class ${c.largestPerClassSd.classIndex})`,
  ]);
  if (reference) {
    const r = reference.accuracy;
    accuracyRows.push(["study", "16", "", "", formatNumber(r.overallDiff, 1), `${r.sdBelow ? "<" : ""}${formatNumber(r.overallSd, 1)}`, formatNumber(r.perClassDiff, 1), formatNumber(r.perClassSd, 1)]);
  }
  lines.push("Accuracy (test, %) — Table 2");
  lines.push(table(["criterion", "n", "mean", "range", "Diff", "SDev [90% CI]", "per-class Diff", "per-class SDev"], accuracyRows));
  lines.push("");
  const timeRows = Object.values(summary.criteria).map((c) => [
    criterionName[c.criterion],
    formatNumber(c.time.mean, 1),
    formatNumber(c.time.diff, 1),
    c.time.relativeDiff === null ? "n/a" : `${formatPercent(c.time.relativeDiff)}`,
    c.time.cv === null ? "n/a" : `${formatPercent(c.time.cv)}`,
    `${formatNumber(c.epochs.mean, 1)} (${c.epochs.min}–${c.epochs.max})`,
  ]);
  if (reference) {
    const t = reference.time;
    timeRows.push(["study best-loss", "", String(t.lossDiffSeconds), `${t.lossRelDiffPercent}%`, `${t.lossRelSdPercent}%`, ""]);
    timeRows.push(["study best-acc", "", String(t.accDiffSeconds), `${t.accRelDiffPercent}%`, `${t.accRelSdPercent}%`, ""]);
  }
  lines.push("Time to checkpoint (s) — Table 3");
  lines.push(table(["criterion", "mean", "Diff", "RelDiff", "RelSDev", "epochs to checkpoint"], timeRows));
  return lines.join("\n");
}

/** The implementations of a cross-implementation set, their determinism audit and the spread between them. */
export function formatImplementations(spread: NonNullable<SetSummary["implementations"]>): string {
  const rows = spread.implementations.map((row) => [
    row.implementation,
    row.runIndices.map((index) => `#${index + 1}`).join(" "),
    formatNumber(row.bestLossAccuracy, 2),
    formatNumber(row.bestAccuracyAccuracy, 2),
    row.finalWeightsSha256.slice(0, 12),
    row.repeatsIdentical === null ? "one run" : row.repeatsIdentical ? "bit-identical" : "DIFFER",
  ]);
  return [
    `Implementations (fixed seeds; each counted once below): ${spread.distinctFinalWeights} distinct final weights among ${spread.implementations.length}; ` +
      `accuracy Diff between implementations ${formatNumber(spread.accuracyDiff, 2)} pts, largest per-class Diff ${formatNumber(spread.perClassDiff.diff, 1)} pts (class ${spread.perClassDiff.classIndex})`,
    table(["implementation", "runs", "best-loss acc %", "best-acc acc %", "final weights", "repeats"], rows),
  ].join("\n");
}

/** Renders between-set comparisons (Levene, Mann–Whitney U, Cohen's d) as a table. */
export function formatComparisons(comparisons: readonly SetComparison[]): string {
  const rows = comparisons.map((c) => [
    `${c.a} vs ${c.b}`,
    c.criterion === "bestLoss" ? "best-loss" : "best-acc",
    c.levene.ok ? `W=${formatNumber(c.levene.value.statistic)} p=${formatP(c.levene.value.pValue)}` : `n/a (${c.levene.reason})`,
    c.mannWhitney.ok ? `U=${c.mannWhitney.value.u} p=${formatP(c.mannWhitney.value.pValue)}` : `n/a (${c.mannWhitney.reason})`,
    c.cohensD.ok ? formatNumber(c.cohensD.value) : `n/a (${c.cohensD.reason})`,
  ]);
  return table(["sets", "criterion", "Levene (equal variance)", "Mann–Whitney U", "Cohen's d"], rows);
}

const outcome = <T>(result: { ok: true; value: T } | { ok: false; reason: string }, show: (value: T) => string) => (result.ok ? show(result.value) : `not defined: ${result.reason}`);

/** The Analysis of a pair of sets as plain text: the same numbers as the dashboard's Analysis panel. */
export function formatPairAnalysis(analysis: PairAnalysis, methods: string): string {
  const { a, b } = analysis;
  const lines: string[] = [];
  lines.push(`A: ${a.setId}  (${a.runs} runs, mean ${formatNumber(a.mean)}%, SD ${formatNumber(a.sd)})`);
  lines.push(`B: ${b.setId}  (${b.runs} runs, mean ${formatNumber(b.mean)}%, SD ${formatNumber(b.sd)})`);
  lines.push(`Test accuracy (%) at the ${analysis.criterion === "bestLoss" ? "best-validation-loss" : "best-validation-accuracy"} checkpoint; bootstrap and simulation seed ${analysis.seed}.`);
  if (!analysis.sameTestSet) lines.push("Note: the two sets were not scored on the same test images (dataset hash or test size differ).");
  lines.push("");
  lines.push(
    `P(A > B) = ${outcome(analysis.outperforming, (v) => `${formatNumber(v.estimate, 3)}  [${formatNumber(v.lower, 3)}, ${formatNumber(v.upper, 3)}] ${Math.round(v.level * 100)}% percentile bootstrap (${v.resamples} resamples), n = ${v.nA} vs ${v.nB}; threshold ${v.threshold}: ${v.verdict}`)}`,
  );
  const t = analysis.tests;
  lines.push(`Mann–Whitney U (two-sided) = ${outcome(t.mannWhitney, (v) => `${formatNumber(v.u, 1)}, p = ${formatNumber(v.pValue, 4)}`)}`);
  lines.push(`Cohen's d (A − B, pooled SD) = ${outcome(t.cohensD, (v) => formatNumber(v))}`);
  lines.push("");
  const plan = analysis.planner;
  lines.push(
    `Runs needed per configuration to detect ${plan.inputs.difference} points with power ${plan.inputs.power} at alpha ${plan.inputs.alpha} (two-sided Welch t, noncentral t; SDs ${formatNumber(plan.sdA)} / ${formatNumber(plan.sdB)}${plan.inputs.guessedSd === null ? ", observed" : ", assumed"}): ` +
      outcome(plan.result, (v) => (v.runs === null ? `more than the search limit (power ${formatNumber(v.achievedPower, 3)} at the limit)` : `${v.runs} (power ${formatNumber(v.achievedPower, 3)}; normal approximation ${v.normalApproximation})`)),
  );
  lines.push(
    table(
      ["runs per side", "wrong winner", "95% simulation interval", "exact (1 run)"],
      analysis.wrongWinner.map((row) => [
        String(row.runsPerSide),
        outcome(row.result, (v) => formatPercent(v.rate)),
        outcome(row.result, (v) => `${formatNumber(v.lower * 100, 1)}–${formatPercent(v.upper)}`),
        row.result.ok && row.result.value.exactSingleRun !== null ? formatPercent(row.result.value.exactSingleRun) : "",
      ]),
    ),
  );
  lines.push("");
  for (const [name, set] of [["A", a], ["B", b]] as const) {
    lines.push(`Best-of-k inflation, ${name} (expected best of k of the ${set.runs} runs minus the mean, points, 95% bootstrap):`);
    lines.push(
      set.bestOfK.ok
        ? table(["k", "expected best", "inflation", "interval"], set.bestOfK.value.rows.map((row) => [String(row.k), formatNumber(row.expectedBest), formatNumber(row.inflation), `${formatNumber(row.lower)}–${formatNumber(row.upper)}`]))
        : `  not defined: ${set.bestOfK.reason}`,
    );
    lines.push("");
  }
  for (const [name, set] of [["A", a], ["B", b]] as const) {
    lines.push(`Test-set noise beside run-to-run spread, ${name} (points; within noise unless the one-sided chi-square test rejects at 0.05):`);
    const rows = [{ label: "overall", images: set.testImages, noise: set.overallNoise }, ...set.perClassNoise.map((c) => ({ label: `class ${c.classIndex}`, images: c.testImages, noise: c.noise }))];
    lines.push(
      table(
        ["", "images", "observed SD [90% CI]", "noise SD", "noise bound", "p", "within noise"],
        rows.map((row) =>
          row.noise.ok
            ? [
                row.label,
                String(row.images),
                `${formatNumber(row.noise.value.observedSd * 100)} [${formatNumber(row.noise.value.observedSdInterval.lower * 100)}, ${formatNumber(row.noise.value.observedSdInterval.upper * 100)}]`,
                formatNumber(row.noise.value.noiseSd * 100),
                formatNumber(row.noise.value.noiseSdUpperBound * 100),
                formatNumber(row.noise.value.pValue, 3),
                row.noise.value.withinNoise ? "yes" : "NO",
              ]
            : [row.label, String(row.images), `not defined: ${row.noise.reason}`, "", "", "", ""],
        ),
      ),
    );
    lines.push(
      `Prediction disagreement, ${name}: ${outcome(set.disagreement, (v) => `${formatPercent(v.meanRate, 2)} [${formatNumber(v.lower * 100)}, ${formatNumber(v.upper * 100)}] (${v.method}, ${v.pairs} pairs of runs, ${v.images} images)`)}`,
    );
    lines.push("");
  }
  lines.push("Methods: " + methods);
  return lines.join("\n");
}

/**
 * The decomposition table of a variance-by-source family (lib/runner/source-family.ts computes every number):
 * per source, SD with its 90% interval, share of the default setting's variance with its F interval, and the
 * largest per-class Diff and SD; then the control's check, the one-bit set beside the init set, the caveat and
 * the methods paragraph.
 */
export function formatFamilyDecomposition(d: FamilyDecomposition): string {
  const lines: string[] = [];
  if (d.control.warning) lines.push("!".repeat(100), d.control.warning, "!".repeat(100), "");
  lines.push(`Variance by source: family ${d.familyId} on ${d.implementation}, test accuracy (%) at the ${d.criterion === "bestLoss" ? "best-loss" : "best-acc"} checkpoint`);
  const rows = d.rows.map((row) =>
    row.status === "measured"
      ? [
          row.label,
          String(row.n),
          formatNumber(row.mean!, 2),
          `${formatNumber(row.sd!, 2)} [${formatNumber(row.sdInterval!.lower, 2)}, ${formatNumber(row.sdInterval!.upper, 2)}]`,
          formatNumber(row.diff!, 2),
          row.share ? `${formatPercent(row.share.value, 0)} [${formatNumber(row.share.lower * 100, 0)}, ${formatNumber(row.share.upper * 100, 0)}]` : row.source === "all" ? "(reference)" : "n/a",
          `${formatNumber(row.perClass!.largestDiff.diff, 1)} (class ${row.perClass!.largestDiff.classIndex})`,
          `${formatNumber(row.perClass!.largestSd.sd, 1)} (class ${row.perClass!.largestSd.classIndex})`,
          String(row.distinctFinalWeights),
        ]
      : [row.label, row.status === "not-applicable" ? "–" : String(row.n), "", row.status === "not-applicable" ? "not applicable" : row.status === "missing" ? "not run" : "too few runs", "", "", "", "", ""],
  );
  lines.push(table(["source varied", "n", "mean", "SD [90% CI]", "Diff", "share of default var [90% CI]", "per-class Diff", "per-class SD", "distinct weights"], rows));
  for (const row of d.rows) if (row.note && row.status !== "measured") lines.push(`  ${row.label}: ${row.note}`);
  lines.push("");
  lines.push(
    d.control.status === "zero-spread"
      ? "Control: every all-fixed run ended with bit-identical weights (zero spread), as a deterministic implementation must."
      : d.control.status === "missing"
        ? "Control: not measured."
        : "Control: NOT zero spread (see the warning above).",
  );
  if (d.dominant) lines.push(`Dominant source: ${d.dominant.label} (SD ${formatNumber(d.dominant.sd, 2)} points).`);
  if (d.oneBitVersusInit) {
    lines.push(
      `Instability (Summers & Dinneen 2021): one flipped bit of one initial weight gives SD ${formatNumber(d.oneBitVersusInit.oneBitSd, 2)} points, a new initialisation seed ${formatNumber(d.oneBitVersusInit.initSd, 2)}.`,
    );
  }
  lines.push(d.caveat);
  lines.push("", `Methods: ${d.methods}`);
  return lines.join("\n");
}
