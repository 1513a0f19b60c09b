import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { assertCan, type Actor, type Role } from "@/lib/auth/permissions";
import { hashPassword } from "@/lib/auth/passwords";
import { AppError } from "@/lib/errors";
import type { CreateUserInput, FirstAdminInput, UpdateUserAccessInput } from "@/lib/validation/users";

export type UserSummary = {
  id: string;
  email: string;
  name: string;
  role: Role;
  canAdjudicate: boolean;
  isActive: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
};

const SUMMARY = {
  id: true,
  email: true,
  name: true,
  role: true,
  canAdjudicate: true,
  isActive: true,
  createdAt: true,
  lastSignInAt: true,
} as const;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** Whether first-run setup is over: some active admin exists. */
export async function hasActiveAdmin(db: Database): Promise<boolean> {
  return (await db.prisma.user.count({ where: { role: "ADMIN", isActive: true } })) > 0;
}

/**
 * First-run setup: creates the first admin. Anyone may call it, but only while no admin exists; the check and
 * the insert share a transaction so two racing browsers cannot both become admin.
 */
export async function createFirstAdmin(db: Database, input: FirstAdminInput): Promise<UserSummary> {
  const passwordHash = await hashPassword(input.password);
  return db.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`LOCK TABLE "User" IN SHARE ROW EXCLUSIVE MODE`);
    if ((await tx.user.count({ where: { role: "ADMIN" } })) > 0) {
      throw new AppError("CONFLICT", "Setup is already complete: an administrator exists. Sign in instead.");
    }
    const user = await tx.user.create({
      data: { email: input.email, name: input.name, passwordHash, role: "ADMIN", canAdjudicate: true },
      select: SUMMARY,
    });
    await recordAudit(tx, { id: user.id, role: "ADMIN", canAdjudicate: true }, "setup.first-admin", user.email);
    return user;
  });
}

export async function listUsers(db: Database, actor: Actor): Promise<UserSummary[]> {
  assertCan(actor, "users.manage");
  return db.prisma.user.findMany({ select: SUMMARY, orderBy: [{ isActive: "desc" }, { email: "asc" }] });
}

export async function createUser(db: Database, actor: Actor, input: CreateUserInput): Promise<UserSummary> {
  assertCan(actor, "users.manage");
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash, role: input.role, canAdjudicate: input.canAdjudicate },
        select: SUMMARY,
      });
      await recordAudit(tx, actor, "user.create", user.email, { role: user.role, canAdjudicate: user.canAdjudicate });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `An account with the email ${input.email} already exists.`);
    throw error;
  }
}

/** Changes role and adjudicator permission. Ends the user's sessions so the change applies at once. */
export async function updateUserAccess(db: Database, actor: Actor, input: UpdateUserAccessInput): Promise<UserSummary> {
  assertCan(actor, "users.manage");
  return db.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user) throw new AppError("NOT_FOUND", "That user does not exist.");
    if (user.role === "ADMIN" && input.role !== "ADMIN") {
      const otherAdmins = await tx.user.count({ where: { role: "ADMIN", isActive: true, id: { not: user.id } } });
      if (otherAdmins === 0) throw new AppError("CONFLICT", "This is the last active administrator; make someone else an administrator first.");
    }
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { role: input.role, canAdjudicate: input.canAdjudicate, sessionVersion: { increment: 1 } },
      select: SUMMARY,
    });
    await recordAudit(tx, actor, "user.update-access", user.email, {
      from: { role: user.role, canAdjudicate: user.canAdjudicate },
      to: { role: updated.role, canAdjudicate: updated.canAdjudicate },
    });
    return updated;
  });
}

/** Deactivating ends every session of the user at once; their data stays. */
export async function setUserActive(db: Database, actor: Actor, input: { userId: string; isActive: boolean }): Promise<UserSummary> {
  assertCan(actor, "users.manage");
  if (input.userId === actor.id && !input.isActive) throw new AppError("CONFLICT", "You cannot deactivate your own account.");
  return db.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user) throw new AppError("NOT_FOUND", "That user does not exist.");
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { isActive: input.isActive, sessionVersion: { increment: 1 } },
      select: SUMMARY,
    });
    await recordAudit(tx, actor, input.isActive ? "user.reactivate" : "user.deactivate", user.email);
    return updated;
  });
}

export type SessionUser = Actor & { email: string; name: string };

/**
 * The user behind a session token, or null when the account is gone, deactivated, or its sessions were ended
 * after the token was issued (sessionVersion moved on).
 */
export async function findSessionUser(db: Database, userId: string, sessionVersion: number): Promise<SessionUser | null> {
  const user = await db.prisma.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, canAdjudicate: true, isActive: true, sessionVersion: true },
  });
  if (!user || !user.isActive || user.sessionVersion !== sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, canAdjudicate: user.canAdjudicate };
}

/** For single sign-on: the active account with this email, if an admin created one. */
export async function findActiveUserByEmail(db: Database, email: string) {
  return db.prisma.user.findFirst({
    where: { email: email.trim().toLowerCase(), isActive: true },
    select: { id: true, email: true, name: true, sessionVersion: true },
  });
}
