/**
 * The annotator's side of the literature survey: their queue, one paper at a time with the codebook, and
 * saving their codes. Blind coding is enforced here: every query is filtered by the acting coder's id, so a
 * coder can read only their own assignments and codings; any other id is NOT_FOUND (never FORBIDDEN, which
 * would confirm that it exists). Other coders' codes are read only in lib/db/adjudication.ts.
 */
import type { Database } from "./engine/connection";
import { getStudyCodebook } from "./codebooks";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { validateCodingAnswers, type Codebook, type CodingAnswer } from "@/lib/coding/codebook";
import { buildCoderQueue } from "@/lib/coding/queue";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

export type QueueItem = {
  assignmentId: string;
  title: string;
  venue: string | null;
  year: number | null;
  round: "calibration" | "main";
  isSkipped: boolean;
  hasDraft: boolean;
  studySlug: string;
  studyName: string;
};

/** One study's part of a coder's queue: its calibration round gates only its own main round. */
export type StudyQueue = {
  studySlug: string;
  studyName: string;
  remaining: QueueItem[];
  done: { assignmentId: string; title: string; round: "calibration" | "main"; isAdjudicated: boolean }[];
  next: string | null;
  progress: { done: number; total: number; calibrationDone: number; calibrationTotal: number };
  isInCalibration: boolean;
  /** Main-round papers of this study waiting until its calibration is finished. */
  waitingForCalibration: number;
};

export type CoderQueueView = {
  /** The coder's studies, in the order they were first assigned papers. */
  studies: StudyQueue[];
  /** Every study's remaining papers, study after study. */
  remaining: QueueItem[];
  next: string | null;
  progress: { done: number; total: number };
};

const notFound = () => new AppError("NOT_FOUND", "That paper is not in your queue.");

async function loadOwnAssignments(db: Pick<Database["prisma"], "assignment">, coderId: string) {
  return db.assignment.findMany({
    where: { coderId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      round: true,
      status: true,
      paper: { select: { title: true, venue: true, year: true, study: { select: { id: true, slug: true, name: true } }, finalCode: { select: { source: true } } } },
      coding: { select: { id: true } },
    },
  });
}

type OwnAssignment = Awaited<ReturnType<typeof loadOwnAssignments>>[number];

const roundName = (value: "CALIBRATION" | "MAIN") => (value === "CALIBRATION" ? "calibration" : "main") as "calibration" | "main";

function studyQueueOf(assignments: readonly OwnAssignment[]): StudyQueue {
  const study = assignments[0]!.paper.study;
  const queue = buildCoderQueue(
    assignments.map((item) => ({ paperKey: item.id, round: roundName(item.round) })),
    assignments.filter((item) => item.coding || item.status !== "PENDING").map((item) => ({ paperKey: item.id, isComplete: item.status === "DONE", isSkipped: item.status === "SKIPPED" })),
  );
  const byId = new Map(assignments.map((item) => [item.id, item]));
  return {
    studySlug: study.slug,
    studyName: study.name,
    remaining: queue.remaining.map((item) => {
      const assignment = byId.get(item.paperKey)!;
      return {
        assignmentId: item.paperKey,
        title: assignment.paper.title,
        venue: assignment.paper.venue,
        year: assignment.paper.year,
        round: item.round,
        isSkipped: item.isSkipped,
        hasDraft: item.hasDraft,
        studySlug: study.slug,
        studyName: study.name,
      };
    }),
    done: assignments
      .filter((item) => item.status === "DONE")
      .map((item) => ({ assignmentId: item.id, title: item.paper.title, round: roundName(item.round), isAdjudicated: item.paper.finalCode?.source === "ADJUDICATED" })),
    next: queue.next,
    progress: queue.progress,
    isInCalibration: queue.isInCalibration,
    waitingForCalibration: queue.isInCalibration ? assignments.filter((item) => item.round === "MAIN" && item.status !== "DONE").length : 0,
  };
}

/** Splits a coder's assignments by study: each study's calibration round is its own (it never blocks another study). */
function queueOf(assignments: readonly OwnAssignment[]): CoderQueueView {
  const byStudy = new Map<string, OwnAssignment[]>();
  for (const item of assignments) byStudy.set(item.paper.study.id, [...(byStudy.get(item.paper.study.id) ?? []), item]);
  const studies = [...byStudy.values()].map(studyQueueOf);
  const remaining = studies.flatMap((study) => study.remaining);
  return {
    studies,
    remaining,
    next: remaining[0]?.assignmentId ?? null,
    progress: { done: studies.reduce((sum, study) => sum + study.progress.done, 0), total: studies.reduce((sum, study) => sum + study.progress.total, 0) },
  };
}

/**
 * The acting coder's queue, per study: calibration papers first, then the main round; skipped papers last.
 * @param options.studySlug only that study's part (an unknown slug gives an empty queue, never another study's).
 * @throws AppError FORBIDDEN without coding.code.
 */
export async function getCoderQueue(db: Database, actor: Actor, options: { studySlug?: string } = {}): Promise<CoderQueueView> {
  assertCan(actor, "coding.code");
  const assignments = await loadOwnAssignments(db.prisma, actor.id);
  return queueOf(options.studySlug ? assignments.filter((item) => item.paper.study.slug === options.studySlug) : assignments);
}

export type CodingTask = {
  assignmentId: string;
  round: "calibration" | "main";
  status: "PENDING" | "SKIPPED" | "DONE";
  paper: { title: string; authors: string[]; venue: string | null; year: number | null; doi: string | null; url: string | null; abstract: string | null; pages: string | null; track: string | null };
  codebook: Codebook;
  /** The coder's own saved answers (never anyone else's). */
  answers: Record<string, CodingAnswer>;
  note: string;
  /** The paper has an adjudicated final code: the coding is read-only. */
  isLocked: boolean;
  /** A main-round paper opened while calibration papers remain: it can be read but not saved yet. */
  isWaitingForCalibration: boolean;
  queue: { position: number | null; remaining: number; nextAfter: string | null; progress: StudyQueue["progress"] };
  study: { slug: string; name: string };
};

/**
 * One of the acting coder's papers with the codebook and their own codes.
 * @throws AppError NOT_FOUND when the assignment does not exist or belongs to someone else.
 */
export async function getCodingTask(db: Database, actor: Actor, assignmentId: string): Promise<CodingTask> {
  assertCan(actor, "coding.code");
  const assignment = await db.prisma.assignment.findFirst({
    where: { id: assignmentId, coderId: actor.id },
    include: { paper: { include: { finalCode: { select: { source: true } }, study: { select: { slug: true, name: true } } } }, coding: true },
  });
  if (!assignment) throw notFound();
  const { codebook } = await getStudyCodebook(db, assignment.paper.studyId);
  const all = queueOf(await loadOwnAssignments(db.prisma, actor.id));
  const queue = all.studies.find((study) => study.studySlug === assignment.paper.study.slug)!;
  const position = queue.remaining.findIndex((item) => item.assignmentId === assignment.id);
  const nextAfter =
    queue.remaining.find((item, index) => index !== position && item.assignmentId !== assignment.id)?.assignmentId ??
    all.remaining.find((item) => item.assignmentId !== assignment.id)?.assignmentId ??
    null;
  const paper = assignment.paper;
  return {
    assignmentId: assignment.id,
    round: assignment.round === "CALIBRATION" ? "calibration" : "main",
    status: assignment.status,
    paper: { title: paper.title, authors: paper.authors, venue: paper.venue, year: paper.year, doi: paper.doi, url: paper.url, abstract: paper.abstract, pages: paper.pages, track: paper.track },
    codebook,
    answers: (assignment.coding?.answers ?? {}) as Record<string, CodingAnswer>,
    note: assignment.coding?.note ?? "",
    isLocked: paper.finalCode?.source === "ADJUDICATED",
    isWaitingForCalibration: assignment.round === "MAIN" && queue.isInCalibration,
    queue: { position: position >= 0 ? position + 1 : null, remaining: queue.remaining.length, nextAfter, progress: queue.progress },
    study: { slug: paper.study.slug, name: paper.study.name },
  };
}

export type SaveCodingIntent = "submit" | "skip" | "draft";
export type SaveCodingResult =
  | { ok: true; status: "PENDING" | "SKIPPED" | "DONE"; next: string | null }
  | { ok: false; errors: Record<string, string>; message: string };

/**
 * Saves the acting coder's codes for one of their papers.
 * - "submit" requires every asked, required question to be answered (validated against the codebook) and
 *   marks the paper done;
 * - "skip" keeps what is valid as a draft and moves the paper to the end of the queue;
 * - "draft" keeps what is valid without changing the paper's place.
 * Answers to questions that are not asked (e.g. "multiple runs?" after "trains DL? no") are dropped.
 * @returns the next paper of the queue, or the problems per question (nothing saved on submit errors).
 * @throws AppError NOT_FOUND for another coder's or an unknown assignment; CONFLICT when the paper was
 *   adjudicated already, or for a main-round paper while calibration papers remain.
 */
export async function saveCoding(
  db: Database,
  actor: Actor,
  input: { assignmentId: string; answers: Record<string, unknown>; note: string; intent: SaveCodingIntent },
): Promise<SaveCodingResult> {
  assertCan(actor, "coding.code");
  const assignment = await db.prisma.assignment.findFirst({
    where: { id: input.assignmentId, coderId: actor.id },
    include: { paper: { select: { studyId: true, finalCode: { select: { source: true } } } } },
  });
  if (!assignment) throw notFound();
  if (assignment.paper.finalCode?.source === "ADJUDICATED") throw new AppError("CONFLICT", "This paper was adjudicated already; its codes can no longer change.");
  if (assignment.round === "MAIN") {
    // Only this study's calibration gates its main round; another study's calibration is unrelated work.
    const openCalibration = await db.prisma.assignment.count({
      where: { coderId: actor.id, round: "CALIBRATION", status: { not: "DONE" }, paper: { studyId: assignment.paper.studyId } },
    });
    if (openCalibration > 0) throw new AppError("CONFLICT", `Finish your ${openCalibration} calibration paper(s) of this study first; its main round starts after calibration.`);
  }
  const { codebook } = await getStudyCodebook(db, assignment.paper.studyId);
  // The note question (type text) travels in the answers like any other; the separate note is free text.
  const checked = validateCodingAnswers(codebook, input.answers);
  if (Object.keys(checked.errors).length > 0) {
    return { ok: false, errors: checked.errors, message: "Some answers are not valid; nothing was saved." };
  }
  if (input.intent === "submit" && !checked.isComplete) {
    return {
      ok: false,
      errors: Object.fromEntries(checked.missing.map((id) => [id, "Answer this question before saving, or skip the paper for later."])),
      message: `${checked.missing.length} question(s) still need an answer; nothing was saved.`,
    };
  }
  const status = input.intent === "submit" ? "DONE" : input.intent === "skip" ? "SKIPPED" : assignment.status === "DONE" ? "DONE" : assignment.status;
  const note = input.note.trim().slice(0, 5000) || null;
  await db.prisma.$transaction(async (tx) => {
    const data = {
      answers: checked.answers as Prisma.InputJsonValue,
      note,
      codebookVersion: codebook.version,
      submittedAt: status === "DONE" ? new Date() : null,
    };
    await tx.coding.upsert({ where: { assignmentId: assignment.id }, create: { assignmentId: assignment.id, ...data }, update: data });
    await tx.assignment.update({ where: { id: assignment.id }, data: { status } });
  });
  const queue = queueOf(await loadOwnAssignments(db.prisma, actor.id));
  // Stay in the same study while it has papers left, then move on to the next study's.
  const sameStudy = queue.studies.find((study) => study.remaining.some((item) => item.assignmentId === assignment.id) || study.done.some((item) => item.assignmentId === assignment.id));
  const next =
    sameStudy?.remaining.find((item) => item.assignmentId !== assignment.id)?.assignmentId ??
    queue.remaining.find((item) => item.assignmentId !== assignment.id)?.assignmentId ??
    (status === "DONE" ? null : queue.next);
  return { ok: true, status, next };
}

/**
 * The acting coder's own coding of an assignment, or NOT_FOUND — the direct-read path tests use to show
 * that guessing another coder's assignment id yields nothing.
 */
export async function getOwnCoding(db: Database, actor: Actor, assignmentId: string): Promise<{ answers: Record<string, CodingAnswer>; note: string | null; submittedAt: Date | null }> {
  assertCan(actor, "coding.code");
  const coding = await db.prisma.coding.findFirst({ where: { assignmentId, assignment: { coderId: actor.id } } });
  if (!coding) throw notFound();
  return { answers: coding.answers as Record<string, CodingAnswer>, note: coding.note, submittedAt: coding.submittedAt };
}
