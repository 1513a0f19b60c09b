/**
 * Which study an experiment set belongs to. Sets are imported into a study someone chose (the upload form,
 * a runner job's form, `npm run variance -- import --study <slug>`); nothing is filed under "the oldest study"
 * by default any more, and moving a set to another study is an explicit, audited action.
 */
import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";

export type StudyChoice = { ok: true; study: { id: string; slug: string; name: string } } | { ok: false; error: string };

/**
 * The study a set of results goes into: the one named, or the only study when there is exactly one.
 * No permission check: it reveals only study slugs, to callers that check their own permission (the upload
 * route, the job starter) or have direct database access (the command line).
 * @returns a clear error naming the studies to choose from for an unknown slug, no slug among several
 *   studies, or no study at all.
 */
export async function chooseExperimentStudy(db: Database, slug: string | null | undefined): Promise<StudyChoice> {
  const studies = await db.prisma.study.findMany({ select: { id: true, slug: true, name: true }, orderBy: { createdAt: "asc" } });
  const list = studies.map((study) => study.slug).join(", ");
  if (slug) {
    const study = studies.find((item) => item.slug === slug);
    return study ? { ok: true, study } : { ok: false, error: `There is no study "${slug}". Choose one of: ${list || "(none: create a study first)"}.` };
  }
  if (studies.length === 1) return { ok: true, study: studies[0]! };
  if (studies.length === 0) return { ok: false, error: "There is no study yet: create one first (Admin → Literature → Create a study), then import into it." };
  return { ok: false, error: `There are ${studies.length} studies; say which one the results belong to (${list}).` };
}

/**
 * Moves an experiment set (with its runs) to another study, recorded in the audit log with both studies.
 * @throws AppError NOT_FOUND for an unknown set or study; AppError FORBIDDEN without experiments.manage.
 */
export async function moveExperimentSet(db: Database, actor: Actor, input: { setId: string; studySlug: string; reason?: string }): Promise<{ from: string | null; to: string }> {
  assertCan(actor, "experiments.manage");
  return db.prisma.$transaction(async (tx) => {
    const set = await tx.experimentSet.findUnique({ where: { id: input.setId }, select: { id: true, study: { select: { id: true, slug: true } } } });
    if (!set) throw new AppError("NOT_FOUND", `There is no experiment set ${input.setId}.`);
    const target = await tx.study.findUnique({ where: { slug: input.studySlug }, select: { id: true, slug: true } });
    if (!target) throw new AppError("NOT_FOUND", `There is no study "${input.studySlug}".`);
    if (set.study?.id === target.id) return { from: target.slug, to: target.slug };
    await tx.experimentSet.update({ where: { id: set.id }, data: { studyId: target.id } });
    await recordAudit(tx, actor, "experiments.move-set", set.id, { from: set.study?.slug ?? null, to: target.slug, reason: input.reason?.trim() || null });
    return { from: set.study?.slug ?? null, to: target.slug };
  });
}

/**
 * The studies the experiments pages can show, oldest first, with how many sets each holds.
 * @throws AppError FORBIDDEN without experiments.read.
 */
export async function listExperimentStudies(db: Database, actor: Actor): Promise<{ id: string; slug: string; name: string; sets: number }[]> {
  assertCan(actor, "experiments.read");
  const rows = await db.prisma.study.findMany({ select: { id: true, slug: true, name: true, _count: { select: { experimentSets: true } } }, orderBy: { createdAt: "asc" } });
  return rows.map((row) => ({ id: row.id, slug: row.slug, name: row.name, sets: row._count.experimentSets }));
}
