import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Database } from "../engine/connection";
import type { DemoContext } from "./context";
import { readQuestionnaireFile } from "../questionnaires";
import { generateResponses, insertResponses, PHAM_901_COUNTS } from "./synthetic";
import type { QuestionnaireDefinition } from "@/lib/survey/definition";
import { parseHeadlineConfig, type HeadlineConfig } from "@/lib/dashboard/headlines";
import type { Prisma } from "@/lib/generated/prisma/client";

/** The reference questionnaire shipped with the project. */
export const REFERENCE_QUESTIONNAIRE_FILE = path.join(process.cwd(), "data/questionnaires/pham2020.yaml");

/** The reference study's headline proportions, which become the demo questionnaire's stored headlines. */
export const REFERENCE_HEADLINES_FILE = path.join(process.cwd(), "data/questionnaires/pham2020-headlines.yaml");

/** Reads a headlines YAML file (seed and scripts only: the dashboard reads headlines from the database). */
export function readHeadlinesFile(filePath: string): HeadlineConfig {
  return parseHeadlineConfig(fs.readFileSync(filePath, "utf8"), path.basename(filePath));
}

/** How the demo's synthetic responses are labelled: the import they belong to. */
export const DEMO_RESPONSES_FORMAT = "synthetic";
export const DEMO_RESPONSES_LABEL = "Demo seed: synthetic responses (Q20/Q26 follow the reference study's 901 answers; not real data)";
/** Unfinished synthetic responses beside the 901 completed ones, so the drop-off by page has something to show. */
const DEMO_UNFINISHED = 120;

/**
 * Demo content of the questionnaire area: the reference study's questionnaire (data/questionnaires/pham2020.yaml),
 * published as version 1 and open, in the demo study; with `context.demoResponses`, also 901 completed and a
 * few unfinished synthetic responses in one labelled import, so the dashboard has results to show. Idempotent:
 * an existing questionnaire with that id is left exactly as it is (an admin may have edited, closed or
 * re-published it), and the synthetic responses are added once.
 */
export async function seedSurveyDemo(db: Database, context: DemoContext): Promise<string[]> {
  const { sourceText, definition } = readQuestionnaireFile(REFERENCE_QUESTIONNAIRE_FILE);
  const headlines = readHeadlinesFile(REFERENCE_HEADLINES_FILE) as unknown as Prisma.InputJsonValue;
  const report: string[] = [];
  let questionnaire = await db.prisma.questionnaire.findUnique({ where: { slug: definition.id }, select: { id: true, status: true, currentVersionId: true, headlineConfig: true } });
  if (questionnaire) {
    report.push(`questionnaire "${definition.id}" already exists (status ${questionnaire.status}); left unchanged. Public link: /s/${definition.id}`);
    // Databases seeded before headlines moved into the database get the reference headlines once; headlines an
    // admin has defined (or cleared to an empty list) are never overwritten.
    if (questionnaire.headlineConfig === null) {
      await db.prisma.questionnaire.update({ where: { id: questionnaire.id }, data: { headlineConfig: headlines } });
      report.push(`questionnaire "${definition.id}": stored the reference study's headline proportions`);
    }
  } else {
    questionnaire = await db.prisma.$transaction(async (tx) => {
      const created = await tx.questionnaire.create({ data: { slug: definition.id, title: definition.title, studyId: context.studyId, status: "OPEN", headlineConfig: headlines } });
      const version = await tx.questionnaireVersion.create({
        data: { questionnaireId: created.id, version: 1, definition: definition as unknown as Prisma.InputJsonValue, sourceText, publishedAt: new Date() },
      });
      await tx.auditEntry.create({ data: { actorId: context.adminId, action: "questionnaire.publish", target: definition.id, details: { version: 1, via: "demo seed" } } });
      return tx.questionnaire.update({ where: { id: created.id }, data: { currentVersionId: version.id }, select: { id: true, status: true, currentVersionId: true, headlineConfig: true } });
    });
    report.push(`questionnaire "${definition.id}" published and open: /s/${definition.id} (admin: /admin/questionnaires)`);
  }
  if (context.demoResponses && questionnaire.currentVersionId) {
    report.push(await seedDemoResponses(db, context, questionnaire.id, questionnaire.currentVersionId));
  }
  return report;
}

async function seedDemoResponses(db: Database, context: DemoContext, questionnaireId: string, versionId: string): Promise<string> {
  const existing = await db.prisma.responseImport.findFirst({ where: { questionnaireId, format: DEMO_RESPONSES_FORMAT } });
  if (existing) return `synthetic demo responses already present (${existing.rowCount}).`;
  const version = await db.prisma.questionnaireVersion.findUniqueOrThrow({ where: { id: versionId }, select: { definition: true } });
  const definition = version.definition as unknown as QuestionnaireDefinition;
  const completed = generateResponses(definition, { count: 901, seed: 901, fixed: PHAM_901_COUNTS });
  const unfinished = generateResponses(definition, { count: DEMO_UNFINISHED, seed: 902, completedShare: 0 });
  const responses = [...completed, ...unfinished];
  // One transaction, so an interrupted seed leaves no import without its responses and the next seed adds them.
  await db.sql.transaction(async (sql) => {
    const importId = randomUUID();
    await sql.query(`INSERT INTO "ResponseImport" ("id", "questionnaireId", "fileName", "format", "rowCount", "createdById") VALUES ($1, $2, $3, $4, $5, $6)`, [
      importId,
      questionnaireId,
      DEMO_RESPONSES_LABEL,
      DEMO_RESPONSES_FORMAT,
      responses.length,
      context.adminId,
    ]);
    await insertResponses({ ...db, sql }, questionnaireId, versionId, responses, importId);
  });
  return `${completed.length} completed and ${unfinished.length} unfinished synthetic responses added to the reference questionnaire (labelled "${DEMO_RESPONSES_LABEL}"), so the dashboard has results to show.`;
}
