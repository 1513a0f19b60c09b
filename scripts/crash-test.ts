/**
 * Crash test: under participant load, the production server's whole process group is killed with SIGKILL several
 * times at random moments and restarted. Afterwards every answer the clients saw acknowledged must be stored
 * exactly once with the value sent, no response may be half-written (its answers are exactly those of its first
 * k pages and its status and current page match k), and the app must start cleanly each time (the stale pid lock
 * and the database files of the embedded mode recovered without help).
 *
 * With --kill database (server mode) the server is left running and PostgreSQL closes every connection of the app's
 * database instead, as a database restart or an administrator would: the same checks hold, and the server must
 * survive it (same process, serving again) without a restart.
 *
 * Needs an existing production build (this script never builds). Fresh database per run: embedded = a PGlite
 * directory under tmp/; server = a database varstudy_crash_<pid> on the local PostgreSQL, dropped afterwards.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { openDatabase } from "@/lib/db/engine/connection";
import { databaseTargetFromEnv } from "@/lib/db/engine/target";
import { createRng } from "@/lib/stats/random";
import { AppServer, freshAppDatabase, PostgresUnreachableError, processGroupMembers, requireBuild, serverEnv, terminateBackends } from "./lib/app-server";
import { runScript } from "./lib/run-script";
import { parseCliOptions } from "./lib/cli-options";
import { checkAcknowledged, planParticipant, SurveyClient, type ParticipantRecord } from "./lib/survey-load";

const HELP = `Usage: npm run test:crash -- --mode embedded|server [options]

Kills the production server (SIGKILL to its process group) several times under participant load, restarts it,
and checks that every acknowledged answer survived exactly once and no response is half-written.

Options:
  --mode M           embedded (PGlite in a fresh tmp/ directory) or server (a fresh database on PostgreSQL at
                     $TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
  --short            the short form run by npm test: 3 kills, a few seconds apart (about a minute)
  --kills N          number of kills (default 5; 3 with --short)
  --kill WHAT        app (default): SIGKILL the server and restart it; database (server mode only): close every
                     connection of the app's database from PostgreSQL's side and check the server survives
  --concurrency N    participants answering at the same time (default 20)
  --port N           port for the server (default 3400)
  --dist DIR         Next.js build directory (default $NEXT_DIST_DIR or .next); build it first
  --seed N           seed for answers and kill moments (default 1)
  --help             this text`;

const argsSchema = z.object({
  mode: z.enum(["embedded", "server"], { message: "--mode must be embedded or server" }),
  short: z.boolean().default(false),
  kills: z.coerce.number().int().min(1).max(50).optional(),
  kill: z.enum(["app", "database"], { message: "--kill must be app or database" }).default("app"),
  concurrency: z.coerce.number().int().min(1).max(500).default(20),
  port: z.coerce.number().int().min(1024).max(65535).default(3400),
  dist: z.string().min(1).default(process.env.NEXT_DIST_DIR || ".next"),
  seed: z.coerce.number().int().min(0).default(1),
});

const parseArgs = (argv: string[]) => parseCliOptions(argv, argsSchema, { valued: ["mode", "kills", "kill", "concurrency", "port", "dist", "seed"], flags: ["short"] });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds until a participant who starts now gets a response stored (a database write), or null after 60 s. */
async function timeUntilNewParticipantStarts(server: AppServer): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < 60_000 && !server.exited) {
    const result = await new SurveyClient(server.base).post({ op: "start" }).catch(() => null);
    if (result?.status === 200) return Date.now() - started;
    await sleep(100);
  }
  return null;
}

const READY_PATH = "/s/pham2020";
/**
 * What the server may log when PostgreSQL ends its connections: the requests whose statement was running then, or
 * whose transaction's next statement found its connection closed. An uncaught exception is never expected.
 */
const EXPECTED_AFTER_CLOSED_CONNECTIONS = /^(?!.*uncaught).*(terminating connection due to administrator command|Connection terminated unexpectedly|connection error and is not queryable|database: a connection was closed)/i;

async function main(argv: string[]) {
  const args = parseArgs(argv);
  if (args.kill === "database" && args.mode !== "server") throw new Error("--kill database needs --mode server (the embedded database lives inside the server process).");
  const kills = args.kills ?? (args.short ? 3 : 5);
  const root = process.cwd();
  requireBuild(root, args.dist);
  const workDir = path.join(root, "tmp", `crash-${args.mode}-${args.port}`);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  let database: Awaited<ReturnType<typeof freshAppDatabase>>;
  try {
    database = await freshAppDatabase(args.mode, "crash", workDir, serverEnv(args.port, args.dist));
  } catch (error) {
    // Like the server-mode integration tests: without a PostgreSQL server the short form is skipped, visibly.
    if (!(error instanceof PostgresUnreachableError) || !args.short) throw error;
    console.log(`crash test (server, short): SKIPPED — ${error.message}`);
    fs.rmSync(workDir, { recursive: true, force: true });
    return;
  }
  const env = database.env;
  const rng = createRng(args.seed);
  const records: ParticipantRecord[] = [];
  let server = AppServer.start(args.port, env);
  const recoveryTimes: number[] = [];
  const problems: string[] = [];
  let requestsFailed = 0;
  let acknowledgedPages = 0;
  let participantIndex = 0;
  let stopping = false;
  // Workers wait on this while the server is down, so no participant starts against a dead port.
  let serverUp: Promise<void> = Promise.resolve();
  let markUp = () => {};

  try {
    await server.waitReady(READY_PATH, 120_000);
    const worker = async () => {
      while (!stopping) {
        await serverUp;
        if (stopping) break;
        const index = participantIndex++;
        const plan = planParticipant(rng, index);
        const client = new SurveyClient(server.base);
        let record: ParticipantRecord | null = null;
        try {
          const start = await client.post({ op: "start" });
          if (start.status !== 200) throw new Error(`start answered ${start.status}`);
          record = { responseKey: client.responseKey()!, plan, acknowledgedPages: 0, inFlightPage: false };
          records.push(record);
          for (const page of plan) {
            record.inFlightPage = true;
            const result = await client.post({ op: "page", sectionId: page.sectionId, fields: page.fields });
            if (result.status !== 200 || result.json.ok !== true) throw new Error(`page ${page.sectionId} answered ${result.status}`);
            record.inFlightPage = false;
            record.acknowledgedPages += 1;
            acknowledgedPages += 1;
            if (stopping) break;
          }
        } catch {
          // The connection broke (the kill) or the server refused: what was acknowledged so far must be kept.
          requestsFailed += 1;
          await sleep(200);
        }
      }
    };
    const workers = Array.from({ length: args.concurrency }, worker);

    for (let kill = 1; kill <= kills; kill += 1) {
      const waitMs = args.short ? 4000 + rng() * 6000 : 8000 + rng() * 22_000;
      await sleep(waitMs);
      const pagesBefore = acknowledgedPages;
      if (args.kill === "database") {
        const closed = await terminateBackends({ database: new URL(env.DATABASE_URL!).pathname.slice(1) });
        const recovery = await timeUntilNewParticipantStarts(server);
        if (recovery === null) {
          problems.push(`drop ${kill}: ${server.exited ? `the server exited: ${server.errors().trim().split("\n").slice(-3).join(" | ")}` : "no new participant could start within 60 s"}`);
          break;
        }
        recoveryTimes.push(recovery);
        console.log(`drop ${kill}/${kills} after ${(waitMs / 1000).toFixed(1)} s (${pagesBefore} pages acknowledged so far): PostgreSQL closed ${closed} connection(s); the same server took a new participant ${(recovery / 1000).toFixed(1)} s later`);
        continue;
      }
      serverUp = new Promise((resolve) => (markUp = resolve));
      const pgid = server.pgid;
      await server.stop("SIGKILL");
      if (processGroupMembers(pgid).length > 0) problems.push(`kill ${kill}: processes of the killed server are still running`);
      server = AppServer.start(args.port, env);
      try {
        recoveryTimes.push(await server.waitReady(READY_PATH, 120_000));
      } catch (error) {
        problems.push(`restart ${kill}: ${(error as Error).message}`);
        markUp();
        break;
      }
      if (args.mode === "embedded") {
        const lock = fs.readFileSync(`${env.VARSTUDY_DATA_DIR}.lock`, "utf8").trim();
        if (!processGroupMembers(server.pgid).includes(Number(lock))) problems.push(`restart ${kill}: the embedded lock names pid ${lock}, not the new server`);
      }
      markUp();
      console.log(`kill ${kill}/${kills} after ${(waitMs / 1000).toFixed(1)} s (${pagesBefore} pages acknowledged so far), restarted in ${(recoveryTimes.at(-1)! / 1000).toFixed(1)} s`);
    }
    // Some load on the restarted server, then a clean stop.
    await sleep(3000);
    stopping = true;
    await Promise.all(workers);
    for (const pagePath of [READY_PATH, "/login", "/api/auth/csrf"]) {
      const response = await fetch(`${server.base}${pagePath}`).catch(() => null);
      if (response?.status !== 200) problems.push(`after the last restart ${pagePath} answered ${response?.status ?? "nothing"}`);
    }
    // Closing the connections fails the statements that were running then; nothing else may be logged.
    const expected = args.kill === "database" ? EXPECTED_AFTER_CLOSED_CONNECTIONS : null;
    const serverErrors = server.errors().split("\n").filter((line) => /error/i.test(line) && !expected?.test(line));
    if (serverErrors.length > 0) problems.push(`the server logged errors: ${serverErrors.slice(0, 3).join(" | ")}`);
    await server.stop("SIGTERM");

    // The verifier opens the database itself (in embedded mode it becomes the directory's owner now).
    const db = await openDatabase(databaseTargetFromEnv(env));
    let check;
    try {
      check = await checkAcknowledged(db.sql, records);
    } finally {
      await db.close();
    }
    problems.push(...check.problems);
    const passed = check.lost + check.wrong + check.duplicated + check.inconsistent === 0 && problems.length === 0 && check.answersAcknowledged > 0;
    const load = os.loadavg().map((l) => l.toFixed(1)).join("/");
    console.log(
      `crash test (${args.mode}${args.kill === "database" ? ", database connections closed" : ""}${args.short ? ", short" : ""}): ` +
        `${kills} ${args.kill === "database" ? "times every connection closed" : "SIGKILLs"}, ${check.participants} participants, ` +
        `${check.answersAcknowledged} answers acknowledged, ${check.answersFound} found; lost ${check.lost}, wrong ${check.wrong}, ` +
        `duplicated ${check.duplicated}, half-written responses ${check.inconsistent}; broken requests ${requestsFailed}; ` +
        `${args.kill === "database" ? "new participant taken after" : "restarts"} ${recoveryTimes.map((ms) => (ms / 1000).toFixed(1)).join("/")} s; ` +
        `load ${load} — ${passed ? "PASS" : "FAIL"}`,
    );
    for (const problem of problems.slice(0, 20)) console.error(`  problem: ${problem}`);
    if (!passed) process.exitCode = 1;
  } finally {
    stopping = true;
    markUp();
    await server.stop("SIGTERM");
    await database.cleanup();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

runScript(HELP, main);
