/**
 * Studies as the unit everything belongs to: create, rename, archive, list. Every function takes the acting user
 * and checks studies.manage itself; every change is audited in the same transaction.
 */
import { z } from "zod";
import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";

export const studySlugSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, "Use 2–41 lower-case letters, digits or dashes, starting with a letter or digit.");

export const studyInputSchema = z.object({
  slug: studySlugSchema,
  name: z.string().trim().min(3, "Give the study a name of at least 3 characters.").max(200, "At most 200 characters."),
  description: z.string().trim().max(2000, "At most 2,000 characters.").optional().default(""),
});
export type StudyInput = z.input<typeof studyInputSchema>;

export type StudySummary = {
  id: string;
  slug: string;
  name: string;
  description: string;
  archived: boolean;
  createdAt: Date;
  questionnaires: number;
  papers: number;
  experimentSets: number;
};

const SUMMARY_SELECT = {
  id: true,
  slug: true,
  name: true,
  description: true,
  archivedAt: true,
  createdAt: true,
  _count: { select: { questionnaires: true, papers: true, experimentSets: true } },
} as const;

type SummaryRow = { id: string; slug: string; name: string; description: string; archivedAt: Date | null; createdAt: Date; _count: { questionnaires: number; papers: number; experimentSets: number } };

const toSummary = (row: SummaryRow): StudySummary => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  description: row.description,
  archived: row.archivedAt !== null,
  createdAt: row.createdAt,
  questionnaires: row._count.questionnaires,
  papers: row._count.papers,
  experimentSets: row._count.experimentSets,
});

/**
 * Every study, active ones first (newest first), for the study admin page and the study pickers of the
 * instrument pages. Needs studies.manage or surveys.manage (a questionnaire is created inside a chosen study).
 */
export async function listStudies(db: Database, actor: Actor, options: { includeArchived?: boolean } = {}): Promise<StudySummary[]> {
  assertCan(actor, "studies.manage");
  const rows = await db.prisma.study.findMany({
    where: options.includeArchived ? {} : { archivedAt: null },
    orderBy: [{ archivedAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }, { slug: "asc" }],
    select: SUMMARY_SELECT,
  });
  return rows.map(toSummary);
}

/**
 * One study by slug.
 * @throws AppError NOT_FOUND for an unknown slug.
 */
export async function getStudy(db: Database, actor: Actor, slug: string): Promise<StudySummary> {
  assertCan(actor, "studies.manage");
  const row = await db.prisma.study.findUnique({ where: { slug }, select: SUMMARY_SELECT });
  if (!row) throw new AppError("NOT_FOUND", `There is no study "${slug}".`);
  return toSummary(row);
}

/**
 * Creates a study.
 * @throws AppError CONFLICT when the short name is taken; ZodError for invalid input.
 */
export async function createStudy(db: Database, actor: Actor, input: StudyInput): Promise<StudySummary> {
  assertCan(actor, "studies.manage");
  const data = studyInputSchema.parse(input);
  return db.prisma.$transaction(async (tx) => {
    if (await tx.study.findUnique({ where: { slug: data.slug }, select: { id: true } })) {
      throw new AppError("CONFLICT", `A study with the short name "${data.slug}" exists already; choose another.`);
    }
    const row = await tx.study.create({ data, select: SUMMARY_SELECT });
    await recordAudit(tx, actor, "study.create", data.slug, { name: data.name });
    return toSummary(row);
  });
}

/**
 * Renames a study (name and description; the short name in URLs stays, so shared links keep working).
 * @throws AppError NOT_FOUND for an unknown study.
 */
export async function renameStudy(db: Database, actor: Actor, input: { studyId: string; name: string; description?: string }): Promise<StudySummary> {
  assertCan(actor, "studies.manage");
  const { name, description } = studyInputSchema.pick({ name: true, description: true }).parse(input);
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.study.findUnique({ where: { id: input.studyId }, select: { slug: true, name: true, description: true } });
    if (!before) throw new AppError("NOT_FOUND", "That study does not exist.");
    const row = await tx.study.update({ where: { id: input.studyId }, data: { name, description }, select: SUMMARY_SELECT });
    await recordAudit(tx, actor, "study.rename", before.slug, { from: { name: before.name, description: before.description }, to: { name, description } });
    return toSummary(row);
  });
}

/**
 * Archives a study (it leaves the pickers and the dashboard's list; all its data stays and its pages still
 * open) or brings it back.
 * @throws AppError NOT_FOUND for an unknown study.
 */
export async function setStudyArchived(db: Database, actor: Actor, input: { studyId: string; archived: boolean }): Promise<StudySummary> {
  assertCan(actor, "studies.manage");
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.study.findUnique({ where: { id: input.studyId }, select: { slug: true } });
    if (!before) throw new AppError("NOT_FOUND", "That study does not exist.");
    const row = await tx.study.update({ where: { id: input.studyId }, data: { archivedAt: input.archived ? new Date() : null }, select: SUMMARY_SELECT });
    await recordAudit(tx, actor, input.archived ? "study.archive" : "study.unarchive", before.slug);
    return toSummary(row);
  });
}
