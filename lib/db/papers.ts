/**
 * The paper population of a study: importing BibTeX/RIS/CSV files (all-or-nothing, deduplicated against the
 * study), and sorting papers into strata with the study's population definition.
 *
 * An upload from the app is imported by a background job (lib/jobs/paper-import-job.ts): BibTeX parsing costs
 * about 2 ms per entry, so a 20 MB file would hold the server for a minute. The job and importPapers write through
 * the same steps below (begin, insert, complete); importPapers runs them in one transaction within its caller.
 */
import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { studyPopulationDefinition, toLiteratureStudy, type LiteratureStudy } from "./codebooks";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { checkPaperFile, type MergeReport, type PaperImportReport } from "@/lib/coding/paper-import";
import { buildPopulation, parsePopulationDefinition, type PopulationDefinition } from "@/lib/coding/population";
import type { DefinitionFileError } from "@/lib/io/definition-file";
import { normalizeTitleKey, type ImportWarning, type PaperImportFormat, type PaperRecord, type RejectedEntry } from "@/lib/io/paper-record";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

export type Tx = Prisma.TransactionClient;

/** What the import page shows after an import (and what is stored with it). */
export type StoredImportReport = {
  counts: { entriesFound: number; parsed: number; rejected: number; mergedDuplicates: number; alreadyInStudy: number; new: number; updatedExisting: number };
  rejected: RejectedEntry[];
  warnings: ImportWarning[];
  merges: MergeReport[];
  possibleDuplicates: { first: string; second: string; reason: string }[];
  population: { members: number; excluded: number; strata: { id: string; label: string; size: number }[] };
};

export type PaperImportOutcome =
  | { ok: true; importId: string; format: PaperImportFormat; report: StoredImportReport }
  | { ok: false; format: PaperImportFormat | null; errors: string[] };

/** Largest accepted upload; a DBLP export of a whole year of a big venue is a few MB. */
export const MAX_PAPER_FILE_BYTES = 20 * 1024 * 1024;

function toRecord(paper: Omit<PaperRecord, "entryType" | "origin">): PaperRecord {
  return { ...paper, entryType: null, origin: { format: "bibtex", location: "already in the study" } };
}

const PAPER_FIELDS = { id: true, title: true, authors: true, venue: true, year: true, doi: true, url: true, abstract: true, pages: true, track: true, sourceKey: true } as const;

/** What an import checks a file against and sorts it with: the study's papers (oldest first) and its population. */
export type PaperImportContext = { studyId: string; existing: PaperRecord[]; existingIds: string[]; definition: PopulationDefinition };

/**
 * Reads what an import of a file into this study needs. A system function for the import job (which checked
 * papers.manage when it started); importPapers checks it itself.
 * @throws AppError NOT_FOUND for an unknown study.
 */
export async function paperImportContext(db: Database, studyId: string): Promise<PaperImportContext> {
  const study = await db.prisma.study.findUnique({ where: { id: studyId }, select: { id: true, slug: true, name: true, codebookId: true, strataConfig: true } });
  if (!study) throw new AppError("NOT_FOUND", "That study does not exist.");
  const rows = await db.prisma.paper.findMany({ where: { studyId: study.id }, select: PAPER_FIELDS, orderBy: { createdAt: "asc" } });
  return { studyId: study.id, existing: rows.map(({ id: _id, ...paper }) => toRecord(paper)), existingIds: rows.map((row) => row.id), definition: studyPopulationDefinition(toLiteratureStudy(study)).definition };
}

export type PassedPaperCheck = Extract<PaperImportReport, { ok: true }>;

/** Step 1 of writing an import: its record (the report is stored by the last step). Returns the import id. */
export async function beginPaperImport(tx: Tx, input: { importId?: string; studyId: string; fileName: string; format: PaperImportFormat; actorId: string }): Promise<string> {
  const created = await tx.paperImport.create({
    data: { ...(input.importId ? { id: input.importId } : {}), studyId: input.studyId, fileName: input.fileName.slice(0, 300), format: input.format, report: {}, createdById: input.actorId },
  });
  return created.id;
}

/** Step 2, once or in batches: new papers of the import (sorted into strata by the last step). */
export async function insertImportedPapers(tx: Tx, at: { studyId: string; importId: string }, papers: readonly PaperRecord[]): Promise<void> {
  if (papers.length === 0) return;
  await tx.paper.createMany({
    data: papers.map((paper) => ({
      studyId: at.studyId,
      importId: at.importId,
      title: paper.title,
      normalizedTitle: normalizeTitleKey(paper.title),
      authors: paper.authors,
      venue: paper.venue,
      year: paper.year,
      doi: paper.doi,
      url: paper.url,
      abstract: paper.abstract,
      pages: paper.pages,
      track: paper.track,
      sourceKey: paper.sourceKey,
    })),
  });
}

/**
 * Last step: completes the existing papers the file added fields to, sorts every paper of the study into strata,
 * stores the report and audits the import. Returns the report.
 */
export async function completePaperImport(tx: Tx, actor: Actor, input: { context: PaperImportContext; importId: string; fileName: string; checked: PassedPaperCheck }): Promise<StoredImportReport> {
  const { context, checked } = input;
  for (const update of checked.updatedExisting) {
    const filled = Object.fromEntries(update.filledFields.map((field) => [field, update.paper[field as keyof PaperRecord]]));
    if (Object.keys(filled).length > 0) await tx.paper.update({ where: { id: context.existingIds[update.existingIndex]! }, data: filled });
  }
  const population = await applyPopulation(tx, context.studyId, context.definition);
  const report: StoredImportReport = {
    counts: { ...checked.counts, updatedExisting: checked.updatedExisting.length },
    rejected: checked.rejected,
    warnings: checked.warnings,
    merges: checked.merges,
    possibleDuplicates: checked.possibleDuplicates,
    population,
  };
  await tx.paperImport.update({ where: { id: input.importId }, data: { report: report as unknown as Prisma.InputJsonValue } });
  await recordAudit(tx, actor, "papers.import", input.fileName, { format: checked.format, counts: report.counts });
  return report;
}

/** Embedded PGlite runs no autovacuum: after a large load the planner would have no statistics for the dashboard's literature aggregates (measured several times slower without them). */
export async function analyzePapersAfterLoad(db: Database, added: number): Promise<void> {
  if (added >= 1_000) await db.sql.exec(`ANALYZE "Paper";`);
}

/**
 * Imports one file of papers into a study within the caller's request (the app's upload runs it as a job instead,
 * lib/jobs/paper-import-job.ts; the seed and the fuzzer use this). The file is checked (checkPaperFile) against
 * the study's papers, and the new papers are stored and sorted into strata in one transaction. A file that
 * cannot be trusted as a whole writes nothing and returns its errors.
 * @param input.bytes the uploaded file (encoding detected per line).
 * @param input.csvMapping column mapping for CSV files (as confirmed on the preview), or undefined to use the proposed one.
 * @throws AppError FORBIDDEN without papers.manage; AppError INVALID_INPUT for an empty or oversized file.
 */
export async function importPapers(
  db: Database,
  actor: Actor,
  input: { studyId: string; fileName: string; bytes: Uint8Array; format?: PaperImportFormat; csvMapping?: unknown },
): Promise<PaperImportOutcome> {
  assertCan(actor, "papers.manage");
  assertPaperFileSize(input.bytes);
  const context = await paperImportContext(db, input.studyId);
  const checked = checkPaperFile(input.bytes, { fileName: input.fileName, format: input.format, csvMapping: input.csvMapping, existing: context.existing });
  if (!checked.ok) return checked;
  const outcome = await db.prisma.$transaction(
    async (tx) => {
      const importId = await beginPaperImport(tx, { studyId: context.studyId, fileName: input.fileName, format: checked.format, actorId: actor.id });
      await insertImportedPapers(tx, { studyId: context.studyId, importId }, checked.papers);
      const report = await completePaperImport(tx, actor, { context, importId, fileName: input.fileName, checked });
      return { ok: true as const, importId, format: checked.format, report };
    },
    { timeout: 120_000, maxWait: 20_000 },
  );
  await analyzePapersAfterLoad(db, checked.papers.length);
  return outcome;
}

/** @throws AppError INVALID_INPUT for an empty or oversized file. */
export function assertPaperFileSize(bytes: Uint8Array): void {
  if (bytes.byteLength === 0) throw new AppError("INVALID_INPUT", "The file is empty.");
  if (bytes.byteLength > MAX_PAPER_FILE_BYTES) throw new AppError("INVALID_INPUT", `The file is larger than ${MAX_PAPER_FILE_BYTES / 1024 / 1024} MB; split it and import the parts.`);
}

/**
 * Recomputes every paper's stratum from the definition (null = outside the population). Runs inside the
 * caller's transaction. Sampled papers keep the stratum they were drawn in (SampleItem.stratum).
 */
async function applyPopulation(tx: Tx, studyId: string, definition: PopulationDefinition): Promise<StoredImportReport["population"]> {
  const papers = await tx.paper.findMany({ where: { studyId }, select: { id: true, venue: true, year: true, track: true, stratum: true } });
  const summary = buildPopulation(definition, papers.map((paper) => ({ key: paper.id, venue: paper.venue, year: paper.year, track: paper.track })));
  const byStratum = new Map<string | null, string[]>();
  const current = new Map(papers.map((paper) => [paper.id, paper.stratum]));
  const target = new Map<string, string | null>(papers.map((paper) => [paper.id, null]));
  for (const member of summary.members) target.set(member.key, member.stratumId);
  for (const [id, stratum] of target) {
    if (current.get(id) === stratum) continue;
    byStratum.set(stratum, [...(byStratum.get(stratum) ?? []), id]);
  }
  for (const [stratum, ids] of byStratum) await tx.paper.updateMany({ where: { id: { in: ids } }, data: { stratum } });
  return { members: summary.members.length, excluded: summary.excluded.length, strata: summary.strata.map(({ id, label, size }) => ({ id, label, size })) };
}

export type PopulationSaveResult = { ok: true; population: StoredImportReport["population"] } | { ok: false; errors: DefinitionFileError[] };

/**
 * Saves a study's population definition (strata, venue aliases, excluded tracks, year range) and re-sorts
 * every paper. Invalid text writes nothing and returns errors with line and column.
 * @throws AppError FORBIDDEN without papers.manage.
 */
export async function savePopulationDefinition(db: Database, actor: Actor, input: { studyId: string; sourceText: string }): Promise<PopulationSaveResult> {
  assertCan(actor, "papers.manage");
  const parsed = parsePopulationDefinition(input.sourceText);
  if (!parsed.ok) return parsed;
  const population = await db.prisma.$transaction(
    async (tx) => {
      await tx.study.update({ where: { id: input.studyId }, data: { strataConfig: { source: input.sourceText } } });
      const result = await applyPopulation(tx, input.studyId, parsed.value);
      await recordAudit(tx, actor, "population.save", parsed.value.id, { members: result.members, excluded: result.excluded });
      return result;
    },
    { timeout: 60_000 },
  );
  return { ok: true, population };
}

export type PopulationOverview = {
  source: string;
  isDefault: boolean;
  definition: PopulationDefinition;
  totalPapers: number;
  strata: { id: string; label: string; size: number; venues: { id: string; size: number }[] }[];
  excluded: { paperId: string; title: string; venue: string | null; year: number | null; reason: string }[];
  /** Excluded papers grouped by reason, most frequent first. */
  exclusionReasons: { reason: string; count: number }[];
};

/**
 * The population as the definition sorts it now: sizes per stratum and venue, and every excluded paper
 * with its reason (computed, not stored, so a changed definition explains itself at once).
 * @throws AppError FORBIDDEN without papers.manage.
 */
export async function getPopulationOverview(db: Database, actor: Actor, study: LiteratureStudy): Promise<PopulationOverview> {
  assertCan(actor, "papers.manage");
  const { source, definition, isDefault } = studyPopulationDefinition(study);
  const papers = await db.prisma.paper.findMany({ where: { studyId: study.id }, select: { id: true, title: true, venue: true, year: true, track: true }, orderBy: { createdAt: "asc" } });
  const summary = buildPopulation(definition, papers.map((paper) => ({ key: paper.id, venue: paper.venue, year: paper.year, track: paper.track })));
  const byId = new Map(papers.map((paper) => [paper.id, paper]));
  const counts = new Map<string, number>();
  // Venue texts vary per paper; group reasons by their kind so the list stays readable.
  for (const item of summary.excluded) {
    const kind = item.reason.replace(/"[^"]*"/g, "…");
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return {
    source,
    isDefault,
    definition,
    totalPapers: papers.length,
    strata: summary.strata,
    excluded: summary.excluded.map((item) => {
      const paper = byId.get(item.key)!;
      return { paperId: paper.id, title: paper.title, venue: paper.venue, year: paper.year, reason: item.reason };
    }),
    exclusionReasons: [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
  };
}

export type PaperImportSummary = { id: string; fileName: string; format: string; createdAt: Date; report: StoredImportReport };

/** Imports of a study, newest first, with their stored reports. */
export async function listPaperImports(db: Database, actor: Actor, studyId: string): Promise<PaperImportSummary[]> {
  assertCan(actor, "papers.manage");
  const rows = await db.prisma.paperImport.findMany({ where: { studyId }, orderBy: { createdAt: "desc" }, take: 50 });
  return rows.map((row) => ({ id: row.id, fileName: row.fileName, format: row.format, createdAt: row.createdAt, report: row.report as unknown as StoredImportReport }));
}

export type PaperListItem = { id: string; title: string; authors: string[]; venue: string | null; year: number | null; doi: string | null; track: string | null; stratum: string | null; isSampled: boolean };

/**
 * Papers of a study, filtered by stratum ("excluded" for papers outside the population) and title words.
 * @returns at most `limit` papers (default 100) and the total matching.
 */
export async function listPapers(
  db: Database,
  actor: Actor,
  input: { studyId: string; stratum?: string | null; query?: string | null; limit?: number },
): Promise<{ total: number; papers: PaperListItem[] }> {
  assertCan(actor, "papers.manage");
  const where: Prisma.PaperWhereInput = { studyId: input.studyId };
  if (input.stratum === "excluded") where.stratum = null;
  else if (input.stratum) where.stratum = input.stratum;
  if (input.query?.trim()) where.normalizedTitle = { contains: normalizeTitleKey(input.query) };
  const [total, rows] = await Promise.all([
    db.prisma.paper.count({ where }),
    db.prisma.paper.findMany({
      where,
      orderBy: [{ venue: "asc" }, { title: "asc" }],
      take: Math.min(input.limit ?? 100, 500),
      select: { id: true, title: true, authors: true, venue: true, year: true, doi: true, track: true, stratum: true, sampleItem: { select: { id: true } } },
    }),
  ]);
  return { total, papers: rows.map(({ sampleItem, ...paper }) => ({ ...paper, isSampled: sampleItem !== null })) };
}
