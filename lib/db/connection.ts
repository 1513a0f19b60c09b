import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { acquireEmbeddedLock } from "./embedded-lock";
import type { DatabaseTarget } from "./target";

/** Plain SQL access, for migrations, backups, benchmarks and aggregate queries Prisma cannot express. */
export interface SqlRunner {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters. */
  exec(script: string): Promise<void>;
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

export type Database = {
  target: DatabaseTarget;
  prisma: PrismaClient;
  sql: SqlRunner;
  /** The driver adapter, for Prisma's schema engine (drift checks, new migrations). */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
};

type PgliteQueryable = Pick<PGlite, "query" | "exec">;

function pgliteRunner(db: PgliteQueryable & { transaction?: PGlite["transaction"] }): SqlRunner {
  return {
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await db.query<Row>(sql, params)).rows;
    },
    async exec(script) {
      await db.exec(script);
    },
    async transaction(fn) {
      if (!db.transaction) throw new Error("Nested transactions are not supported.");
      return db.transaction((tx) => fn(pgliteRunner(tx)));
    },
  };
}

function pgRunner(client: pg.Pool | pg.PoolClient): SqlRunner {
  return {
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as Row[];
    },
    async exec(script) {
      await client.query(script);
    },
    async transaction(fn) {
      if (!("connect" in client) || "release" in client) throw new Error("Nested transactions are not supported.");
      const connection = await (client as pg.Pool).connect();
      try {
        await connection.query("BEGIN");
        const result = await fn(pgRunner(connection));
        await connection.query("COMMIT");
        return result;
      } catch (error) {
        await connection.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    },
  };
}

/**
 * Opens the database described by target. In embedded mode this process becomes the owner of the data
 * directory (a lock file refuses a second process) until close() is called.
 */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === "server") {
    const pool = new pg.Pool({ connectionString: target.url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
    // An idle connection that the server closes (restart, administrator, network) is an 'error' event; with no
    // listener Node ends the whole process. The pool drops that connection and opens a new one when needed.
    pool.on("error", (error) => console.error(`database: an idle connection was closed: ${error.message}`));
    const adapterFactory = new PrismaPg(pool);
    const prisma = new PrismaClient({ adapter: adapterFactory });
    return {
      target,
      prisma,
      sql: pgRunner(pool),
      adapterFactory,
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }

  let releaseLock = () => {};
  if (target.dataDir) {
    releaseLock = acquireEmbeddedLock(target.dataDir);
    fs.mkdirSync(target.dataDir, { recursive: true });
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(target.dataDir ?? undefined);
  } catch (error) {
    releaseLock();
    throw error;
  }
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    target,
    prisma,
    sql: pgliteRunner(pglite),
    adapterFactory,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      releaseLock();
    },
  };
}
