import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { can } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { recordAudit } from "@/lib/db/audit";
import { writeBackup } from "@/lib/db/backup";

export const dynamic = "force-dynamic";

/** Streams a backup of the whole database; the app owns the embedded database, so it is the one to read it. */
export async function GET() {
  const user = await getCurrentUser();
  if (!user) return new Response("Sign in first.", { status: 401 });
  if (!can(user, "data.backup")) return new Response("You do not have permission to do this.", { status: 403 });
  const db = await getDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-backup-"));
  const file = path.join(dir, "backup.jsonl.gz");
  await writeBackup(db.sql, file);
  await recordAudit(db.prisma, user, "data.backup", null);
  const stream = fs.createReadStream(file);
  stream.on("close", () => fs.rmSync(dir, { recursive: true, force: true }));
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      "content-type": "application/gzip",
      "content-disposition": `attachment; filename="varstudy-backup-${stamp}.jsonl.gz"`,
      "cache-control": "no-store",
    },
  });
}
