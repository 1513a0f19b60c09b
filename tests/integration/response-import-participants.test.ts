/**
 * Issue 23, item 3: no participant waits on a response import. In server mode the import writes in one
 * transaction; it must hold nothing a participant's save needs, in particular not the dashboard's data-version
 * row of its slot (pg_backend_pid() % 8), which it held from its first batch to its commit before the counters
 * were deferred. The import is held mid-way by a test hook (deterministic, no timing), and a participant on a
 * connection of the import's own slot starts and saves a page. Afterwards the dashboard counts both.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { openDatabase, type Database } from "@/lib/db/engine/connection";
import { getDataJob } from "@/lib/db/data-jobs";
import { surveyFilterParamsSchema } from "@/lib/db/dashboard/filters";
import { loadStudyResults } from "@/lib/db/dashboard/results";
import { createQuestionnaire, publishQuestionnaireVersion, readQuestionnaireFile } from "@/lib/db/questionnaires";
import { savePage, startResponse } from "@/lib/db/responses";
import { newToken } from "@/lib/db/survey-tokens";
import { intervalSettingsFrom } from "@/lib/dashboard/intervals";
import { dataJobSettled, importJobTestHooks, startResponseImportJob } from "@/lib/jobs/response-import-job";
import { writeBigQualtricsCsv } from "@/scripts/lib/big-import-file";
import { createStudyWithCodebook } from "./dashboard-fixtures";
import { freshDatabase, MODES } from "./database-modes";
import { makeAdmin, PHAM_FILE, PHAM_PAGES } from "./survey-helpers";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-import-participants-"));
process.env.VARSTUDY_IMPORTS_DIR = path.join(scratch, "imports");
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const settings = intervalSettingsFrom({});
const slotOf = async (sql: Database["sql"]) => Number((await sql.query<{ slot: number }>(`SELECT pg_backend_pid() % 8 AS slot`))[0]!.slot);

/** Fails (instead of hanging) when a participant's work waits longer than `ms`. */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} waited more than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Server mode: a second Database whose single pooled connection has the given data-version slot (backend pids
 * are handed out in order, so a few tries find one). Embedded mode has one connection: the database itself.
 */
async function participantDatabase(db: Database, slot: number): Promise<{ db: Database; close(): Promise<void> }> {
  if (db.target.kind !== "server") return { db, close: async () => {} };
  const previous = process.env.DATABASE_POOL_SIZE;
  process.env.DATABASE_POOL_SIZE = "1";
  try {
    for (let attempt = 0; attempt < 64; attempt += 1) {
      const candidate = await openDatabase(db.target);
      if ((await slotOf(candidate.sql)) === slot) return { db: candidate, close: () => candidate.close() };
      await candidate.close();
    }
  } finally {
    if (previous === undefined) delete process.env.DATABASE_POOL_SIZE;
    else process.env.DATABASE_POOL_SIZE = previous;
  }
  throw new Error(`no connection with data-version slot ${slot} in 64 tries`);
}

describe.each(MODES)("participants during a response import (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Actor;
  let questionnaireId: string;
  const slug = "imports";
  const csv = path.join(scratch, `import-${mode}.csv`);
  const load = () => loadStudyResults(db, admin, slug, { settings, filterParams: surveyFilterParamsSchema.parse({ status: "all" }) });

  beforeAll(async () => {
    db = await freshDatabase(mode);
    admin = await makeAdmin(db);
    const { study } = await createStudyWithCodebook(db, slug);
    const questionnaire = await createQuestionnaire(db, admin, { sourceText: readQuestionnaireFile(PHAM_FILE).sourceText, studyId: study.id });
    const version = await db.prisma.questionnaireVersion.findFirstOrThrow({ where: { questionnaireId: questionnaire.id } });
    await publishQuestionnaireVersion(db, admin, { questionnaireId: questionnaire.id, versionId: version.id });
    questionnaireId = questionnaire.id;
    // About 1,200 responses: more than one batch in either mode, so the hook holds the import mid-way.
    writeBigQualtricsCsv(csv, 250_000, `R_part${mode}`);
  }, 120_000);
  afterAll(async () => {
    delete importJobTestHooks.afterBatch;
    await db?.drop();
  });

  it("lets a participant on the import's own counter slot start and save a page while the import is held mid-way", async () => {
    const before = await load();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: (at: { written: number; slot: number; pid: number }) => void;
    const holding = new Promise<{ written: number; slot: number; pid: number }>((resolve) => (held = resolve));
    importJobTestHooks.afterBatch = async ({ written, sql }) => {
      delete importJobTestHooks.afterBatch; // hold once
      const [me] = await sql.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
      held({ written, slot: me!.pid % 8, pid: me!.pid });
      await released;
    };
    const job = await startResponseImportJob(db, admin, { questionnaireId, fileName: "held.csv", bytes: new Uint8Array(fs.readFileSync(csv)), options: {} });
    const at = await within(120_000, "the import reaching its first batch", holding);
    expect(at.written).toBeGreaterThan(0);

    const participant = await participantDatabase(db, at.slot);
    try {
      if (mode === "server") expect(await slotOf(participant.db.sql)).toBe(at.slot);
      const start = await within(5000, "starting a response", startResponse(participant.db, { slug: "pham2020", browserKey: newToken() }));
      for (const [sectionId, fields] of Object.entries(PHAM_PAGES)) {
        const saved = await within(5000, `saving page ${sectionId}`, savePage(participant.db, { slug: "pham2020", resumeToken: start.resumeToken, sectionId, fields }));
        expect(saved.ok, sectionId).toBe(true);
      }
      if (mode === "server") {
        // Nothing waits on the import's backend (pg_locks: a blocked backend lists its blocker).
        const blocked = await db.sql.query(`SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, [at.pid]);
        expect(blocked).toEqual([]);
        // Still held: the import has not committed, so the dashboard does not count it yet.
        expect((await getDataJob(db, admin, { questionnaireId, jobId: job.id })).status).toBe("RUNNING");
        const during = await load();
        expect(during.survey!.funnel.started).toBe(before.survey!.funnel.started + 1);
        expect(during.survey!.funnel.completed).toBe(before.survey!.funnel.completed + 1);
      }
    } finally {
      release();
      await participant.close();
    }

    await dataJobSettled(job.id);
    const done = await getDataJob(db, admin, { questionnaireId, jobId: job.id });
    expect(done.status, done.message ?? "").toBe("SUCCEEDED");
    // Done means committed, and the dashboard's counts (cached before) include the import and the participant.
    const imported = await db.prisma.response.count({ where: { questionnaireId, source: "IMPORT" } });
    const importedCompleted = await db.prisma.response.count({ where: { questionnaireId, source: "IMPORT", status: "COMPLETED" } });
    expect(imported).toBe(done.rowsWritten);
    expect(imported).toBeGreaterThan(500);
    const after = await load();
    expect(after.survey!.funnel.started).toBe(before.survey!.funnel.started + 1 + imported);
    expect(after.survey!.funnel.completed).toBe(before.survey!.funnel.completed + 1 + importedCompleted);
    expect(after.study.completedResponses).toBe(await db.prisma.response.count({ where: { questionnaireId, status: "COMPLETED" } }));
  }, 300_000);
});
