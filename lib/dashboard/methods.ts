/**
 * The generated methods paragraph: sample sizes, interval methods and levels, finite population corrections,
 * agreement statistics and test names, each as the dashboard actually computed them (read from the results,
 * never from a template of what is usually done).
 */
import type { StudyResults } from "@/lib/db/dashboard/results";
import type { PairAnalysis } from "@/lib/runner/pair-analysis";
import { ADJUST_NAMES, METHOD_NAMES } from "./intervals";
import { formatCount, formatLevel, formatNumber, formatP, formatPercent } from "@/lib/format";

/** The methods paragraph(s) for a study's results, one string per instrument that has data. */
export function methodsParagraphs(results: StudyResults): string[] {
  const { settings } = results;
  const level = formatLevel(settings.level);
  const paragraphs: string[] = [];
  const survey = results.survey;
  if (survey && survey.funnel.started > 0) {
    const f = survey.funnel;
    const parts = [
      `Questionnaire "${survey.questionnaire.title}"${survey.filter.versionId ? ` (version ${survey.questionnaire.versions.find((v) => v.id === survey.filter.versionId)?.version ?? "?"})` : ""}: ` +
        `${f.invited > 0 ? `${formatCount(f.invited, "invitation")} were sent; ` : ""}${formatCount(f.started, "response")} were started and ${formatCount(f.completed)} completed` +
        `${f.declined > 0 ? `; ${formatCount(f.declined, "person")} declined consent` : ""}. ` +
        `Results are based on ${survey.filter.completedOnly ? `the ${formatCount(f.completed)} completed responses` : `all ${formatCount(f.started)} started responses, complete or not`}` +
        `${survey.filter.from || survey.filter.to ? `, started ${survey.filter.from ? `from ${survey.filter.from.toISOString().slice(0, 10)}` : ""}${survey.filter.to ? ` up to ${survey.filter.to.toISOString().slice(0, 10)}` : ""}` : ""}` +
        `${survey.filter.invitationListId ? `, from invitation list "${survey.questionnaire.invitationLists.find((l) => l.id === survey.filter.invitationListId)?.name ?? survey.filter.invitationListId}"` : ""}. ` +
        `Each proportion is the share of respondents who answered the question (item non-response is excluded from its n), with a two-sided ${level} ${METHOD_NAMES[settings.method]} confidence interval; no finite population correction is applied to survey proportions.`,
    ];
    const headline = survey.headlines[0];
    if (headline && headline.estimate !== null) {
      parts.push(
        `${headline.label}: ${formatPercent(headline.estimate)} (${headline.x} of ${headline.n}; ${level} CI ${formatPercent(headline.lower)}–${formatPercent(headline.upper)}), defined as the answers ${headline.optionLabels.map((label) => `"${label}"`).join(" or ")} to ${headline.questionId}.`,
      );
    }
    if (survey.breakdown && survey.breakdown.family > 0) {
      parts.push(
        `Differences between groups of ${survey.breakdown.groupQuestionId} were estimated with ${level} Newcombe hybrid score intervals; p-values come from pooled two-proportion z tests and were adjusted over the ${survey.breakdown.family} comparisons with the ${ADJUST_NAMES[survey.breakdown.adjustMethod]} method.`,
      );
    }
    if (survey.correlation?.result.ok) {
      const c = survey.correlation;
      const r = c.result as Extract<typeof c.result, { ok: true }>;
      parts.push(
        `The correlation between ${c.x.id} and ${c.y.id} is a Pearson r = ${formatNumber(r.r)} (n = ${r.n}; ${level} Fisher z interval ${formatNumber(r.lower)} to ${formatNumber(r.upper)}; t test p = ${formatP(r.pValue)}).`,
      );
    }
    const numeric = survey.questions.filter((q) => q.numeric && q.question.type === "numeric");
    if (numeric.length > 0) parts.push(`Numeric answers are summarised by mean with a ${level} Student t interval, SD, quartiles (linear interpolation) and range.`);
    paragraphs.push(parts.join(" "));
  }
  const literature = results.literature?.results;
  const main = results.literature?.agreement.main ?? null;
  if (literature && literature.counts.finalCoded > 0) {
    const strata = literature.strata.map((s) => `${s.label}: ${s.sampled} of ${s.populationSize}`).join("; ");
    const { method, finitePopulationCorrection } = literature.settings;
    const fpc = finitePopulationCorrection && ["wald", "agresti-coull", "plus-four"].includes(method);
    const agreement = (main?.questions ?? [])
      .filter((row) => row.percentAgreement.value !== null)
      .map((row) => {
        const k = row.cohenKappa;
        const kappa = k && k.value !== null && k.interval ? `, Cohen's kappa ${formatNumber(k.value)} (${level} CI ${formatNumber(k.interval.lower)} to ${formatNumber(k.interval.upper)})` : "";
        return `${row.questionId}: ${formatPercent(row.percentAgreement.value)} raw agreement on ${row.percentAgreement.n} papers${kappa}`;
      });
    const { counts } = literature;
    paragraphs.push(
      [
        `Literature survey: a stratified sample of papers (sampled of population per stratum — ${strata}); ${formatCount(counts.finalCoded, "paper")} have final codes (${formatCount(counts.agreed)} on which the coders agreed, ${formatCount(counts.adjudicated)} adjudicated), ${formatCount(main?.papers ?? 0)} coded independently by two or more coders in the main round.`,
        agreement.length > 0 ? `Inter-coder agreement before adjudication — ${agreement.join("; ")}.` : "",
        `Shares per stratum use ${level} ${METHOD_NAMES[method as keyof typeof METHOD_NAMES] ?? method} intervals${fpc ? " with a finite population correction on the stratum size (estimated from the sample for measures restricted to a sub-population)" : " without a finite population correction"}; the overall share is a stratified estimate weighted by stratum population (Wald with finite population correction).`,
      ]
        .filter(Boolean)
        .join(" "),
    );
  }
  const experiments = results.experiments?.filter((row) => row.runs > 0) ?? [];
  if (experiments.length > 0) {
    const runs = experiments.reduce((sum, row) => sum + row.runs, 0);
    paragraphs.push(
      `Training experiments: ${formatCount(experiments.length, "set")} of identical runs (${formatCount(runs)} runs in total). For each set, Diff is the largest minus the smallest test accuracy (percentage points) and SD its sample standard deviation with a 90% chi-square interval, each the larger over the two checkpoints (best validation loss, best validation accuracy) as the reference study reports them; per-class Diff is that of the class with the largest Diff; a cross-implementation set counts each implementation once; training-time RelDiff = (max − min) / min, the larger over the two checkpoints; a run with accuracy below 20% counts as a weak model.`,
    );
  }
  return paragraphs;
}

const VERDICT_TEXT: Record<string, string> = {
  "a-better": "A is better by their rule (interval above 0.5, estimate at least the threshold)",
  "b-better": "B is better by their rule (interval below 0.5, estimate at most one minus the threshold)",
  "significant-not-meaningful": "the interval excludes 0.5 but the estimate does not reach the threshold, so by their rule the difference is significant but not meaningful",
  "not-significant": "the interval includes 0.5, so by their rule neither configuration is shown to be better",
};

/**
 * The methods paragraph of a pair-of-sets Analysis (issue 20): what was compared, with which method, n,
 * interval, seed and rule, as computed (read from the analysis, never from a template of what is usually done).
 */
export function pairAnalysisMethods(analysis: PairAnalysis): string {
  const { a, b } = analysis;
  const checkpoint = analysis.criterion === "bestLoss" ? "best-validation-loss" : "best-validation-accuracy";
  const parts = [
    `Set A (${a.preset}, ${a.setting}, ${a.runs} runs) and set B (${b.preset}, ${b.setting}, ${b.runs} runs) were compared on test accuracy at the ${checkpoint} checkpoint.`,
  ];
  const p = analysis.outperforming;
  if (p.ok) {
    const v = p.value;
    parts.push(
      `P(A > B), the probability that a run of A scores higher than a run of B with ties counted half (Bouthillier et al., MLSys 2021), is U/(n_A·n_B) = ${formatNumber(v.estimate)} with a ${Math.round(v.level * 100)}% percentile bootstrap interval ${formatNumber(v.lower)}–${formatNumber(v.upper)} (${formatCount(v.resamples)} resamples of each set, seed ${v.seed}); with threshold ${v.threshold}, ${VERDICT_TEXT[v.verdict]}.`,
    );
  }
  const { mannWhitney, cohensD } = analysis.tests;
  parts.push(
    `Two-sided Mann–Whitney U ${mannWhitney.ok ? `= ${formatNumber(mannWhitney.value.u, 1)} (p = ${formatP(mannWhitney.value.pValue)})` : "is undefined here"}; Cohen's d ${cohensD.ok ? `= ${formatNumber(cohensD.value)} (pooled SD)` : "is undefined here"}.`,
  );
  const plan = analysis.planner;
  if (plan.result.ok && plan.result.value.runs !== null) {
    const r = plan.result.value;
    parts.push(
      `To detect a difference of ${r.difference} points with ${Math.round(r.power * 100)}% power at α = ${r.alpha} with a two-sided two-sample t test (Welch degrees of freedom, power from the noncentral t distribution), ${r.runs} runs per configuration are needed for SDs of ${formatNumber(r.sdA)} and ${formatNumber(r.sdB)} points (${plan.inputs.guessedSd === null ? "observed" : "assumed"}).`,
    );
  }
  const single = analysis.wrongWinner.find((row) => row.runsPerSide === 1)?.result;
  if (single?.ok) {
    parts.push(
      `A comparison of one run per configuration picks the configuration with the lower mean in ${formatPercent(single.value.rate)} of ${formatCount(single.value.simulations)} comparisons simulated by resampling the observed runs (seed ${single.value.seed}).`,
    );
  }
  const best = (set: PairAnalysis["a"], name: string) => {
    if (!set.bestOfK.ok) return null;
    const k = Math.min(5, set.bestOfK.value.n);
    const row = set.bestOfK.value.rows[k - 1]!;
    return `${name}: best of ${k} exceeds the mean by ${formatNumber(row.inflation)} points (95% bootstrap interval ${formatNumber(row.lower)}–${formatNumber(row.upper)})`;
  };
  const bests = [best(a, "A"), best(b, "B")].filter(Boolean);
  if (bests.length > 0) {
    parts.push(`Seed picking (Picard 2021) is shown as the expected best of k runs chosen from the n observed (without replacement) minus the mean — ${bests.join("; ")}.`);
  }
  const within = (set: PairAnalysis["a"]) => {
    const measured = set.perClassNoise.filter((c) => c.noise.ok);
    return `${measured.filter((c) => c.noise.ok && c.noise.value.withinNoise).length} of ${measured.length}`;
  };
  parts.push(
    `Test-set sampling noise is the binomial SD √(p(1 − p)/n) of an accuracy p measured on n test images; a run-to-run SD counts as within noise unless a one-sided chi-square test of SD_runs ≤ SD_noise rejects at α = 0.05 (after Jordan, ICLR 2024): ${within(a)} classes of A and ${within(b)} of B are within noise.`,
  );
  const disagreement = (set: PairAnalysis["a"], name: string) =>
    set.disagreement.ok
      ? `${name} ${formatPercent(set.disagreement.value.meanRate)} (95% bootstrap over test images ${formatNumber(set.disagreement.value.lower * 100, 1)}–${formatPercent(set.disagreement.value.upper)}, ${set.disagreement.value.pairs} pairs)`
      : `${name} ${set.disagreement.reason}`;
  parts.push(`Mean pairwise disagreement of the runs' predicted classes on the same test images (Jordan, ICLR 2024): ${disagreement(a, "A")}; ${disagreement(b, "B")}.`);
  return parts.join(" ");
}
