import type { SqlRunner } from "./connection";

/**
 * Where no autovacuum runs — the embedded database never has one, and a PostgreSQL server may have it turned off —
 * nothing clears dead row versions or refreshes the planner's statistics while responses, codings and runs
 * accumulate through the app. Every page save leaves a dead version of its response row; tables bloat, queries
 * planned for a tiny table get slow as it grows, and throughput falls (measured in the soak: a 10-minute server-mode
 * run fell from 12,600 to 10,000 page saves a minute without this upkeep; with it, every minute stayed between 11,200
 * and 13,500; docs/reliability.md). The app server therefore vacuums and analyzes, once a minute, the tables that have grown by a fifth (or by
 * 64 kB when never analyzed) since they were last vacuumed or analyzed — autovacuum's threshold, measured in pages
 * because PGlite keeps no row-change counters. As tables grow this runs ever more rarely.
 */
const GROWN_TABLES = `
  SELECT format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'r' AND n.nspname IN ('public', 'varstudy_meta')
     AND pg_relation_size(c.oid) / 8192 >= CASE WHEN c.reltuples < 0 THEN 8 ELSE 1.2 * c.relpages + 8 END
   ORDER BY 1`;

/**
 * Vacuums and analyzes the tables that have grown since they were last vacuumed or analyzed; returns their names.
 * A table another app instance is vacuuming just then is skipped (SKIP_LOCKED), not waited for.
 */
export async function vacuumGrownTables(sql: SqlRunner): Promise<string[]> {
  const grown = (await sql.query<{ name: string }>(GROWN_TABLES)).map((row) => row.name);
  // VACUUM cannot run in a transaction block; exec sends it on its own.
  if (grown.length > 0) await sql.exec(`VACUUM (ANALYZE, SKIP_LOCKED) ${grown.join(", ")}`);
  return grown;
}

/** Whether the app must look after its tables itself: always on the embedded database, on a server without autovacuum. */
export async function needsTableUpkeep(sql: SqlRunner, kind: "embedded" | "server"): Promise<boolean> {
  if (kind === "embedded") return true;
  const [row] = await sql.query<{ autovacuum: string }>(`SELECT current_setting('autovacuum') AS autovacuum`);
  return row?.autovacuum !== "on";
}

export const UPKEEP_INTERVAL_MS = 60_000;

/** Runs vacuumGrownTables every minute for the life of the process (the timer does not keep it alive). */
export function startTableUpkeep(sql: SqlRunner, intervalMs = UPKEEP_INTERVAL_MS): () => void {
  let running = false;
  let reported = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    vacuumGrownTables(sql)
      .catch((error: unknown) => {
        // A failed VACUUM costs speed, never data; say so once rather than every minute.
        if (!reported) console.error("vacuuming the database's grown tables failed (will keep trying):", error);
        reported = true;
      })
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
