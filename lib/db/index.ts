import "server-only";
import { openDatabase, type Database } from "./engine/connection";
import { applyMigrations } from "./engine/migrations";
import { needsTableUpkeep, startTableUpkeep } from "./engine/table-upkeep";
import { databaseTargetFromEnv } from "./engine/target";

export type { Database };

const globalForDb = globalThis as unknown as { varstudyDatabase?: Promise<Database> };

/**
 * The app server's database, opened once per process. Opening applies pending migrations (a no-op when there
 * are none), so a freshly deployed instance never runs against an old schema. Where no autovacuum runs (the
 * embedded database always), the server also vacuums and analyzes grown tables itself (lib/db/engine/table-upkeep.ts).
 */
export function getDatabase(): Promise<Database> {
  globalForDb.varstudyDatabase ??= (async () => {
    const db = await openDatabase(databaseTargetFromEnv());
    await applyMigrations(db.sql);
    if (await needsTableUpkeep(db.sql, db.target.kind)) startTableUpkeep(db.sql);
    return db;
  })().catch((error) => {
    globalForDb.varstudyDatabase = undefined;
    throw error;
  });
  return globalForDb.varstudyDatabase;
}
