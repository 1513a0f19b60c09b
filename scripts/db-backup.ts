import path from "node:path";
import { openDatabase } from "@/lib/db/engine/connection";
import { writeBackup } from "@/lib/db/engine/backup";
import { EmbeddedDatabaseBusyError } from "@/lib/db/engine/embedded-lock";
import { databaseTargetFromEnv, describeTarget } from "@/lib/db/engine/target";
import { runScript } from "./lib/run-script";

const HELP = `Usage: npm run db:backup -- <file.jsonl.gz>

Writes a consistent logical backup of the whole database (both modes; restorable into either mode with
npm run db:restore). While the app server holds the embedded database, download the backup from the app
instead (Admin → Backup), or stop the server first.`;

runScript(HELP, async (argv) => {
  const file = argv[0];
  if (!file) throw new Error("give the backup file to write, e.g. npm run db:backup -- backups/varstudy.jsonl.gz");
  const target = databaseTargetFromEnv();
  let db;
  try {
    db = await openDatabase(target);
  } catch (error) {
    if (error instanceof EmbeddedDatabaseBusyError) {
      throw new Error(`${error.message} To back up while it runs, download the backup from /admin/backup in the app.`);
    }
    throw error;
  }
  try {
    const counts = await writeBackup(db.sql, path.resolve(file));
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`Backed up ${describeTarget(target)}: ${rows} rows in ${Object.keys(counts).length} tables → ${file}`);
  } finally {
    await db.close();
  }
});
