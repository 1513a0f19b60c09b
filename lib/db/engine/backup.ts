import { createGunzip, createGzip } from "node:zlib";
import fs from "node:fs";
import readline from "node:readline";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { SqlRunner } from "./connection";
import { applyMigrations, readMigrations } from "./migrations";

/**
 * Logical backups that work the same in both database modes (and move a study from the embedded database to a
 * PostgreSQL server or back): gzip'd JSON Lines — a header naming the migrations the data belongs to, then each
 * table's rows in chunks. PostgreSQL itself converts rows to and from JSON (row_to_json / json_populate_recordset),
 * so enums, arrays, JSON and timestamps round-trip exactly.
 */

export const BACKUP_FORMAT = "varstudy-backup";
export const BACKUP_VERSION = 1;
const CHUNK_ROWS = 1000;

type Header = { format: string; version: number; createdAt: string; migrations: string[]; tables: Record<string, number> };
type Chunk = { table: string; rows: unknown[] };

type ForeignKey = { child: string; column: string; parent: string; nullable: boolean };

/** Single-column foreign keys of the current schema (the only kind Prisma writes for these models). */
async function foreignKeys(sql: SqlRunner): Promise<ForeignKey[]> {
  return sql.query<ForeignKey>(
    `SELECT DISTINCT kcu.table_name AS child, kcu.column_name AS "column", ccu.table_name AS parent, (c.is_nullable = 'YES') AS nullable
     FROM information_schema.table_constraints tc
     JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
     JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
     JOIN information_schema.columns c ON c.table_schema = kcu.table_schema AND c.table_name = kcu.table_name AND c.column_name = kcu.column_name
     WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()`,
  );
}

/**
 * Tables of the current schema ordered so that each comes after the tables it references, where possible. A
 * reference cycle (e.g. a questionnaire pointing at its current version, which points back) cannot be ordered; the
 * restore breaks it through the optional side, loading such columns afterwards (see restoreBackup).
 */
export async function tablesInDependencyOrder(sql: SqlRunner): Promise<string[]> {
  const tables = (
    await sql.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`,
    )
  ).map((row) => row.name);
  const edges = await foreignKeys(sql);
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    // Required references decide the order; optional ones that end up pointing forward are loaded afterwards.
    for (const edge of edges) if (edge.child === table && edge.parent !== table && !edge.nullable) visit(edge.parent);
    visiting.delete(table);
    ordered.push(table);
  };
  tables.forEach(visit);
  return ordered;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Writes a backup of every table to `file` (gzip). Reads inside one REPEATABLE READ transaction, so the copy is
 * consistent even while the app keeps writing. Returns the row count per table.
 */
export async function writeBackup(sql: SqlRunner, file: string): Promise<Record<string, number>> {
  return sql.transaction(async (tx) => {
    await tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    const tables = await tablesInDependencyOrder(tx);
    const migrations = (
      await tx.query<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
      )
    ).map((row) => row.migration_name);
    const counts: Record<string, number> = {};
    for (const table of tables) {
      counts[table] = (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(table)}`))[0]!.n;
    }
    const header: Header = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString(), migrations, tables: counts };
    async function* lines() {
      yield `${JSON.stringify(header)}\n`;
      for (const table of tables) {
        for (let offset = 0; offset < counts[table]!; offset += CHUNK_ROWS) {
          // ctid order is stable within the snapshot and needs no knowledge of the table's key.
          const rows = await tx.query<{ row: unknown }>(
            `SELECT row_to_json(t) AS row FROM (SELECT * FROM ${quoteIdent(table)} ORDER BY ctid LIMIT ${CHUNK_ROWS} OFFSET ${offset}) t`,
          );
          yield `${JSON.stringify({ table, rows: rows.map((r) => r.row) } satisfies Chunk)}\n`;
        }
      }
    }
    const temp = `${file}.partial`;
    await pipeline(Readable.from(lines()), createGzip(), fs.createWriteStream(temp));
    fs.renameSync(temp, file); // a crash mid-write never leaves a truncated file under the real name
    return counts;
  });
}

export class BackupRestoreError extends Error {}

/**
 * Restores a backup into an EMPTY database (no VarStudy tables with rows): migrates it to the backup's migrations,
 * loads every table in one transaction (all or nothing), checks the row counts, then applies any newer migrations.
 */
export async function restoreBackup(sql: SqlRunner, file: string, options: { log?: (line: string) => void } = {}): Promise<Record<string, number>> {
  const log = options.log ?? (() => {});
  const input = readline.createInterface({ input: fs.createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next().catch((error: unknown) => {
    throw new BackupRestoreError(`${file} is not a VarStudy backup (${error instanceof Error ? error.message : String(error)}).`);
  });
  let header: Header;
  try {
    header = JSON.parse(first.value ?? "") as Header;
  } catch {
    throw new BackupRestoreError(`${file} is not a VarStudy backup (its first line is not a backup header).`);
  }
  if (header.format !== BACKUP_FORMAT || header.version !== BACKUP_VERSION) {
    throw new BackupRestoreError(`${file} is not a VarStudy backup of version ${BACKUP_VERSION}.`);
  }
  const known = readMigrations().map((m) => m.name);
  const unknown = header.migrations.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new BackupRestoreError(`The backup needs migrations this version of VarStudy does not have (${unknown.join(", ")}); upgrade first.`);
  }
  await applyMigrations(sql, { until: header.migrations.at(-1), log });
  for (const table of Object.keys(header.tables)) {
    const existing = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(table)}`);
    if (existing[0]!.n > 0) throw new BackupRestoreError(`The target database is not empty (table ${table} has rows); restore into a new database.`);
  }

  const order = Object.keys(header.tables);
  const pendingUpdates: Array<{ table: string; column: string; rows: string }> = [];
  // References to a table loaded later (cycles, self-references) are written as NULL first and set at the end.
  const deferred = (await foreignKeys(sql)).filter((fk) => order.indexOf(fk.parent) >= order.indexOf(fk.child));
  const impossible = deferred.find((fk) => !fk.nullable);
  if (impossible) throw new BackupRestoreError(`Cannot order ${impossible.child}.${impossible.column} → ${impossible.parent}: a cycle of required references.`);
  const counts = await sql.transaction(async (tx) => {
    const loaded: Record<string, number> = {};
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (!next.value.trim()) continue;
      const chunk = JSON.parse(next.value) as Chunk;
      if (!(chunk.table in header.tables)) throw new BackupRestoreError(`The backup has rows for an unknown table ${chunk.table}.`);
      const later = deferred.filter((fk) => fk.child === chunk.table).map((fk) => fk.column);
      const rows = JSON.stringify(chunk.rows);
      const nulled = JSON.stringify((chunk.rows as Array<Record<string, unknown>>).map((row) => ({ ...row, ...Object.fromEntries(later.map((c) => [c, null])) })));
      await tx.query(`INSERT INTO ${quoteIdent(chunk.table)} SELECT * FROM json_populate_recordset(NULL::${quoteIdent(chunk.table)}, $1::json)`, [
        later.length > 0 ? nulled : rows,
      ]);
      for (const column of later) {
        pendingUpdates.push({ table: chunk.table, column, rows });
      }
      loaded[chunk.table] = (loaded[chunk.table] ?? 0) + chunk.rows.length;
    }
    for (const update of pendingUpdates) {
      await tx.query(
        `UPDATE ${quoteIdent(update.table)} AS t SET ${quoteIdent(update.column)} = j.${quoteIdent(update.column)}
         FROM json_populate_recordset(NULL::${quoteIdent(update.table)}, $1::json) AS j WHERE t."id" = j."id"`,
        [update.rows],
      );
    }
    for (const [table, expected] of Object.entries(header.tables)) {
      if ((loaded[table] ?? 0) !== expected) {
        throw new BackupRestoreError(`The backup is incomplete: ${table} should have ${expected} rows, found ${loaded[table] ?? 0}. Nothing was restored.`);
      }
    }
    return loaded;
  });
  await applyMigrations(sql, { log });
  return counts;
}
