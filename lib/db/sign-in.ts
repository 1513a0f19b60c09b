import type { Database } from "./engine/connection";
import { decoyPasswordHash, verifyPassword } from "@/lib/auth/passwords";

/** Failed attempts allowed in the window before sign-in is refused, per account and per network address. */
export const SIGN_IN_LIMITS = { windowMinutes: 15, perAccount: 5, perAddress: 30 } as const;

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number } }
  | { ok: false; reason: "invalid" | "rate-limited" };

/**
 * Checks an email and password, counting failures per account and per address. Unknown accounts, wrong
 * passwords and deactivated accounts all answer "invalid" and take the same time.
 */
export async function verifySignIn(
  db: Database,
  input: { email: string; password: string; address: string },
  now: Date = new Date(),
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const since = new Date(now.getTime() - SIGN_IN_LIMITS.windowMinutes * 60_000);
  const [accountFailures, addressFailures] = await Promise.all([
    db.prisma.signInAttempt.count({ where: { email, succeeded: false, createdAt: { gte: since } } }),
    db.prisma.signInAttempt.count({ where: { address: input.address, succeeded: false, createdAt: { gte: since } } }),
  ]);
  if (accountFailures >= SIGN_IN_LIMITS.perAccount || addressFailures >= SIGN_IN_LIMITS.perAddress) {
    await db.prisma.signInAttempt.create({ data: { email, address: input.address, succeeded: false, createdAt: now } });
    return { ok: false, reason: "rate-limited" };
  }

  const user = await db.prisma.user.findUnique({ where: { email } });
  const matches = await verifyPassword(input.password, user?.passwordHash ?? (await decoyPasswordHash()));
  const succeeded = Boolean(user && user.isActive && user.passwordHash && matches);
  await db.prisma.signInAttempt.create({ data: { email, address: input.address, succeeded, createdAt: now } });
  if (!succeeded || !user) return { ok: false, reason: "invalid" };
  await db.prisma.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
}
