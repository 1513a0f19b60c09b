/**
 * lib/db/engine/table-upkeep.ts: tables that grew since they were last vacuumed or analyzed are vacuumed and analyzed, the
 * rest are left alone; a second pass with no growth in between does nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vacuumGrownTables, needsTableUpkeep } from "@/lib/db/engine/table-upkeep";
import { createQuestionnaire, generateResponses, insertResponses } from "@/lib/db/seed/synthetic";
import { createStudyWithCodebook, loadPhamDefinition } from "./dashboard-fixtures";
import { freshDatabase, MODES } from "./database-modes";

describe.each(MODES)("table upkeep without autovacuum (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let questionnaire: { questionnaireId: string; versionId: string };
  const definition = loadPhamDefinition();
  const statistics = async (table: string) =>
    (await db.sql.query<{ reltuples: number }>(`SELECT reltuples::float8 AS reltuples FROM pg_class WHERE oid = $1::regclass`, [`"${table}"`]))[0]!.reltuples;

  beforeAll(async () => {
    db = await freshDatabase(mode);
    const { study } = await createStudyWithCodebook(db, "analyze");
    questionnaire = await createQuestionnaire(db, study.id, definition);
    await vacuumGrownTables(db.sql);
  }, 60_000);
  afterAll(async () => db?.drop());

  it("vacuums and analyzes the tables that grew, and only those", async () => {
    await insertResponses(db, questionnaire.questionnaireId, questionnaire.versionId, generateResponses(definition, { count: 1500, seed: 3 }));
    // insertResponses analyzes what it wrote; forget that, as a database filled through the app would have.
    await db.sql.exec(`DELETE FROM pg_statistic WHERE starelid IN ('"Response"'::regclass, '"Answer"'::regclass);
      UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE oid IN ('"Response"'::regclass, '"Answer"'::regclass);`);
    expect(await statistics("Answer")).toBe(-1);

    const analyzed = await vacuumGrownTables(db.sql);
    expect(analyzed).toEqual(expect.arrayContaining(['public."Answer"', 'public."Response"']));
    expect(analyzed).not.toContain('public."User"');
    expect(await statistics("Answer")).toBeGreaterThan(10_000);
    expect(await statistics("Response")).toBe(1500);
  });

  it("does nothing when nothing grew", async () => {
    expect(await vacuumGrownTables(db.sql)).toEqual([]);
  });

  it("is needed on the embedded database, and on a server only without autovacuum", async () => {
    const [setting] = await db.sql.query<{ autovacuum: string }>(`SELECT current_setting('autovacuum') AS autovacuum`);
    expect(await needsTableUpkeep(db.sql, mode)).toBe(mode === "embedded" || setting!.autovacuum === "off");
  });
});
