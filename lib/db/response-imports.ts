/**
 * Import of responses collected elsewhere (a Qualtrics export or a plain CSV, see lib/io/response-import.ts)
 * into a questionnaire. All or nothing: the file is checked completely first (every cell, plus response ids
 * already in the database) and only a file without any problem is written, in one transaction.
 */
import { randomUUID } from "node:crypto";
import type { Database } from "./connection";
import { recordAudit } from "./audit";
import { definitionOfVersion } from "./questionnaires";
import { typedAnswerColumns } from "./responses";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { importResponses, previewResponseImport, type ResponseImportError, type ResponseImportOptions, type ResponseImportPreview, type ResponseImportSummary } from "@/lib/io/response-import";
import { findQuestion, type QuestionnaireDefinition } from "@/lib/survey/definition";

async function importTarget(db: Database, questionnaireId: string): Promise<{ slug: string; versionId: string; definition: QuestionnaireDefinition }> {
  const questionnaire = await db.prisma.questionnaire.findUnique({ where: { id: questionnaireId }, include: { currentVersion: true } });
  if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
  if (!questionnaire.currentVersion) throw new AppError("CONFLICT", "Publish the questionnaire before importing responses: imported responses are stored against the published version.");
  return { slug: questionnaire.slug, versionId: questionnaire.currentVersion.id, definition: definitionOfVersion(questionnaire.currentVersion) };
}

/** What the admin sees before importing: format, header rows, column mapping, unmapped questions, sample rows. */
export async function previewImport(
  db: Database,
  actor: Actor,
  input: { questionnaireId: string; text: string; options?: ResponseImportOptions },
): Promise<{ ok: true; preview: ResponseImportPreview } | { ok: false; errors: ResponseImportError[] }> {
  assertCan(actor, "surveys.manage");
  const target = await importTarget(db, input.questionnaireId);
  return previewResponseImport(input.text, target.definition, input.options);
}

export type ImportOutcome =
  | { ok: true; importId: string; imported: number; summary: ResponseImportSummary; format: "qualtrics" | "plain" }
  | { ok: false; errors: ResponseImportError[] };

/**
 * Checks the whole file and, only when it has no problem at all, stores every response with its answers.
 * Response ids (e.g. Qualtrics ResponseId) must be new to the questionnaire, so importing the same file twice
 * is refused rather than doubling the data.
 */
export async function commitImport(
  db: Database,
  actor: Actor,
  input: { questionnaireId: string; fileName: string; text: string; options?: ResponseImportOptions },
): Promise<ImportOutcome> {
  assertCan(actor, "surveys.manage");
  const target = await importTarget(db, input.questionnaireId);
  const result = importResponses(input.text, target.definition, input.options);
  if (!result.ok) return { ok: false, errors: result.errors };

  const errors: ResponseImportError[] = [];
  const firstRow = new Map<string, number>();
  for (const response of result.responses) {
    const earlier = firstRow.get(response.responseId);
    if (earlier !== undefined) errors.push({ row: response.sourceRow, column: 1, columnName: "response id", message: `Response id "${response.responseId}" already appears in row ${earlier}.` });
    else firstRow.set(response.responseId, response.sourceRow);
  }
  const ids = [...firstRow.keys()];
  const existing = new Set<string>();
  for (let start = 0; start < ids.length; start += 5000) {
    const rows = await db.prisma.response.findMany({
      where: { questionnaireId: input.questionnaireId, externalId: { in: ids.slice(start, start + 5000) } },
      select: { externalId: true },
    });
    for (const row of rows) if (row.externalId) existing.add(row.externalId);
  }
  for (const response of result.responses) {
    if (existing.has(response.responseId)) {
      errors.push({ row: response.sourceRow, column: 1, columnName: "response id", message: `Response "${response.responseId}" was imported before; remove the row or import into another questionnaire.` });
    }
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.row - b.row).slice(0, 500) };

  const parseDate = (text: string | undefined): Date | null => {
    if (!text) return null;
    const date = new Date(text.includes("T") || text.endsWith("Z") ? text : `${text.replace(" ", "T")}Z`);
    return Number.isNaN(date.getTime()) ? null : date;
  };
  const now = new Date();
  const importId = randomUUID();
  type ResponseRow = { id: string; questionnaireId: string; versionId: string; status: "COMPLETED" | "IN_PROGRESS"; externalId: string; importId: string; presentation: unknown; randomSeed: number | null; startedAt: string; completedAt: string | null };
  type AnswerRow = { id: string; responseId: string; questionId: string; value: unknown; choiceIds: string[]; numberValue: number | null; textValue: string | null; updatedAt: string };
  const responseRows: ResponseRow[] = [];
  const answerRows: AnswerRow[] = [];
  for (const response of result.responses) {
    const id = randomUUID();
    const startedAt = parseDate(response.startedAt) ?? now;
    responseRows.push({
      id,
      questionnaireId: input.questionnaireId,
      versionId: target.versionId,
      status: response.status === "complete" ? "COMPLETED" : "IN_PROGRESS",
      externalId: response.responseId,
      importId,
      presentation: response.presentationOrder ?? null,
      // randomSeed is an INTEGER column; seeds from other systems may not fit, the order JSON keeps them anyway.
      randomSeed: response.presentationOrder && response.presentationOrder.seed < 2 ** 31 ? response.presentationOrder.seed : null,
      startedAt: startedAt.toISOString(),
      completedAt: response.status === "complete" ? (parseDate(response.submittedAt) ?? startedAt).toISOString() : null,
    });
    for (const [questionId, value] of Object.entries(response.answers)) {
      const question = findQuestion(target.definition, questionId);
      if (!question) continue;
      answerRows.push({ id: randomUUID(), responseId: id, questionId, value, ...typedAnswerColumns(question, value), updatedAt: now.toISOString() });
    }
  }
  // One transaction through plain SQL: rows travel as one JSON parameter per batch and are expanded by
  // json_to_recordset, which is two orders of magnitude faster than row-by-row inserts on the embedded engine.
  await db.sql.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO "ResponseImport" (id, "questionnaireId", "fileName", format, "rowCount", "createdById", "createdAt") VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [importId, input.questionnaireId, input.fileName.slice(0, 200), result.format, responseRows.length, actor.id, now.toISOString()],
    );
    for (let start = 0; start < responseRows.length; start += 5000) {
      await tx.query(
        `INSERT INTO "Response" (id, "questionnaireId", "versionId", status, source, "externalId", "importId", presentation, "randomSeed", "startedAt", "updatedAt", "completedAt")
         SELECT r.id, r."questionnaireId", r."versionId", r.status::"ResponseStatus", 'IMPORT'::"ResponseSource", r."externalId", r."importId", r.presentation, r."randomSeed",
                r."startedAt", r."startedAt", r."completedAt"
         FROM json_to_recordset($1::json) AS r(id text, "questionnaireId" text, "versionId" text, status text, "externalId" text, "importId" text, presentation jsonb,
              "randomSeed" integer, "startedAt" timestamp(3), "completedAt" timestamp(3))`,
        [JSON.stringify(responseRows.slice(start, start + 5000))],
      );
    }
    for (let start = 0; start < answerRows.length; start += 10000) {
      await tx.query(
        `INSERT INTO "Answer" (id, "responseId", "questionId", value, "choiceIds", "numberValue", "textValue", "updatedAt")
         SELECT a.id, a."responseId", a."questionId", a.value, a."choiceIds", a."numberValue", a."textValue", a."updatedAt"
         FROM json_to_recordset($1::json) AS a(id text, "responseId" text, "questionId" text, value jsonb, "choiceIds" text[], "numberValue" double precision,
              "textValue" text, "updatedAt" timestamp(3))`,
        [JSON.stringify(answerRows.slice(start, start + 10000))],
      );
    }
    await tx.query(`INSERT INTO "AuditEntry" (id, "actorId", action, target, details, "createdAt") VALUES ($1, $2, $3, $4, $5::jsonb, $6)`, [
      randomUUID(),
      actor.id,
      "responses.import",
      target.slug,
      JSON.stringify({ fileName: input.fileName, format: result.format, responses: responseRows.length, answers: answerRows.length }),
      now.toISOString(),
    ]);
  });
  // Embedded PGlite runs no autovacuum, so a large bulk load would leave the planner without statistics for the
  // dashboard's GROUP BY queries; refresh them (cheap next to the load itself).
  if (answerRows.length >= 10_000) await db.sql.exec(`ANALYZE "Response"; ANALYZE "Answer";`);
  return { ok: true, importId, imported: responseRows.length, summary: result.summary, format: result.format };
}
