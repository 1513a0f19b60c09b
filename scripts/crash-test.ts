/**
 * Crash test: under participant load, the production server's whole process group is killed with SIGKILL several
 * times at random moments and restarted. Afterwards every answer the clients saw acknowledged must be stored
 * exactly once with the value sent, no response may be half-written (its answers are exactly those of its first
 * k pages and its status and current page match k), and the app must start cleanly each time (the stale pid lock
 * and the database files of the embedded mode recovered without help).
 *
 * Needs an existing production build (this script never builds). Fresh database per run: embedded = a PGlite
 * directory under tmp/; server = a database varstudy_crash_<pid> on the local PostgreSQL, dropped afterwards.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { openDatabase } from "@/lib/db/connection";
import { databaseTargetFromEnv } from "@/lib/db/target";
import { createRng } from "@/lib/stats/random";
import { AppServer, freshAppDatabase, PostgresUnreachableError, processGroupMembers, requireBuild, serverEnv } from "./lib/app-server";
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
  --concurrency N    participants answering at the same time (default 20)
  --port N           port for the server (default 3400)
  --dist DIR         Next.js build directory (default $NEXT_DIST_DIR or .next); build it first
  --seed N           seed for answers and kill moments (default 1)
  --help             this text`;

const argsSchema = z.object({
  mode: z.enum(["embedded", "server"], { message: "--mode must be embedded or server" }),
  short: z.boolean().default(false),
  kills: z.coerce.number().int().min(1).max(50).optional(),
  concurrency: z.coerce.number().int().min(1).max(500).default(20),
  port: z.coerce.number().int().min(1024).max(65535).default(3400),
  dist: z.string().min(1).default(process.env.NEXT_DIST_DIR || ".next"),
  seed: z.coerce.number().int().min(0).default(1),
});

const parseArgs = (argv: string[]) => parseCliOptions(argv, argsSchema, { valued: ["mode", "kills", "concurrency", "port", "dist", "seed"], flags: ["short"] });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const READY_PATH = "/s/pham2020";

async function main(argv: string[]) {
  const args = parseArgs(argv);
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
  const restartTimes: number[] = [];
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
      serverUp = new Promise((resolve) => (markUp = resolve));
      const pgid = server.pgid;
      await server.stop("SIGKILL");
      if (processGroupMembers(pgid).length > 0) problems.push(`kill ${kill}: processes of the killed server are still running`);
      server = AppServer.start(args.port, env);
      try {
        restartTimes.push(await server.waitReady(READY_PATH, 120_000));
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
      console.log(`kill ${kill}/${kills} after ${(waitMs / 1000).toFixed(1)} s (${pagesBefore} pages acknowledged so far), restarted in ${(restartTimes.at(-1)! / 1000).toFixed(1)} s`);
    }
    // Some load on the restarted server, then a clean stop.
    await sleep(3000);
    stopping = true;
    await Promise.all(workers);
    for (const pagePath of [READY_PATH, "/login", "/api/auth/csrf"]) {
      const response = await fetch(`${server.base}${pagePath}`).catch(() => null);
      if (response?.status !== 200) problems.push(`after the last restart ${pagePath} answered ${response?.status ?? "nothing"}`);
    }
    const serverErrors = server.errors().split("\n").filter((line) => /error/i.test(line));
    if (serverErrors.length > 0) problems.push(`the restarted server logged errors: ${serverErrors.slice(0, 3).join(" | ")}`);
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
      `crash test (${args.mode}${args.short ? ", short" : ""}): ${kills} SIGKILLs, ${check.participants} participants, ` +
        `${check.answersAcknowledged} answers acknowledged, ${check.answersFound} found; lost ${check.lost}, wrong ${check.wrong}, ` +
        `duplicated ${check.duplicated}, half-written responses ${check.inconsistent}; broken requests ${requestsFailed}; ` +
        `restarts ${restartTimes.map((ms) => (ms / 1000).toFixed(1)).join("/")} s; load ${load} — ${passed ? "PASS" : "FAIL"}`,
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
