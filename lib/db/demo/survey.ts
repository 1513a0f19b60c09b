import path from "node:path";
import type { Database } from "../connection";
import type { DemoContext } from "../demo-seed";
import { readQuestionnaireFile } from "../questionnaires";
import type { Prisma } from "@/lib/generated/prisma/client";

/** The reference questionnaire shipped with the project. */
export const REFERENCE_QUESTIONNAIRE_FILE = path.join(process.cwd(), "data/questionnaires/pham2020.yaml");

/**
 * Demo content of the questionnaire area: the reference study's questionnaire (data/questionnaires/pham2020.yaml),
 * published as version 1 and open, in the demo study. Idempotent: an existing questionnaire with that id is left
 * exactly as it is (an admin may have edited, closed or re-published it).
 */
export async function seedSurveyDemo(db: Database, context: DemoContext): Promise<string[]> {
  const { sourceText, definition } = readQuestionnaireFile(REFERENCE_QUESTIONNAIRE_FILE);
  const existing = await db.prisma.questionnaire.findUnique({ where: { slug: definition.id } });
  if (existing) return [`questionnaire "${definition.id}" already exists (status ${existing.status}); left unchanged. Public link: /s/${definition.id}`];
  await db.prisma.$transaction(async (tx) => {
    const questionnaire = await tx.questionnaire.create({ data: { slug: definition.id, title: definition.title, studyId: context.studyId, status: "OPEN" } });
    const version = await tx.questionnaireVersion.create({
      data: { questionnaireId: questionnaire.id, version: 1, definition: definition as unknown as Prisma.InputJsonValue, sourceText, publishedAt: new Date() },
    });
    await tx.questionnaire.update({ where: { id: questionnaire.id }, data: { currentVersionId: version.id } });
    await tx.auditEntry.create({ data: { actorId: context.adminId, action: "questionnaire.publish", target: definition.id, details: { version: 1, via: "demo seed" } } });
  });
  return [`questionnaire "${definition.id}" published and open: /s/${definition.id} (admin: /admin/questionnaires)`];
}
