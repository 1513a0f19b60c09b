/**
 * A cache of computed dashboard aggregates. An entry is keyed by what was asked (study, questionnaire,
 * filters, settings …) and stamped with a *data version* read from the database on every request, so a
 * repeated view costs one tiny query, while any new or changed response, answer, coding, final code or run
 * changes the version and the next view recomputes from the database.
 *
 * The versions are counters in the database (the prisma/migrations/*_dashboard_* migrations): a statement
 * trigger on every table the dashboard reads bumps its part's counter in the writing transaction (statements
 * on Response and Answer that touch no row do not). So the new
 * version becomes visible exactly when the written rows do, whichever path wrote them (page save, import,
 * raw SQL, restore), and every app instance on the same database sees it: several instances behind a load
 * balancer stay correct. The version is read *before* the aggregates, so a write that commits in between is
 * either in the aggregates already or changes the version the next view reads.
 *
 * Survey aggregates of completed responses need not be recomputed when responses complete: they are cached as
 * tallies that take in just the newly completed responses (tally.ts, cachedIncremental below).
 *
 * Reading rows to derive a version (counts, max(updatedAt), sums of xmin) was measured first: 270–700 ms on
 * embedded PGlite at 10,000 responses, as slow as some aggregates themselves.
 */
import type { Database } from "@/lib/db/engine/connection";

/** Versions of the parts of the data the dashboard reads; each grows whenever rows of its tables change. */
export type DataVersion = {
  /** Questionnaires, versions, invitation lists, invitations, responses, answers. */
  survey: string;
  /**
   * Moves only with writes that can change what completed responses show (a response completed, changed or
   * deleted after completion, definitions, lists): a participant saving a page of an unfinished response moves
   * `survey` (the funnel) but not this one.
   */
  surveyCompleted: string;
  /**
   * Moves with the writes to completed responses that a new completion does not explain (a completed response
   * or its answers changed, reopened or deleted; definitions, lists, invitations). While it stays, a cached
   * completed-only aggregate is brought up to date by adding the responses completed since (tally.ts).
   */
  surveyCompletedEdit: string;
  /** Codebooks, papers, sample draws and items, assignments, codings, final codes (and study rows). */
  literature: string;
  /** Experiment sets and runs. */
  experiments: string;
  /** Completed responses, questionnaires, literature and experiments: the study header's counts. */
  all: string;
};

const VERSION_SQL = `SELECT (SELECT min("epoch") FROM "varstudy_meta"."data_epoch") AS epoch,
  coalesce(sum("version") FILTER (WHERE "part" = 'survey'), 0)::text AS survey,
  coalesce(sum("version") FILTER (WHERE "part" = 'survey-completed'), 0)::text AS "surveyCompleted",
  coalesce(sum("version") FILTER (WHERE "part" = 'survey-completed-edit'), 0)::text AS "surveyCompletedEdit",
  coalesce(sum("version") FILTER (WHERE "part" = 'literature'), 0)::text AS literature,
  coalesce(sum("version") FILTER (WHERE "part" = 'experiments'), 0)::text AS experiments,
  coalesce(sum("version") FILTER (WHERE "part" = 'study'), 0)::text AS study
  FROM "varstudy_meta"."data_version"`;

/** Reads the data versions in one small query (no authorization: it reveals only opaque counters). */
export async function dataVersion(db: Database): Promise<DataVersion> {
  const [row] = await db.sql.query<{ epoch: string | null; survey: string; surveyCompleted: string; surveyCompletedEdit: string; literature: string; experiments: string; study: string }>(VERSION_SQL);
  if (!row) throw new Error("the data version query returned no row");
  // The study row (name, strata, codebook choice) is shown with the survey and the literature results.
  const survey = `${row.epoch}:${row.survey}:${row.study}`;
  const surveyCompleted = `${row.epoch}:${row.surveyCompleted}:${row.study}`;
  const surveyCompletedEdit = `${row.epoch}:${row.surveyCompletedEdit}:${row.study}`;
  const literature = `${row.epoch}:${row.literature}:${row.study}`;
  const experiments = `${row.epoch}:${row.experiments}`;
  return { survey, surveyCompleted, surveyCompletedEdit, literature, experiments, all: `${surveyCompleted}/${literature}/${experiments}` };
}

/** The version survey aggregates under a filter depend on: completed-only filters ignore unfinished responses. */
export const surveyVersionFor = (version: DataVersion, filter: { completedOnly: boolean }): string => (filter.completedOnly ? version.surveyCompleted : version.survey);

type Entry = { version: string; base: string | undefined; value: Promise<unknown> };

/** Entries kept per database; the least recently used go first (each is one page's aggregates, a few KB–100 KB). */
const MAX_ENTRIES = 300;
// Per Database object: tests and tools open several databases in one process, and ids may repeat across restores.
const caches = new WeakMap<Database, Map<string, Entry>>();

/**
 * The value cached under `key` when it was computed at `version`, else `compute()` (stored for the next
 * request). Concurrent requests for the same key and version share one computation; a failed computation is
 * not kept. Cached values are shared between requests: callers must not mutate them.
 */
export function cachedAggregate<T>(db: Database, key: string, version: string, compute: () => Promise<T>): Promise<T> {
  return cachedIncremental(db, { key, version, base: undefined }, () => compute());
}

/**
 * cachedAggregate for values that can be brought up to date from an older one: when the entry under `key` was
 * computed at another `version` but the same `base`, `update(previous)` extends it; otherwise `update(undefined)`
 * computes it anew. `base` undefined: never extended.
 */
export function cachedIncremental<T>(
  db: Database,
  entry: { key: string; version: string; base: string | undefined },
  update: (previous: T | undefined) => Promise<T>,
): Promise<T> {
  const { key, version, base } = entry;
  let entries = caches.get(db);
  if (!entries) caches.set(db, (entries = new Map()));
  const hit = entries.get(key);
  if (hit && hit.version === version) {
    // Re-insert so Map order is least recently used first.
    entries.delete(key);
    entries.set(key, hit);
    return hit.value as Promise<T>;
  }
  const extendable = hit && base !== undefined && hit.base === base ? (hit.value as Promise<T>) : undefined;
  // A failed previous value is not extended: the new one is computed from scratch.
  const value = extendable ? extendable.then(update, () => update(undefined)) : update(undefined);
  const stored: Entry = { version, base, value };
  entries.delete(key);
  entries.set(key, stored);
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  value.catch(() => {
    if (entries.get(key) === stored) entries.delete(key);
  });
  return value;
}

/** A stable cache key from the parts of a request (objects with the same fields in any order give one key). */
export function cacheKey(...parts: unknown[]): string {
  return JSON.stringify(parts, (_, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}
