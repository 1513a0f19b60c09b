import { openDatabase } from "@/lib/db/engine/connection";
import { applyMigrations } from "@/lib/db/engine/migrations";
import { databaseTargetFromEnv, describeTarget } from "@/lib/db/engine/target";
import { runScript } from "./lib/run-script";

const HELP = `Usage: npm run db:migrate

Applies every migration in prisma/migrations that the database has not applied yet, each in its own
transaction, and records it in _prisma_migrations as \`prisma migrate deploy\` does. Safe to re-run.

Database: DATABASE_URL=postgres://… (server mode) or the embedded PGlite directory VARSTUDY_DATA_DIR
(default data/db/pglite). The embedded database must not be open in the app server at the same time.`;

runScript(HELP, async () => {
  const target = databaseTargetFromEnv();
  const db = await openDatabase(target);
  try {
    const report = await applyMigrations(db.sql, { log: (line) => console.log(line) });
    console.log(
      `${describeTarget(target)}: ${report.applied.length} migration(s) applied, ${report.alreadyApplied.length} already applied.`,
    );
  } finally {
    await db.close();
  }
});
