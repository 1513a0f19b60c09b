/**
 * The generated methods paragraph: sample sizes, interval methods and levels, finite population corrections,
 * agreement statistics and test names, each as the dashboard actually computed them (read from the results,
 * never from a template of what is usually done).
 */
import type { StudyResults } from "@/lib/db/dashboard/results";
import { ADJUST_NAMES, formatLevel, formatPercent, METHOD_NAMES } from "./intervals";

const count = (n: number, noun: string) => `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;

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
        `${f.invited > 0 ? `${count(f.invited, "invitation")} were sent; ` : ""}${count(f.started, "response")} were started and ${f.completed.toLocaleString("en-US")} completed` +
        `${f.declined > 0 ? `; ${count(f.declined, "person")} declined consent` : ""}. ` +
        `Results are based on ${survey.filter.completedOnly ? `the ${f.completed.toLocaleString("en-US")} completed responses` : `all ${f.started.toLocaleString("en-US")} started responses, complete or not`}` +
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
        `The correlation between ${c.x.id} and ${c.y.id} is a Pearson r = ${r.r.toFixed(2)} (n = ${r.n}; ${level} Fisher z interval ${r.lower.toFixed(2)} to ${r.upper.toFixed(2)}; t test p = ${r.pValue < 0.001 ? "< 0.001" : r.pValue.toFixed(3)}).`,
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
        const kappa = k && k.value !== null && k.interval ? `, Cohen's kappa ${k.value.toFixed(2)} (${level} CI ${k.interval.lower.toFixed(2)} to ${k.interval.upper.toFixed(2)})` : "";
        return `${row.questionId}: ${formatPercent(row.percentAgreement.value)} raw agreement on ${row.percentAgreement.n} papers${kappa}`;
      });
    const { counts } = literature;
    paragraphs.push(
      [
        `Literature survey: a stratified sample of papers (sampled of population per stratum — ${strata}); ${count(counts.finalCoded, "paper")} have final codes (${counts.agreed.toLocaleString("en-US")} on which the coders agreed, ${counts.adjudicated.toLocaleString("en-US")} adjudicated), ${(main?.papers ?? 0).toLocaleString("en-US")} coded independently by two or more coders in the main round.`,
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
      `Training experiments: ${count(experiments.length, "set")} of identical runs (${runs.toLocaleString("en-US")} runs in total). For each set, Diff is the largest minus the smallest test accuracy (percentage points), taken at the checkpoint (best validation loss or best validation accuracy) that gives the larger Diff; SD comes with a 90% chi-square interval; training-time RelDiff = (max − min) / min and RelSDev = SD / mean; a run with accuracy below 20% counts as a weak model.`,
    );
  }
  return paragraphs;
}
