import { sampleVariance, varianceRatioInterval } from "../stats";
import { runsForSpread, SD_INTERVAL_LEVEL, summarizeSet, type SelectionCriterion } from "./analysis";
import type { FamilySource, RunResult } from "./result-schema";
import { formatNumber, formatPercent } from "../format";

/**
 * Variance by source: a family of sets of one training configuration in which each set varies exactly one
 * source of randomness and holds every other at the fixed seed (Bouthillier et al., MLSys 2021, §3; Zhuang et
 * al., MLSys 2022, for the implementation), beside the default setting (every source varies) and the all-fixed
 * control. This module is the one place the decomposition is computed: the CLI's `summarize` and the
 * dashboard both call `decomposeFamily`. Pure: no TensorFlow.js, no I/O, so the app can import it.
 */

/** Sources `run --sources` accepts, in the order tables list them. */
export const VARIABLE_SOURCES = ["init", "order", "dropout", "augmentation", "implementation", "one-bit"] as const;
export type VariableSource = (typeof VARIABLE_SOURCES)[number];

/** The setting whose set varies a source. */
export const SOURCE_SETTING = {
  init: "vary-init",
  order: "vary-order",
  dropout: "vary-dropout",
  augmentation: "vary-augmentation",
  implementation: "cross-implementation",
  "one-bit": "one-bit",
} as const satisfies Record<VariableSource, string>;

/** How a source is named in tables and sentences. */
export const SOURCE_LABEL: Record<FamilySource, string> = {
  all: "all sources (default setting)",
  none: "none (all-fixed control)",
  init: "weight initialisation",
  order: "data order",
  dropout: "dropout masks",
  augmentation: "data augmentation",
  implementation: "implementation",
  "one-bit": "one bit of one initial weight",
};

/**
 * Whether varying a source can change anything for a training configuration. Only the Wide ResNet has dropout
 * layers (models/index.ts ignores the rate elsewhere), and a preset without augmentation never draws from its
 * augmentation stream: varying their seeds would train bit-identical copies of the control.
 */
export function sourceApplicability(
  training: { architecture: string; dropoutRate: number; augmentation: unknown },
  source: VariableSource,
): { applies: true } | { applies: false; reason: string } {
  if (source === "dropout" && !(training.architecture.startsWith("wrn") && training.dropoutRate > 0)) {
    return { applies: false, reason: `${training.architecture} has no dropout layers, so dropout masks cannot vary (no runs trained)` };
  }
  if (source === "augmentation" && training.augmentation === null) {
    return { applies: false, reason: `this preset trains without data augmentation, so there is nothing to vary (no runs trained)` };
  }
  return { applies: true };
}

export type SourceRow = {
  source: FamilySource;
  label: string;
  setId: string | null;
  /** measured; missing (not run or not imported); too-few (fewer than 2 runs); not-applicable (see note). */
  status: "measured" | "missing" | "too-few" | "not-applicable";
  note: string | null;
  /** Runs the spread is computed on (a cross-implementation set: one per implementation). */
  n: number;
  /** Test accuracy (%) at the criterion's checkpoint. */
  mean: number | null;
  sd: number | null;
  /** Two-sided chi-square interval for the SD (points). */
  sdInterval: { lower: number; upper: number; level: number } | null;
  diff: number | null;
  /** Variance of this row over the default setting's, with its F interval; null for the default row itself or when undefined. */
  share: { value: number; lower: number; upper: number; level: number } | null;
  /** Class with the largest per-class Diff and the one with the largest per-class SD (points). */
  perClass: { largestDiff: { classIndex: number; diff: number }; largestSd: { classIndex: number; sd: number } } | null;
  /** Distinct final weights among the runs counted (1: every run computed the same bits). */
  distinctFinalWeights: number;
};

export type FamilyDecomposition = {
  familyId: string;
  preset: string;
  criterion: SelectionCriterion;
  /** The family's backend (the control's implementation). */
  implementation: string;
  backendDeterministic: boolean;
  rows: SourceRow[];
  /** The all-fixed control's check: zero spread on a deterministic implementation. `warning` is loud when set. */
  control: { status: "zero-spread" | "spread" | "missing"; warning: string | null };
  /** The measured source (not default, control or one-bit) with the largest SD. */
  dominant: { source: FamilySource; label: string; sd: number } | null;
  /** The one-bit set's SD over the init set's, when both were measured (Summers & Dinneen's comparison). */
  oneBitVersusInit: { oneBitSd: number; initSd: number } | null;
  /** A paragraph for a paper's methods section, built from the numbers above. */
  methods: string;
  /** Why the shares are not a partition. */
  caveat: string;
};

const percent = (fraction: number) => fraction * 100;

export const SHARES_CAVEAT =
  "Shares are each source's variance divided by the default setting's (all sources varying), with a 90% F interval. They need not sum to 1: " +
  "sources interact (a different initialisation changes what a different data order does), and each row is estimated from its own few runs.";

function measureRow(source: FamilySource, runs: readonly RunResult[] | undefined, criterion: SelectionCriterion, reference: number[] | null): SourceRow {
  const base = { source, label: SOURCE_LABEL[source], note: null, mean: null, sd: null, sdInterval: null, diff: null, share: null, perClass: null };
  if (!runs || runs.length === 0) return { ...base, setId: null, status: "missing", n: 0, distinctFinalWeights: 0, note: "not run (or not imported into this study)" };
  const counted = runsForSpread(runs);
  const distinctFinalWeights = new Set(counted.map((run) => run.finalWeightsSha256)).size;
  const summary = summarizeSet(runs);
  if (!summary.ok) return { ...base, setId: runs[0]!.setId, status: "too-few", n: counted.length, distinctFinalWeights, note: summary.error };
  const c = summary.summary.criteria[criterion];
  const accuracies = counted.map((run) => percent(run.checkpoints[criterion].test.accuracy));
  let share: SourceRow["share"] = null;
  let note: string | null = null;
  if (reference && source !== "all") {
    const referenceVariance = sampleVariance(reference);
    if (referenceVariance > 0) {
      const ratio = varianceRatioInterval({ varianceNumerator: sampleVariance(accuracies), nNumerator: accuracies.length, varianceDenominator: referenceVariance, nDenominator: reference.length, level: SD_INTERVAL_LEVEL });
      share = { value: ratio.ratio, lower: ratio.lower, upper: ratio.upper, level: ratio.level };
    } else note = "no share: the default setting's runs have zero variance";
  }
  return {
    ...base,
    setId: runs[0]!.setId,
    status: "measured",
    note,
    n: c.n,
    mean: c.accuracy.mean,
    sd: c.accuracy.sd,
    sdInterval: c.accuracySdInterval,
    diff: c.accuracy.diff,
    share,
    perClass: { largestDiff: c.largestPerClassDiff, largestSd: c.largestPerClassSd },
    distinctFinalWeights,
  };
}

/** Families present in a list of runs: id → its runs by source (the default and control found by their set ids). */
export function familiesIn(runs: readonly RunResult[]): Map<string, { id: string; preset: string; bySource: Map<FamilySource, RunResult[]> }> {
  const families = new Map<string, { id: string; preset: string; bySource: Map<FamilySource, RunResult[]> }>();
  const bySet = new Map<string, RunResult[]>();
  for (const run of runs) bySet.set(run.setId, [...(bySet.get(run.setId) ?? []), run]);
  for (const run of runs) {
    const membership = run.family;
    if (!membership || families.has(membership.id)) continue;
    const bySource = new Map<FamilySource, RunResult[]>();
    // The reference and the control are found by set id: they may have been run before the family, without its mark.
    const reference = bySet.get(membership.defaultSetId);
    const control = bySet.get(membership.controlSetId);
    if (reference) bySource.set("all", reference);
    if (control) bySource.set("none", control);
    const candidates = new Map<FamilySource, RunResult[][]>();
    for (const [setId, setRuns] of bySet) {
      const mark = setRuns.find((candidate) => candidate.family?.id === membership.id)?.family;
      if (!mark || mark.source === "all" || mark.source === "none" || setId === membership.defaultSetId || setId === membership.controlSetId) continue;
      candidates.set(mark.source, [...(candidates.get(mark.source) ?? []), setRuns]);
    }
    // Two sets of one source in one family (e.g. implementation sets with different lists): the larger counts.
    for (const [source, sets] of candidates) bySource.set(source, sets.sort((a, b) => b.length - a.length)[0]!);
    families.set(membership.id, { id: membership.id, preset: run.preset, bySource });
  }
  return families;
}

/**
 * The decomposition table of one family: per source, the SD of test accuracy with its 90% chi-square interval,
 * its share of the default setting's variance with a 90% F interval, and the largest per-class Diff and SD; the
 * control's zero-spread check; the dominant source; the one-bit set beside the init set; and a methods paragraph.
 * @param family one entry of familiesIn(runs).
 * @param criterion which checkpoint's test accuracy (default best validation loss).
 */
export function decomposeFamily(
  family: { id: string; preset: string; bySource: Map<FamilySource, RunResult[]> },
  criterion: SelectionCriterion = "bestLoss",
): FamilyDecomposition {
  const referenceRuns = family.bySource.get("all");
  const reference = referenceRuns && referenceRuns.length >= 2 ? referenceRuns.map((run) => percent(run.checkpoints[criterion].test.accuracy)) : null;
  const anyRun = [...family.bySource.values()].flat()[0];
  const controlRuns = family.bySource.get("none");
  const implementationRun = controlRuns?.[0] ?? referenceRuns?.[0] ?? anyRun;
  const implementation = implementationRun ? (implementationRun.environment.implementation ?? implementationRun.environment.backend) : "unknown";
  const rows: SourceRow[] = (["all", "none", ...VARIABLE_SOURCES] as FamilySource[]).map((source) => {
    if (anyRun && source !== "all" && source !== "none" && source !== "implementation" && source !== "one-bit") {
      const applicable = sourceApplicability(anyRun.training, source as VariableSource);
      if (!applicable.applies && !family.bySource.has(source)) {
        return { source, label: SOURCE_LABEL[source], setId: null, status: "not-applicable", note: applicable.reason, n: 0, mean: null, sd: null, sdInterval: null, diff: null, share: null, perClass: null, distinctFinalWeights: 0 };
      }
    }
    return measureRow(source, family.bySource.get(source), criterion, reference);
  });
  const backendDeterministic = controlRuns ? controlRuns.every((run) => run.environment.backendDeterministic) : false;
  const controlRow = rows.find((row) => row.source === "none")!;
  let control: FamilyDecomposition["control"];
  if (controlRow.status !== "measured") control = { status: "missing", warning: controlRow.status === "missing" ? null : `The all-fixed control has too few runs to check its spread (${controlRow.note}).` };
  else if (controlRow.distinctFinalWeights === 1) control = { status: "zero-spread", warning: null };
  else {
    control = {
      status: "spread",
      warning: backendDeterministic
        ? `WARNING: the all-fixed control is NOT reproducible: its ${controlRow.n} runs on ${implementation}, a deterministic implementation, ended with ${controlRow.distinctFinalWeights} different sets of weights (accuracy SD ${formatNumber(controlRow.sd ?? 0)} points). Something other than the seeds varies between runs; every share below includes it. Do not trust this family until that is found.`
        : `WARNING: the all-fixed control is not reproducible: ${implementation} is not a deterministic implementation (${controlRow.distinctFinalWeights} different final weights among ${controlRow.n} runs, accuracy SD ${formatNumber(controlRow.sd ?? 0)} points), so every source's spread includes this implementation noise. Use one thread (tensorflow --threads 1), wasm or cpu for a clean decomposition.`,
    };
  }
  const measuredSources = rows.filter((row) => row.status === "measured" && row.sd !== null && !["all", "none", "one-bit"].includes(row.source));
  const top = measuredSources.sort((a, b) => b.sd! - a.sd!)[0];
  const dominant = top ? { source: top.source, label: top.label, sd: top.sd! } : null;
  const oneBit = rows.find((row) => row.source === "one-bit");
  const init = rows.find((row) => row.source === "init");
  const oneBitVersusInit = oneBit?.status === "measured" && init?.status === "measured" ? { oneBitSd: oneBit.sd!, initSd: init.sd! } : null;
  const decomposition = { familyId: family.id, preset: family.preset, criterion, implementation, backendDeterministic, rows, control, dominant, oneBitVersusInit, caveat: SHARES_CAVEAT };
  return { ...decomposition, methods: methodsParagraph(decomposition) };
}

/** The methods paragraph: what was varied, how many runs, and each measured figure with its interval. */
function methodsParagraph(d: Omit<FamilyDecomposition, "methods">): string {
  const checkpoint = d.criterion === "bestLoss" ? "best-validation-loss" : "best-validation-accuracy";
  const measured = d.rows.filter((row) => row.status === "measured");
  const reference = measured.find((row) => row.source === "all");
  const figures = measured
    .filter((row) => row.source !== "all" && row.source !== "none")
    .map((row) => {
      const share = row.share ? `, ${formatPercent(row.share.value, 0)} of the default setting's variance [${formatPercent(row.share.lower, 0)}, ${formatPercent(row.share.upper, 0)}]` : "";
      return `${row.label} alone, SD ${formatNumber(row.sd!)} points [${formatNumber(row.sdInterval!.lower)}, ${formatNumber(row.sdInterval!.upper)}] (n = ${row.n}${share})`;
    });
  const skipped = d.rows.filter((row) => row.status === "not-applicable").map((row) => row.label);
  const control = d.rows.find((row) => row.source === "none");
  const parts = [
    `We attributed the run-to-run variance of ${d.preset}'s test accuracy (at the ${checkpoint} checkpoint) to its sources following Bouthillier et al. (2021): each set of runs varied exactly one source while every other was held at the fixed seed, on ${d.implementation}.`,
    reference ? `With every source varying (the default setting), the SD was ${formatNumber(reference.sd!)} points [${formatNumber(reference.sdInterval!.lower)}, ${formatNumber(reference.sdInterval!.upper)}] (90% chi-square interval, n = ${reference.n}).` : "The default setting was not measured, so no shares are given.",
    figures.length > 0 ? `Varying ${figures.join("; ")}.` : "",
    control?.status === "measured"
      ? d.control.status === "zero-spread"
        ? `The all-fixed control (n = ${control.n}) gave bit-identical weights, so the implementation is deterministic and all spread comes from the sources varied.`
        : `The all-fixed control (n = ${control.n}) did not give identical runs (SD ${formatNumber(control.sd!)} points); every figure above includes that noise.`
      : "",
    skipped.length > 0 ? `Not varied, because the configuration does not use them: ${skipped.join(", ")}.` : "",
    d.dominant ? `The largest single source was ${d.dominant.label}.` : "",
    "Shares need not sum to one because sources interact.",
  ];
  return parts.filter(Boolean).join(" ");
}
