/**
 * Import of responses collected elsewhere (a Qualtrics export or a plain CSV, see lib/io/response-import.ts)
 * into a questionnaire. All or nothing: the file is checked completely first (every cell, plus response ids
 * already in the database) and only a file without any problem is written, in one transaction.
 *
 * A questionnaire that was never published can take an import: its latest draft version is frozen (as
 * publishing would) so the responses keep the version they were checked against, but the questionnaire
 * stays a draft and is not opened to participants. A closed questionnaire imports into its current version.
 * Each import records the column mapping it used (the next preview starts from it) and can be undone as
 * a whole: its responses are deleted in one transaction and the import stays listed as undone.
 */
import { randomUUID } from "node:crypto";
import type { Database, SqlRunner } from "./engine/connection";
import { definitionOfVersion } from "./questionnaires";
import { typedAnswerColumns } from "@/lib/survey/answer-columns";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { importResponses, previewResponseImport, type ImportedResponse, type ResponseIdColumn, type ResponseImportError, type ResponseImportOptions, type ResponseImportPreview, type ResponseImportSummary } from "@/lib/io/response-import";
import type { QuestionKeyOverrides } from "@/lib/io/csv-response-columns";
import { findQuestion, type QuestionnaireDefinition } from "@/lib/survey/definition";
import { stoppedOnSection } from "@/lib/survey/stop-page";

export type ImportTarget = { slug: string; versionId: string; definition: QuestionnaireDefinition; status: string; /** The draft version is frozen by the import. */ freezesDraft: boolean };

export async function importTarget(db: Database, questionnaireId: string): Promise<ImportTarget> {
  const questionnaire = await db.prisma.questionnaire.findUnique({
    where: { id: questionnaireId },
    include: { currentVersion: true, versions: { orderBy: { version: "desc" }, take: 1 } },
  });
  if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
  const base = { slug: questionnaire.slug, status: questionnaire.status };
  if (questionnaire.currentVersion) return { ...base, versionId: questionnaire.currentVersion.id, definition: definitionOfVersion(questionnaire.currentVersion), freezesDraft: false };
  const draft = questionnaire.versions[0];
  if (!draft) throw new AppError("NOT_FOUND", "That questionnaire has no version.");
  return { ...base, versionId: draft.id, definition: definitionOfVersion(draft), freezesDraft: true };
}

/** The column mapping of the latest import into this questionnaire (undone ones included: the mapping was still right). */
async function savedMapping(db: Database, questionnaireId: string): Promise<QuestionKeyOverrides | undefined> {
  const latest = await db.prisma.responseImport.findFirst({ where: { questionnaireId, columnMapping: { not: Prisma.DbNull } }, orderBy: { createdAt: "desc" }, select: { columnMapping: true } });
  const mapping = latest?.columnMapping;
  if (!mapping || typeof mapping !== "object" || Array.isArray(mapping)) return undefined;
  return Object.fromEntries(Object.entries(mapping as Record<string, unknown>).filter((entry): entry is [string, string | null] => entry[1] === null || typeof entry[1] === "string"));
}

/** Options with the saved mapping when the caller gave none (the first preview of a new file). */
export async function withSavedMapping(db: Database, questionnaireId: string, options: ResponseImportOptions | undefined): Promise<{ options: ResponseImportOptions; usedSaved: boolean }> {
  if (options?.questionKeyOverrides !== undefined) return { options, usedSaved: false };
  const saved = await savedMapping(db, questionnaireId);
  return saved ? { options: { ...options, questionKeyOverrides: saved }, usedSaved: true } : { options: options ?? {}, usedSaved: false };
}

/** What a dry run of the import found: the counts it would write, or every problem. */
export type ImportCheck = { ok: true; summary: ResponseImportSummary; imported: number } | { ok: false; errors: ResponseImportError[] };

export type ImportPreviewOutcome =
  | {
      ok: true;
      preview: ResponseImportPreview;
      check: ImportCheck;
      /** The overrides in effect (saved from the last import, or as sent). */
      overrides: QuestionKeyOverrides;
      usedSavedMapping: boolean;
      /** The questionnaire is a draft: importing freezes its latest version without opening it. */
      freezesDraft: boolean;
      questionIds: string[];
    }
  | { ok: false; errors: ResponseImportError[] };

/**
 * What the admin sees before importing: format, header rows, column mapping (saved mapping applied), sample
 * rows, and a dry run of the whole import: counts by status, or every problem with row and column. Writes nothing.
 */
export async function previewImport(
  db: Database,
  actor: Actor,
  input: { questionnaireId: string; text: string; options?: ResponseImportOptions },
): Promise<ImportPreviewOutcome> {
  assertCan(actor, "surveys.manage");
  const target = await importTarget(db, input.questionnaireId);
  const { options, usedSaved } = await withSavedMapping(db, input.questionnaireId, input.options);
  const preview = previewResponseImport(input.text, target.definition, options);
  if (!preview.ok) return preview;
  const result = importResponses(input.text, target.definition, options);
  const check: ImportCheck = result.ok
    ? await checkAgainstDatabase(db, input.questionnaireId, result.responses, result.responseIdColumn).then((errors) =>
        errors.length > 0 ? { ok: false as const, errors } : { ok: true as const, summary: result.summary, imported: result.responses.length },
      )
    : { ok: false, errors: result.errors };
  const questionIds = target.definition.sections.flatMap((section) => section.questions.map((question) => question.id));
  return { ok: true, preview: preview.preview, check, overrides: options.questionKeyOverrides ?? {}, usedSavedMapping: usedSaved, freezesDraft: target.freezesDraft, questionIds };
}

/** Response ids repeated in the file or already imported, reported at the response-id column. */
async function checkAgainstDatabase(db: Database, questionnaireId: string, responses: readonly ImportedResponse[], idColumn: ResponseIdColumn | undefined): Promise<ResponseImportError[]> {
  return checkIdsAgainstDatabase(db, questionnaireId, responses.map((response) => [response.responseId, response.sourceRow]), idColumn);
}

/**
 * The same check from the ids alone ([response id, spreadsheet row]), as an import job has them; the database is
 * asked 5,000 ids at a time, each a short indexed query.
 */
export async function checkIdsAgainstDatabase(db: Database, questionnaireId: string, ids: ReadonlyArray<readonly [string, number]>, idColumn: ResponseIdColumn | undefined): Promise<ResponseImportError[]> {
  const at = idColumn ? { column: idColumn.column, columnName: idColumn.name } : { column: 1, columnName: "response id" };
  const errors: ResponseImportError[] = [];
  const firstRow = new Map<string, number>();
  for (const [id, row] of ids) {
    const earlier = firstRow.get(id);
    if (earlier !== undefined) errors.push({ row, ...at, message: `Response id "${id}" already appears in row ${earlier}.` });
    else firstRow.set(id, row);
  }
  const unique = [...firstRow.keys()];
  const existing = new Set<string>();
  for (let start = 0; start < unique.length; start += 5000) {
    const rows = await db.prisma.response.findMany({
      where: { questionnaireId, externalId: { in: unique.slice(start, start + 5000) } },
      select: { externalId: true },
    });
    for (const row of rows) if (row.externalId) existing.add(row.externalId);
  }
  for (const [id, row] of ids) {
    if (existing.has(id)) {
      errors.push({ row, ...at, message: `Response "${id}" was imported before; remove the row, undo the earlier import, or import into another questionnaire.` });
    }
  }
  return errors.sort((a, b) => a.row - b.row).slice(0, 500);
}

export type ImportOutcome =
  | { ok: true; importId: string; imported: number; summary: ResponseImportSummary; format: "qualtrics" | "plain"; timeZone?: string }
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
  const { options } = await withSavedMapping(db, input.questionnaireId, input.options);
  const result = importResponses(input.text, target.definition, options);
  if (!result.ok) return { ok: false, errors: result.errors };
  const errors = await checkAgainstDatabase(db, input.questionnaireId, result.responses, result.responseIdColumn);
  if (errors.length > 0) return { ok: false, errors };

  const now = new Date();
  const importId = randomUUID();
  const { responseRows, answerRows } = importRowsOf(target, { questionnaireId: input.questionnaireId, importId, now }, result.responses);
  const record: ImportRecord = { importId, questionnaireId: input.questionnaireId, fileName: input.fileName, format: result.format, timeZone: result.timeZone ?? null, mapping: options.questionKeyOverrides ?? {}, actorId: actor.id, now };
  await db.sql.transaction(async (tx) => {
    await deferDataVersionBumps(tx);
    await beginImport(tx, target, record, responseRows.length);
    for (let start = 0; start < responseRows.length; start += 5000) await insertResponseRows(tx, responseRows.slice(start, start + 5000));
    for (let start = 0; start < answerRows.length; start += 10000) await insertAnswerRows(tx, answerRows.slice(start, start + 10000));
    await auditImport(tx, target, record, { responses: responseRows.length, answers: answerRows.length, summary: result.summary });
    await applyDeferredDataVersionBumps(tx);
  });
  // Embedded PGlite runs no autovacuum, so a large bulk load would leave the planner without statistics for the
  // dashboard's GROUP BY queries; refresh them (cheap next to the load itself).
  if (answerRows.length >= 10_000) await db.sql.exec(`ANALYZE "Response"; ANALYZE "Answer";`);
  return { ok: true, importId, imported: responseRows.length, summary: result.summary, format: result.format, ...(result.timeZone ? { timeZone: result.timeZone } : {}) };
}

type ResponseRow = { id: string; questionnaireId: string; versionId: string; status: "COMPLETED" | "IN_PROGRESS"; currentSection: string | null; externalId: string; importId: string; presentation: unknown; randomSeed: number | null; startedAt: string; completedAt: string | null };
type AnswerRow = { id: string; responseId: string; questionId: string; value: unknown; choiceIds: string[]; numberValue: number | null; textValue: string | null; updatedAt: string };
/** What an import records about itself (ResponseImport row and audit entry). */
export type ImportRecord = { importId: string; questionnaireId: string; fileName: string; format: "qualtrics" | "plain"; timeZone: string | null; mapping: QuestionKeyOverrides; actorId: string; now: Date };

const parseDate = (text: string | undefined): Date | null => {
  if (!text) return null;
  const date = new Date(text.includes("T") || text.endsWith("Z") ? text : `${text.replace(" ", "T")}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** The Response and Answer rows of checked responses (fresh ids), as the import statements insert them. */
export function importRowsOf(target: ImportTarget, at: { questionnaireId: string; importId: string; now: Date }, responses: readonly ImportedResponse[]): { responseRows: ResponseRow[]; answerRows: AnswerRow[] } {
  const responseRows: ResponseRow[] = [];
  const answerRows: AnswerRow[] = [];
  for (const response of responses) {
    const id = randomUUID();
    const startedAt = parseDate(response.startedAt) ?? at.now;
    responseRows.push({
      id,
      questionnaireId: at.questionnaireId,
      versionId: target.versionId,
      status: response.status === "complete" ? "COMPLETED" : "IN_PROGRESS",
      // Unfinished: the page they stopped on, from their answers, so drop-off and progress are right.
      currentSection: response.status === "complete" ? null : stoppedOnSection(target.definition, response.answers),
      externalId: response.responseId,
      importId: at.importId,
      presentation: response.presentationOrder ?? null,
      // randomSeed is an INTEGER column; seeds from other systems may not fit, the order JSON keeps them anyway.
      randomSeed: response.presentationOrder && response.presentationOrder.seed < 2 ** 31 ? response.presentationOrder.seed : null,
      startedAt: startedAt.toISOString(),
      completedAt: response.status === "complete" ? (parseDate(response.submittedAt) ?? startedAt).toISOString() : null,
    });
    for (const [questionId, value] of Object.entries(response.answers)) {
      const question = findQuestion(target.definition, questionId);
      if (!question) continue;
      answerRows.push({ id: randomUUID(), responseId: id, questionId, value, ...typedAnswerColumns(question, value), updatedAt: at.now.toISOString() });
    }
  }
  return { responseRows, answerRows };
}

/**
 * For a long import transaction: the dashboard's data-version triggers only note which counters moved, instead of
 * bumping (and so holding until the commit) the counter row of this connection's slot, which participants whose
 * connection has the same slot (pg_backend_pid() % 8) would wait for. See the dashboard_version_deferred_bumps
 * migration. Pair with applyDeferredDataVersionBumps as the transaction's last statement.
 */
export async function deferDataVersionBumps(tx: SqlRunner): Promise<void> {
  await tx.query(`SELECT "varstudy_meta"."defer_bumps"()`);
}

/** Bumps each counter noted since deferDataVersionBumps once; last statement before the commit (the row is held until then). */
export async function applyDeferredDataVersionBumps(tx: SqlRunner): Promise<void> {
  await tx.query(`SELECT "varstudy_meta"."bump_deferred"()`);
}

/** First statements of an import: freezes a draft (refused if someone published meanwhile) and records the import. */
export async function beginImport(tx: SqlRunner, target: ImportTarget, record: ImportRecord, rowCount: number): Promise<void> {
  if (target.freezesDraft) {
    // Freeze the draft as publishing would, without opening it; refuse if someone published meanwhile.
    const frozen = await tx.query<{ id: string }>(`UPDATE "QuestionnaireVersion" SET "publishedAt" = $2 WHERE id = $1 AND "publishedAt" IS NULL RETURNING id`, [target.versionId, record.now.toISOString()]);
    const pointed = await tx.query<{ id: string }>(`UPDATE "Questionnaire" SET "currentVersionId" = $2, "updatedAt" = $3 WHERE id = $1 AND "currentVersionId" IS NULL RETURNING id`, [record.questionnaireId, target.versionId, record.now.toISOString()]);
    if (frozen.length !== 1 || pointed.length !== 1) throw new AppError("CONFLICT", "The questionnaire was published while you were importing; preview the file again.");
  }
  await tx.query(
    `INSERT INTO "ResponseImport" (id, "questionnaireId", "fileName", format, "rowCount", "createdById", "createdAt", "columnMapping", "timeZone") VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)`,
    [record.importId, record.questionnaireId, record.fileName.slice(0, 200), record.format, rowCount, record.actorId, record.now.toISOString(), JSON.stringify(record.mapping), record.timeZone],
  );
}

// Rows travel as one JSON parameter per statement and are expanded by json_to_recordset, which is two orders of
// magnitude faster than row-by-row inserts on the embedded engine.
export async function insertResponseRows(tx: SqlRunner, rows: readonly ResponseRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO "Response" (id, "questionnaireId", "versionId", status, source, "currentSection", "externalId", "importId", presentation, "randomSeed", "startedAt", "updatedAt", "completedAt")
     SELECT r.id, r."questionnaireId", r."versionId", r.status::"ResponseStatus", 'IMPORT'::"ResponseSource", r."currentSection", r."externalId", r."importId", r.presentation, r."randomSeed",
            r."startedAt", r."startedAt", r."completedAt"
     FROM json_to_recordset($1::json) AS r(id text, "questionnaireId" text, "versionId" text, status text, "currentSection" text, "externalId" text, "importId" text, presentation jsonb,
          "randomSeed" integer, "startedAt" timestamp(3), "completedAt" timestamp(3))`,
    [JSON.stringify(rows)],
  );
}

export async function insertAnswerRows(tx: SqlRunner, rows: readonly AnswerRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO "Answer" (id, "responseId", "questionId", value, "choiceIds", "numberValue", "textValue", "updatedAt")
     SELECT a.id, a."responseId", a."questionId", a.value, a."choiceIds", a."numberValue", a."textValue", a."updatedAt"
     FROM json_to_recordset($1::json) AS a(id text, "responseId" text, "questionId" text, value jsonb, "choiceIds" text[], "numberValue" double precision,
          "textValue" text, "updatedAt" timestamp(3))`,
    [JSON.stringify(rows)],
  );
}

/** The audit entry of a finished import, written in the transaction that completes it. */
export async function auditImport(tx: SqlRunner, target: ImportTarget, record: ImportRecord, counts: { responses: number; answers: number; summary: ResponseImportSummary }): Promise<void> {
  await tx.query(`INSERT INTO "AuditEntry" (id, "actorId", action, target, details, "createdAt") VALUES ($1, $2, $3, $4, $5::jsonb, $6)`, [
    randomUUID(),
    record.actorId,
    "responses.import",
    target.slug,
    JSON.stringify({ importId: record.importId, fileName: record.fileName, format: record.format, responses: counts.responses, answers: counts.answers, ...counts.summary, timeZone: record.timeZone, frozeDraftVersion: target.freezesDraft }),
    record.now.toISOString(),
  ]);
}

export type ImportListItem = {
  id: string;
  fileName: string;
  format: string;
  rowCount: number;
  createdAt: Date;
  timeZone: string | null;
  undoneAt: Date | null;
  /** Responses of the import still stored (0 once undone). */
  responseCount: number;
};

/** The imports into one questionnaire, newest first, undone ones included. */
export async function listImports(db: Database, actor: Actor, input: { questionnaireId: string }): Promise<ImportListItem[]> {
  assertCan(actor, "surveys.manage");
  const imports = await db.prisma.responseImport.findMany({
    where: { questionnaireId: input.questionnaireId },
    orderBy: { createdAt: "desc" },
    include: { _count: { select: { responses: true } } },
  });
  return imports.map((item) => ({
    id: item.id,
    fileName: item.fileName,
    format: item.format,
    rowCount: item.rowCount,
    createdAt: item.createdAt,
    timeZone: item.timeZone,
    undoneAt: item.undoneAt,
    responseCount: item._count.responses,
  }));
}

/**
 * Undoes a whole import: deletes every response (and answer) it wrote, in one transaction with the audit
 * entry; the import stays listed as undone, with its mapping for the next try. An import of another
 * questionnaire is "not found", never touched.
 */
export async function undoImport(db: Database, actor: Actor, input: { questionnaireId: string; importId: string }): Promise<{ removed: number }> {
  assertCan(actor, "surveys.manage");
  return db.sql.transaction(async (tx) => {
    const [found] = await tx.query<{ id: string; fileName: string; undoneAt: string | null; slug: string }>(
      `SELECT i.id, i."fileName", i."undoneAt", q.slug FROM "ResponseImport" i JOIN "Questionnaire" q ON q.id = i."questionnaireId"
        WHERE i.id = $1 AND i."questionnaireId" = $2 FOR UPDATE OF i`,
      [input.importId, input.questionnaireId],
    );
    if (!found) throw new AppError("NOT_FOUND", "That import does not exist.");
    if (found.undoneAt !== null) throw new AppError("CONFLICT", "That import was undone already.");
    const writing = await tx.query(`SELECT 1 FROM "DataJob" WHERE "importId" = $1 AND status IN ('QUEUED', 'RUNNING')`, [input.importId]);
    if (writing.length > 0) throw new AppError("CONFLICT", "That import is still being written; wait for its job to finish.");
    const removed = await tx.query<{ id: string }>(`DELETE FROM "Response" WHERE "importId" = $1 AND "questionnaireId" = $2 RETURNING id`, [input.importId, input.questionnaireId]);
    const now = new Date().toISOString();
    await tx.query(`UPDATE "ResponseImport" SET "undoneAt" = $2, "undoneById" = $3 WHERE id = $1`, [input.importId, now, actor.id]);
    await tx.query(`INSERT INTO "AuditEntry" (id, "actorId", action, target, details, "createdAt") VALUES ($1, $2, $3, $4, $5::jsonb, $6)`, [
      randomUUID(),
      actor.id,
      "responses.import-undo",
      found.slug,
      JSON.stringify({ importId: input.importId, fileName: found.fileName, responses: removed.length }),
      now,
    ]);
    return { removed: removed.length };
  });
}
