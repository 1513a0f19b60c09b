import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, MigrationFailedError, readMigrations, splitSqlStatements } from "@/lib/db/engine/migrations";
import { diffDatabaseAgainstSchema } from "@/lib/db/engine/schema-engine";
import { freshDatabase, MODES } from "./database-modes";

const opened: Array<{ drop(): Promise<void> }> = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.drop();
});

describe.each(MODES)("migrations (%s)", (mode) => {
  it("build a database with no drift from schema.prisma", async () => {
    const db = await freshDatabase(mode);
    opened.push(db);
    const diff = await diffDatabaseAgainstSchema(db);
    expect(diff.summary).toBe("");
    expect(diff.inSync).toBe(true);
  });

  it("detect drift when the database differs from schema.prisma", async () => {
    // Guards the drift test itself: it must fail when a column is missing or extra.
    const db = await freshDatabase(mode);
    opened.push(db);
    await db.sql.exec(`ALTER TABLE "User" DROP COLUMN "lastSignInAt"; ALTER TABLE "User" ADD COLUMN "stray" TEXT`);
    const diff = await diffDatabaseAgainstSchema(db);
    expect(diff.inSync).toBe(false);
    expect(diff.summary).toContain("lastSignInAt");
    expect(diff.summary).toContain("stray");
  });

  it("record each migration as prisma migrate deploy does, and re-running is a no-op", async () => {
    const db = await freshDatabase(mode, { migrate: false });
    opened.push(db);
    const first = await applyMigrations(db.sql);
    const expected = readMigrations();
    expect(first.applied).toEqual(expected.map((m) => m.name));
    const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(expected.map((m) => [m.name, m.checksum]));
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);

    const second = await applyMigrations(db.sql);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toHaveLength(expected.length);
    const count = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(count[0]!.n).toBe(expected.length);
  });

  it("roll a failing migration back whole and name its file and statement", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-migrations-"));
    fs.mkdirSync(path.join(dir, "20260101000000_good"));
    fs.writeFileSync(path.join(dir, "20260101000000_good", "migration.sql"), `CREATE TABLE "Good" ("id" TEXT PRIMARY KEY);\n`);
    fs.mkdirSync(path.join(dir, "20260102000000_bad"));
    fs.writeFileSync(
      path.join(dir, "20260102000000_bad", "migration.sql"),
      `-- first statement works\nCREATE TABLE "Half" ("id" TEXT);\n\nINSERT INTO "Missing" VALUES (1);\n`,
    );
    const db = await freshDatabase(mode, { migrate: false });
    opened.push(db);
    const error = await applyMigrations(db.sql, { dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationFailedError);
    const failure = error as MigrationFailedError;
    expect(failure.migration).toBe("20260102000000_bad");
    expect(failure.statementNumber).toBe(2);
    expect(failure.line).toBe(4);
    expect(failure.message).toMatch(/Missing/);
    const tables = await db.sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('Good', 'Half')`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(["Good"]);
    const recorded = await db.sql.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations"`);
    expect(recorded.map((r) => r.migration_name)).toEqual(["20260101000000_good"]);
  });
});

describe("splitSqlStatements", () => {
  it("splits at semicolons outside strings, identifiers, comments and dollar quotes", () => {
    const script = `CREATE TABLE "a;b" (x TEXT DEFAULT 'it''s; fine');\n-- a comment; with a semicolon\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n/* block; */ SELECT 2`;
    const parts = splitSqlStatements(script);
    expect(parts.map((p) => p.line)).toEqual([1, 2, 4]);
    expect(parts[0]!.sql).toBe(`CREATE TABLE "a;b" (x TEXT DEFAULT 'it''s; fine')`);
    expect(parts[1]!.sql).toContain("$$ SELECT 1; $$");
    expect(parts[2]!.sql).toContain("SELECT 2");
  });
});
