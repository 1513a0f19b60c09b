import "server-only";
import type { Actor, Permission } from "@/lib/auth/permissions";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase, type Database } from "@/lib/db";
import { findLiteratureStudy } from "@/lib/db/codebooks";
import { orNotFound } from "@/app/_lib/or-not-found";

/** The study a literature page works on (?study=slug, or the oldest); unknown slugs are a 404. */
export async function studyForPage(db: Database, actor: Actor, slug: string | undefined) {
  return orNotFound(findLiteratureStudy(db, actor, slug));
}

/**
 * The opening of the literature pages: the page's permission (signing in comes back to `path`), then the query and
 * the study it names. `study` is null only while there is no study at all.
 */
export async function loadLiteraturePage<Search extends { study?: string }>(permission: Permission, path: string, searchParams: Promise<Search>) {
  const actor = await requirePermissionForPage(permission, path);
  const db = await getDatabase();
  const params = await searchParams;
  const study = await studyForPage(db, actor, params.study);
  return { actor, db, params, study };
}
