/**
 * The participant side of a questionnaire: consent, starting (or resuming) a response, saving each page,
 * going back, finishing. Participants are anonymous, so these functions take no Actor: what authorises a
 * call is a token the participant holds (the resume token from the cookie or resume link, an invitation
 * token, the anonymous browser key). Only SHA-256 digests of tokens are stored, and nothing about the
 * participant's network (no IP address) is kept.
 *
 * Every write runs in one transaction that first locks the response row, so a page submitted twice, a
 * double click or a replayed request writes the same Answer rows once (upsert on responseId + questionId);
 * starting is serialised per browser (advisory lock) so two racing "I agree" clicks give one response.
 */
import { randomUUID } from "node:crypto";
import type { Database, SqlRunner } from "./engine/connection";
import { AppError } from "@/lib/errors";
import { cachedDefinition, definitionOfVersion } from "./questionnaires";
import { hashToken, isTokenShaped, newPresentationSeed, newToken } from "./survey-tokens";
import type { Question, QuestionnaireDefinition, Section } from "@/lib/survey/definition";
import type { AnswerValue, Answers } from "@/lib/survey/answer-types";
import { typedAnswerColumns } from "@/lib/survey/answer-columns";
import { fieldsFitPage, type FormFields } from "@/lib/survey/answers";
import { availabilityProblem } from "@/lib/survey/availability";
import { pageProgress, visiblePages, type PageView } from "@/lib/survey/flow";
import { planBack, planNext, type PageWrite, type SavePageResult } from "@/lib/survey/page-save";
import { drawPresentationOrder, presentationOrderSchema, type PresentationOrder } from "@/lib/survey/randomize";

/** The definition of a version; the stored JSON (large) is read only when the parse is not cached yet. */
async function versionDefinition(sql: SqlRunner, versionId: string): Promise<QuestionnaireDefinition> {
  const cached = cachedDefinition(versionId);
  if (cached) return cached;
  const [version] = await sql.query<{ id: string; definition: unknown; publishedAt: Date | null }>(
    `SELECT id, definition, "publishedAt" FROM "QuestionnaireVersion" WHERE id = $1`,
    [versionId],
  );
  if (!version) throw new Error(`Questionnaire version ${versionId} does not exist.`);
  return definitionOfVersion(version);
}

const indexQuestionsById = (definition: QuestionnaireDefinition): Map<string, Question> =>
  new Map(definition.sections.flatMap((section) => section.questions.map((question) => [question.id, question] as const)));

async function loadAnswers(prisma: Database["prisma"], responseId: string): Promise<Answers> {
  const rows = await prisma.answer.findMany({ where: { responseId }, select: { questionId: true, value: true } });
  const answers: Answers = {};
  for (const row of rows) answers[row.questionId] = row.value as AnswerValue;
  return answers;
}

const parsePresentation = (value: unknown): PresentationOrder | undefined => {
  const parsed = presentationOrderSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

// ─────────────────────────────────── Reading the participant's state ───────────────────────────────────

export type PublicQuestionnaire = {
  id: string;
  slug: string;
  title: string;
  definition: QuestionnaireDefinition;
  /** Why a new participant cannot start now, or null. */
  unavailable: string | null;
  allowRepeat: boolean;
  publicLinkOpen: boolean;
};

/** The published questionnaire behind a public link, or null when there is none (never a draft). */
export async function findPublicQuestionnaire(db: Database, slug: string, now = new Date()): Promise<PublicQuestionnaire | null> {
  const questionnaire = await db.prisma.questionnaire.findUnique({ where: { slug } });
  if (!questionnaire || !questionnaire.currentVersionId) return null;
  const completed =
    questionnaire.maxResponses === null ? 0 : await db.prisma.response.count({ where: { questionnaireId: questionnaire.id, status: "COMPLETED" } });
  return {
    id: questionnaire.id,
    slug: questionnaire.slug,
    title: questionnaire.title,
    definition: await versionDefinition(db.sql, questionnaire.currentVersionId),
    unavailable: availabilityProblem(questionnaire, completed, now),
    allowRepeat: questionnaire.allowRepeat,
    publicLinkOpen: questionnaire.publicLinkOpen,
  };
}

export type ParticipantState =
  | {
      kind: "page";
      responseId: string;
      definition: QuestionnaireDefinition;
      page: PageView;
      /** Answers that count for conditions (visible ones), for the page's live show/skip logic. */
      answers: Answers;
      presentation: PresentationOrder | undefined;
      progress: { index: number; total: number; percent: number };
      isFirst: boolean;
      isLast: boolean;
    }
  | { kind: "completed"; definition: QuestionnaireDefinition; completedAt: Date };

/**
 * The state of the response a resume token belongs to, for rendering: the page to show (with the answers
 * saved so far) or the thank-you page. Null when the token is unknown or belongs to another questionnaire.
 */
export async function getParticipantState(db: Database, input: { slug: string; resumeToken: string | null | undefined }): Promise<ParticipantState | null> {
  if (!isTokenShaped(input.resumeToken)) return null;
  const response = await db.prisma.response.findUnique({
    where: { resumeTokenHash: hashToken(input.resumeToken) },
    include: { questionnaire: { select: { slug: true } }, version: true },
  });
  if (!response || response.questionnaire.slug !== input.slug) return null;
  const definition = definitionOfVersion(response.version);
  if (response.status === "COMPLETED") return { kind: "completed", definition, completedAt: response.completedAt ?? response.updatedAt };
  const answers = await loadAnswers(db.prisma, response.id);
  const pages = visiblePages(definition, answers);
  const page = pages.find((candidate) => candidate.section.id === response.currentSection) ?? pages[0];
  if (!page) throw new Error(`Questionnaire "${definition.id}" shows no page at all.`);
  const index = pages.indexOf(page);
  return {
    kind: "page",
    responseId: response.id,
    definition,
    page,
    answers,
    presentation: parsePresentation(response.presentation),
    progress: pageProgress(definition, answers, page.section.id),
    isFirst: index === 0,
    isLast: index === pages.length - 1,
  };
}

// ─────────────────────────────────── Consent and start ───────────────────────────────────

/** A participant declined consent: only the questionnaire's decline counter changes. */
export async function recordDecline(db: Database, input: { slug: string }): Promise<void> {
  const updated = await db.prisma.questionnaire.updateMany({ where: { slug: input.slug, currentVersionId: { not: null } }, data: { declinedCount: { increment: 1 } } });
  if (updated.count === 0) throw new AppError("NOT_FOUND", "This questionnaire does not exist.");
}

export type StartResult = { responseId: string; resumeToken: string; resumed: boolean };

/**
 * Starts a response after consent, or resumes this browser's (or this invitation's) unfinished one.
 *
 * - Invitation token: single use. A finished invitation cannot start again; an unfinished one is resumed.
 * - Public link: refused when the admin closed it to invitation-only. Without allowRepeat, a browser that has
 *   completed a response cannot start another; with allowRepeat it can, one at a time.
 * - Resuming issues a new resume token (only the digest is stored, so the old one cannot be shown again);
 *   whoever can present the browser key or invitation may take the response over.
 *
 * @param input.browserKey the anonymous key from the browser's cookie (random; stored only as a digest).
 * @throws AppError CONFLICT/NOT_FOUND with a message for the participant.
 */
export async function startResponse(
  db: Database,
  input: { slug: string; browserKey: string; invitationToken?: string | null; now?: Date },
): Promise<StartResult> {
  const now = input.now ?? new Date();
  if (!isTokenShaped(input.browserKey)) throw new AppError("INVALID_INPUT", "Your browser did not send its session cookie. Please allow cookies for this site and try again.");
  const browserKeyHash = hashToken(input.browserKey);
  const invitationHash = input.invitationToken ? (isTokenShaped(input.invitationToken) ? hashToken(input.invitationToken) : "invalid") : null;
  // Plain SQL in one short transaction: this runs once per participant, and on the embedded database every
  // statement saved is time other participants do not wait.
  return db.sql.transaction(async (tx) => {
    // One start at a time per browser (and per invitation): a double click or replay finds the first response.
    // The lock is taken here and read from in the next statements, which see everything committed before it.
    const [questionnaire] = await tx.query<StartQuestionnaire>(
      `SELECT q.id, q.status::text AS status, q."opensAt" AT TIME ZONE 'UTC' AS "opensAt", q."closesAt" AT TIME ZONE 'UTC' AS "closesAt",
         q."maxResponses", q."currentVersionId", q."publicLinkOpen", q."allowRepeat"
       FROM "Questionnaire" q CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock(hashtext('start:' || q.id || ':' || $2))) AS start_lock
       WHERE q.slug = $1`,
      [input.slug, invitationHash ?? browserKeyHash],
    );
    const versionId = questionnaire?.currentVersionId;
    if (!questionnaire || !versionId) throw new AppError("NOT_FOUND", "This questionnaire does not exist.");

    const resumeToken = newToken();
    const resume = async (responseId: string): Promise<StartResult> => {
      await tx.query(`UPDATE "Response" SET "resumeTokenHash" = $2, "browserKeyHash" = $3, "updatedAt" = CURRENT_TIMESTAMP WHERE id = $1`, [
        responseId,
        hashToken(resumeToken),
        browserKeyHash,
      ]);
      return { responseId, resumeToken, resumed: true };
    };

    let invitationId: string | null = null;
    if (invitationHash) {
      const [invitation] = await tx.query<{ id: string; questionnaireId: string; responseId: string | null; responseStatus: string | null }>(
        `SELECT i.id, l."questionnaireId", r.id AS "responseId", r.status::text AS "responseStatus"
         FROM "Invitation" i JOIN "InvitationList" l ON l.id = i."listId" LEFT JOIN "Response" r ON r.id = i."responseId"
         WHERE i."tokenHash" = $1`,
        [invitationHash],
      );
      if (!invitation || invitation.questionnaireId !== questionnaire.id) {
        throw new AppError("NOT_FOUND", "This invitation link is not valid. Please check that you copied the whole link.");
      }
      if (invitation.responseId) {
        if (invitation.responseStatus === "COMPLETED") throw new AppError("CONFLICT", "This invitation link has already been used to complete the questionnaire. Thank you for taking part.");
        return resume(invitation.responseId);
      }
      invitationId = invitation.id;
    } else {
      if (!questionnaire.publicLinkOpen) throw new AppError("CONFLICT", "This questionnaire can only be answered through a personal invitation link.");
      const earlier = await tx.query<{ id: string; status: string }>(
        `SELECT id, status::text AS status FROM "Response" WHERE "questionnaireId" = $1 AND "browserKeyHash" = $2 AND source = 'WEB' ORDER BY "startedAt" DESC`,
        [questionnaire.id, browserKeyHash],
      );
      const unfinished = earlier.find((response) => response.status === "IN_PROGRESS");
      if (unfinished) return resume(unfinished.id);
      if (earlier.length > 0 && !questionnaire.allowRepeat) {
        throw new AppError("CONFLICT", "You have already completed this questionnaire in this browser. Thank you for taking part.");
      }
    }

    const completed =
      questionnaire.maxResponses === null
        ? 0
        : ((await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Response" WHERE "questionnaireId" = $1 AND status = 'COMPLETED'`, [questionnaire.id]))[0]?.n ?? 0);
    const problem = availabilityProblem(questionnaire, completed, now);
    if (problem) throw new AppError("CONFLICT", problem);

    const definition = await versionDefinition(tx, versionId);
    const seed = newPresentationSeed();
    const presentation = drawPresentationOrder(definition, seed);
    const first = visiblePages(definition, {})[0];
    const responseId = randomUUID();
    await tx.query(
      `INSERT INTO "Response" (id, "questionnaireId", "versionId", "resumeTokenHash", "browserKeyHash", "currentSection", presentation, "randomSeed", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, CURRENT_TIMESTAMP)`,
      [responseId, questionnaire.id, versionId, hashToken(resumeToken), browserKeyHash, first?.section.id ?? null, JSON.stringify(presentation), seed],
    );
    if (invitationId) await tx.query(`UPDATE "Invitation" SET "responseId" = $2 WHERE id = $1`, [invitationId, responseId]);
    return { responseId, resumeToken, resumed: false };
  });
}

type StartQuestionnaire = {
  id: string;
  status: string;
  opensAt: Date | null;
  closesAt: Date | null;
  maxResponses: number | null;
  currentVersionId: string | null;
  publicLinkOpen: boolean;
  allowRepeat: boolean;
};

// ─────────────────────────────────── Saving pages ───────────────────────────────────

/** What a page save needs to know about the response, read in one statement. */
type ResponseSnapshot = {
  id: string;
  status: "IN_PROGRESS" | "COMPLETED";
  versionId: string;
  /** The row version (Postgres xmin): the write only applies while the row is still the one that was read. */
  revision: string;
  slug: string;
  questionnaireStatus: string;
  answers: Answers;
};

async function readSnapshot(db: Database, tokenHash: string): Promise<ResponseSnapshot | null> {
  const rows = await db.sql.query<ResponseSnapshot>(
    `SELECT r.id, r.status::text AS status, r."versionId", r.xmin::text AS revision, q.slug, q.status::text AS "questionnaireStatus",
       COALESCE((SELECT json_object_agg(a."questionId", a.value) FROM "Answer" a WHERE a."responseId" = r.id), '{}'::json) AS answers
     FROM "Response" r JOIN "Questionnaire" q ON q.id = r."questionnaireId"
     WHERE r."resumeTokenHash" = $1`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

/**
 * Applies a page save in one statement, so it is atomic without a transaction and never holds the embedded
 * database between round trips. It applies only while the response row is unchanged since it was read (same
 * xmin) and still in progress; otherwise nothing is written and false is returned, and the caller reads again.
 * Re-applying the same write leaves the same rows (upsert on responseId + questionId).
 */
async function applyPageWrite(db: Database, snapshot: ResponseSnapshot, definition: QuestionnaireDefinition, write: PageWrite): Promise<boolean> {
  const questions = indexQuestionsById(definition);
  const rows = Object.entries(write.upsert).flatMap(([questionId, value]) => {
    const question = questions.get(questionId);
    return question ? [{ id: randomUUID(), questionId, value, ...typedAnswerColumns(question, value) }] : [];
  });
  const currentSection = write.move.status === "COMPLETED" ? null : write.move.currentSection;
  const params: unknown[] = [snapshot.id, snapshot.revision, currentSection, write.move.status];
  const steps = [
    `moved AS (
       UPDATE "Response" SET "currentSection" = $3, status = $4::"ResponseStatus", "updatedAt" = CURRENT_TIMESTAMP,
         "completedAt" = CASE WHEN $4 = 'COMPLETED' THEN CURRENT_TIMESTAMP ELSE "completedAt" END
       WHERE id = $1 AND xmin::text = $2 AND status = 'IN_PROGRESS'
       RETURNING id
     )`,
  ];
  // A step with nothing to do is left out: every statement on Answer fires the dashboard's data-version
  // triggers (see the dashboard_data_version migrations), even when it touches no row.
  if (write.remove.length > 0) {
    params.push(write.remove);
    steps.push(`removed AS (DELETE FROM "Answer" WHERE "responseId" IN (SELECT id FROM moved) AND "questionId" = ANY($${params.length}::text[]))`);
  }
  if (rows.length > 0) {
    params.push(JSON.stringify(rows));
    steps.push(`upserted AS (
       INSERT INTO "Answer" (id, "responseId", "questionId", value, "choiceIds", "numberValue", "textValue", "updatedAt")
       SELECT a.id, moved.id, a."questionId", a.value, a."choiceIds", a."numberValue", a."textValue", CURRENT_TIMESTAMP
       FROM moved, json_to_recordset($${params.length}::json) AS a(id text, "questionId" text, value jsonb, "choiceIds" text[], "numberValue" double precision, "textValue" text)
       ON CONFLICT ("responseId", "questionId") DO UPDATE SET value = EXCLUDED.value, "choiceIds" = EXCLUDED."choiceIds",
         "numberValue" = EXCLUDED."numberValue", "textValue" = EXCLUDED."textValue", "updatedAt" = EXCLUDED."updatedAt"
     )`);
  }
  const applied = await db.sql.query<{ id: string }>(`WITH ${steps.join(", ")} SELECT id FROM moved`, params);
  return applied.length === 1;
}

/** How often a page save reads again after a concurrent write to the same response (two tabs, a replay) made its read stale. */
const MAX_SAVE_ATTEMPTS = 5;

/**
 * Saves one page of a response ("Next") or keeps what can be kept and goes one page back ("Back").
 *
 * Next: the page is validated (plain-words messages per question, what was typed is returned), its answers are
 * upserted, answers cleared on the page are deleted, and the response moves to the next page shown for the new
 * answers; after the last page the response is finalised (answers to questions that ended up hidden are
 * removed) and marked completed. Back: answers on the page that are valid are saved, the rest is left as it
 * was, and the response moves to the previous page.
 *
 * One read and one guarded write (see applyPageWrite); a write that finds the response changed since the read
 * is retried from the read, so concurrent saves of one response apply one after the other.
 *
 * Idempotent: the same submission twice stores the same rows once; a submission for a completed response
 * changes nothing and reports "completed".
 *
 * @throws AppError NOT_FOUND for an unknown token, CONFLICT when the questionnaire was closed.
 */
export async function savePage(
  db: Database,
  input: { slug: string; resumeToken: string | null | undefined; sectionId: string; fields: FormFields; direction?: "next" | "back" },
): Promise<SavePageResult> {
  const unknown = "We could not find your answers: your session has ended. Use your resume link, or start again.";
  if (!isTokenShaped(input.resumeToken)) throw new AppError("NOT_FOUND", unknown);
  const tokenHash = hashToken(input.resumeToken);
  for (let attempt = 1; attempt <= MAX_SAVE_ATTEMPTS; attempt += 1) {
    const snapshot = await readSnapshot(db, tokenHash);
    if (!snapshot) throw new AppError("NOT_FOUND", unknown);
    if (snapshot.slug !== input.slug) throw new AppError("NOT_FOUND", "These answers belong to another questionnaire.");
    if (snapshot.status === "COMPLETED") return { ok: true, status: "completed", saved: 0 };
    if (snapshot.questionnaireStatus === "CLOSED") {
      throw new AppError("CONFLICT", "This questionnaire was closed by the researchers and no longer accepts answers. The answers you saved earlier are kept.");
    }
    const definition = await versionDefinition(db.sql, snapshot.versionId);
    const section: Section | undefined = definition.sections.find((candidate) => candidate.id === input.sectionId);
    if (!section) throw new AppError("INVALID_INPUT", "This page does not belong to the questionnaire. Please reload the page.");
    if (!fieldsFitPage(section, input.fields)) throw new AppError("INVALID_INPUT", "This page sent more answers than it has questions. Please reload the page.");

    const plan = input.direction === "back" ? planBack(definition, section, snapshot.answers, input.fields) : planNext(definition, section, snapshot.answers, input.fields);
    if (!plan.ok) return plan.result;
    if (await applyPageWrite(db, snapshot, definition, plan.write)) return plan.result;
  }
  throw new AppError("CONFLICT", "Your answers were being saved from another window at the same time. Please press the button again.");
}

