/**
 * Assembles the dashboard's results for a study from the aggregate queries and the pure shaping in
 * lib/dashboard. Pages, exports and the printable report all read these functions, so every view shows
 * the same numbers.
 */
import type { Database } from "@/lib/db/engine/connection";
import { assertCan, can, type Actor } from "@/lib/auth/permissions";
import { listQuestions, type Question } from "@/lib/survey/definition";
import type { HeadlineConfig } from "@/lib/dashboard/headlines";
import { AppError } from "@/lib/errors";
import type { IntervalSettings } from "@/lib/dashboard/intervals";
import {
  buildBreakdown,
  correlationFromMoments,
  headlineResults,
  histogramBins,
  histogramLabels,
  isOptionQuestion,
  meanInterval,
  optionRows,
  type Breakdown,
  type CorrelationResult,
  type HeadlineResult,
  type OptionRow,
} from "@/lib/dashboard/survey-results";
import { experimentRows, type ExperimentRow } from "@/lib/dashboard/experiment-results";
import { getExperimentOverview } from "@/lib/db/experiments";
import { buildExpectationComparisons, type ExpectationComparison } from "@/lib/dashboard/expectations";
import { getLiteratureAgreement, getLiteratureResults, type LiteratureAgreement, type LiteratureResults } from "@/lib/db/literature-results";
import { findDashboardStudy, type DashboardStudy } from "./studies";
import { surveyFilterFrom, type SurveyFilter, type SurveyFilterParams } from "./filters";
import {
  CHOICE_TALLY,
  choiceCountsFrom,
  choiceTally,
  CROSS_TALLY,
  crossTabFrom,
  crossTally,
  listStudyQuestionnaires,
  PAIR_TALLY,
  pairTally,
  surveyFunnel,
  VALUE_TALLY,
  valueCountsByQuestion,
  valueTally,
  type ChoiceCounts,
  type ChoiceQuery,
  type CrossQuery,
  type CrossTab,
  type DashboardQuestionnaire,
  type SurveyFunnel,
} from "./survey";
import { cachedTally } from "./tally";
import { histogramFromValueCounts, momentsFromPairCounts, summarizeValueCounts, type ValueCount } from "@/lib/dashboard/value-counts";
import { cacheKey, cachedAggregate, dataVersion, surveyVersionFor, type DataVersion } from "./cache";

export type NumericResult = {
  n: number;
  mean: number | null;
  sd: number | null;
  meanInterval: { lower: number; upper: number } | null;
  min: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  max: number | null;
  histogram: Array<{ label: string; count: number }>;
  unit?: string;
};

export type QuestionResult = {
  question: Question;
  section: string;
  answered: number;
  options: OptionRow[] | null;
  numeric: NumericResult | null;
  /** Text answers (free text, or "Other" text of a choice question): browse them on the question page. */
  textCount: number;
};

export type SurveyResults = {
  questionnaire: DashboardQuestionnaire;
  filter: SurveyFilter;
  funnel: SurveyFunnel;
  headlines: HeadlineResult[];
  questions: QuestionResult[];
  expectations: ExpectationComparison[];
  correlation: { x: Question; y: Question; result: CorrelationResult } | null;
  breakdown: Breakdown | null;
  config: HeadlineConfig;
};

/** The literature survey as the overview, the report and the exports show it (lib/db/literature-results.ts). */
export type StudyLiterature = { results: LiteratureResults; agreement: LiteratureAgreement };

export type StudyResults = {
  study: DashboardStudy;
  settings: IntervalSettings;
  questionnaires: DashboardQuestionnaire[];
  survey: SurveyResults | null;
  literature: StudyLiterature | null;
  /** Why the literature results are missing, when they are. */
  literatureNote: string | null;
  experiments: ExperimentRow[] | null;
  generatedAt: Date;
};

const NUMERIC_TYPES = new Set(["numeric"]);

/**
 * Survey results of one questionnaire under a filter, without the funnel (the part that completed-only filters
 * can cache across page saves): headlines, every question's distribution and numeric summary, the expectation
 * comparison and the configured default correlation and breakdown.
 * @param input.scope "overview": only the headline, expectation and breakdown questions.
 */
async function loadSurveyAggregates(
  db: Database,
  actor: Actor,
  input: {
    version: DataVersion;
    questionnaire: DashboardQuestionnaire;
    filterParams: SurveyFilterParams;
    settings: IntervalSettings;
    experiments: readonly ExperimentRow[];
    scope: "all" | "overview";
  },
): Promise<Omit<SurveyResults, "funnel">> {
  const { version, questionnaire, filterParams, settings, experiments, scope } = input;
  const filter = surveyFilterFrom(questionnaire.id, filterParams);
  const definition = questionnaire.definition;
  const config = questionnaire.headlineConfig;
  const questions = listQuestions(definition);
  const byId = new Map(questions.map((question) => [question.id, question]));
  const sectionOf = new Map(definition.sections.flatMap((section) => section.questions.map((question) => [question.id, section.title])));
  // The overview needs only the headline, expectation and breakdown questions; every other count is left to
  // the survey page, so the overview reads a few questions' answers through the questionId index.
  const overviewIds =
    scope === "overview"
      ? [...new Set([...config.headlines.map((h) => h.question), ...config.expectations.map((e) => e.question), ...(config.defaultBreakdown ? [config.defaultBreakdown] : [])])]
      : undefined;
  const shown = overviewIds ? [] : questions;
  const likertIds = shown.filter((question) => question.type === "likert").map((question) => question.id);
  const numericIds = shown.filter((question) => NUMERIC_TYPES.has(question.type)).map((question) => question.id);

  const correlationX = config.defaultCorrelation ? byId.get(config.defaultCorrelation.x) : undefined;
  const correlationY = config.defaultCorrelation ? byId.get(config.defaultCorrelation.y) : undefined;
  const groupQuestion = config.defaultBreakdown ? byId.get(config.defaultBreakdown) : undefined;
  const headlineQuestion = config.headlines[0] ? byId.get(config.headlines[0].question) : undefined;
  // Independent queries start together: in server mode they run on separate pool connections at the same time
  // (embedded PGlite runs them one after another, as before). Each is a cached tally (tally.ts): after a response
  // completes, only that response's answers are counted.
  const [counts, valueCounts, correlationResult, cross] = await Promise.all([
    cachedChoiceCounts(db, actor, { version, filter, pointQuestionIds: likertIds, onlyQuestionIds: overviewIds }),
    numericIds.length + likertIds.length === 0
      ? new Map<string, ValueCount[]>()
      : cachedTally(db, { version, filter, key: ["values", numericIds, likertIds], shape: VALUE_TALLY }, (since) =>
          valueTally(db, actor, { filter, questionIds: [...numericIds, ...likertIds], since }),
        ).then(valueCountsByQuestion),
    correlationX && correlationY ? correlate(db, actor, { version, filter, config, x: correlationX, y: correlationY, level: settings.level }) : null,
    groupQuestion && headlineQuestion ? cachedCrossTab(db, actor, { version, filter, groupId: groupQuestion.id, targetId: headlineQuestion.id }) : null,
  ]);
  const textCounts = counts.texts;

  const results: QuestionResult[] = [];
  for (const question of shown) {
    const answered = counts.answered.get(question.id) ?? 0;
    let options: OptionRow[] | null = null;
    let numeric: NumericResult | null = null;
    if (isOptionQuestion(question) || question.type === "likert") {
      options = optionRows(question, { answered, chosen: counts.chosen.get(question.id) }, settings);
    }
    const values = valueCounts.get(question.id);
    if (values && (question.type === "numeric" || question.type === "likert")) {
      const summary = summarizeValueCounts(values);
      numeric = {
        ...summary,
        meanInterval: summary.mean !== null && summary.sd !== null ? meanInterval(summary.mean, summary.sd, summary.n, settings.level) : null,
        histogram: question.type === "numeric" ? numericHistogram(values, question.integer) : [],
        unit: question.type === "numeric" ? question.unit : undefined,
      };
    }
    results.push({ question, section: sectionOf.get(question.id) ?? "", answered, options, numeric, textCount: textCounts.get(question.id) ?? 0 });
  }

  const correlation: SurveyResults["correlation"] = correlationX && correlationY && correlationResult ? { x: correlationX, y: correlationY, result: correlationResult } : null;
  const breakdown: Breakdown | null = groupQuestion && headlineQuestion && cross ? buildBreakdown(groupQuestion, headlineQuestion, cross, settings) : null;

  return {
    questionnaire,
    filter,
    headlines: headlineResults(definition, config, counts, settings),
    questions: results,
    expectations: buildExpectationComparisons({ config, questions: byId, counts, experiments, settings }),
    correlation,
    breakdown,
    config,
  };
}

/** Histogram of a numeric question's answers over about 12 bins that follow its range. */
function numericHistogram(values: readonly ValueCount[], integer: boolean | undefined): NumericResult["histogram"] {
  if (values.length === 0) return [];
  const bins = histogramBins(values[0]!.value, values.at(-1)!.value, 12, integer);
  const labels = histogramLabels(bins);
  return histogramFromValueCounts(values, bins).map((count, index) => ({ label: labels[index]!, count }));
}

/** Answer counts of every question and option (choiceTally's query), from a cached tally. */
export async function cachedChoiceCounts(db: Database, actor: Actor, input: ChoiceQuery & { version: DataVersion }): Promise<ChoiceCounts> {
  const { version, filter, pointQuestionIds = [], onlyQuestionIds } = input;
  const key = ["choices", pointQuestionIds, onlyQuestionIds];
  return choiceCountsFrom(await cachedTally(db, { version, filter, key, shape: CHOICE_TALLY }, (since) => choiceTally(db, actor, { filter, pointQuestionIds, onlyQuestionIds, since })));
}

/** Answers of `targetId` by the options of `groupId`, from a cached tally. */
export async function cachedCrossTab(db: Database, actor: Actor, input: CrossQuery & { version: DataVersion }): Promise<CrossTab> {
  const { version, filter, groupId, targetId } = input;
  return crossTabFrom(await cachedTally(db, { version, filter, key: ["cross", groupId, targetId], shape: CROSS_TALLY }, (since) => crossTally(db, actor, { filter, groupId, targetId, since })));
}

/** Pearson correlation of two answers (numeric/likert values or configured ordinal scores), from a cached tally. */
export async function correlate(
  db: Database,
  actor: Actor,
  input: { version: DataVersion; filter: SurveyFilter; config: HeadlineConfig; x: Question; y: Question; level: number },
): Promise<CorrelationResult> {
  const { version, filter, config, x, y, level } = input;
  const scored = (question: Question) => {
    if (question.type === "numeric" || question.type === "likert") return { ok: true as const, spec: { questionId: question.id } };
    const scores = config.ordinalScores[question.id];
    if (scores) return { ok: true as const, spec: { questionId: question.id, scores } };
    return { ok: false as const };
  };
  const sx = scored(x);
  const sy = scored(y);
  if (!sx.ok || !sy.ok) {
    return { ok: false, n: 0, reason: `${!sx.ok ? x.id : y.id} is neither numeric nor an ordinal question with scores in the headlines file` };
  }
  const pairs = await cachedTally(db, { version, filter, key: ["pairs", sx.spec, sy.spec], shape: PAIR_TALLY }, (since) => pairTally(db, actor, { filter, x: sx.spec, y: sy.spec, since }));
  return correlationFromMoments(momentsFromPairCounts(pairs), level);
}

/**
 * The questionnaire a dashboard page shows: the one named in the URL, else the study's first (active) one.
 * @throws AppError NOT_FOUND when the URL names a questionnaire that is not in this study — never another's data.
 */
export function chooseQuestionnaire<Q extends { slug: string }>(questionnaires: readonly Q[], slug: string | undefined): Q | undefined {
  if (slug === undefined || slug === "") return questionnaires[0];
  const found = questionnaires.find((item) => item.slug === slug);
  if (!found) throw new AppError("NOT_FOUND", `This study has no questionnaire "${slug}".`);
  return found;
}

/**
 * Everything the overview, the report and the exports show for a study: the first questionnaire's survey
 * results (or the chosen one's), the literature table and the experiment tables. Parts the actor may not
 * read are left out (null) rather than failing the page.
 */
export async function loadStudyResults(
  db: Database,
  actor: Actor,
  slug: string,
  options: {
    settings: IntervalSettings;
    filterParams: SurveyFilterParams;
    questionnaireSlug?: string;
    finitePopulationCorrection?: boolean;
    /** "overview": headlines, funnel, breakdown and correlation only (no per-question results). */
    scope?: "all" | "overview";
  },
): Promise<StudyResults> {
  // Permissions are checked here, before any cached value is handed out (cached parts skip the inner checks).
  assertCan(actor, "surveys.read-results");
  // Read before any aggregate (see cache.ts): a write committed after this is seen now or by the next view.
  const version = await dataVersion(db);
  const study = await cachedAggregate(db, cacheKey("study", slug), version.all, () => findDashboardStudy(db, actor, slug));
  const { settings } = options;
  const readsExperiments = can(actor, "experiments.read");
  // The Table-2 figures as the Experiments area computes them (the runner's analysis), one source for both views.
  const experiments = readsExperiments
    ? await cachedAggregate(db, cacheKey("experiments", study.id), version.experiments, async () => experimentRows((await getExperimentOverview(db, actor, { studyId: study.id })).sets))
    : null;
  const questionnaires = await cachedAggregate(db, cacheKey("questionnaires", study.id, options.filterParams.version), version.surveyCompleted, () =>
    listStudyQuestionnaires(db, actor, study.id, options.filterParams.version),
  );
  const questionnaire = chooseQuestionnaire(questionnaires, options.questionnaireSlug);
  const filterParams = questionnaire && options.filterParams.version && !questionnaire.versions.some((v) => v.id === options.filterParams.version)
    ? { ...options.filterParams, version: undefined }
    : options.filterParams;
  // The expectation comparison reads the experiment rows, so the survey part also depends on their version
  // and on whether this actor may see them.
  let survey: SurveyResults | null = null;
  if (questionnaire) {
    const filter = surveyFilterFrom(questionnaire.id, filterParams);
    // The funnel counts unfinished responses too, so it follows every page save; the rest follows the filter.
    const funnel = await cachedAggregate(db, cacheKey("funnel", filter), version.survey, () => surveyFunnel(db, actor, filter));
    const aggregates = await cachedAggregate(
      db,
      cacheKey("survey", questionnaire.id, questionnaire.definitionVersionId, filterParams, settings, options.scope ?? "all", readsExperiments),
      `${surveyVersionFor(version, filter)}/${readsExperiments ? version.experiments : ""}`,
      () => loadSurveyAggregates(db, actor, { version, questionnaire, filterParams, settings, experiments: experiments ?? [], scope: options.scope ?? "all" }),
    );
    survey = { ...aggregates, funnel };
  }

  let literature: StudyLiterature | null = null;
  let literatureNote: string | null = null;
  if (!can(actor, "coding.read-all")) literatureNote = "You do not have permission to read the literature survey's results.";
  else {
    literature = await cachedAggregate(
      db,
      cacheKey("literature", study.id, settings.method, settings.level, options.finitePopulationCorrection ?? false),
      version.literature,
      () => loadStudyLiterature(db, actor, study.id, { method: settings.method, level: settings.level, finitePopulationCorrection: options.finitePopulationCorrection ?? false }),
    );
    if (!literature) literatureNote = "No papers have been imported into the study's population yet.";
  }
  return { study, settings, questionnaires, survey, literature, literatureNote, experiments, generatedAt: new Date() };
}

/**
 * The study's literature results and agreement from the one source (lib/db/literature-results.ts), or null
 * for a study without a population (nothing to show, and no codebook is attached just for reading).
 * Agreement here leaves out alpha's bootstrap interval: the overview shows percent agreement and kappa.
 */
async function loadStudyLiterature(
  db: Database,
  actor: Actor,
  studyId: string,
  settings: { method: IntervalSettings["method"]; level: number; finitePopulationCorrection: boolean },
): Promise<StudyLiterature | null> {
  if ((await db.prisma.paper.count({ where: { studyId } })) === 0) return null;
  const [results, agreement] = [await getLiteratureResults(db, actor, studyId, settings), await getLiteratureAgreement(db, actor, studyId, { bootstrapResamples: 0, level: settings.level })];
  return { results, agreement };
}
