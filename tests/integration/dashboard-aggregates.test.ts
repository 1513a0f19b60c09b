/**
 * Every dashboard aggregate (computed in SQL) against a brute-force computation over the generated rows,
 * in both database modes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { surveyFilterFrom, surveyFilterParamsSchema, type SurveyFilter } from "@/lib/db/dashboard/filters";
import { choiceCounts, crossTab, pairedMoments, surveyFunnel, textAnswers, listStudyQuestionnaires, valueCountsByQuestion, valueTally } from "@/lib/db/dashboard/survey";
import { histogramFromValueCounts, summarizeValueCounts } from "@/lib/dashboard/value-counts";
import { getLiteratureAgreement, getLiteratureResults } from "@/lib/db/literature-results";
import { getExperimentOverview } from "@/lib/db/experiments";
import { listDashboardStudies } from "@/lib/db/dashboard/studies";
import { loadStudyResults } from "@/lib/db/dashboard/results";
import { createQuestionnaire, generateResponses, insertExperimentSet, insertLiterature, insertResponses, PHAM_901_COUNTS, type SyntheticResponse } from "@/lib/db/seed/synthetic";
import { experimentRows } from "@/lib/dashboard/experiment-results";
import { correlationFromMoments, histogramBins } from "@/lib/dashboard/survey-results";
import { computeLiteratureEstimates, type FinalCode } from "@/lib/coding/results";
import { cohenKappa } from "@/lib/stats/cohen-kappa";
import { pearsonCorrelation } from "@/lib/stats/correlation";
import { mean, quantile, sampleStdDev } from "@/lib/stats/descriptive";
import { proportionCI } from "@/lib/stats/proportion-ci";
import { typedColumns } from "@/lib/db/seed/synthetic";
import { loadPhamHeadlines, createStudyWithCodebook, loadPhamDefinition } from "./dashboard-fixtures";
import { freshDatabase, MODES } from "./database-modes";

const admin: Actor = { id: "admin", role: "ADMIN", canAdjudicate: true };
const annotator: Actor = { id: "ann", role: "ANNOTATOR", canAdjudicate: false };
const definition = loadPhamDefinition();

const columnsOf = (response: SyntheticResponse, questionId: string) => {
  const value = response.answers[questionId];
  return value === undefined ? null : typedColumns(value);
};

describe.each(MODES)("dashboard aggregates (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let responses: SyntheticResponse[];
  let filter: SurveyFilter;
  let studyId: string;
  let papers: Awaited<ReturnType<typeof insertLiterature>>;
  let codebook: Awaited<ReturnType<typeof createStudyWithCodebook>>["codebook"];

  beforeAll(async () => {
    db = await freshDatabase(mode);
    const created = await createStudyWithCodebook(db, "agg");
    studyId = created.study.id;
    codebook = created.codebook;
    const { questionnaireId, versionId } = await createQuestionnaire(db, studyId, definition, "pham-agg", loadPhamHeadlines());
    responses = generateResponses(definition, { count: 901, seed: 7, fixed: PHAM_901_COUNTS, completedShare: 0.9 });
    await insertResponses(db, questionnaireId, versionId, responses);
    filter = surveyFilterFrom(questionnaireId, surveyFilterParamsSchema.parse({}));
    papers = await insertLiterature(db, { studyId, coderIds: created.coderIds, perStratum: { "se-systems": 40, ai: 50 }, populationExtra: { "se-systems": 300, ai: 200 }, seed: 3 });
    await insertExperimentSet(db, { studyId, id: "set-a", preset: "lenet1", setting: "default", accuracies: [0.95, 0.97, 0.9, 0.96], seconds: [10, 12, 11, 15] });
  });
  afterAll(async () => db.drop());

  const completed = () => responses.filter((response) => response.completed);

  it("counts invited, started, completed and drop-off by page like a loop over the rows", async () => {
    const funnel = await surveyFunnel(db, admin, filter);
    expect(funnel.started).toBe(responses.length);
    expect(funnel.completed).toBe(completed().length);
    const stopped = new Map<string | null, number>();
    for (const response of responses.filter((r) => !r.completed)) stopped.set(response.section, (stopped.get(response.section) ?? 0) + 1);
    expect(new Map(funnel.stoppedOn.map((row) => [row.section, row.count]))).toEqual(stopped);
  });

  it("counts every option of every question as a brute-force count does", async () => {
    const counts = await choiceCounts(db, admin, { filter, pointQuestionIds: ["repeat_runs"] });
    for (const question of definition.sections.flatMap((section) => section.questions)) {
      const answered = completed().filter((response) => response.answers[question.id] !== undefined);
      expect(counts.answered.get(question.id) ?? 0, question.id).toBe(answered.length);
      const brute = new Map<string, number>();
      for (const response of answered) {
        const columns = columnsOf(response, question.id)!;
        const ids = question.type === "likert" ? [String(columns.numberValue)] : columns.choiceIds;
        for (const id of ids) brute.set(id, (brute.get(id) ?? 0) + 1);
      }
      expect(counts.chosen.get(question.id) ?? new Map(), question.id).toEqual(brute);
    }
    // The fixed determinism counts hold among completed responses' answers to Q26.
    const q26 = counts.chosen.get("Q26")!;
    const n = counts.answered.get("Q26")!;
    expect((q26.get("yes")! + q26.get("maybe")!) / n).toBeGreaterThan(0.78);
  });

  it("summarises numeric answers and bins them like lib/stats over the raw values", async () => {
    const counts = valueCountsByQuestion((await valueTally(db, admin, { filter, questionIds: ["work_years"] })).rows).get("work_years")!;
    const summary = summarizeValueCounts(counts);
    const values = completed().flatMap((response) => (typeof response.answers.work_years === "number" ? [response.answers.work_years] : []));
    expect(summary.n).toBe(values.length);
    expect(summary.mean).toBeCloseTo(mean(values), 9);
    expect(summary.sd).toBeCloseTo(sampleStdDev(values), 9);
    expect(summary.median).toBeCloseTo(quantile(values, 0.5), 9);
    expect(summary.q1).toBeCloseTo(quantile(values, 0.25), 9);
    expect(summary.q3).toBeCloseTo(quantile(values, 0.75), 9);
    expect(summary.max).toBe(Math.max(...values));
    expect(summary.min).toBe(Math.min(...values));
    const bins = histogramBins(summary.min!, summary.max!, 12);
    const histogram = histogramFromValueCounts(counts, bins);
    const brute = new Array(bins.count).fill(0);
    for (const value of values) brute[Math.min(bins.count - 1, Math.floor((value - bins.lower) / bins.width))] += 1;
    expect(histogram).toEqual(brute);
  });

  it("cross-tabulates, correlates and searches text as the raw rows do", async () => {
    const tab = await crossTab(db, admin, { filter, groupId: "position", targetId: "Q26" });
    for (const group of ["industry", "academia", "other"]) {
      const inGroup = completed().filter((r) => columnsOf(r, "position")?.choiceIds[0] === group && r.answers.Q26 !== undefined);
      expect(tab.groupN.get(group) ?? 0).toBe(inGroup.length);
      expect(tab.counts.get(group)?.get("no") ?? 0).toBe(inGroup.filter((r) => columnsOf(r, "Q26")!.choiceIds[0] === "no").length);
    }
    const scores = { yes: 1, maybe: 2, no: 3 };
    const moments = await pairedMoments(db, admin, { filter, x: { questionId: "Q26", scores }, y: { questionId: "work_years" } });
    const pairs = completed().filter((r) => r.answers.Q26 !== undefined && typeof r.answers.work_years === "number");
    const brute = pearsonCorrelation(
      pairs.map((r) => scores[columnsOf(r, "Q26")!.choiceIds[0] as keyof typeof scores]),
      pairs.map((r) => r.answers.work_years as number),
    );
    const fromSql = correlationFromMoments(moments, 0.95);
    expect(fromSql.ok && fromSql.r).toBeCloseTo(brute.r, 9);
    expect(fromSql.ok && fromSql.lower).toBeCloseTo(brute.lower, 9);
    expect(fromSql.ok && fromSql.pValue).toBeCloseTo(brute.pValue, 9);

    const texts = await textAnswers(db, admin, { filter, questionId: "comments", search: "SEEDS" });
    expect(texts.total).toBe(completed().filter((r) => typeof r.answers.comments === "string" && r.answers.comments.toLowerCase().includes("seeds")).length);
    const others = await textAnswers(db, admin, { filter, questionId: "Q21", otherOnly: true, limit: 200 });
    expect(others.total).toBe(completed().filter((r) => columnsOf(r, "Q21")?.choiceIds[0] === "other").length);
  });

  it("applies the status and date filters", async () => {
    const all = surveyFilterFrom(filter.questionnaireId, surveyFilterParamsSchema.parse({ status: "all", from: "2020-02-05", to: "2020-02-09" }));
    const counts = await choiceCounts(db, admin, { filter: all });
    const inRange = responses.filter((r) => r.startedAt >= new Date("2020-02-05T00:00:00Z") && r.startedAt <= new Date("2020-02-09T23:59:59.999Z"));
    expect(counts.answered.get("position")).toBe(inRange.filter((r) => r.answers.position !== undefined).length);
  });

  it("computes the literature table and agreement from the stored codings exactly as from the generated codes", async () => {
    const results = await getLiteratureResults(db, admin, studyId, { method: "wald", level: 0.95, finitePopulationCorrection: true });
    const brute = computeLiteratureEstimates(
      codebook,
      papers.map((paper, index) => ({ paperKey: String(index), stratumId: paper.stratum, answers: paper.final as FinalCode["answers"] })),
      [
        { stratumId: "se-systems", label: "SE and systems", populationSize: 340 },
        { stratumId: "ai", label: "AI (machine learning and vision)", populationSize: 250 },
      ],
      { method: "wald", level: 0.95, finitePopulationCorrection: true },
    );
    expect(results.measures).toEqual(brute);
    expect(results.counts).toEqual({
      sampled: papers.length,
      agreed: papers.filter((p) => !p.disagree).length,
      adjudicated: papers.filter((p) => p.disagree).length,
      pending: 0,
      finalCoded: papers.length,
    });
    const agreement = await getLiteratureAgreement(db, admin, studyId, { bootstrapResamples: 0 });
    const kappa = cohenKappa({ rater1: papers.map((p) => String(p.coder1.trainsDL)), rater2: papers.map((p) => String(p.coder2.trainsDL)) });
    const row = agreement.main!.questions.find((item) => item.questionId === "trainsDL")!;
    expect(row.percentAgreement.n).toBe(papers.length);
    expect(row.percentAgreement.value).toBeCloseTo(papers.filter((p) => p.coder1.trainsDL === p.coder2.trainsDL).length / papers.length, 12);
    expect(row.cohenKappa?.value).toBeCloseTo(kappa.kappa, 12);
    expect(agreement.main!.papers).toBe(papers.length);
  });

  it("summarises experiment sets as the runner's definitions do", async () => {
    const [row] = experimentRows((await getExperimentOverview(db, admin, { studyId })).sets);
    expect(row!.runs).toBe(4);
    expect(row!.accuracyDiff).toBeCloseTo(7, 9);
    expect(row!.accuracySd!.sd).toBeCloseTo(sampleStdDev([95, 97, 90, 96]), 9);
    expect(row!.timeRelDiff).toBeCloseTo(0.5, 9);
    expect(row!.reference?.overallDiff).toBe(10.8);
  });

  it("assembles the study results with the headline as computed from the rows", async () => {
    const results = await loadStudyResults(db, admin, "agg", { settings: { method: "wilson", level: 0.95, adjust: "holm" }, filterParams: surveyFilterParamsSchema.parse({}) });
    const headline = results.survey!.headlines.find((h) => h.id === "unaware_impl_variance")!;
    const answered = completed().filter((r) => r.answers.Q26 !== undefined);
    const x = answered.filter((r) => ["yes", "maybe"].includes(columnsOf(r, "Q26")!.choiceIds[0]!)).length;
    const ci = proportionCI({ x, n: answered.length, method: "wilson" });
    expect([headline.x, headline.n]).toEqual([x, answered.length]);
    expect(headline.lower).toBeCloseTo(ci.lower, 12);
    expect(results.survey!.breakdown!.comparisons.length).toBeGreaterThan(0);
    expect(results.experiments).toHaveLength(1);
    expect((await listDashboardStudies(db, admin)).find((s) => s.slug === "agg")!.completedResponses).toBe(completed().length);
  });

  it("refuses readers without the permission in the data layer", async () => {
    await expect(choiceCounts(db, annotator, { filter })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(listStudyQuestionnaires(db, annotator, studyId)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getLiteratureResults(db, annotator, studyId, { method: "wilson", level: 0.95, finitePopulationCorrection: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getExperimentOverview(db, annotator, { studyId })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
