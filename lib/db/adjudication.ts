/**
 * Where coders' codes meet: the conflicts list and side-by-side view for adjudicators, the adjudicator's
 * final code, inter-coder agreement per round, the results table and the export of the coded sample.
 *
 * Blindness: codings of a paper are read together only here, only by holders of coding.adjudicate (conflicts)
 * or coding.read-all (agreement, results, export), and a paper is opened for adjudication only when every
 * coder assigned to it has submitted — so an adjudicator who also codes stays blind on papers still being
 * coded (the rule of lib/coding/queue.ts `visibleCodings`).
 *
 * Final codes: a paper's final code is the adjudicator's (stored as FinalCode ADJUDICATED) or, when the
 * coders agree on every compared question, their shared answers — derived on every read with
 * lib/coding/final-codes.ts rather than stored, so it can never go stale when a coder corrects a code.
 */
import type { Database } from "./connection";
import { recordAudit } from "./audit";
import { getStudyCodebook, studyPopulationDefinition } from "./codebooks";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { computeRoundAgreement, type AgreementReport } from "@/lib/coding/agreement";
import { isQuestionAsked, validateCodingAnswers, type Codebook, type CodingAnswer } from "@/lib/coding/codebook";
import { comparePaperCodings, isComparableQuestionType, type PaperComparison, type PaperCoding } from "@/lib/coding/conflicts";
import { shapeCodebookTable, shapeCodedSampleJson, shapeCodedSampleTable, tableToCsv } from "@/lib/coding/export";
import { deriveFinalCodes, type FinalCodeStatus } from "@/lib/coding/final-codes";
import { visibleCodings } from "@/lib/coding/queue";
import { computeSurveyResults, type MeasureResult } from "@/lib/coding/results";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

type StudyCodingData = {
  studyId: string;
  codebook: Codebook;
  papers: {
    id: string;
    title: string;
    authors: string[];
    venue: string | null;
    year: number | null;
    doi: string | null;
    url: string | null;
    stratum: string;
    round: "calibration" | "main";
    /** Every assigned coder has submitted (and there are at least two). */
    isOpen: boolean;
    assigned: number;
  }[];
  /** Submitted codings only. */
  codings: (PaperCoding & { round: "calibration" | "main"; note: string | null; coderName: string; coderEmail: string })[];
  adjudications: { paperKey: string; adjudicatorId: string; answers: Record<string, unknown>; reason: string; adjudicatorName: string; updatedAt: Date }[];
};

/** Reads a study's sample with all submitted codings. Not exported: callers check permissions first. */
async function loadStudyCodingData(db: Database, studyId: string): Promise<StudyCodingData> {
  const { codebook } = await getStudyCodebook(db, studyId);
  const items = await db.prisma.sampleItem.findMany({
    where: { draw: { studyId } },
    orderBy: [{ stratum: "asc" }, { drawIndex: "asc" }],
    include: {
      paper: {
        include: {
          assignments: { include: { coding: true, coder: { select: { id: true, name: true, email: true } } } },
          finalCode: true,
        },
      },
    },
  });
  const adjudicatorIds = [...new Set(items.flatMap((item) => (item.paper.finalCode?.adjudicatorId ? [item.paper.finalCode.adjudicatorId] : [])))];
  const adjudicators = new Map((await db.prisma.user.findMany({ where: { id: { in: adjudicatorIds } }, select: { id: true, name: true } })).map((user) => [user.id, user.name]));
  const papers: StudyCodingData["papers"] = [];
  const codings: StudyCodingData["codings"] = [];
  const adjudications: StudyCodingData["adjudications"] = [];
  for (const item of items) {
    const paper = item.paper;
    const round = item.round === "CALIBRATION" ? "calibration" : "main";
    const submitted = paper.assignments.filter((assignment) => assignment.status === "DONE" && assignment.coding?.submittedAt);
    papers.push({
      id: paper.id,
      title: paper.title,
      authors: paper.authors,
      venue: paper.venue,
      year: paper.year,
      doi: paper.doi,
      url: paper.url,
      stratum: item.stratum ?? "(none)",
      round,
      isOpen: paper.assignments.length >= 2 && submitted.length === paper.assignments.length,
      assigned: paper.assignments.length,
    });
    for (const assignment of submitted) {
      codings.push({
        paperKey: paper.id,
        coderId: assignment.coderId,
        answers: assignment.coding!.answers as Record<string, CodingAnswer>,
        round,
        note: assignment.coding!.note,
        coderName: assignment.coder.name,
        coderEmail: assignment.coder.email,
      });
    }
    const final = paper.finalCode;
    if (final?.source === "ADJUDICATED" && final.adjudicatorId) {
      adjudications.push({
        paperKey: paper.id,
        adjudicatorId: final.adjudicatorId,
        answers: final.answers as Record<string, unknown>,
        reason: final.reason ?? "",
        adjudicatorName: adjudicators.get(final.adjudicatorId) ?? "(removed user)",
        updatedAt: final.updatedAt,
      });
    }
  }
  return { studyId, codebook, papers, codings, adjudications };
}

export type ConflictItem = {
  paperId: string;
  title: string;
  studyName: string;
  stratum: string;
  round: "calibration" | "main";
  questions: string[];
  coders: number;
  resolution: null | { adjudicatorName: string; reason: string; at: Date };
};

/**
 * The adjudicator's conflicts list over every study: papers whose coders (all submitted) disagree on at least
 * one question, unresolved first.
 * @throws ForbiddenError without coding.adjudicate.
 */
export async function listConflicts(db: Database, actor: Actor): Promise<ConflictItem[]> {
  assertCan(actor, "coding.adjudicate");
  const studies = await db.prisma.study.findMany({ where: { sampleDraws: { some: {} } }, select: { id: true, name: true }, orderBy: { createdAt: "asc" } });
  const items: ConflictItem[] = [];
  for (const study of studies) {
    const data = await loadStudyCodingData(db, study.id);
    for (const paper of data.papers) {
      if (!paper.isOpen) continue;
      const comparison = comparePaperCodings(data.codebook, data.codings.filter((coding) => coding.paperKey === paper.id));
      if (!comparison.hasConflict) continue;
      const adjudication = data.adjudications.find((item) => item.paperKey === paper.id);
      items.push({
        paperId: paper.id,
        title: paper.title,
        studyName: study.name,
        stratum: paper.stratum,
        round: paper.round,
        questions: comparison.questions.filter((question) => question.status === "disagree").map((question) => question.questionId),
        coders: comparison.coderIds.length,
        resolution: adjudication ? { adjudicatorName: adjudication.adjudicatorName, reason: adjudication.reason, at: adjudication.updatedAt } : null,
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
};

/**
 * Both (all) codings of one paper side by side, for an adjudicator. A paper still being coded, outside any
 * sample, or unknown is NOT_FOUND: adjudication opens only when every assigned coder has submitted.
 * @throws ForbiddenError without coding.adjudicate.
 */
export async function getAdjudicationView(db: Database, actor: Actor, paperId: string): Promise<AdjudicationView> {
  assertCan(actor, "coding.adjudicate");
  const paperRow = await db.prisma.paper.findUnique({ where: { id: paperId }, select: { studyId: true, abstract: true } });
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
  };
}

export type ResolveResult = { ok: true } | { ok: false; errors: Record<string, string>; message: string };

/**
 * Records the adjudicator's final code of a paper with a reason (replacing an earlier one). The answers are
 * validated against the codebook and must be complete; text answers are not part of final codes.
 * @throws AppError NOT_FOUND when the paper is not open for adjudication; ForbiddenError without coding.adjudicate.
 */
export async function resolvePaper(db: Database, actor: Actor, input: { paperId: string; answers: Record<string, unknown>; reason: string }): Promise<ResolveResult> {
  const view = await getAdjudicationView(db, actor, input.paperId);
  const reason = input.reason.trim();
  const checked = validateCodingAnswers(view.codebook, input.answers);
  const errors: Record<string, string> = { ...checked.errors };
  for (const id of checked.missing) errors[id] = "The final code needs an answer here.";
  if (reason === "") errors.reason = "Give the reason for the final code (e.g. what the paper says, where).";
  if (Object.keys(errors).length > 0) return { ok: false, errors, message: "The final code is incomplete; nothing was saved." };
  const answers = Object.fromEntries(
    Object.entries(checked.answers).filter(([id]) => isComparableQuestionType(view.codebook.questions.find((question) => question.id === id)?.type ?? "text")),
  );
  await db.prisma.$transaction(async (tx) => {
    const data = { answers: answers as Prisma.InputJsonValue, source: "ADJUDICATED" as const, adjudicatorId: actor.id, reason: reason.slice(0, 2000) };
    await tx.finalCode.upsert({ where: { paperId: input.paperId }, create: { paperId: input.paperId, ...data }, update: data });
    await recordAudit(tx, actor, "coding.adjudicate", input.paperId, { answers: answers as Prisma.InputJsonValue, reason });
  });
  return { ok: true };
}

export type StudyAgreement = {
  coders: { id: string; name: string }[];
  calibration: AgreementReport | null;
  main: AgreementReport | null;
};

/**
 * Inter-coder agreement of the calibration round and of the main round, per question and overall, on
 * submitted codings (percent agreement with Wilson interval; Cohen's kappa for two coders, Fleiss' kappa for
 * more; Krippendorff's alpha with a seeded bootstrap interval).
 * @throws ForbiddenError without coding.read-all.
 */
export async function getStudyAgreement(db: Database, actor: Actor, studyId: string, options: { bootstrapResamples?: number } = {}): Promise<StudyAgreement> {
  assertCan(actor, "coding.read-all");
  const data = await loadStudyCodingData(db, studyId);
  const report = computeRoundAgreement(data.codebook, data.codings, { bootstrapResamples: options.bootstrapResamples ?? 1000, seed: 1 });
  const coders = new Map(data.codings.map((coding) => [coding.coderId, coding.coderName]));
  return { coders: [...coders].map(([id, name]) => ({ id, name })), ...report };
}

export const INTERVAL_CHOICES = ["wilson", "wald-fpc"] as const;
export type IntervalChoice = (typeof INTERVAL_CHOICES)[number];

export type StudyResults = {
  codebook: { id: string; version: number; title: string };
  interval: IntervalChoice;
  measures: MeasureResult[];
  counts: { sampled: number; agreed: number; adjudicated: number; pending: number };
  strata: { stratumId: string; label: string; populationSize: number; sampled: number }[];
};

/**
 * The results table: each codebook measure per stratum, pooled, and as a stratified estimate weighted by
 * stratum population, from the final codes.
 * @param options.interval "wilson" (default) or "wald-fpc" (Wald with finite population correction, as the
 *   reference study's ± values imply).
 * @throws ForbiddenError without coding.read-all.
 */
export async function getStudyResults(db: Database, actor: Actor, studyId: string, options: { interval?: IntervalChoice; level?: number } = {}): Promise<StudyResults> {
  assertCan(actor, "coding.read-all");
  const interval = options.interval ?? "wilson";
  const data = await loadStudyCodingData(db, studyId);
  const finals = deriveFinalCodes(data.codebook, data.codings, data.adjudications);
  const study = await db.prisma.study.findUniqueOrThrow({ where: { id: studyId }, select: { id: true, slug: true, name: true, codebookId: true, strataConfig: true } });
  const config = study.strataConfig as { source?: unknown } | null;
  const { definition } = studyPopulationDefinition({ populationSource: typeof config?.source === "string" ? config.source : null });
  const populationCounts = await db.prisma.paper.groupBy({ by: ["stratum"], where: { studyId, stratum: { not: null } }, _count: { _all: true } });
  const sampledPerStratum = new Map<string, number>();
  for (const paper of data.papers) sampledPerStratum.set(paper.stratum, (sampledPerStratum.get(paper.stratum) ?? 0) + 1);
  const stratumIds = [...new Set([...definition.strata.map((stratum) => stratum.id), ...sampledPerStratum.keys()])];
  const strata = stratumIds
    .map((stratumId) => {
      const populationSize = populationCounts.find((row) => row.stratum === stratumId)?._count._all ?? 0;
      const sampled = sampledPerStratum.get(stratumId) ?? 0;
      // A stratum re-sorted after the draw can hold fewer papers now than were sampled from it; N ≥ n keeps the correction defined.
      return { stratumId, label: definition.strata.find((stratum) => stratum.id === stratumId)?.label ?? stratumId, populationSize: Math.max(populationSize, sampled), sampled };
    })
    .filter((stratum) => stratum.populationSize > 0);
  const stratumOf = new Map(data.papers.map((paper) => [paper.id, paper.stratum]));
  const measures = computeSurveyResults(
    data.codebook,
    finals.flatMap((final) => (final.status === "pending" ? [] : [{ paperKey: final.paperKey, stratumId: stratumOf.get(final.paperKey)!, answers: final.answers }])),
    strata,
    { method: interval === "wilson" ? "wilson" : "wald", finitePopulationCorrection: interval === "wald-fpc", level: options.level ?? 0.95 },
  );
  return {
    codebook: { id: data.codebook.id, version: data.codebook.version, title: data.codebook.title },
    interval,
    measures,
    counts: {
      sampled: data.papers.length,
      agreed: finals.filter((final) => final.status === "agreed").length,
      adjudicated: finals.filter((final) => final.status === "adjudicated").length,
      pending: data.papers.length - finals.filter((final) => final.status !== "pending").length,
    },
    strata,
  };
}

export const EXPORT_FORMATS = ["csv", "codebook-csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The coded sample for download: CSV (one row per paper: metadata, each coder's codes, final codes), the
 * codebook as CSV (explains every column and value), or JSON (both together). Coders appear by email.
 * @throws ForbiddenError without coding.read-all.
 */
export async function exportCodedSample(db: Database, actor: Actor, studyId: string, format: ExportFormat): Promise<{ fileName: string; contentType: string; body: string }> {
  assertCan(actor, "coding.read-all");
  const study = await db.prisma.study.findUnique({ where: { id: studyId }, select: { slug: true } });
  if (!study) throw new AppError("NOT_FOUND", "That study does not exist.");
  const data = await loadStudyCodingData(db, studyId);
  const base = `${study.slug}-${data.codebook.id}-v${data.codebook.version}`;
  if (format === "codebook-csv") {
    return { fileName: `${base}-codebook.csv`, contentType: "text/csv; charset=utf-8", body: tableToCsv(shapeCodebookTable(data.codebook)) };
  }
  const finals = deriveFinalCodes(data.codebook, data.codings, data.adjudications).map((final) =>
    final.status === "adjudicated" ? { ...final, adjudicatorId: data.adjudications.find((item) => item.paperKey === final.paperKey)?.adjudicatorName ?? final.adjudicatorId } : final,
  );
  const papers = data.papers.map((paper) => ({ key: paper.id, stratumId: paper.stratum, title: paper.title, authors: paper.authors, venue: paper.venue, year: paper.year, doi: paper.doi, url: paper.url }));
  const codings = data.codings.map((coding) => ({ paperKey: coding.paperKey, coderId: coding.coderEmail, answers: coding.answers }));
  if (format === "csv") {
    return { fileName: `${base}-coded-sample.csv`, contentType: "text/csv; charset=utf-8", body: tableToCsv(shapeCodedSampleTable(data.codebook, papers, codings, finals)) };
  }
  const json = shapeCodedSampleJson(data.codebook, papers, codings, finals);
  const rounds = new Map(data.papers.map((paper) => [paper.id, paper.round]));
  return {
    fileName: `${base}-coded-sample.json`,
    contentType: "application/json; charset=utf-8",
    body: JSON.stringify({ ...json, codebookDefinition: data.codebook, papers: json.papers.map((paper) => ({ ...paper, round: rounds.get(paper.key) })) }, null, 2),
  };
}
