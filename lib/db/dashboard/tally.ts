/**
 * Tallies: the survey aggregates as additive counts (rows of key columns and count columns), each with the
 * snapshot of the statement that counted it. Adding the tally of the responses completed since that snapshot
 * gives the tally of all of them, so after a participant completes a response the dashboard counts that one
 * response's answers instead of reading every answer again.
 *
 * Why it is exact: varstudy_meta.completion holds the transaction id (xid8) that completed each response (the
 * dashboard_completion_log migration). A response is counted in snapshot S exactly when its completing
 * transaction is visible in S, so "completing transaction not visible in S" selects precisely the responses
 * completed after S, whatever order concurrent transactions took their ids and committed in. Every other kind of
 * change to what completed responses show moves the survey-completed-edit data version, and then the tally is
 * counted again from all answers (cache.ts, cachedIncremental).
 */
import type { Database } from "@/lib/db/engine/connection";
import { cacheKey, cachedIncremental, surveyVersionFor, type DataVersion } from "./cache";
import type { SqlParams, SurveyFilter } from "./filters";

export type Tally<Row> = { snapshot: string; rows: Row[] };

/** Which columns of a tally's rows identify a group, and which are counts to add up. */
export type TallyShape<Row> = { keys: ReadonlyArray<keyof Row>; counts: ReadonlyArray<keyof Row> };

/** Runs a GROUP BY query and returns its rows with the snapshot the same statement read them in. */
export async function queryTally<Row>(db: Database, sql: string, params: unknown[]): Promise<Tally<Row>> {
  const [row] = await db.sql.query<{ snapshot: string; rows: Row[] }>(
    `SELECT pg_current_snapshot()::text AS snapshot, COALESCE((SELECT json_agg(t) FROM (${sql}) t), '[]'::json) AS rows`,
    params,
  );
  if (!row) throw new Error("the tally query returned no row");
  return row;
}

/** The SQL condition "response `alias` was completed after snapshot `since`" (nothing when since is undefined). */
export function completedSinceSql(since: string | undefined, params: SqlParams, alias = "r"): string {
  if (since === undefined) return "";
  const snapshot = params.add(since);
  return ` AND ${alias}."id" IN (SELECT c."responseId" FROM "varstudy_meta"."completion" c
      WHERE c."xid" >= pg_snapshot_xmin(${snapshot}::pg_snapshot) AND NOT pg_visible_in_snapshot(c."xid", ${snapshot}::pg_snapshot))`;
}

/** base + delta: counts of equal keys added, new keys appended; the snapshot is the delta's. */
export function mergeTally<Row>(base: Tally<Row>, delta: Tally<Row>, shape: TallyShape<Row>): Tally<Row> {
  if (delta.rows.length === 0) return { snapshot: delta.snapshot, rows: base.rows };
  const keyOf = (row: Row) => JSON.stringify(shape.keys.map((column) => row[column]));
  const merged = new Map(base.rows.map((row) => [keyOf(row), { ...row }]));
  for (const row of delta.rows) {
    const key = keyOf(row);
    const existing = merged.get(key);
    if (!existing) merged.set(key, { ...row });
    else for (const column of shape.counts) (existing[column] as number) += row[column] as number;
  }
  return { snapshot: delta.snapshot, rows: [...merged.values()] };
}

/**
 * A tally under a filter, cached: repeated while nothing changed, extended by the responses completed since
 * (completed-only filters), or counted anew. `count(since)` runs the tally's query, restricted to the responses
 * completed after `since` when it is given (see completedSinceSql).
 * @param tally.key what identifies the tally besides the filter (its kind and parameters).
 */
export async function cachedTally<Row>(
  db: Database,
  tally: { version: DataVersion; filter: SurveyFilter; key: unknown[]; shape: TallyShape<Row> },
  count: (since: string | undefined) => Promise<Tally<Row>>,
): Promise<Row[]> {
  const { version, filter, key, shape } = tally;
  const base = filter.completedOnly ? version.surveyCompletedEdit : undefined;
  const merged = await cachedIncremental<Tally<Row>>(db, { key: cacheKey("tally", ...key, filter), version: surveyVersionFor(version, filter), base }, async (previous) =>
    previous ? mergeTally(previous, await count(previous.snapshot), shape) : count(undefined),
  );
  return merged.rows;
}
