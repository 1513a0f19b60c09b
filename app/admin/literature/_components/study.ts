import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import type { Database } from "@/lib/db";
import { findLiteratureStudy } from "@/lib/db/codebooks";
import { orNotFound } from "@/app/_lib/or-not-found";

/** The study a literature page works on (?study=slug, or the oldest); unknown slugs are a 404. */
export async function studyForPage(db: Database, actor: Actor, slug: string | undefined) {
  return orNotFound(findLiteratureStudy(db, actor, slug));
}
