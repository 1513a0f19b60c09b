import fs from "node:fs";
import { openDatabase } from "@/lib/db/engine/connection";
import { restoreBackup } from "@/lib/db/engine/backup";
import { databaseTargetFromEnv, describeTarget } from "@/lib/db/engine/target";
import { runScript } from "./lib/run-script";

const HELP = `Usage: npm run db:restore -- <file.jsonl.gz>

Restores a backup made by npm run db:backup (or downloaded from the app) into an EMPTY database: a new embedded
directory (VARSTUDY_DATA_DIR) or a new PostgreSQL database (DATABASE_URL). All rows load in one transaction, the
row counts are checked, then newer migrations are applied. The app server must not be running on that database.`;

runScript(HELP, async (argv) => {
  const file = argv[0];
  if (!file) throw new Error("give the backup file to restore, e.g. npm run db:restore -- backups/varstudy.jsonl.gz");
  if (!fs.existsSync(file)) throw new Error(`no such file: ${file}`);
  const target = databaseTargetFromEnv();
  const db = await openDatabase(target);
  try {
    const counts = await restoreBackup(db.sql, file, { log: (line) => console.log(line) });
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`Restored ${rows} rows into ${describeTarget(target)}.`);
  } finally {
    await db.close();
  }
});
