/**
 * The dashboard's Answer triggers run on every page save. The embedded database caches a trigger's plans for the
 * life of the process, made when they first run — on a new database, when "Response" holds a row or two, and
 * nothing there runs ANALYZE to make them again. Their lookup of an answer's response must therefore stay a key
 * lookup as the table grows (20261207020000_answer_trigger_index_lookups): before, every page save read the
 * whole table (11.5 ms per page save over the first 1,300 responses, 2.4 ms now). Checked by the blocks of "Response"
 * one answer upsert reads, not by a timing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { savePage, startResponse } from "@/lib/db/responses";
import { newToken } from "@/lib/db/survey-tokens";
import { makeAdmin, PHAM_PAGES, publishPham } from "./survey-helpers";
import { freshDatabase, MODES } from "./database-modes";

describe.each(MODES)("page-save triggers as the response table grows (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let completedId: string;

  beforeAll(async () => {
    db = await freshDatabase(mode);
    const { id: questionnaireId, versionId } = await publishPham(db, await makeAdmin(db));
    // The first responses, on the web: the triggers run (and are planned) while the table is tiny.
    for (let i = 0; i < 2; i++) {
      const start = await startResponse(db, { slug: "pham2020", browserKey: newToken() });
      for (const [sectionId, fields] of Object.entries(PHAM_PAGES)) await savePage(db, { slug: "pham2020", resumeToken: start.resumeToken, sectionId, fields });
    }
    // Then the table grows, with no ANALYZE.
    await db.sql.query(
      `INSERT INTO "Response" (id, "questionnaireId", "versionId", status, "updatedAt", "completedAt")
       SELECT 'grown-' || i, $1, $2, 'COMPLETED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM generate_series(1, 5000) AS i`,
      [questionnaireId, versionId],
    );
    completedId = "grown-4321";
  }, 120_000);
  afterAll(async () => db?.drop());

  /** Blocks of "Response" read by one answer upsert as a page save makes it (its triggers included). */
  const responseBlocksReadByUpsert = (responseId: string) =>
    db.sql.transaction(async (tx) => {
      const fetched = async () => (await tx.query<{ n: number }>(`SELECT pg_stat_get_xact_blocks_fetched('"Response"'::regclass)::int AS n`))[0]!.n;
      const before = await fetched();
      await tx.query(
        `INSERT INTO "Answer" (id, "responseId", "questionId", value, "choiceIds", "updatedAt")
         VALUES (gen_random_uuid()::text, $1, 'comments', '"plan check"'::jsonb, '{}', CURRENT_TIMESTAMP)
         ON CONFLICT ("responseId", "questionId") DO UPDATE SET value = EXCLUDED.value`,
        [responseId],
      );
      return (await fetched()) - before;
    });

  it("reads a few blocks of the response table, not all of it", async () => {
    const [size] = await db.sql.query<{ pages: number }>(`SELECT (pg_relation_size('"Response"') / 8192)::int AS pages`);
    expect(size!.pages).toBeGreaterThan(50);
    expect(await responseBlocksReadByUpsert(completedId)).toBeLessThan(12);
  });
});
