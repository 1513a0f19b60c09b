/**
 * Survey aggregates for the dashboard. Every function groups in the database (GROUP BY over the typed answer
 * columns choiceIds / numberValue / textValue) and returns counts, never one row per response, so a page
 * costs the same at 900 and at 10,000 responses. Authorization: surveys.read-results, checked here.
 */
import type { Database } from "@/lib/db/engine/connection";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { questionnaireDefinitionSchema, type QuestionnaireDefinition } from "@/lib/survey/definition";
import { storedHeadlineConfig, type HeadlineConfig } from "@/lib/dashboard/headlines";
import { momentsFromPairCounts, type PairCount, type PairedMoments, type ValueCount } from "@/lib/dashboard/value-counts";
import { responseFilterSql, SqlParams, type SurveyFilter } from "./filters";
import { completedSinceSql, queryTally, type Tally, type TallyShape } from "./tally";

const PERMISSION = "surveys.read-results" as const;

export type DashboardQuestionnaire = {
  id: string;
  slug: string;
  title: string;
  status: string;
  /** The definition used for labels: the filtered version's, else the current one, else the newest. */
  definition: QuestionnaireDefinition;
  definitionVersionId: string;
  versions: Array<{ id: string; version: number; publishedAt: Date | null }>;
  invitationLists: Array<{ id: string; name: string }>;
  declinedCount: number;
  /** The questionnaire's headlines and dashboard defaults (stored with it; empty when none are defined). */
  headlineConfig: HeadlineConfig;
  archived: boolean;
};

/**
 * The questionnaires of a study with the definition to label results by.
 * @param versionId when given, that version's definition is used for labels.
 */
export async function listStudyQuestionnaires(db: Database, actor: Actor, studyId: string, versionId?: string): Promise<DashboardQuestionnaire[]> {
  assertCan(actor, PERMISSION);
  const questionnaires = await db.prisma.questionnaire.findMany({
    where: { studyId },
    // Archived questionnaires stay readable (their results do not vanish) but come after the active ones.
    orderBy: [{ archivedAt: { sort: "asc", nulls: "first" } }, { createdAt: "asc" }],
    select: {
      id: true,
      slug: true,
      title: true,
      status: true,
      declinedCount: true,
      currentVersionId: true,
      headlineConfig: true,
      archivedAt: true,
      versions: { select: { id: true, version: true, publishedAt: true }, orderBy: { version: "asc" } },
      invitationLists: { select: { id: true, name: true }, orderBy: { name: "asc" } },
    },
  });
  const result: DashboardQuestionnaire[] = [];
  for (const questionnaire of questionnaires) {
    const chosen =
      questionnaire.versions.find((version) => version.id === versionId) ??
      questionnaire.versions.find((version) => version.id === questionnaire.currentVersionId) ??
      questionnaire.versions.at(-1);
    if (!chosen) continue;
    const row = await db.prisma.questionnaireVersion.findUniqueOrThrow({ where: { id: chosen.id }, select: { definition: true } });
    const parsed = questionnaireDefinitionSchema.safeParse(row.definition);
    // A stored definition was validated when saved; one that no longer parses is reported, not hidden.
    if (!parsed.success) throw new AppError("CONFLICT", `The stored definition of "${questionnaire.title}" version ${chosen.version} is not valid any more.`);
    result.push({
      id: questionnaire.id,
      slug: questionnaire.slug,
      title: questionnaire.title,
      status: questionnaire.status,
      definition: parsed.data,
      definitionVersionId: chosen.id,
      versions: questionnaire.versions,
      invitationLists: questionnaire.invitationLists,
      declinedCount: questionnaire.declinedCount,
      headlineConfig: storedHeadlineConfig(questionnaire.headlineConfig),
      archived: questionnaire.archivedAt !== null,
    });
  }
  return result;
}

export type SurveyFunnel = {
  /** Invitations created (in the filtered list, or in every list of the questionnaire). */
  invited: number;
  /** Invitations that led to a response. */
  invitedResponded: number;
  started: number;
  completed: number;
  declined: number;
  /** Unfinished responses by the page (section id) they stopped on; null = before the first page. */
  stoppedOn: Array<{ section: string | null; count: number }>;
};

/** Invited, started, completed and drop-off by page, for the filter (its status part is ignored). */
export async function surveyFunnel(db: Database, actor: Actor, filter: SurveyFilter): Promise<SurveyFunnel> {
  assertCan(actor, PERMISSION);
  const params = new SqlParams();
  const where = responseFilterSql(filter, params, "r", { ignoreStatus: true });
  // One pass over the responses: per page stopped on, how many started, completed and are still in progress.
  const rows = await db.sql.query<{ section: string | null; started: number; completed: number; open: number }>(
    `SELECT r."currentSection" AS section, count(*)::int AS started,
            count(*) FILTER (WHERE r."status" = 'COMPLETED')::int AS completed,
            count(*) FILTER (WHERE r."status" = 'IN_PROGRESS')::int AS open
       FROM "Response" r WHERE ${where} GROUP BY 1`,
    params.values,
  );
  const counts = { started: rows.reduce((sum, row) => sum + row.started, 0), completed: rows.reduce((sum, row) => sum + row.completed, 0) };
  const stopped = rows
    .filter((row) => row.open > 0)
    .map((row) => ({ section: row.section, count: row.open }))
    .sort((a, b) => b.count - a.count);
  const invitationParams = new SqlParams();
  const listCondition = filter.invitationListId ? `AND l."id" = ${invitationParams.add(filter.invitationListId)}` : "";
  const questionnaireParam = invitationParams.add(filter.questionnaireId);
  const [invited] = await db.sql.query<{ invited: number; responded: number }>(
    `SELECT count(*)::int AS invited, count(i."responseId")::int AS responded
       FROM "Invitation" i JOIN "InvitationList" l ON l."id" = i."listId"
      WHERE l."questionnaireId" = ${questionnaireParam} ${listCondition}`,
    invitationParams.values,
  );
  const questionnaire = await db.prisma.questionnaire.findUnique({ where: { id: filter.questionnaireId }, select: { declinedCount: true } });
  return {
    invited: invited?.invited ?? 0,
    invitedResponded: invited?.responded ?? 0,
    started: counts.started,
    completed: counts.completed,
    declined: questionnaire?.declinedCount ?? 0,
    stoppedOn: stopped,
  };
}

export type ChoiceCounts = {
  /** Responses that answered each question (the n of its proportions). */
  answered: Map<string, number>;
  /** question id → option id → responses that chose it ("other" included; matrix as "row:column"). */
  chosen: Map<string, Map<string, number>>;
  /** Answers with a text (free text, or the "Other" text of a choice question) per question. */
  texts: Map<string, number>;
};

/** Which answers choiceTally counts: `pointQuestionIds` are likert questions, whose numbers count as options. */
export type ChoiceQuery = { filter: SurveyFilter; pointQuestionIds?: readonly string[]; onlyQuestionIds?: readonly string[] };

/** One group of choiceTally: a question's option (null: answers without options), with its counts. */
export type ChoiceTallyRow = { question: string; choice: string | null; n: number; answers: number; texts: number };
export const CHOICE_TALLY: TallyShape<ChoiceTallyRow> = { keys: ["question", "choice"], counts: ["n", "answers", "texts"] };

/**
 * Answer counts of every question and option, in one GROUP BY query (one pass over the answers). Likert
 * answers are numbers, not option ids: for `pointQuestionIds` the numeric values are counted as options "1", "2", ….
 * @param input.onlyQuestionIds count only these questions (default: every question).
 * @param input.since count only the responses completed after this snapshot (tally.ts).
 */
export async function choiceTally(db: Database, actor: Actor, input: ChoiceQuery & { since?: string }): Promise<Tally<ChoiceTallyRow>> {
  assertCan(actor, PERMISSION);
  const { filter, pointQuestionIds = [], onlyQuestionIds, since } = input;
  const params = new SqlParams();
  // Restricting to a few questions lets the database use the questionId index instead of reading every answer.
  const where = `${responseFilterSql(filter, params)}${onlyQuestionIds ? ` AND a."questionId" = ANY(${params.add(onlyQuestionIds)}::text[])` : ""}${completedSinceSql(since, params)}`;
  // Each answer yields one row per chosen option (ordinality 1, 2, …) or, with no options, one row with a NULL
  // option; so "ordinality 1 or NULL" counts every answer exactly once, and the groups add up to `answered`.
  const first = `(c.ord IS NULL OR c.ord = 1)`;
  return queryTally<ChoiceTallyRow>(
    db,
    `SELECT a."questionId" AS question,
            COALESCE(c.choice, CASE WHEN a."questionId" = ANY(${params.add(pointQuestionIds)}::text[]) THEN a."numberValue"::text END) AS choice,
            count(*)::int AS n,
            count(*) FILTER (WHERE ${first})::int AS answers,
            count(*) FILTER (WHERE ${first} AND a."textValue" IS NOT NULL)::int AS texts
       FROM "Answer" a JOIN "Response" r ON r."id" = a."responseId"
       LEFT JOIN LATERAL unnest(a."choiceIds") WITH ORDINALITY AS c(choice, ord) ON true
      WHERE ${where} GROUP BY 1, 2`,
    params.values,
  );
}

/** The maps of ChoiceCounts from choiceTally's rows. */
export function choiceCountsFrom(rows: readonly ChoiceTallyRow[]): ChoiceCounts {
  const answered = new Map<string, number>();
  const texts = new Map<string, number>();
  const chosen = new Map<string, Map<string, number>>();
  for (const row of rows) {
    answered.set(row.question, (answered.get(row.question) ?? 0) + row.answers);
    if (row.texts > 0) texts.set(row.question, (texts.get(row.question) ?? 0) + row.texts);
    if (row.choice === null) continue;
    if (!chosen.has(row.question)) chosen.set(row.question, new Map());
    chosen.get(row.question)!.set(row.choice, row.n);
  }
  return { answered, chosen, texts };
}

/** choiceTally shaped into maps, uncached. */
export async function choiceCounts(db: Database, actor: Actor, input: ChoiceQuery): Promise<ChoiceCounts> {
  return choiceCountsFrom((await choiceTally(db, actor, input)).rows);
}

/** One group of valueTally: how many answers of a question have this number. */
export type ValueTallyRow = ValueCount & { question: string };
export const VALUE_TALLY: TallyShape<ValueTallyRow> = { keys: ["question", "value"], counts: ["n"] };

/**
 * How often each number was answered, per numeric/likert question: everything a summary (mean, SD, quartiles)
 * and a histogram need, in a form that adds up across responses (lib/dashboard/value-counts.ts shapes it).
 */
export async function valueTally(db: Database, actor: Actor, input: { filter: SurveyFilter; questionIds: readonly string[]; since?: string }): Promise<Tally<ValueTallyRow>> {
  assertCan(actor, PERMISSION);
  const { filter, questionIds, since } = input;
  const params = new SqlParams();
  const where = `${responseFilterSql(filter, params)}${completedSinceSql(since, params)}`;
  return queryTally<ValueTallyRow>(
    db,
    `SELECT a."questionId" AS question, a."numberValue"::float8 AS value, count(*)::int AS n
       FROM "Answer" a JOIN "Response" r ON r."id" = a."responseId"
      WHERE ${where} AND a."numberValue" IS NOT NULL AND a."questionId" = ANY(${params.add(questionIds)}::text[])
      GROUP BY 1, 2`,
    params.values,
  );
}

/** valueTally's rows of each question, sorted by value. */
export function valueCountsByQuestion(rows: readonly ValueTallyRow[]): Map<string, ValueCount[]> {
  const byQuestion = new Map<string, ValueCount[]>();
  for (const row of rows) {
    if (!byQuestion.has(row.question)) byQuestion.set(row.question, []);
    byQuestion.get(row.question)!.push({ value: row.value, n: row.n });
  }
  for (const counts of byQuestion.values()) counts.sort((a, b) => a.value - b.value);
  return byQuestion;
}

/** Whose text answers to read: a question's under a filter, optionally only "Other" texts or those matching a search. */
export type TextAnswerQuery = { filter: SurveyFilter; questionId: string; search?: string; offset?: number; limit?: number; otherOnly?: boolean };

export type TextAnswerPage = { total: number; answers: Array<{ text: string; choice: string | null; at: Date }> };

/**
 * Free-text answers of a question (its text, or the "Other" text of a choice question), newest first,
 * optionally filtered by a case-insensitive search.
 */
export async function textAnswers(db: Database, actor: Actor, options: TextAnswerQuery): Promise<TextAnswerPage> {
  assertCan(actor, PERMISSION);
  const { filter, questionId } = options;
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const offset = Math.max(options.offset ?? 0, 0);
  const params = new SqlParams();
  let where = `${responseFilterSql(filter, params)} AND a."questionId" = ${params.add(questionId)} AND a."textValue" IS NOT NULL`;
  if (options.otherOnly) where += ` AND 'other' = ANY(a."choiceIds")`;
  if (options.search) {
    // The search is a literal substring: escape LIKE's wildcards so "50%" finds "50%".
    const escaped = options.search.replace(/[\\%_]/g, (character) => `\\${character}`);
    where += ` AND a."textValue" ILIKE ${params.add(`%${escaped}%`)}`;
  }
  const [count] = await db.sql.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM "Answer" a JOIN "Response" r ON r."id" = a."responseId" WHERE ${where}`,
    params.values,
  );
  const rows = await db.sql.query<{ text: string; choice: string | null; at: Date | string }>(
    `SELECT a."textValue" AS text, a."choiceIds"[1] AS choice, a."updatedAt" AS at
       FROM "Answer" a JOIN "Response" r ON r."id" = a."responseId"
      WHERE ${where} ORDER BY a."updatedAt" DESC, a."id" LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`,
    params.values,
  );
  return { total: count?.total ?? 0, answers: rows.map((row) => ({ text: row.text, choice: row.choice, at: new Date(row.at) })) };
}

export type CrossTab = {
  /** group option id → responses in the group that answered the target question */
  groupN: Map<string, number>;
  /** group option id → target option id → count */
  counts: Map<string, Map<string, number>>;
};

/** One group of crossTally: a group option and a target option (null: target answers without options). */
export type CrossTallyRow = { grp: string; choice: string | null; n: number; pairs: number };
export const CROSS_TALLY: TallyShape<CrossTallyRow> = { keys: ["grp", "choice"], counts: ["n", "pairs"] };

/** The two questions of a cross-tabulation: the answers of `targetId` by the options chosen for `groupId`. */
export type CrossQuery = { filter: SurveyFilter; groupId: string; targetId: string };

/** Answers of `targetId` counted by the options chosen for `groupId` (responses that answered both). */
export async function crossTally(db: Database, actor: Actor, input: CrossQuery & { since?: string }): Promise<Tally<CrossTallyRow>> {
  assertCan(actor, PERMISSION);
  const { filter, groupId, targetId, since } = input;
  const params = new SqlParams();
  const where = `${responseFilterSql(filter, params)}${completedSinceSql(since, params)}`;
  const groupParam = params.add(groupId);
  const targetParam = params.add(targetId);
  // One pass: each (group option, target answer) pair yields a row per chosen target option (ordinality 1, 2, …)
  // or one row with a NULL option, so "ordinality 1 or NULL" counts each pair once for the group's n.
  return queryTally<CrossTallyRow>(
    db,
    `SELECT g.choice AS grp, t.choice AS choice, count(*)::int AS n, count(*) FILTER (WHERE t.ord IS NULL OR t.ord = 1)::int AS pairs
       FROM "Answer" ga JOIN "Response" r ON r."id" = ga."responseId"
       CROSS JOIN LATERAL unnest(ga."choiceIds") AS g(choice)
       JOIN "Answer" ta ON ta."responseId" = ga."responseId" AND ta."questionId" = ${targetParam}
       LEFT JOIN LATERAL unnest(ta."choiceIds") WITH ORDINALITY AS t(choice, ord) ON true
      WHERE ${where} AND ga."questionId" = ${groupParam} GROUP BY 1, 2`,
    params.values,
  );
}

/** The maps of CrossTab from crossTally's rows. */
export function crossTabFrom(rows: readonly CrossTallyRow[]): CrossTab {
  const groupN = new Map<string, number>();
  for (const row of rows) groupN.set(row.grp, (groupN.get(row.grp) ?? 0) + row.pairs);
  const counts = new Map<string, Map<string, number>>();
  for (const row of rows) {
    if (row.choice === null) continue;
    if (!counts.has(row.grp)) counts.set(row.grp, new Map());
    counts.get(row.grp)!.set(row.choice, row.n);
  }
  return { groupN, counts };
}

/** crossTally shaped into maps, uncached. */
export async function crossTab(db: Database, actor: Actor, input: CrossQuery): Promise<CrossTab> {
  return crossTabFrom((await crossTally(db, actor, input)).rows);
}

export type PairedAnswer = { questionId: string; scores?: Record<string, number> };
/** The two answers of a correlation, per response that gave both. */
export type PairQuery = { filter: SurveyFilter; x: PairedAnswer; y: PairedAnswer };

/** One group of pairTally: how many responses answered x and y with these two values. */
export type PairTallyRow = PairCount;
export const PAIR_TALLY: TallyShape<PairTallyRow> = { keys: ["x", "y"], counts: ["n"] };

/**
 * How often each pair of values of two answers occurs (numeric/likert values, or ordinal scores of single-choice
 * options), per response that answered both: enough for a Pearson correlation without reading the pairs one by one.
 * `x.scores`/`y.scores`: option id → score, for single-choice questions.
 */
export async function pairTally(db: Database, actor: Actor, input: PairQuery & { since?: string }): Promise<Tally<PairTallyRow>> {
  assertCan(actor, PERMISSION);
  const { filter, x, y, since } = input;
  const params = new SqlParams();
  const where = `${responseFilterSql(filter, params)}${completedSinceSql(since, params)}`;
  const valueOf = (alias: string, scores?: Record<string, number>) => {
    if (!scores) return `${alias}."numberValue"`;
    const entries = Object.entries(scores);
    const ids = params.add(entries.map(([id]) => id));
    const values = params.add(entries.map(([, score]) => score));
    // array_position finds the option's index in the id list; the score array gives its value.
    return `COALESCE(${alias}."numberValue", (${values}::float8[])[array_position(${ids}::text[], ${alias}."choiceIds"[1])])`;
  };
  const xValue = valueOf("xa", x.scores);
  const yValue = valueOf("ya", y.scores);
  return queryTally<PairTallyRow>(
    db,
    `SELECT xv::float8 AS x, yv::float8 AS y, count(*)::int AS n FROM (
       SELECT ${xValue} AS xv, ${yValue} AS yv
         FROM "Answer" xa JOIN "Response" r ON r."id" = xa."responseId"
         JOIN "Answer" ya ON ya."responseId" = xa."responseId" AND ya."questionId" = ${params.add(y.questionId)}
        WHERE ${where} AND xa."questionId" = ${params.add(x.questionId)}) pairs
      WHERE xv IS NOT NULL AND yv IS NOT NULL GROUP BY 1, 2`,
    params.values,
  );
}

/** Sums of squares and cross-products of two answers (pairTally shaped), uncached. */
export async function pairedMoments(db: Database, actor: Actor, input: PairQuery): Promise<PairedMoments> {
  return momentsFromPairCounts((await pairTally(db, actor, input)).rows);
}
