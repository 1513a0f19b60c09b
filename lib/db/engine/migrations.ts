import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { SqlRunner } from "./connection";

/**
 * Applies prisma/migrations without Prisma's native schema engine (which cannot be downloaded on every
 * machine). Each migration runs in its own transaction together with its row in `_prisma_migrations`, written
 * exactly as `prisma migrate deploy` writes it (same table, checksum = SHA-256 of migration.sql), so the two
 * tools agree on what has been applied.
 */

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

export type MigrationFile = { name: string; file: string; sql: string; checksum: string };

export class MigrationFailedError extends Error {
  constructor(
    readonly migration: string,
    readonly file: string,
    readonly statementNumber: number,
    readonly line: number,
    readonly statement: string,
    readonly reason: string,
  ) {
    super(
      `Migration ${migration} failed and was rolled back: statement ${statementNumber} (line ${line} of ${file}) ` +
        `failed with: ${reason}\n  ${statement.length > 300 ? `${statement.slice(0, 300)}…` : statement}`,
    );
  }
}

const PRISMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Any constant works; it only has to be the same for every process that migrates this database. */
const MIGRATION_LOCK_KEY = 7_262_020;

/** Migrations in the order Prisma applies them (directory names sort by their timestamp prefix). */
export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, "migration.sql");
      const bytes = fs.readFileSync(file);
      return { name, file, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

/**
 * Splits a SQL script into statements at semicolons outside quotes, dollar-quoted bodies and comments.
 * Returns each statement with the 1-based line it starts on.
 */
export function splitSqlStatements(script: string): Array<{ sql: string; line: number }> {
  const statements: Array<{ sql: string; line: number }> = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const raw = script.slice(start, end);
    const code = raw.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, "").trim();
    if (code) {
      const leading = raw.length - raw.trimStart().length;
      const line = script.slice(0, start + leading).split("\n").length;
      statements.push({ sql: raw.trim(), line });
    }
  };
  while (i < script.length) {
    const char = script[i]!;
    const next = script[i + 1];
    if (char === "-" && next === "-") {
      const end = script.indexOf("\n", i);
      i = end === -1 ? script.length : end + 1;
    } else if (char === "/" && next === "*") {
      const end = script.indexOf("*/", i + 2);
      i = end === -1 ? script.length : end + 2;
    } else if (char === "'" || char === '"') {
      let j = i + 1;
      while (j < script.length && !(script[j] === char && script[j + 1] !== char)) j += script[j] === char ? 2 : 1;
      i = j + 1;
    } else if (char === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i))?.[0];
      if (tag) {
        const end = script.indexOf(tag, i + tag.length);
        i = end === -1 ? script.length : end + tag.length;
      } else {
        i += 1;
      }
    } else if (char === ";") {
      push(i);
      start = i + 1;
      i += 1;
    } else {
      i += 1;
    }
  }
  push(script.length);
  return statements;
}

export type MigrationReport = { applied: string[]; alreadyApplied: string[]; modified: string[] };

/**
 * Applies every migration not yet recorded as finished. Re-running is a no-op. A failing migration is rolled
 * back whole and reported with its file, statement number and line (MigrationFailedError); migrations before
 * it stay applied.
 */
export async function applyMigrations(
  sql: SqlRunner,
  options: { dir?: string; log?: (line: string) => void; /** stop after this migration */ until?: string } = {},
): Promise<MigrationReport> {
  const log = options.log ?? (() => {});
  const all = readMigrations(options.dir);
  const migrations = options.until ? all.filter((m) => m.name <= options.until!) : all;
  await sql.exec(PRISMA_MIGRATIONS_TABLE);
  const report: MigrationReport = { applied: [], alreadyApplied: [], modified: [] };

  for (const migration of migrations) {
    await sql.transaction(async (tx) => {
      // Several app instances may start at once against one server: the lock makes them take turns.
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      const done = await tx.query<{ checksum: string }>(
        `SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        [migration.name],
      );
      if (done.length > 0) {
        report.alreadyApplied.push(migration.name);
        if (done[0]!.checksum !== migration.checksum) report.modified.push(migration.name);
        return;
      }
      const statements = splitSqlStatements(migration.sql);
      for (const [index, statement] of statements.entries()) {
        try {
          await tx.exec(statement.sql);
        } catch (error) {
          throw new MigrationFailedError(
            migration.name,
            path.relative(process.cwd(), migration.file),
            index + 1,
            statement.line,
            statement.sql,
            error instanceof Error ? error.message : String(error),
          );
        }
      }
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      report.applied.push(migration.name);
      log(`applied ${migration.name}`);
    });
  }
  for (const name of report.modified) {
    log(`warning: ${name} was changed after it was applied (its checksum differs); prisma migrate deploy will warn too.`);
  }
  return report;
}
