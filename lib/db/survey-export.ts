/**
 * Export of a questionnaire's responses (web and imported) as CSV with a codebook, or as JSON records, shaped
 * by lib/survey/export.ts against the published version's definition. Partial responses only on request.
 * Small exports read all records at once (exportResponseRecords); the background export reads the same records
 * in the same order a batch at a time (listExportBatch, lib/jobs/response-export-job.ts).
 */
import { storedHeadlineConfig, type HeadlineConfig } from "@/lib/dashboard/headlines";
import type { Database } from "./engine/connection";
import { definitionOfVersion } from "./questionnaires";
import { pageProgress } from "@/lib/survey/flow";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { AnswerValue, Answers } from "@/lib/survey/answer-types";
import { presentationOrderSchema } from "@/lib/survey/randomize";
import type { SurveyResponseRecord } from "@/lib/survey/response-record";
import { listQuestions, type QuestionnaireDefinition } from "@/lib/survey/definition";

export type ResponseExport = { slug: string; version: number; definition: QuestionnaireDefinition; records: SurveyResponseRecord[]   /** The questionnaire's headline proportions, exported with it so an import on another instance keeps them. */
  headlineConfig: HeadlineConfig;
};

/**
 * The responses of a questionnaire as portable records (see lib/survey/response-record.ts), oldest first.
 * Columns follow the published version; answers to questions it no longer has are left out.
 */
export async function exportResponseRecords(db: Database, actor: Actor, input: { questionnaireId: string; includePartial: boolean }): Promise<ResponseExport> {
  const { questionnaire, version, definition } = await exportedDefinition(db, actor, input);
  const responses = await db.prisma.response.findMany({
    where: exportedResponsesWhere(questionnaire.id, input.includePartial),
    orderBy: EXPORT_ORDER,
    include: EXPORTED_ANSWERS,
  });
  const records = responses.map((response) => responseRecordOf(definition, response));
  return { slug: questionnaire.slug, version: version.version, definition, records, headlineConfig: storedHeadlineConfig(questionnaire.headlineConfig) };
}

/** The export's order; a background export pages through it with a keyset on the same two columns. */
const EXPORT_ORDER = [{ startedAt: "asc" as const }, { id: "asc" as const }];
const EXPORTED_ANSWERS = { answers: { select: { questionId: true, value: true } } };
const exportedResponsesWhere = (questionnaireId: string, includePartial: boolean) => ({ questionnaireId, ...(includePartial ? {} : { status: "COMPLETED" as const }) });

type ExportedResponse = {
  id: string;
  externalId: string | null;
  status: string;
  currentSection: string | null;
  presentation: unknown;
  startedAt: Date;
  completedAt: Date | null;
  answers: Array<{ questionId: string; value: unknown }>;
};

const questionPositions = new WeakMap<QuestionnaireDefinition, Map<string, number>>();

/**
 * A response's answers in the questionnaire's order (answers to questions it no longer has last, by id), so its
 * JSON is the same however the database returns the rows: a batch of a background export and the whole export
 * may be read with different plans, and the rows of a changed answer move.
 */
function inQuestionOrder(definition: QuestionnaireDefinition, answers: ExportedResponse["answers"]) {
  let positions = questionPositions.get(definition);
  if (!positions) {
    positions = new Map(listQuestions(definition).map((question, index) => [question.id, index]));
    questionPositions.set(definition, positions);
  }
  const at = (questionId: string) => positions.get(questionId) ?? Number.MAX_SAFE_INTEGER;
  return [...answers].sort((a, b) => at(a.questionId) - at(b.questionId) || (a.questionId < b.questionId ? -1 : a.questionId > b.questionId ? 1 : 0));
}

function responseRecordOf(definition: QuestionnaireDefinition, response: ExportedResponse): SurveyResponseRecord {
  const answers: Answers = {};
  for (const answer of inQuestionOrder(definition, response.answers)) answers[answer.questionId] = answer.value as AnswerValue;
  const order = presentationOrderSchema.safeParse(response.presentation);
  const complete = response.status === "COMPLETED";
  return {
    responseId: response.externalId ?? response.id,
    status: complete ? "complete" : "partial",
    progress: complete ? 100 : pageProgress(definition, answers, response.currentSection).percent,
    startedAt: response.startedAt.toISOString(),
    submittedAt: response.completedAt?.toISOString(),
    answers,
    presentationOrder: order.success ? order.data : undefined,
  };
}

/** How many responses an export holds (completed only, or all). */
export async function countExportedResponses(db: Database, actor: Actor, input: { questionnaireId: string; includePartial: boolean }): Promise<number> {
  assertCan(actor, "surveys.read-results");
  return db.prisma.response.count({ where: exportedResponsesWhere(input.questionnaireId, input.includePartial) });
}

/** Where a batch ended: the next batch starts after this response in the export's order. */
export type ExportCursor = { startedAt: Date; id: string };

/**
 * The next batch of an export's records, in the order of exportResponseRecords, after `after` (null: from the
 * first). Two short queries: the batch's ids by keyset on (startedAt, id), which the index
 * Response(questionnaireId, startedAt, id) answers without sorting the questionnaire's responses, then those
 * responses with their answers. A system function for the export job, which checked the permission when the
 * export was asked for (lib/jobs/response-export-job.ts).
 */
export async function listExportBatch(
  db: Database,
  definition: QuestionnaireDefinition,
  input: { questionnaireId: string; includePartial: boolean; after: ExportCursor | null; limit: number },
): Promise<{ records: SurveyResponseRecord[]; last: ExportCursor | null }> {
  const params: unknown[] = [input.questionnaireId, input.limit];
  const conditions = [`"questionnaireId" = $1`];
  if (!input.includePartial) conditions.push(`status = 'COMPLETED'`);
  if (input.after) {
    params.push(input.after.startedAt.toISOString(), input.after.id);
    conditions.push(`("startedAt", id) > ($3::timestamp, $4)`);
  }
  const page = await db.sql.query<{ id: string }>(`SELECT id FROM "Response" WHERE ${conditions.join(" AND ")} ORDER BY "startedAt", id LIMIT $2`, params);
  if (page.length === 0) return { records: [], last: null };
  const responses = await db.prisma.response.findMany({ where: { id: { in: page.map((row) => row.id) } }, orderBy: EXPORT_ORDER, include: EXPORTED_ANSWERS });
  const last = responses.at(-1);
  return { records: responses.map((response) => responseRecordOf(definition, response)), last: last ? { startedAt: last.startedAt, id: last.id } : null };
}

/**
 * The questionnaire and version an export describes, without any response: the codebook needs only this, and
 * loading 167k responses for a 129-row codebook blocked the embedded database for a minute.
 */
export async function exportedDefinition(db: Database, actor: Actor, input: { questionnaireId: string }) {
  assertCan(actor, "surveys.read-results");
  const questionnaire = await db.prisma.questionnaire.findUnique({ where: { id: input.questionnaireId }, include: { currentVersion: true } });
  if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
  const version = questionnaire.currentVersion ?? (await db.prisma.questionnaireVersion.findFirst({ where: { questionnaireId: questionnaire.id }, orderBy: { version: "desc" } }));
  if (!version) throw new AppError("NOT_FOUND", "That questionnaire has no version.");
  return { questionnaire, version, definition: definitionOfVersion(version) };
}
