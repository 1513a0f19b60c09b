/**
 * The one source of a study's literature-survey numbers: final codes, the results table, inter-coder
 * agreement and the coded-sample export. The study overview, the printable report, the dashboard export,
 * /admin/literature/results and /api/literature/export all call these functions, so a paper the coders agreed
 * on is counted the same way everywhere.
 *
 * Final codes: a paper's final code is the adjudicator's (stored as FinalCode ADJUDICATED) or, when the
 * coders agree on every compared question, their shared answers, derived on every read with
 * lib/coding/final-codes.ts rather than stored, so it can never go stale when a coder corrects a code.
 * Counting FinalCode rows alone would miss every agreed paper (only adjudication writes rows).
 */
import type { Database } from "./engine/connection";
import { getStudyCodebook, populationSourceOf, studyPopulationDefinition } from "./codebooks";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { computeRoundAgreement, type AgreementReport } from "@/lib/coding/agreement";
import type { Codebook, CodingAnswer } from "@/lib/coding/codebook";
import type { PaperCoding } from "@/lib/coding/conflicts";
import { shapeCodebookTable, shapeCodedSampleJson, shapeCodedSampleTable, tableToCsv } from "@/lib/coding/export";
import { deriveFinalCodes, type FinalCodeStatus } from "@/lib/coding/final-codes";
import { computeLiteratureEstimates, type MeasureResult } from "@/lib/coding/results";
import { AppError } from "@/lib/errors";
import type { ProportionCIMethod } from "@/lib/stats/proportion-ci";

export type CodingRoundName = "calibration" | "main";

export type StudyCodingData = {
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
    round: CodingRoundName;
    /** Every assigned coder has submitted (and there are at least two). */
    isOpen: boolean;
    assigned: number;
    /** Everyone assigned to code the paper, submitted or not (the adjudication rule reads it). */
    assignedCoderIds: string[];
  }[];
  /** Submitted codings only. */
  codings: (PaperCoding & { round: CodingRoundName; note: string | null; coderName: string; coderEmail: string })[];
  adjudications: { paperKey: string; adjudicatorId: string; answers: Record<string, unknown>; reason: string; adjudicatorName: string; updatedAt: Date; override: string | null }[];
};

/**
 * Reads a study's sample with all submitted codings and adjudications. No permission check: every caller
 * (this module and lib/db/adjudication.ts) checks its own permission first.
 */
export async function loadStudyCodingData(db: Database, studyId: string): Promise<StudyCodingData> {
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
  const data: StudyCodingData = { studyId, codebook, papers: [], codings: [], adjudications: [] };
  for (const item of items) {
    const paper = item.paper;
    const round: CodingRoundName = item.round === "CALIBRATION" ? "calibration" : "main";
    const submitted = paper.assignments.filter((assignment) => assignment.status === "DONE" && assignment.coding?.submittedAt);
    data.papers.push({
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
      assignedCoderIds: paper.assignments.map((assignment) => assignment.coderId),
    });
    for (const assignment of submitted) {
      data.codings.push({
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
    // AGREED rows are never read: agreement is derived from the codings themselves on every read.
    if (final?.source === "ADJUDICATED") {
      data.adjudications.push({
        paperKey: paper.id,
        adjudicatorId: final.adjudicatorId ?? "",
        answers: final.answers as Record<string, unknown>,
        reason: final.reason ?? "",
        adjudicatorName: (final.adjudicatorId && adjudicators.get(final.adjudicatorId)) || "(removed user)",
        updatedAt: final.updatedAt,
        override: final.overrideReason,
      });
    }
  }
  return data;
}

/** Final codes of every sampled paper (pending ones included), from the coders' codings and adjudications. */
export function finalCodesOf(data: StudyCodingData): FinalCodeStatus[] {
  const derived = new Map(deriveFinalCodes(data.codebook, data.codings, data.adjudications).map((final) => [final.paperKey, final]));
  return data.papers.map((paper) => derived.get(paper.id) ?? { paperKey: paper.id, status: "pending", reason: "no codings" });
}

export type LiteratureCounts = { sampled: number; agreed: number; adjudicated: number; pending: number; finalCoded: number };

function countsOf(data: StudyCodingData, finals: readonly FinalCodeStatus[]): LiteratureCounts {
  const agreed = finals.filter((final) => final.status === "agreed").length;
  const adjudicated = finals.filter((final) => final.status === "adjudicated").length;
  return { sampled: data.papers.length, agreed, adjudicated, pending: data.papers.length - agreed - adjudicated, finalCoded: agreed + adjudicated };
}

/**
 * How many sampled papers have a final code (agreed by the coders or adjudicated) and how many are pending:
 * the same counts getLiteratureResults reports, for the study list.
 * @throws AppError FORBIDDEN without coding.read-all.
 */
export async function getLiteratureCounts(db: Database, actor: Actor, studyId: string): Promise<LiteratureCounts> {
  assertCan(actor, "coding.read-all");
  // A study with nothing sampled has nothing to count; reading its codebook would attach the shipped one.
  if ((await db.prisma.sampleItem.count({ where: { draw: { studyId } } })) === 0) return { sampled: 0, agreed: 0, adjudicated: 0, pending: 0, finalCoded: 0 };
  const data = await loadStudyCodingData(db, studyId);
  return countsOf(data, finalCodesOf(data));
}

export const INTERVAL_CHOICES = ["wilson", "wald-fpc"] as const;
export type IntervalChoice = (typeof INTERVAL_CHOICES)[number];

/** The results page's two interval choices as estimation settings. */
export function settingsForIntervalChoice(choice: IntervalChoice, level = 0.95): LiteratureSettings {
  return choice === "wilson" ? { method: "wilson", level, finitePopulationCorrection: false } : { method: "wald", level, finitePopulationCorrection: true };
}

export type LiteratureSettings = { method: ProportionCIMethod; level: number; finitePopulationCorrection: boolean };

export type LiteratureStratum = { stratumId: string; label: string; populationSize: number; sampled: number };

export type LiteratureResults = {
  studyId: string;
  codebook: { id: string; version: number; title: string };
  settings: LiteratureSettings;
  measures: MeasureResult[];
  /** finalCoded = agreed + adjudicated; sampled = finalCoded + pending. */
  counts: LiteratureCounts;
  /** Strata of the population definition (with their labels) that hold papers, plus any stratum sampled from. */
  strata: LiteratureStratum[];
};

/**
 * The results table: each codebook measure per stratum, pooled, and as a stratified estimate weighted by
 * stratum population, from the final codes (agreed or adjudicated).
 * @throws AppError FORBIDDEN without coding.read-all; AppError NOT_FOUND for an unknown study.
 */
export async function getLiteratureResults(db: Database, actor: Actor, studyId: string, settings: LiteratureSettings): Promise<LiteratureResults> {
  assertCan(actor, "coding.read-all");
  const study = await db.prisma.study.findUnique({ where: { id: studyId }, select: { strataConfig: true } });
  if (!study) throw new AppError("NOT_FOUND", "That study does not exist.");
  const data = await loadStudyCodingData(db, studyId);
  const finals = finalCodesOf(data);
  const strata = await studyStrata(db, studyId, study.strataConfig, data);
  const stratumOf = new Map(data.papers.map((paper) => [paper.id, paper.stratum]));
  const measures = computeLiteratureEstimates(
    data.codebook,
    finals.flatMap((final) => (final.status === "pending" ? [] : [{ paperKey: final.paperKey, stratumId: stratumOf.get(final.paperKey)!, answers: final.answers }])),
    strata,
    settings,
  );
  return {
    studyId,
    codebook: { id: data.codebook.id, version: data.codebook.version, title: data.codebook.title },
    settings,
    measures,
    counts: countsOf(data, finals),
    strata,
  };
}

/** Stratum id → its label in the study's population definition (Study.strataConfig), in the definition's order. */
export function stratumLabels(strataConfig: unknown): Map<string, string> {
  const { definition } = studyPopulationDefinition({ populationSource: populationSourceOf(strataConfig) });
  return new Map(definition.strata.map((stratum) => [stratum.id, stratum.label]));
}

/** Population size and sample size per stratum, labelled from the study's population definition. */
async function studyStrata(db: Database, studyId: string, strataConfig: unknown, data: StudyCodingData): Promise<LiteratureStratum[]> {
  const labels = stratumLabels(strataConfig);
  const populationCounts = await db.prisma.paper.groupBy({ by: ["stratum"], where: { studyId, stratum: { not: null } }, _count: { _all: true } });
  const sampledPerStratum = new Map<string, number>();
  for (const paper of data.papers) sampledPerStratum.set(paper.stratum, (sampledPerStratum.get(paper.stratum) ?? 0) + 1);
  const stratumIds = [...new Set([...labels.keys(), ...populationCounts.map((row) => row.stratum!), ...sampledPerStratum.keys()])];
  return stratumIds
    .map((stratumId) => {
      const populationSize = populationCounts.find((row) => row.stratum === stratumId)?._count._all ?? 0;
      const sampled = sampledPerStratum.get(stratumId) ?? 0;
      // A stratum re-sorted after the draw can hold fewer papers now than were sampled from it; N ≥ n keeps the correction defined.
      return { stratumId, label: labels.get(stratumId) ?? stratumId, populationSize: Math.max(populationSize, sampled), sampled };
    })
    .filter((stratum) => stratum.populationSize > 0);
}

export type LiteratureAgreement = {
  studyId: string;
  coders: { id: string; name: string }[];
  calibration: AgreementReport | null;
  main: AgreementReport | null;
};

/**
 * Inter-coder agreement of the calibration round and of the main round, per question and overall, on
 * submitted codings (percent agreement with Wilson interval; Cohen's kappa for two coders, Fleiss' kappa for
 * more; Krippendorff's alpha with a seeded bootstrap interval).
 * @param options.bootstrapResamples for alpha's interval, default 1000 (0 leaves it out).
 * @throws AppError FORBIDDEN without coding.read-all.
 */
export async function getLiteratureAgreement(
  db: Database,
  actor: Actor,
  studyId: string,
  options: { bootstrapResamples?: number; level?: number } = {},
): Promise<LiteratureAgreement> {
  assertCan(actor, "coding.read-all");
  const data = await loadStudyCodingData(db, studyId);
  const report = computeRoundAgreement(data.codebook, data.codings, { bootstrapResamples: options.bootstrapResamples ?? 1000, seed: 1, level: options.level ?? 0.95 });
  const coders = new Map(data.codings.map((coding) => [coding.coderId, coding.coderName]));
  return { studyId, coders: [...coders].map(([id, name]) => ({ id, name })), ...report };
}

export const EXPORT_FORMATS = ["csv", "codebook-csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The coded sample for download: CSV (one row per paper: metadata, each coder's codes, final codes), the
 * codebook as CSV (explains every column and value), or JSON (both together). Coders appear by email.
 * @throws AppError FORBIDDEN without coding.read-all; AppError NOT_FOUND for an unknown study.
 */
export async function exportLiteratureSample(db: Database, actor: Actor, studyId: string, format: ExportFormat): Promise<{ fileName: string; contentType: string; body: string }> {
  assertCan(actor, "coding.read-all");
  const study = await db.prisma.study.findUnique({ where: { id: studyId }, select: { slug: true } });
  if (!study) throw new AppError("NOT_FOUND", "That study does not exist.");
  const data = await loadStudyCodingData(db, studyId);
  const base = `${study.slug}-${data.codebook.id}-v${data.codebook.version}`;
  if (format === "codebook-csv") {
    return { fileName: `${base}-codebook.csv`, contentType: "text/csv; charset=utf-8", body: tableToCsv(shapeCodebookTable(data.codebook)) };
  }
  const finals = finalCodesOf(data).map((final) =>
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
