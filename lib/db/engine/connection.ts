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
        // A connection that the server closed meanwhile is not lent out again: the pool drops unqueryable ones.
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
    // A connection that the server closes (restart, administrator, network) reports it as an 'error' event, and
    // an 'error' event without a listener ends the process. pg-pool listens only while a connection is idle, and
    // a connection handed to a waiting connect() has none until that promise settles, though the server's message
    // can arrive in the same read. So every connection gets a listener for its whole life. The statement that was
    // running still fails its caller; the pool drops the connection and opens a new one when needed.
    pool.on("connect", (connection) => connection.on("error", (error) => console.error(`database: a connection was closed: ${error.message}`)));
    pool.on("error", () => {}); // the same error, logged by the connection's own listener
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
