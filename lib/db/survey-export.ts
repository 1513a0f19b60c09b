/**
 * Export of a questionnaire's responses (web and imported) as CSV with a codebook, or as JSON records, shaped
 * by lib/survey/export.ts against the published version's definition. Partial responses only on request.
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
import type { QuestionnaireDefinition } from "@/lib/survey/definition";

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
    where: { questionnaireId: questionnaire.id, ...(input.includePartial ? {} : { status: "COMPLETED" }) },
    orderBy: [{ startedAt: "asc" }, { id: "asc" }],
    include: { answers: { select: { questionId: true, value: true } } },
  });
  const records = responses.map((response): SurveyResponseRecord => {
    const answers: Answers = {};
    for (const answer of response.answers) answers[answer.questionId] = answer.value as AnswerValue;
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
  });
  return { slug: questionnaire.slug, version: version.version, definition, records, headlineConfig: storedHeadlineConfig(questionnaire.headlineConfig) };
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
