/**
 * Where coders' codes meet: the conflicts list and side-by-side view for adjudicators, and the adjudicator's
 * final code. Results, agreement and exports live in lib/db/literature-results.ts (the one source of those
 * numbers).
 *
 * Blindness: codings of a paper are read together only by holders of coding.adjudicate, and a paper is
 * opened for adjudication only when every coder assigned to it has submitted, so an adjudicator who also
 * codes stays blind on papers still being coded (the rule of lib/coding/queue.ts `visibleCodings`).
 *
 * Third person: a disagreement is settled by someone who did not code the paper. Only an admin may
 * adjudicate a paper they coded, and only with a recorded reason for the override (stored on the final code
 * and in the audit log), for teams too small to have a third person for every paper.
 */
import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { loadStudyCodingData, stratumLabels, type CodingRoundName, type StudyCodingData } from "./literature-results";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { isQuestionAsked, validateCodingAnswers, type Codebook, type CodingAnswer } from "@/lib/coding/codebook";
import { comparePaperCodings, isComparableQuestionType, type PaperComparison } from "@/lib/coding/conflicts";
import { deriveFinalCodes, type FinalCodeStatus } from "@/lib/coding/final-codes";
import { visibleCodings } from "@/lib/coding/queue";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

/** How the acting user stands towards adjudicating a paper (the third-person rule). */
export type AdjudicatorStanding = "third-person" | "coded-may-override" | "coded-may-not";

function standingOf(actor: Actor, paper: Pick<StudyCodingData["papers"][number], "assignedCoderIds">): AdjudicatorStanding {
  if (!paper.assignedCoderIds.includes(actor.id)) return "third-person";
  return actor.role === "ADMIN" ? "coded-may-override" : "coded-may-not";
}

export type ConflictItem = {
  paperId: string;
  title: string;
  studyName: string;
  studySlug: string;
  stratum: string;
  /** The stratum's label in the study's population definition (its id when the definition has none). */
  stratumLabel: string;
  round: CodingRoundName;
  questions: string[];
  coders: number;
  /** Whether the acting user may settle it (they did not code it), or only as an admin override. */
  standing: AdjudicatorStanding;
  resolution: null | { adjudicatorName: string; reason: string; at: Date; override: string | null };
};

/**
 * The adjudicator's conflicts list, labelled by study: papers whose coders (all submitted) disagree on at
 * least one question, unresolved first.
 * @param options.studySlug only that study's conflicts (an unknown slug gives none, never another study's).
 * @throws AppError FORBIDDEN without coding.adjudicate.
 */
export async function listConflicts(db: Database, actor: Actor, options: { studySlug?: string } = {}): Promise<ConflictItem[]> {
  assertCan(actor, "coding.adjudicate");
  const studies = await db.prisma.study.findMany({
    where: { sampleDraws: { some: {} }, ...(options.studySlug ? { slug: options.studySlug } : {}) },
    select: { id: true, name: true, slug: true, strataConfig: true },
    orderBy: { createdAt: "asc" },
  });
  const items: ConflictItem[] = [];
  for (const study of studies) {
    const data = await loadStudyCodingData(db, study.id);
    const labels = stratumLabels(study.strataConfig);
    for (const paper of data.papers) {
      if (!paper.isOpen) continue;
      const comparison = comparePaperCodings(data.codebook, data.codings.filter((coding) => coding.paperKey === paper.id));
      if (!comparison.hasConflict) continue;
      const adjudication = data.adjudications.find((item) => item.paperKey === paper.id);
      items.push({
        paperId: paper.id,
        title: paper.title,
        studyName: study.name,
        studySlug: study.slug,
        stratum: paper.stratum,
        stratumLabel: labels.get(paper.stratum) ?? paper.stratum,
        round: paper.round,
        questions: comparison.questions.filter((question) => question.status === "disagree").map((question) => question.questionId),
        coders: comparison.coderIds.length,
        standing: standingOf(actor, paper),
        resolution: adjudication ? { adjudicatorName: adjudication.adjudicatorName, reason: adjudication.reason, at: adjudication.updatedAt, override: adjudication.override } : null,
      });
    }
  }
  return [...items.filter((item) => !item.resolution), ...items.filter((item) => item.resolution)];
}

export type AdjudicationView = {
  paper: StudyCodingData["papers"][number] & { abstract: string | null };
  codebook: Codebook;
  codings: { coderName: string; answers: Record<string, CodingAnswer>; note: string | null; askedQuestionIds: string[] }[];
  comparison: PaperComparison;
  final: FinalCodeStatus;
  study: { slug: string; name: string };
  /** The paper's stratum label in the study's population definition (its id when the definition has none). */
  stratumLabel: string;
  standing: AdjudicatorStanding;
  /** The recorded override reason of the current final code, when an admin who coded the paper set it. */
  override: string | null;
};

/**
 * Both (all) codings of one paper side by side, for an adjudicator. A paper still being coded, outside any
 * sample, or unknown is NOT_FOUND: adjudication opens only when every assigned coder has submitted.
 * @throws AppError FORBIDDEN without coding.adjudicate.
 */
export async function getAdjudicationView(db: Database, actor: Actor, paperId: string): Promise<AdjudicationView> {
  assertCan(actor, "coding.adjudicate");
  const paperRow = await db.prisma.paper.findUnique({ where: { id: paperId }, select: { studyId: true, abstract: true, study: { select: { slug: true, name: true, strataConfig: true } } } });
  if (!paperRow) throw new AppError("NOT_FOUND", "That paper is not open for adjudication.");
  const data = await loadStudyCodingData(db, paperRow.studyId);
  const paper = data.papers.find((item) => item.id === paperId);
  if (!paper || !paper.isOpen) throw new AppError("NOT_FOUND", "That paper is not open for adjudication.");
  const paperCodings = visibleCodings({ userId: actor.id, canAdjudicate: true }, data.codings.filter((coding) => coding.paperKey === paperId), paper.isOpen);
  const [final] = deriveFinalCodes(data.codebook, paperCodings, data.adjudications.filter((item) => item.paperKey === paperId));
  return {
    paper: { ...paper, abstract: paperRow.abstract },
    codebook: data.codebook,
    codings: [...paperCodings]
      .sort((a, b) => (a.coderId < b.coderId ? -1 : 1))
      .map((coding) => ({
        coderName: coding.coderName,
        answers: coding.answers as Record<string, CodingAnswer>,
        note: coding.note,
        askedQuestionIds: data.codebook.questions.filter((question) => isQuestionAsked(data.codebook, question.id, coding.answers)).map((question) => question.id),
      })),
    comparison: comparePaperCodings(data.codebook, paperCodings),
    final: final ?? { paperKey: paperId, status: "pending", reason: "no codings" },
    study: { slug: paperRow.study.slug, name: paperRow.study.name },
    stratumLabel: stratumLabels(paperRow.study.strataConfig).get(paper.stratum) ?? paper.stratum,
    standing: standingOf(actor, paper),
    override: data.adjudications.find((item) => item.paperKey === paperId)?.override ?? null,
  };
}

export type ResolveResult = { ok: true } | { ok: false; errors: Record<string, string>; message: string };

/**
 * Records the adjudicator's final code of a paper with a reason (replacing an earlier one). The answers are
 * validated against the codebook and must be complete; text answers are not part of final codes.
 * Someone who coded the paper may not settle it; an admin may, with `overrideReason`, which is stored on the
 * final code and in the audit entry.
 * @throws AppError NOT_FOUND when the paper is not open for adjudication; FORBIDDEN when a non-admin coded
 *   it; AppError FORBIDDEN without coding.adjudicate.
 */
export async function resolvePaper(
  db: Database,
  actor: Actor,
  input: { paperId: string; answers: Record<string, unknown>; reason: string; overrideReason?: string },
): Promise<ResolveResult> {
  const view = await getAdjudicationView(db, actor, input.paperId);
  if (view.standing === "coded-may-not") {
    throw new AppError("FORBIDDEN", "You coded this paper, so another adjudicator must settle its disagreement.");
  }
  const reason = input.reason.trim();
  const overrideReason = input.overrideReason?.trim() ?? "";
  const checked = validateCodingAnswers(view.codebook, input.answers);
  const errors: Record<string, string> = { ...checked.errors };
  for (const id of checked.missing) errors[id] = "The final code needs an answer here.";
  if (reason === "") errors.reason = "Give the reason for the final code (e.g. what the paper says, where).";
  if (view.standing === "coded-may-override" && overrideReason === "") {
    errors.overrideReason = "You coded this paper yourself: say why no third person can adjudicate it (recorded in the audit log).";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, message: "The final code is incomplete; nothing was saved." };
  const answers = Object.fromEntries(
    Object.entries(checked.answers).filter(([id]) => isComparableQuestionType(view.codebook.questions.find((question) => question.id === id)?.type ?? "text")),
  );
  const override = view.standing === "coded-may-override" ? overrideReason.slice(0, 2000) : null;
  await db.prisma.$transaction(async (tx) => {
    const data = { answers: answers as Prisma.InputJsonValue, source: "ADJUDICATED" as const, adjudicatorId: actor.id, reason: reason.slice(0, 2000), overrideReason: override };
    await tx.finalCode.upsert({ where: { paperId: input.paperId }, create: { paperId: input.paperId, ...data }, update: data });
    await recordAudit(tx, actor, override ? "coding.adjudicate.override" : "coding.adjudicate", input.paperId, {
      answers: answers as Prisma.InputJsonValue,
      reason,
      study: view.study.slug,
      ...(override ? { overrideReason: override } : {}),
    });
  });
  return { ok: true };
}
