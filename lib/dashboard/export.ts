/**
 * The study's results as one long CSV table (one estimate per row) and as JSON, for the paper's tables and
 * for re-analysis. Every row names its method, level, x and n.
 */
import type { StudyResults } from "@/lib/db/dashboard/results";
import { ADJUST_NAMES, METHOD_NAMES } from "./intervals";
import { methodsParagraphs } from "./methods";
import type { CsvCell } from "@/lib/io/csv";

export const RESULT_COLUMNS = ["instrument", "table", "item", "group", "answer", "x", "n", "estimate", "lower", "upper", "method", "level", "note"] as const;

const round = (value: number | null | undefined, digits = 6): number | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));

/** Rows of the results CSV, in the column order of RESULT_COLUMNS. */
export function resultRows(results: StudyResults): CsvCell[][] {
  const rows: CsvCell[][] = [];
  const survey = results.survey;
  if (survey) {
    const f = survey.funnel;
    for (const [item, value] of [["invited", f.invited], ["started", f.started], ["completed", f.completed], ["declined", f.declined]] as const) {
      rows.push(["survey", "funnel", item, "", "", value, null, null, null, null, "count", null, ""]);
    }
    for (const stop of f.stoppedOn) rows.push(["survey", "drop-off", "stopped on page", "", stop.section ?? "(before the first page)", stop.count, null, null, null, null, "count", null, ""]);
    for (const h of survey.headlines) {
      rows.push(["survey", "headline", h.label, "", `${h.questionId} = ${h.anyOf.join(" or ")}`, h.x, h.n, round(h.estimate), round(h.lower), round(h.upper), h.method, h.level, [h.reference ? `reference ${h.reference.percent}%` : "", h.caveat?.message ?? ""].filter(Boolean).join("; ")]);
    }
    for (const q of survey.questions) {
      for (const o of q.options ?? []) rows.push(["survey", "question", q.question.id, "", o.label, o.x, o.n, round(o.estimate), round(o.lower), round(o.upper), o.method, o.level, o.caveat?.message ?? ""]);
      if (q.numeric) {
        const n = q.numeric;
        rows.push(["survey", "numeric", q.question.id, "", "mean", null, n.n, round(n.mean), round(n.meanInterval?.lower), round(n.meanInterval?.upper), "Student t", results.settings.level, n.unit ?? ""]);
        for (const [name, value] of [["sd", n.sd], ["min", n.min], ["q1", n.q1], ["median", n.median], ["q3", n.q3], ["max", n.max]] as const) {
          rows.push(["survey", "numeric", q.question.id, "", name, null, n.n, round(value), null, null, "", null, n.unit ?? ""]);
        }
        for (const bin of n.histogram) rows.push(["survey", "histogram", q.question.id, "", bin.label, bin.count, n.n, null, null, null, "count", null, ""]);
      }
    }
    const b = survey.breakdown;
    if (b) {
      b.rows.forEach((row) =>
        row.byGroup.forEach((e, index) =>
          rows.push(["survey", `breakdown ${b.targetQuestionId} by ${b.groupQuestionId}`, b.targetQuestionId, b.groups[index]!.label, row.label, e.x, e.n, round(e.estimate), round(e.lower), round(e.upper), e.method, e.level, e.caveat?.message ?? ""]),
        ),
      );
      for (const c of b.comparisons) {
        rows.push([
          "survey",
          `difference ${b.targetQuestionId} by ${b.groupQuestionId}`,
          b.targetQuestionId,
          `${c.groupA} − ${c.groupB}`,
          c.optionLabel,
          null,
          c.a.n + c.b.n,
          round(c.difference),
          round(c.lower),
          round(c.upper),
          b.differenceMethod,
          b.level,
          `p = ${round(c.pValue)}; ${ADJUST_NAMES[b.adjustMethod]}-adjusted p = ${round(c.pAdjusted)} over ${b.family} comparisons`,
        ]);
      }
    }
    const c = survey.correlation;
    if (c && c.result.ok) {
      rows.push(["survey", "correlation", `${c.x.id} × ${c.y.id}`, "", "r", null, c.result.n, round(c.result.r), round(c.result.lower), round(c.result.upper), c.result.method, c.result.level, `p = ${round(c.result.pValue)}`]);
    }
    for (const e of survey.expectations) {
      for (const m of e.measured) {
        rows.push(["survey", "expected vs measured", e.questionId, m.preset, `expected less than the measured ${round(m.diff, 2)} pp`, m.expectedLess.x, m.expectedLess.n, round(m.expectedLess.estimate), round(m.expectedLess.lower), round(m.expectedLess.upper), m.expectedLess.method, m.expectedLess.level, `setting ${e.setting}`]);
      }
    }
  }
  const literature = results.literature;
  if (literature) {
    const { counts } = literature.results;
    rows.push(["literature", "papers", "final codes", "", "agreed + adjudicated of sampled", counts.finalCoded, counts.sampled, null, null, null, "", null, `${counts.agreed} agreed, ${counts.adjudicated} adjudicated, ${counts.pending} pending`]);
    for (const measure of literature.results.measures) {
      for (const s of measure.strata) {
        rows.push(["literature", "measure", measure.label, s.label, "", s.x, s.n, round(s.estimate), s.estimate === null ? null : round(s.lower), s.estimate === null ? null : round(s.upper), s.estimate === null ? "" : s.method, s.estimate === null ? null : s.level, s.estimate === null ? s.reason : ""]);
      }
      const st = measure.stratified;
      if (st && st.estimate !== null) rows.push(["literature", "measure", measure.label, "stratified overall", "", st.x, st.n, round(st.estimate), round(st.lower), round(st.upper), st.method, st.level, st.weightsAreEstimated ? "weights estimated from the sample" : ""]);
      const pooled = measure.pooled;
      if (pooled.estimate !== null) rows.push(["literature", "measure", measure.label, "pooled", "", pooled.x, pooled.n, round(pooled.estimate), round(pooled.lower), round(pooled.upper), pooled.method, pooled.level, ""]);
    }
    for (const q of literature.agreement.main?.questions ?? []) {
      const p = q.percentAgreement;
      if (p.value !== null) rows.push(["literature", "agreement", q.questionId, "main round", "percent agreement", Math.round(p.value * p.n), p.n, round(p.value), p.interval ? round(p.interval.lower) : null, p.interval ? round(p.interval.upper) : null, p.interval?.method ?? "", p.interval?.level ?? null, ""]);
      const k = q.cohenKappa;
      if (k && k.value !== null) rows.push(["literature", "agreement", q.questionId, "main round", "Cohen's kappa", null, k.n, round(k.value), k.interval ? round(k.interval.lower) : null, k.interval ? round(k.interval.upper) : null, k.interval?.method ?? "", k.interval?.level ?? null, k.note ?? ""]);
    }
  }
  for (const e of results.experiments ?? []) {
    if (e.accuracyDiff === null) continue;
    rows.push(["experiments", "accuracy", e.preset, e.setting, "Diff (pp)", null, e.runs, round(e.accuracyDiff, 4), null, null, "max − min, the larger over the best-loss and best-accuracy checkpoints", null, e.reference ? `study: ${e.reference.overallDiff}` : ""]);
    if (e.accuracySd) rows.push(["experiments", "accuracy", e.preset, e.setting, "SD (pp)", null, e.runs, round(e.accuracySd.sd, 4), round(e.accuracySd.lower, 4), round(e.accuracySd.upper, 4), "chi-square interval for the SD", e.accuracySd.level, ""]);
  }
  return rows;
}

/** The JSON export: settings, method names and every result, plus the generated methods paragraph. */
export function resultsJson(results: StudyResults): unknown {
  return {
    study: { slug: results.study.slug, name: results.study.name },
    generatedAt: results.generatedAt.toISOString(),
    settings: { ...results.settings, methodName: METHOD_NAMES[results.settings.method], adjustName: ADJUST_NAMES[results.settings.adjust] },
    survey: results.survey && {
      questionnaire: { slug: results.survey.questionnaire.slug, title: results.survey.questionnaire.title },
      filter: results.survey.filter,
      funnel: results.survey.funnel,
      headlines: results.survey.headlines,
      questions: results.survey.questions.map((q) => ({ id: q.question.id, text: q.question.text, type: q.question.type, answered: q.answered, options: q.options, numeric: q.numeric, textAnswers: q.textCount })),
      breakdown: results.survey.breakdown,
      correlation: results.survey.correlation && { x: results.survey.correlation.x.id, y: results.survey.correlation.y.id, ...results.survey.correlation.result },
      expectations: results.survey.expectations,
    },
    literature: results.literature,
    experiments: results.experiments,
    methods: methodsParagraphs(results),
  };
}
