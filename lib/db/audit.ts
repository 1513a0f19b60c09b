import type { Database } from "./engine/connection";
import type { Actor } from "@/lib/auth/permissions";
import { assertCan } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/generated/prisma/client";

type Writer = Pick<Database["prisma"], "auditEntry">;

/** Records an admin action. Call it inside the transaction that makes the change, so both land or neither. */
export async function recordAudit(
  writer: Writer,
  actor: Actor | null,
  action: string,
  target: string | null,
  details?: Prisma.InputJsonValue,
): Promise<void> {
  await writer.auditEntry.create({ data: { actorId: actor?.id ?? null, action, target, details } });
}

export type AuditRow = { id: string; at: Date; actorEmail: string | null; action: string; target: string | null; details: unknown };

/** The newest audit entries first. Admins only. */
export async function listAuditEntries(db: Database, actor: Actor, options: { limit?: number } = {}): Promise<AuditRow[]> {
  assertCan(actor, "audit.read");
  const rows = await db.prisma.auditEntry.findMany({
    orderBy: { createdAt: "desc" },
    take: Math.min(options.limit ?? 200, 1000),
    include: { actor: { select: { email: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    at: row.createdAt,
    actorEmail: row.actor?.email ?? null,
    action: row.action,
    target: row.target,
    details: row.details,
  }));
}
