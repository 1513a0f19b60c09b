import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Papa from "papaparse";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/engine/connection";
import { applyMigrations } from "@/lib/db/engine/migrations";
import { commitImport } from "@/lib/db/response-imports";
import type { DatabaseTarget } from "@/lib/db/engine/target";
import { processGroupMembers } from "@/scripts/lib/app-server";
import { MODES, SERVER_URL } from "./database-modes";
import { makeAdmin, publishPham, root } from "./survey-helpers";

/**
 * A response import killed with SIGKILL in the middle of its transaction (ResponseImport row and the first 5,000
 * responses already inserted, not committed) leaves nothing behind, the database opens cleanly afterwards (the
 * embedded directory too, with the dead process's lock file still there), and running the import again
 * completes it. The database lives on disk here, not in memory, because the point is what survives the kill.
 */
const ROWS = 9_000;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-killed-import-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The Qualtrics fixture's data rows repeated with fresh response ids: ROWS responses. */
function bigCsv(): string {
  const parsed = Papa.parse<string[]>(fs.readFileSync(path.join(root, "tests/fixtures/survey/qualtrics-pham2020-numeric.csv"), "utf8"), { skipEmptyLines: true });
  const [header, labels, importIds, ...data] = parsed.data;
  const idColumn = header!.indexOf("ResponseId");
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const row = [...data[i % data.length]!];
    row[idColumn] = `R_kill${String(i).padStart(11, "0")}`;
    return row;
  });
  return Papa.unparse([header!, labels!, importIds!, ...rows]);
}

async function diskTarget(mode: (typeof MODES)[number]): Promise<{ target: DatabaseTarget; cleanup(): Promise<void> }> {
  if (mode === "embedded") return { target: { kind: "embedded", dataDir: path.join(scratch, "pglite") }, cleanup: async () => {} };
  const name = `varstudy_crash_it_${process.pid}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    target: { kind: "server", url: url.toString() },
    async cleanup() {
      const dropper = new pg.Client({ connectionString: SERVER_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** Runs the child until it pauses inside the transaction, then SIGKILLs it. Returns what it printed. */
function importAndKill(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", path.join(import.meta.dirname, "crash-import-child.ts"), ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      reject(new Error(`the import child never paused: ${output}`));
    }, 150_000);
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("paused")) process.kill(-child.pid!, "SIGKILL");
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", async (code, signal) => {
      clearTimeout(timer);
      // npx exits first; wait for the whole group (tsx, node) to be gone before anyone opens the database.
      while (processGroupMembers(child.pid!).length > 0) await new Promise((done) => setTimeout(done, 50));
      if (signal === "SIGKILL") resolve(output);
      else reject(new Error(`the import child exited with ${code} instead of being killed: ${output}`));
    });
  });
}

describe.each(MODES)("an import killed mid-transaction (%s)", (mode) => {
  it("leaves nothing written, the database opens cleanly, and re-running completes it", async () => {
    const { target, cleanup } = await diskTarget(mode);
    let db: Database | null = await openDatabase(target);
    try {
      await applyMigrations(db.sql);
      const admin = await makeAdmin(db);
      const pham = await publishPham(db, admin);
      const csvFile = path.join(scratch, `big-${mode}.csv`);
      fs.writeFileSync(csvFile, bigCsv());
      const before = { responses: await db.prisma.response.count(), answers: await db.prisma.answer.count(), imports: await db.prisma.responseImport.count() };
      await db.close();
      db = null;

      // Statement 1 inserts the ResponseImport row, statement 2 the first 5,000 responses.
      const output = await importAndKill([JSON.stringify(target), pham.id, admin.id, csvFile, "2"]);
      expect(output).toContain("paused after 2 statements");
      expect(output).not.toContain("done");

      db = await openDatabase(target);
      const after = { responses: await db.prisma.response.count(), answers: await db.prisma.answer.count(), imports: await db.prisma.responseImport.count() };
      expect(after).toEqual(before);

      const again = await commitImport(db, admin, { questionnaireId: pham.id, fileName: "big.csv", text: fs.readFileSync(csvFile, "utf8") });
      expect(again.ok).toBe(true);
      if (!again.ok) return;
      // Every row of the file is accounted for: imported, or left out as a Qualtrics preview/test row.
      expect(again.imported + again.summary.excludedTestResponses).toBe(ROWS);
      expect(again.imported).toBeGreaterThan(5000);
      expect(await db.prisma.response.count({ where: { importId: again.importId } })).toBe(again.imported);
      expect(await db.prisma.responseImport.count()).toBe(before.imports + 1);
    } finally {
      await db?.close();
      await cleanup();
    }
  }, 300_000);
});
