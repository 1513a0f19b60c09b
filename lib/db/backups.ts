import { assertCan } from "@/lib/auth/permissions";
import type { Database } from "./engine/connection";
import type { SessionUser } from "./users";
import { recordAudit } from "./audit";
import { writeBackup } from "./engine/backup";

/**
 * An admin's backup of the whole database into `file` (the app owns the embedded database, so it is the one to
 * read it); the audit log records who took it.
 */
export async function backupDatabase(db: Database, actor: SessionUser, file: string): Promise<void> {
  assertCan(actor, "data.backup");
  await writeBackup(db.sql, file);
  await recordAudit(db.prisma, actor, "data.backup", null);
}
