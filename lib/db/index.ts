import "server-only";
import { openDatabase, type Database } from "./connection";
import { applyMigrations } from "./migrations";
import { keepStatisticsFresh } from "./embedded-analyze";
import { databaseTargetFromEnv } from "./target";

const globalForDb = globalThis as unknown as { varstudyDatabase?: Promise<Database> };

/**
 * The app server's database, opened once per process. Opening applies pending migrations (a no-op when there
 * are none), so a freshly deployed instance never runs against an old schema. On the embedded database, which
 * has no autovacuum, the server also keeps the planner's statistics fresh (lib/db/embedded-analyze.ts).
 */
export function getDatabase(): Promise<Database> {
  globalForDb.varstudyDatabase ??= (async () => {
    const db = await openDatabase(databaseTargetFromEnv());
    await applyMigrations(db.sql);
    if (db.target.kind === "embedded") keepStatisticsFresh(db.sql);
    return db;
  })().catch((error) => {
    globalForDb.varstudyDatabase = undefined;
    throw error;
  });
  return globalForDb.varstudyDatabase;
}
