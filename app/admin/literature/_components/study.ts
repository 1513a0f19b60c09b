import "server-only";
import { notFound } from "next/navigation";
import type { Actor } from "@/lib/auth/permissions";
import type { Database } from "@/lib/db";
import { findLiteratureStudy } from "@/lib/db/codebooks";
import { AppError } from "@/lib/errors";

/** The study a literature page works on (?study=slug, or the oldest); unknown slugs are a 404. */
export async function studyForPage(db: Database, actor: Actor, slug: string | undefined) {
  try {
    return await findLiteratureStudy(db, actor, slug);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
