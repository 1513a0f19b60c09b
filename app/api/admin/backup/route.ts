import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { withUser } from "@/app/api/_lib/with-user";
import { getDatabase } from "@/lib/db";
import { backupDatabase } from "@/lib/db/backups";

export const dynamic = "force-dynamic";

/** Streams a backup of the whole database; the app owns the embedded database, so it is the one to read it. */
export async function GET(request: Request) {
  return withUser(request, async (user) => {
    const db = await getDatabase();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-backup-"));
    const file = path.join(dir, "backup.jsonl.gz");
    try {
      await backupDatabase(db, user, file);
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
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
  });
}
