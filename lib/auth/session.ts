import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { authOptions } from "./options";
import { can, type Permission } from "./permissions";
import { getDatabase } from "@/lib/db";
import { findSessionUser, type SessionUser } from "@/lib/db/users";
import { AppError } from "@/lib/errors";

/**
 * The signed-in user, re-read from the database on every request (once per request thanks to cache), so a
 * deactivation or role change takes effect immediately even though the session token is still valid.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = (await getServerSession(authOptions())) as { uid?: unknown; sv?: unknown } | null;
  if (!session || typeof session.uid !== "string" || typeof session.sv !== "number") return null;
  return findSessionUser(await getDatabase(), session.uid, session.sv);
});

/** For pages: the user, or a redirect to sign-in (and back here afterwards). */
export async function requireUserForPage(returnTo: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** For pages that need a permission: signed-in users without it see the "not allowed" page. */
export async function requirePermissionForPage(permission: Permission, returnTo: string): Promise<SessionUser> {
  const user = await requireUserForPage(returnTo);
  if (!can(user, permission)) redirect(`/forbidden`);
  return user;
}

/** For server actions: throws instead of redirecting; the action turns it into a message. */
export async function requireUserForAction(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  return user;
}
