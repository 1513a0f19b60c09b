/**
 * Starting and stopping `next start` for the load scripts, and fresh databases to run it on. The server runs in
 * its own process group (npm → sh → next → next-server), so stopping or killing the group leaves nothing behind.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export type Mode = "embedded" | "server";

/** No PostgreSQL server to make a database on (the short crash test in npm test then skips with a notice). */
export class PostgresUnreachableError extends Error {}
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The /proc/<pid>/stat fields of every live process, after the command name (field 3, the state, comes first). */
function processStats(): Array<{ pid: number; fields: string[] }> {
  const stats: Array<{ pid: number; fields: string[] }> = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may contain spaces) start after the last ")".
      stats.push({ pid: Number(entry), fields: stat.slice(stat.lastIndexOf(")") + 2).split(" ") });
    } catch {
      // the process ended while we looked
    }
  }
  return stats;
}

/** The pids whose process group is pgid (read from /proc; Linux only, like the RSS figures). */
export function processGroupMembers(pgid: number): number[] {
  return processStats()
    .filter(({ fields }) => Number(fields[2]) === pgid && fields[0] !== "Z")
    .map(({ pid }) => pid);
}

/**
 * CPU seconds used so far by the live processes of a process group (utime + stime). On a shared machine the
 * wall-clock rate depends on whatever else runs; CPU spent per request much less, so benchmarks report both.
 */
export function processGroupCpuSeconds(pgid: number): number {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const ticks = processStats()
    .filter(({ fields }) => Number(fields[2]) === pgid)
    .reduce((sum, { fields }) => sum + Number(fields[11]) + Number(fields[12]), 0);
  return ticks / ticksPerSecond;
}

/** Resident memory in kB of one process (VmRSS), or null when it is gone. */
export function residentKb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export class AppServer {
  private stderr = "";
  /** Unexpected errors the server logged (lib/log-error.ts writes "[ref …]"), over the whole run. */
  private loggedErrors = 0;
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stderr?.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      this.loggedErrors += (text.match(/\[ref [0-9a-f]+\]/g) ?? []).length;
      this.stderr = (this.stderr + text).slice(-20_000);
    });
  }

  static start(port: number, env: NodeJS.ProcessEnv): AppServer {
    // npm start, as users start it: package.json's start script carries the server options (keep-alive timeout).
    const child = spawn("npm", ["start", "--", "-p", String(port)], { env, stdio: ["ignore", "ignore", "pipe"], detached: true });
    return new AppServer(child, port);
  }

  get base(): string {
    return `http://localhost:${this.port}`;
  }
  get pgid(): number {
    return this.child.pid!;
  }
  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }
  errors(): string {
    return this.stderr;
  }
  errorCount(): number {
    return this.loggedErrors;
  }

  /** The process that serves requests: the group member with the largest resident memory (next-server). */
  serverPid(): number | null {
    let best: { pid: number; kb: number } | null = null;
    for (const pid of processGroupMembers(this.pgid)) {
      const kb = residentKb(pid);
      if (kb !== null && (best === null || kb > best.kb)) best = { pid, kb };
    }
    return best?.pid ?? null;
  }

  /** Waits until url (a path) answers 200; fails early when the server exits. */
  async waitReady(urlPath: string, timeoutMs: number): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (this.exited) throw new Error(`the server exited (${this.child.exitCode ?? this.child.signalCode}) before it was ready: ${this.stderr.trim().split("\n").slice(-3).join(" | ")}`);
      try {
        const response = await fetch(`${this.base}${urlPath}`, { signal: AbortSignal.timeout(10_000) });
        if (response.ok) return Date.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    throw new Error(`the server did not answer ${urlPath} within ${timeoutMs / 1000} s.`);
  }

  /** Sends signal to the whole group and waits until no member is left (SIGKILL after graceMs). */
  async stop(signal: "SIGTERM" | "SIGKILL" = "SIGTERM", graceMs = 15_000): Promise<void> {
    const pgid = this.pgid;
    const send = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pgid, sig);
      } catch {
        // the group is gone already
      }
    };
    send(signal);
    const deadline = Date.now() + graceMs;
    while (processGroupMembers(pgid).length > 0) {
      if (Date.now() > deadline) send("SIGKILL");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!this.exited) await new Promise((resolve) => this.child.once("exit", resolve));
  }
}

export function requireBuild(root: string, dist: string): void {
  if (!fs.existsSync(path.join(root, dist, "BUILD_ID"))) {
    throw new Error(`no production build in ${dist}. Build first: NEXT_DIST_DIR=${dist} npx next build`);
  }
}

/**
 * A fresh database of the given mode, migrated and seeded with the demo study: embedded = a new PGlite directory
 * under workDir; server = a new database varstudy_<label>_<pid> on the local PostgreSQL, dropped by cleanup().
 */
export async function freshAppDatabase(mode: Mode, label: string, workDir: string, baseEnv: NodeJS.ProcessEnv): Promise<{ env: NodeJS.ProcessEnv; describe: string; cleanup(): Promise<void> }> {
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  let cleanup = async () => {};
  let describe: string;
  if (mode === "embedded") {
    delete env.DATABASE_URL;
    env.VARSTUDY_DATA_DIR = path.join(workDir, "pglite");
    describe = `embedded PGlite at ${env.VARSTUDY_DATA_DIR}`;
  } else {
    const name = `varstudy_${label}_${process.pid}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
    await admin.connect().catch((error: Error) => {
      throw new PostgresUnreachableError(`server mode needs PostgreSQL at ${POSTGRES_URL} (set TEST_DATABASE_URL): ${error.message}`);
    });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    describe = `PostgreSQL database ${name}`;
    cleanup = async () => {
      const dropper = new pg.Client({ connectionString: POSTGRES_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    };
  }
  execFileSync("npx", ["tsx", "scripts/db-migrate.ts"], { env, stdio: "ignore" });
  execFileSync("npx", ["tsx", "scripts/db-seed.ts", "--no-demo-responses"], { env, stdio: "ignore" });
  return { env, describe, cleanup };
}

/**
 * Ends sessions from PostgreSQL's side, as a restart or an administrator would (the client gets FATAL 57P01):
 * one backend by pid, or every other session on a database. Returns how many were ended.
 */
export async function terminateBackends(where: { database: string } | { pid: number }): Promise<number> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    const [filter, value] = "pid" in where ? ["pid = $1", where.pid] : ["datname = $1", where.database];
    const result = await admin.query<{ ended: number }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity WHERE ${filter} AND pid <> pg_backend_pid()`,
      [value],
    );
    return result.rows[0]!.ended;
  } finally {
    await admin.end();
  }
}

/** The environment every load script gives the server: fixed secrets, cheap password hashing, its build. */
export function serverEnv(port: number, dist: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AUTH_SECRET: "load-test-secret-load-test-secret-load-test",
    NEXTAUTH_URL: `http://localhost:${port}`,
    NEXT_DIST_DIR: dist,
    VARSTUDY_DEMO_ADMIN_PASSWORD: "load-test-password-1234",
    VARSTUDY_BCRYPT_COST: "4",
    // Hundreds of simulated participants come from 127.0.0.1 on purpose: the participant rate limits would stop them.
    VARSTUDY_SURVEY_RATE_LIMIT: "off",
  };
}
