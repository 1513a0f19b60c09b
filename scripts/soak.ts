/**
 * Soak run: participants answer the reference questionnaire, annotators save codings and admins read the
 * dashboard, all at once against the production server for a set time. Reports throughput per minute, the
 * server's resident memory over the run, errors (any failed request), and afterwards checks every acknowledged
 * write in the database: each answer exactly once with the value sent, each coding with the last note saved.
 *
 * Annotators go through the app's own server action (saveCodingAction, called over HTTP the way the browser
 * calls it), admins through the dashboard pages, participants through the JSON endpoint /s/<slug>/answers.
 * Needs an existing production build; fresh database per run (embedded: tmp/ directory; server: a database
 * varstudy_soak_<pid> on the local PostgreSQL, dropped afterwards).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { openDatabase } from "@/lib/db/engine/connection";
import { DEMO_ADMIN_EMAIL, DEMO_STUDY_SLUG } from "@/lib/db/seed/demo";
import { databaseTargetFromEnv } from "@/lib/db/engine/target";
import { createRng } from "@/lib/stats/random";
import { AppServer, freshAppDatabase, requireBuild, residentKb, serverEnv } from "./lib/app-server";
import { serverActionId, SignedInClient } from "./lib/app-client";
import { runScript } from "./lib/run-script";
import { parseCliOptions } from "./lib/cli-options";
import { checkAcknowledged, planParticipant, SurveyClient, type ParticipantRecord } from "./lib/survey-load";

const HELP = `Usage: npm run soak -- --mode embedded|server [options]

Participants, annotators and admins use the production server at the same time for --minutes; reports
throughput per minute, server memory (RSS) at start and end, errors, and checks every acknowledged write.

Options:
  --mode M            embedded (PGlite in tmp/) or server (fresh database on the local PostgreSQL)
  --minutes N         duration (default 10; fractions allowed)
  --participants N    participants answering at the same time (default 10)
  --annotators N      annotator sessions (alternating between the demo annotators; default 2)
  --admins N          admin sessions reading the dashboard (default 2)
  --port N            port for the server (default 3405)
  --dist DIR          Next.js build directory (default $NEXT_DIST_DIR or .next)
  --out FILE          also write the figures as JSON (default tmp/soak-<mode>.json)
  --help              this text`;

const argsSchema = z.object({
  mode: z.enum(["embedded", "server"], { message: "--mode must be embedded or server" }),
  minutes: z.coerce.number().positive().max(24 * 60).default(10),
  participants: z.coerce.number().int().min(1).max(500).default(10),
  annotators: z.coerce.number().int().min(0).max(50).default(2),
  admins: z.coerce.number().int().min(0).max(50).default(2),
  port: z.coerce.number().int().min(1024).max(65535).default(3405),
  dist: z.string().min(1).default(process.env.NEXT_DIST_DIR || ".next"),
  out: z.string().optional(),
});

const parseArgs = (argv: string[]) => parseCliOptions(argv, argsSchema, { valued: ["mode", "minutes", "participants", "annotators", "admins", "port", "dist", "out"] });

const DASHBOARD_PAGES = [
  `/admin`,
  `/admin/studies/${DEMO_STUDY_SLUG}`,
  `/admin/studies/${DEMO_STUDY_SLUG}/survey`,
  `/admin/studies/${DEMO_STUDY_SLUG}/survey/Q26?by=position`,
  `/admin/studies/${DEMO_STUDY_SLUG}/survey/work_years?with=Q26`,
  `/admin/literature`,
  `/admin/experiments`,
];
const ANNOTATORS = ["ada@varstudy.local", "grace@varstudy.local"];
type Kind = "pages" | "codings" | "reads";

async function main(argv: string[]) {
  const args = parseArgs(argv);
  const root = process.cwd();
  requireBuild(root, args.dist);
  const actionId = serverActionId(path.join(root, args.dist), "saveCodingAction");
  const workDir = path.join(root, "tmp", `soak-${args.mode}-${args.port}`);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const baseEnv = serverEnv(args.port, args.dist);
  const database = await freshAppDatabase(args.mode, "soak", workDir, baseEnv);
  const password = baseEnv.VARSTUDY_DEMO_ADMIN_PASSWORD!;
  const server = AppServer.start(args.port, database.env);
  const errors: string[] = [];
  let errorCount = 0;
  const fail = (what: string) => {
    errorCount += 1;
    if (errors.length < 20) errors.push(what);
  };
  try {
    await server.waitReady("/s/pham2020", 180_000);
    const admins = await Promise.all(Array.from({ length: args.admins }, () => SignedInClient.signIn(server.base, DEMO_ADMIN_EMAIL, password)));
    const annotators = await Promise.all(Array.from({ length: args.annotators }, (_, i) => SignedInClient.signIn(server.base, ANNOTATORS[i % ANNOTATORS.length]!, password)));
    // Warm-up: every route once, so the first minute is not the compile-and-cache minute.
    for (const page of DASHBOARD_PAGES) await admins[0]?.get(page);
    await new SurveyClient(server.base).post({ op: "start" });

    const rng = createRng(7);
    const records: ParticipantRecord[] = [];
    /** Last acknowledged note per assignment (a coding is one row per assignment; its note must be the last one acknowledged). */
    const lastNote = new Map<string, string>();
    const startedAt = Date.now();
    const endAt = startedAt + args.minutes * 60_000;
    const minutes = Math.ceil(args.minutes);
    const perMinute: Record<Kind, number[]> = { pages: Array(minutes).fill(0), codings: Array(minutes).fill(0), reads: Array(minutes).fill(0) };
    const count = (kind: Kind) => {
      const minute = Math.min(minutes - 1, Math.floor((Date.now() - startedAt) / 60_000));
      perMinute[kind][minute]! += 1;
    };
    const serverPid = server.serverPid()!;
    const rss: { at: number; kb: number }[] = [];
    const sampleRss = () => {
      const kb = residentKb(serverPid);
      if (kb !== null) rss.push({ at: (Date.now() - startedAt) / 1000, kb });
    };
    sampleRss();
    const sampler = setInterval(sampleRss, 10_000);

    const participant = async () => {
      let index = 0;
      while (Date.now() < endAt) {
        const plan = planParticipant(rng, index++);
        const client = new SurveyClient(server.base);
        try {
          const start = await client.post({ op: "start" });
          if (start.status !== 200) throw new Error(`start: ${start.status} ${JSON.stringify(start.json).slice(0, 120)}`);
          const record: ParticipantRecord = { responseKey: client.responseKey()!, plan, acknowledgedPages: 0, inFlightPage: false };
          records.push(record);
          for (const page of plan) {
            record.inFlightPage = true;
            const result = await client.post({ op: "page", sectionId: page.sectionId, fields: page.fields });
            if (result.status !== 200 || result.json.ok !== true) throw new Error(`page ${page.sectionId}: ${result.status} ${JSON.stringify(result.json).slice(0, 120)}`);
            record.inFlightPage = false;
            record.acknowledgedPages += 1;
            count("pages");
          }
        } catch (error) {
          fail(`participant: ${(error as Error).message}`);
        }
      }
    };
    const annotator = async (client: SignedInClient, who: number) => {
      const queue = await client.get("/code");
      const assignments = [...new Set([...queue.text.matchAll(/href="\/code\/([a-z0-9]{20,40})"/g)].map((match) => match[1]!))];
      if (assignments.length === 0) return fail(`annotator ${who}: no assignments in the queue (status ${queue.status})`);
      let n = 0;
      while (Date.now() < endAt) {
        const assignmentId = assignments[n % assignments.length]!;
        const note = `soak ${who} ${n}`;
        n += 1;
        try {
          const answers = JSON.stringify({ trainsDL: n % 2 === 0 ? "no" : "yes" });
          const result = await client.formAction(`/code/${assignmentId}`, actionId, { assignmentId, answers, note, intent: "draft" });
          if (result.status !== 200 || !result.text.includes('"ok":true')) throw new Error(`coding ${assignmentId}: ${result.status} ${result.text.slice(0, 200)}`);
          lastNote.set(assignmentId, note);
          count("codings");
        } catch (error) {
          fail(`annotator: ${(error as Error).message}`);
        }
      }
    };
    const admin = async (client: SignedInClient) => {
      let n = 0;
      while (Date.now() < endAt) {
        const page = DASHBOARD_PAGES[n++ % DASHBOARD_PAGES.length]!;
        try {
          const result = await client.get(page);
          if (result.status !== 200) throw new Error(`${page}: ${result.status}`);
          count("reads");
        } catch (error) {
          fail(`admin: ${(error as Error).message}`);
        }
      }
    };
    const progress = setInterval(() => {
      const minute = Math.floor((Date.now() - startedAt) / 60_000) - 1;
      if (minute >= 0 && minute < minutes) console.log(`minute ${minute + 1}: ${perMinute.pages[minute]} pages, ${perMinute.codings[minute]} codings, ${perMinute.reads[minute]} dashboard reads, errors so far ${errorCount}, RSS ${((rss.at(-1)?.kb ?? 0) / 1024).toFixed(0)} MB`);
    }, 60_000);
    await Promise.all([
      ...Array.from({ length: args.participants }, participant),
      ...annotators.map((client, i) => annotator(client, i)),
      ...admins.map((client) => admin(client)),
    ]);
    clearInterval(progress);
    clearInterval(sampler);
    sampleRss();
    const seconds = (Date.now() - startedAt) / 1000;
    await server.stop("SIGTERM");

    const db = await openDatabase(databaseTargetFromEnv(database.env));
    let check;
    let codingProblems = 0;
    try {
      check = await checkAcknowledged(db.sql, records);
      const codings = await db.sql.query<{ assignmentId: string; note: string | null }>(`SELECT "assignmentId", note FROM "Coding" WHERE "assignmentId" = ANY($1::text[])`, [[...lastNote.keys()]]);
      const byAssignment = new Map<string, string[]>();
      for (const row of codings) byAssignment.set(row.assignmentId, [...(byAssignment.get(row.assignmentId) ?? []), row.note ?? ""]);
      for (const [assignmentId, note] of lastNote) {
        const notes = byAssignment.get(assignmentId) ?? [];
        if (notes.length !== 1 || notes[0] !== note) {
          codingProblems += 1;
          fail(`coding of ${assignmentId}: stored [${notes.join(", ")}], last acknowledged "${note}"`);
        }
      }
    } finally {
      await db.close();
    }
    const totals = { pages: perMinute.pages.reduce((a, b) => a + b, 0), codings: perMinute.codings.reduce((a, b) => a + b, 0), reads: perMinute.reads.reduce((a, b) => a + b, 0) };
    const full = (series: number[]) => series.slice(0, Math.floor(args.minutes));
    const spread = (series: number[]) => {
      const values = full(series);
      return values.length > 0 ? `${Math.min(...values)}–${Math.max(...values)}` : "n/a";
    };
    const load = os.loadavg().map((value) => value.toFixed(1)).join(" / ");
    const mb = (kb: number | undefined) => ((kb ?? 0) / 1024).toFixed(0);
    const passed = errorCount === 0 && check.lost + check.wrong + check.duplicated + check.inconsistent + codingProblems === 0;
    const summary = {
      mode: args.mode,
      date: new Date().toISOString(),
      minutes: args.minutes,
      sessions: { participants: args.participants, annotators: args.annotators, admins: args.admins },
      totals,
      perMinute,
      answersAcknowledged: check.answersAcknowledged,
      answersFound: check.answersFound,
      lost: check.lost,
      wrong: check.wrong,
      duplicated: check.duplicated,
      halfWritten: check.inconsistent,
      codingsAcknowledged: totals.codings,
      codingAssignments: lastNote.size,
      codingProblems,
      errors: errorCount,
      rssStartMb: Number(mb(rss[0]?.kb)),
      rssEndMb: Number(mb(rss.at(-1)?.kb)),
      rssMaxMb: Number(mb(Math.max(...rss.map((s) => s.kb)))),
      loadAverage: os.loadavg(),
      cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}`,
      passed,
    };
    fs.mkdirSync(path.join(root, "tmp"), { recursive: true });
    fs.writeFileSync(args.out ?? path.join(root, "tmp", `soak-${args.mode}.json`), `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`soak (${args.mode}, ${database.describe.split(" at ")[0]}): ${args.minutes} min, ${args.participants} participants + ${args.annotators} annotators + ${args.admins} admins`);
    console.log(`throughput: ${(totals.pages / seconds).toFixed(1)} pages/s, ${(totals.codings / seconds).toFixed(1)} codings/s, ${(totals.reads / seconds).toFixed(1)} dashboard reads/s`);
    console.log(`per full minute: pages ${spread(perMinute.pages)}, codings ${spread(perMinute.codings)}, reads ${spread(perMinute.reads)}`);
    console.log(`server RSS: start ${summary.rssStartMb} MB, end ${summary.rssEndMb} MB, max ${summary.rssMaxMb} MB (${rss.length} samples)`);
    console.log(`writes: ${check.answersAcknowledged} answers acknowledged, ${check.answersFound} found (lost ${check.lost}, wrong ${check.wrong}, duplicated ${check.duplicated}, half-written ${check.inconsistent}); ${totals.codings} coding saves acknowledged on ${lastNote.size} assignments, ${codingProblems} wrong`);
    console.log(`errors: ${errorCount}; load average ${load}; ${summary.cpus} — ${passed ? "PASS" : "FAIL"}`);
    for (const error of errors) console.error(`  error: ${error}`);
    if (!passed) process.exitCode = 1;
  } finally {
    await server.stop("SIGTERM");
    await database.cleanup();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

runScript(HELP, main);
