import type { SqlRunner } from "./connection";

/**
 * The embedded database runs no autovacuum, so nothing refreshes the planner's statistics while responses, codings
 * and runs accumulate through the app: every table would keep the statistics of its last bulk import or none at
 * all, and queries planned for a tiny table get slow as it grows. The app server therefore analyzes, once a
 * minute, the tables that have grown by a fifth (or by 64 kB when never analyzed) since their last ANALYZE —
 * autovacuum's analyze threshold, measured in pages because PGlite keeps no row-change counters. As tables grow
 * this runs ever more rarely. A PostgreSQL server is left to its autovacuum, unless that is turned off.
 */
const GROWN_TABLES = `
  SELECT format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'r' AND n.nspname IN ('public', 'varstudy_meta')
     AND pg_relation_size(c.oid) / 8192 >= CASE WHEN c.reltuples < 0 THEN 8 ELSE 1.2 * c.relpages + 8 END
   ORDER BY 1`;

/**
 * Analyzes the tables that have grown since their statistics were taken; returns their names. One app instance
 * at a time (an advisory lock): two ANALYZE of one table at once make one of them fail.
 */
export async function analyzeGrownTables(sql: SqlRunner): Promise<string[]> {
  return sql.transaction(async (tx) => {
    const [lock] = await tx.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext('varstudy:analyze-grown-tables')) AS ok`);
    if (!lock?.ok) return [];
    const grown = (await tx.query<{ name: string }>(GROWN_TABLES)).map((row) => row.name);
    if (grown.length > 0) await tx.exec(`ANALYZE ${grown.join(", ")}`);
    return grown;
  });
}

/** Whether the app must keep statistics fresh itself: always on the embedded database, on a server without autovacuum. */
export async function needsStatisticsUpkeep(sql: SqlRunner, kind: "embedded" | "server"): Promise<boolean> {
  if (kind === "embedded") return true;
  const [row] = await sql.query<{ autovacuum: string }>(`SELECT current_setting('autovacuum') AS autovacuum`);
  return row?.autovacuum !== "on";
}

export const ANALYZE_INTERVAL_MS = 60_000;

/** Runs analyzeGrownTables every minute for the life of the process (the timer does not keep it alive). */
export function keepStatisticsFresh(sql: SqlRunner, intervalMs = ANALYZE_INTERVAL_MS): () => void {
  let running = false;
  let reported = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    analyzeGrownTables(sql)
      .catch((error: unknown) => {
        // A failed ANALYZE costs plan quality, never data; say so once rather than every minute.
        if (!reported) console.error("refreshing the embedded database's planner statistics failed (will keep trying):", error);
        reported = true;
      })
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
