import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "@/lib/db/engine/connection";
import { applyMigrations } from "@/lib/db/engine/migrations";

/**
 * Integration tests run once per database mode: embedded PGlite always, and PostgreSQL when a server is
 * reachable (TEST_DATABASE_URL, or 127.0.0.1:5432 as on the project's machines). Each test database is new
 * and dropped afterwards; nothing is mocked.
 */
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function serverReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const serverAvailable = await serverReachable();
if (!serverAvailable) {
  console.warn(`\n*** Server mode SKIPPED: no PostgreSQL reachable at ${SERVER_URL} (set TEST_DATABASE_URL). ***\n`);
}

export type Mode = "embedded" | "server";
export const MODES: Mode[] = serverAvailable ? ["embedded", "server"] : ["embedded"];

/** A fresh, empty database of the given mode. Call drop() when done. */
export async function freshDatabase(mode: Mode, options: { migrate?: boolean } = {}): Promise<Database & { drop(): Promise<void> }> {
  let db: Database;
  let cleanup = async () => {};
  if (mode === "embedded") {
    db = await openDatabase({ kind: "embedded", dataDir: null });
  } else {
    const name = `varstudy_it_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    db = await openDatabase({ kind: "server", url: url.toString() });
    cleanup = async () => {
      const dropper = new pg.Client({ connectionString: SERVER_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    };
  }
  if (options.migrate !== false) await applyMigrations(db.sql);
  return Object.assign(db, {
    async drop() {
      await db.close();
      await cleanup();
    },
  });
}
