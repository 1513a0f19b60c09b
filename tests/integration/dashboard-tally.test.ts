/**
 * Incremental survey tallies (lib/db/dashboard/tally.ts) in both database modes: after responses complete, the
 * next view counts only those responses (statements restricted to "completed after the cached snapshot") and shows
 * exactly what a view computed from nothing shows; any other change to completed responses is counted again from
 * all answers. In server mode, a completion whose transaction commits after a later one is still counted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { Actor } from "@/lib/auth/permissions";
import type { Database, SqlRunner } from "@/lib/db/engine/connection";
import { surveyFilterParamsSchema } from "@/lib/db/dashboard/filters";
import { loadStudyResults } from "@/lib/db/dashboard/results";
import { generateResponses, insertResponses, type SyntheticResponse } from "@/lib/db/seed/synthetic";
import { savePage, startResponse } from "@/lib/db/responses";
import { newToken } from "@/lib/db/survey-tokens";
import { intervalSettingsFrom } from "@/lib/dashboard/intervals";
import { createStudyWithCodebook, loadPhamDefinition } from "./dashboard-fixtures";
import { makeAdmin, PHAM_PAGES, publishPham } from "./survey-helpers";
import { freshDatabase, MODES } from "./database-modes";

const settings = intervalSettingsFrom({});
const definition = loadPhamDefinition();
const SLUG = "tally";

/** The statements a view ran that counted survey answers: in full, or only the responses completed since. */
type TallyStatements = { full: number; sinceSnapshot: number };

describe.each(MODES)("incremental survey tallies (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: Database;
  let admin: Actor;
  let questionnaire: { id: string; versionId: string };
  let statements: string[] = [];
  let synthetic: SyntheticResponse[];

  const load = (database: Database) => loadStudyResults(database, admin, SLUG, { settings, filterParams: surveyFilterParamsSchema.parse({}) });
  /** What the view of an app instance with an empty cache shows now (the cache is per Database object). */
  const fromNothing = async () => (await load({ ...db })).survey;
  const tallyStatements = (): TallyStatements => {
    const tallies = statements.filter((sql) => sql.includes("pg_current_snapshot()"));
    const sinceSnapshot = tallies.filter((sql) => sql.includes("pg_visible_in_snapshot")).length;
    return { full: tallies.length - sinceSnapshot, sinceSnapshot };
  };
  /** A view through the app's cache, with the tally statements it ran. */
  const view = async () => {
    statements = [];
    const results = await load(app);
    return { survey: results.survey!, ran: tallyStatements() };
  };
  const completeOnTheWeb = async () => {
    const start = await startResponse(db, { slug: "pham2020", browserKey: newToken() });
    for (const [sectionId, fields] of Object.entries(PHAM_PAGES)) {
      expect((await savePage(db, { slug: "pham2020", resumeToken: start.resumeToken, sectionId, fields })).ok).toBe(true);
    }
  };

  beforeAll(async () => {
    db = await freshDatabase(mode);
    admin = await makeAdmin(db);
    const { study } = await createStudyWithCodebook(db, SLUG);
    const published = await publishPham(db, admin);
    await db.prisma.questionnaire.update({ where: { id: published.id }, data: { studyId: study.id } });
    questionnaire = { id: published.id, versionId: published.versionId };
    synthetic = generateResponses(definition, { count: 300, seed: 11, completedShare: 0.8 });
    await db.sql.transaction((tx) => insertResponses({ ...db, sql: tx }, questionnaire.id, questionnaire.versionId, synthetic));
    const recording: SqlRunner = {
      ...db.sql,
      query: (sql, params) => {
        statements.push(sql);
        return db.sql.query(sql, params);
      },
    };
    app = { ...db, sql: recording };
  });
  afterAll(async () => db.drop());

  it("counts only the responses completed since the cached view, and shows what a view from nothing shows", async () => {
    const first = await view();
    expect(first.ran.full).toBeGreaterThan(0);
    expect(first.ran.sinceSnapshot).toBe(0);
    const completedBefore = first.survey.funnel.completed;

    // Completions by every path: the web write path, an import-like insert of completed responses in one
    // transaction, and an unfinished response moved to completed by plain SQL.
    await completeOnTheWeb();
    await completeOnTheWeb();
    const more = generateResponses(definition, { count: 40, seed: 12, completedShare: 1, start: new Date("2020-03-01T00:00:00Z") });
    await db.sql.transaction((tx) => insertResponses({ ...db, sql: tx }, questionnaire.id, questionnaire.versionId, more));
    const unfinished = synthetic.find((response) => !response.completed)!;
    await db.sql.query(`UPDATE "Response" SET "status" = 'COMPLETED', "completedAt" = now() WHERE "id" = $1`, [unfinished.id]);

    const second = await view();
    expect(second.ran.full).toBe(0);
    expect(second.ran.sinceSnapshot).toBeGreaterThan(0);
    expect(second.survey.funnel.completed).toBe(completedBefore + 2 + 40 + 1);
    expect(second.survey).toEqual(await fromNothing());

    // Nothing new: served from the cache without counting.
    expect((await view()).ran).toEqual({ full: 0, sinceSnapshot: 0 });
  });

  it("counts again from all answers after a completed response's answer changes or a completed response is deleted", async () => {
    await view();
    const completed = synthetic.filter((response) => response.completed && response.answers.Q26 !== undefined);
    await db.sql.query(`UPDATE "Answer" SET "choiceIds" = '{no}', "value" = '{"choice":"no"}'::jsonb WHERE "questionId" = 'Q26' AND "responseId" = $1`, [completed[0]!.id]);
    const edited = await view();
    expect(edited.ran.sinceSnapshot).toBe(0);
    expect(edited.ran.full).toBeGreaterThan(0);
    expect(edited.survey).toEqual(await fromNothing());

    // An answer changed in the transaction that also touched the completed response's own row (not completing it).
    await db.sql.transaction(async (tx) => {
      await tx.query(`UPDATE "Response" SET "resumeTokenHash" = 'rotated' WHERE "id" = $1`, [completed[2]!.id]);
      await tx.query(`UPDATE "Answer" SET "choiceIds" = '{yes}', "value" = '{"choice":"yes"}'::jsonb WHERE "questionId" = 'Q26' AND "responseId" = $1`, [completed[2]!.id]);
    });
    const touched = await view();
    expect(touched.ran.sinceSnapshot).toBe(0);
    expect(touched.ran.full).toBeGreaterThan(0);
    expect(touched.survey).toEqual(await fromNothing());

    await db.sql.query(`DELETE FROM "Response" WHERE "id" = $1`, [completed[1]!.id]);
    const deleted = await view();
    expect(deleted.ran.sinceSnapshot).toBe(0);
    expect(deleted.ran.full).toBeGreaterThan(0);
    expect(deleted.survey).toEqual(await fromNothing());
  });

  it.runIf(mode === "server")("counts a completion whose transaction commits after a later completion was already viewed", async () => {
    await view();
    const [early, late] = synthetic.filter((response) => !response.completed).slice(1, 3);
    const url = db.target.kind === "server" ? db.target.url : "";
    const slow = new pg.Client({ connectionString: url });
    await slow.connect();
    try {
      // The early completion takes its transaction id first and commits last.
      await slow.query("BEGIN");
      await slow.query(`UPDATE "Response" SET "status" = 'COMPLETED', "completedAt" = now() WHERE "id" = $1`, [early!.id]);
      await db.sql.query(`UPDATE "Response" SET "status" = 'COMPLETED', "completedAt" = now() WHERE "id" = $1`, [late!.id]);
      const between = await view();
      expect(between.survey).toEqual(await fromNothing());
      await slow.query("COMMIT");
    } finally {
      await slow.end();
    }
    const after = await view();
    expect(after.ran.full).toBe(0);
    expect(after.ran.sinceSnapshot).toBeGreaterThan(0);
    expect(after.survey).toEqual(await fromNothing());
    expect(after.survey.funnel.completed).toBe((await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Response" WHERE "status" = 'COMPLETED'`))[0]!.n);
  });
});
