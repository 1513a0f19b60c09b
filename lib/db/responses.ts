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
import type { Database } from "./connection";
import { AppError } from "@/lib/errors";
import { cachedDefinition, definitionOfVersion } from "./questionnaires";
import { hashToken, isTokenShaped, newPresentationSeed, newToken } from "./survey-tokens";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Question, QuestionnaireDefinition, Section } from "@/lib/survey/definition";
import type { AnswerValue, Answers } from "@/lib/survey/answer-types";
import { isChoiceAnswer, isMatrixAnswer, isMultipleChoiceAnswer } from "@/lib/survey/answer-types";
import { checkAnswer, readPageForm, type FormFields } from "@/lib/survey/answers";
import { resolveVisibility } from "@/lib/survey/conditions";
import { finalizeAnswers, previousPage, submitPage, visiblePages, type PageView } from "@/lib/survey/flow";
import { drawPresentationOrder, presentationOrderSchema, type PresentationOrder } from "@/lib/survey/randomize";

type Tx = Prisma.TransactionClient;

/** Why a questionnaire does not accept a new participant now, in words for the participant. */
export function availabilityProblem(
  questionnaire: { status: string; opensAt: Date | null; closesAt: Date | null; maxResponses: number | null; currentVersionId: string | null },
  completed: number,
  now: Date,
): string | null {
  const date = (d: Date) => d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  if (!questionnaire.currentVersionId || questionnaire.status === "DRAFT") return "This questionnaire has not been published yet.";
  if (questionnaire.status === "CLOSED") return "This questionnaire is closed and no longer accepts answers. Thank you for your interest.";
  if (questionnaire.opensAt && now < questionnaire.opensAt) return `This questionnaire opens on ${date(questionnaire.opensAt)}. Please come back then.`;
  if (questionnaire.closesAt && now >= questionnaire.closesAt) return `This questionnaire closed on ${date(questionnaire.closesAt)}. Thank you for your interest.`;
  if (questionnaire.maxResponses !== null && completed >= questionnaire.maxResponses) {
    return "This questionnaire has received all the responses it needs and is now closed. Thank you for your interest.";
  }
  return null;
}

/** The typed columns of an Answer row, so the database can aggregate without reading JSON (see schema). */
export function typedAnswerColumns(question: Question, value: AnswerValue): { choiceIds: string[]; numberValue: number | null; textValue: string | null } {
  if (isChoiceAnswer(value)) return { choiceIds: [value.choice], numberValue: null, textValue: value.otherText ?? null };
  if (isMultipleChoiceAnswer(value)) return { choiceIds: value.choices, numberValue: null, textValue: value.otherText ?? null };
  if (typeof value === "number") return { choiceIds: [], numberValue: value, textValue: null };
  if (typeof value === "string") return { choiceIds: [], numberValue: null, textValue: value };
  if (question.type === "matrix" && isMatrixAnswer(value)) return { choiceIds: Object.entries(value).map(([row, column]) => `${row}:${column}`), numberValue: null, textValue: null };
  return { choiceIds: [], numberValue: null, textValue: null };
}

const indexQuestionsById = (definition: QuestionnaireDefinition): Map<string, Question> =>
  new Map(definition.sections.flatMap((section) => section.questions.map((question) => [question.id, question] as const)));

/**
 * Writes the given answers (upsert on responseId + questionId) and deletes the listed question ids, so the same
 * call twice leaves the same rows. One statement for all answers of a page: rows travel as one JSON parameter.
 */
async function writeAnswers(tx: Tx, responseId: string, definition: QuestionnaireDefinition, answers: Answers, clearIds: string[]): Promise<number> {
  const questions = indexQuestionsById(definition);
  if (clearIds.length > 0) await tx.answer.deleteMany({ where: { responseId, questionId: { in: clearIds } } });
  const rows = Object.entries(answers).flatMap(([questionId, value]) => {
    const question = questions.get(questionId);
    return question ? [{ id: randomUUID(), questionId, value, ...typedAnswerColumns(question, value) }] : [];
  });
  if (rows.length === 0) return 0;
  await tx.$executeRawUnsafe(
    `INSERT INTO "Answer" (id, "responseId", "questionId", value, "choiceIds", "numberValue", "textValue", "updatedAt")
     SELECT a.id, $1, a."questionId", a.value, a."choiceIds", a."numberValue", a."textValue", CURRENT_TIMESTAMP
     FROM json_to_recordset($2::json) AS a(id text, "questionId" text, value jsonb, "choiceIds" text[], "numberValue" double precision, "textValue" text)
     ON CONFLICT ("responseId", "questionId") DO UPDATE SET value = EXCLUDED.value, "choiceIds" = EXCLUDED."choiceIds",
       "numberValue" = EXCLUDED."numberValue", "textValue" = EXCLUDED."textValue", "updatedAt" = EXCLUDED."updatedAt"`,
    responseId,
    JSON.stringify(rows),
  );
  return rows.length;
}

async function loadAnswers(tx: Tx | Database["prisma"], responseId: string): Promise<Answers> {
  const rows = await tx.answer.findMany({ where: { responseId }, select: { questionId: true, value: true } });
  const answers: Answers = {};
  for (const row of rows) answers[row.questionId] = row.value as AnswerValue;
  return answers;
}

const parsePresentation = (value: unknown): PresentationOrder | undefined => {
  const parsed = presentationOrderSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

/** Progress as the participant sees it: pages before the current one out of the pages shown for these answers. */
export function pageProgress(definition: QuestionnaireDefinition, answers: Answers, currentSection: string | null): { index: number; total: number; percent: number } {
  const pages = visiblePages(definition, answers);
  const found = currentSection ? pages.findIndex((page) => page.section.id === currentSection) : 0;
  const index = found < 0 ? 0 : found;
  return { index, total: pages.length, percent: pages.length === 0 ? 100 : Math.round((100 * index) / pages.length) };
}

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
  const questionnaire = await db.prisma.questionnaire.findUnique({ where: { slug }, include: { currentVersion: true } });
  if (!questionnaire || !questionnaire.currentVersion) return null;
  const completed =
    questionnaire.maxResponses === null ? 0 : await db.prisma.response.count({ where: { questionnaireId: questionnaire.id, status: "COMPLETED" } });
  return {
    id: questionnaire.id,
    slug: questionnaire.slug,
    title: questionnaire.title,
    definition: definitionOfVersion(questionnaire.currentVersion),
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
    progress: { index, total: pages.length, percent: Math.round((100 * index) / pages.length) },
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
  return db.prisma.$transaction(async (tx) => {
    const questionnaire = await tx.questionnaire.findUnique({ where: { slug: input.slug }, include: { currentVersion: true } });
    if (!questionnaire || !questionnaire.currentVersion) throw new AppError("NOT_FOUND", "This questionnaire does not exist.");
    // One start at a time per browser (and per invitation): a double click or replay finds the first response.
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, `start:${questionnaire.id}:${invitationHash ?? browserKeyHash}`);

    const resumeToken = newToken();
    const resume = async (responseId: string): Promise<StartResult> => {
      await tx.response.update({ where: { id: responseId }, data: { resumeTokenHash: hashToken(resumeToken), browserKeyHash } });
      return { responseId, resumeToken, resumed: true };
    };

    let invitationId: string | null = null;
    if (invitationHash) {
      const invitation = await tx.invitation.findUnique({ where: { tokenHash: invitationHash }, include: { list: true, response: true } });
      if (!invitation || invitation.list.questionnaireId !== questionnaire.id) {
        throw new AppError("NOT_FOUND", "This invitation link is not valid. Please check that you copied the whole link.");
      }
      if (invitation.response) {
        if (invitation.response.status === "COMPLETED") throw new AppError("CONFLICT", "This invitation link has already been used to complete the questionnaire. Thank you for taking part.");
        return resume(invitation.response.id);
      }
      invitationId = invitation.id;
    } else {
      if (!questionnaire.publicLinkOpen) throw new AppError("CONFLICT", "This questionnaire can only be answered through a personal invitation link.");
      const earlier = await tx.response.findMany({
        where: { questionnaireId: questionnaire.id, browserKeyHash, source: "WEB" },
        select: { id: true, status: true },
        orderBy: { startedAt: "desc" },
      });
      const unfinished = earlier.find((response) => response.status === "IN_PROGRESS");
      if (unfinished) return resume(unfinished.id);
      if (earlier.length > 0 && !questionnaire.allowRepeat) {
        throw new AppError("CONFLICT", "You have already completed this questionnaire in this browser. Thank you for taking part.");
      }
    }

    const completed = questionnaire.maxResponses === null ? 0 : await tx.response.count({ where: { questionnaireId: questionnaire.id, status: "COMPLETED" } });
    const problem = availabilityProblem(questionnaire, completed, now);
    if (problem) throw new AppError("CONFLICT", problem);

    const definition = definitionOfVersion(questionnaire.currentVersion);
    const seed = newPresentationSeed();
    const presentation = drawPresentationOrder(definition, seed);
    const first = visiblePages(definition, {})[0];
    const response = await tx.response.create({
      data: {
        questionnaireId: questionnaire.id,
        versionId: questionnaire.currentVersion.id,
        resumeTokenHash: hashToken(resumeToken),
        browserKeyHash,
        currentSection: first?.section.id ?? null,
        presentation: presentation as unknown as Prisma.InputJsonValue,
        randomSeed: seed,
      },
    });
    if (invitationId) await tx.invitation.update({ where: { id: invitationId }, data: { responseId: response.id } });
    return { responseId: response.id, resumeToken, resumed: false };
  });
}

// ─────────────────────────────────── Saving pages ───────────────────────────────────

export type SavePageResult =
  | { ok: true; status: "page"; sectionId: string; saved: number }
  | { ok: true; status: "completed"; saved: number }
  | { ok: false; fieldErrors: Record<string, string>; fields: FormFields; sectionId: string };

/**
 * Saves one page of a response ("Next") or keeps what can be kept and goes one page back ("Back").
 *
 * Next: the page is validated (plain-words messages per question, what was typed is returned), its answers are
 * upserted, answers cleared on the page are deleted, and the response moves to the next page shown for the new
 * answers; after the last page the response is finalised (answers to questions that ended up hidden are
 * removed) and marked completed. Back: answers on the page that are valid are saved, the rest is left as it
 * was, and the response moves to the previous page.
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
  if (!isTokenShaped(input.resumeToken)) throw new AppError("NOT_FOUND", "We could not find your answers: your session has ended. Use your resume link, or start again.");
  const tokenHash = hashToken(input.resumeToken);
  return db.prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id FROM "Response" WHERE "resumeTokenHash" = $1 FOR UPDATE`, tokenHash);
    const responseId = locked[0]?.id;
    if (!responseId) throw new AppError("NOT_FOUND", "We could not find your answers: your session has ended. Use your resume link, or start again.");
    // The version's definition (a large JSON) is read only when it is not cached yet: published versions are frozen.
    const response = await tx.response.findUniqueOrThrow({
      where: { id: responseId },
      select: { id: true, status: true, versionId: true, questionnaire: { select: { slug: true, status: true } } },
    });
    if (response.questionnaire.slug !== input.slug) throw new AppError("NOT_FOUND", "These answers belong to another questionnaire.");
    if (response.status === "COMPLETED") return { ok: true, status: "completed", saved: 0 };
    if (response.questionnaire.status === "CLOSED") {
      throw new AppError("CONFLICT", "This questionnaire was closed by the researchers and no longer accepts answers. The answers you saved earlier are kept.");
    }
    const definition = cachedDefinition(response.versionId) ?? definitionOfVersion(await tx.questionnaireVersion.findUniqueOrThrow({ where: { id: response.versionId } }));
    const section: Section | undefined = definition.sections.find((candidate) => candidate.id === input.sectionId);
    if (!section) throw new AppError("INVALID_INPUT", "This page does not belong to the questionnaire. Please reload the page.");
    const draft = await loadAnswers(tx, response.id);
    const pageQuestionIds = section.questions.map((question) => question.id);

    if (input.direction === "back") {
      const reading = readPageForm(section, input.fields);
      const keep: Answers = {};
      const merged = { ...draft, ...reading.answers };
      const visible = resolveVisibility(definition, merged).visibleQuestionIds;
      for (const question of section.questions) {
        if (!visible.has(question.id) || reading.fieldErrors[question.id]) continue;
        const check = checkAnswer({ ...question, required: false }, reading.answers[question.id]);
        if (check.ok && check.value !== undefined) keep[question.id] = check.value;
      }
      const saved = await writeAnswers(tx, response.id, definition, keep, []);
      const previous = previousPage(definition, { ...draft, ...keep }, section.id);
      const target = previous?.section.id ?? section.id;
      await tx.response.update({ where: { id: response.id }, data: { currentSection: target } });
      return { ok: true, status: "page", sectionId: target, saved };
    }

    const submission = submitPage(definition, section.id, draft, input.fields);
    if (!submission.ok) return { ok: false, fieldErrors: submission.fieldErrors, fields: submission.fields, sectionId: section.id };
    // Visible questions were validated by submitPage. Hidden ones keep a draft value (so flipping an earlier
    // answer back does not erase it) only when it is a valid answer: nothing unchecked reaches the database.
    const visible = resolveVisibility(definition, submission.answers).visibleQuestionIds;
    const pageAnswers: Answers = {};
    for (const question of section.questions) {
      const value = submission.answers[question.id];
      if (value === undefined) continue;
      if (visible.has(question.id)) pageAnswers[question.id] = value;
      else {
        const check = checkAnswer({ ...question, required: false }, value);
        if (check.ok && check.value !== undefined) pageAnswers[question.id] = check.value;
      }
    }
    const cleared = pageQuestionIds.filter((id) => draft[id] !== undefined && pageAnswers[id] === undefined);
    const saved = await writeAnswers(tx, response.id, definition, pageAnswers, cleared);

    if (submission.next) {
      await tx.response.update({ where: { id: response.id }, data: { currentSection: submission.next.section.id } });
      return { ok: true, status: "page", sectionId: submission.next.section.id, saved };
    }
    const final = finalizeAnswers(definition, submission.answers);
    if (!final.ok) {
      // An earlier page is incomplete (e.g. a changed answer made a required question appear): send them there.
      await tx.response.update({ where: { id: response.id }, data: { currentSection: final.firstIncompleteSectionId } });
      return { ok: true, status: "page", sectionId: final.firstIncompleteSectionId, saved };
    }
    if (final.droppedQuestionIds.length > 0) await tx.answer.deleteMany({ where: { responseId: response.id, questionId: { in: final.droppedQuestionIds } } });
    await tx.response.update({ where: { id: response.id }, data: { status: "COMPLETED", completedAt: new Date(), currentSection: null } });
    return { ok: true, status: "completed", saved };
  });
}
