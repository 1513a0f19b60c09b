import path from "node:path";

/**
 * Where the data lives. Embedded (the default) is PGlite, PostgreSQL compiled to WebAssembly, in a data
 * directory owned by one process; server mode is a real PostgreSQL reached through DATABASE_URL.
 */
export type DatabaseTarget =
  | { kind: "embedded"; /** null = in memory (tests) */ dataDir: string | null }
  | { kind: "server"; url: string };

export const DEFAULT_DATA_DIR = path.join(process.cwd(), "data", "db", "pglite");

/**
 * Reads the target from the environment: `DATABASE_URL=postgres://…` selects server mode; otherwise the
 * embedded database in `VARSTUDY_DATA_DIR` (default `data/db/pglite`). `VARSTUDY_DATA_DIR=memory://` gives an
 * in-memory database that vanishes with the process.
 */
export function databaseTargetFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got "${url.split(":")[0]}:…").`);
    }
    return { kind: "server", url };
  }
  const dir = env.VARSTUDY_DATA_DIR?.trim();
  if (dir === "memory://") return { kind: "embedded", dataDir: null };
  return { kind: "embedded", dataDir: dir ? path.resolve(dir) : DEFAULT_DATA_DIR };
}

/** A description safe to print: no password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "embedded") return target.dataDir ? `embedded PGlite at ${target.dataDir}` : "embedded PGlite in memory";
  const url = new URL(target.url);
  if (url.password) url.password = "***";
  return `PostgreSQL at ${url.toString()}`;
}
