/**
 * Participants under a large response import (issue 23): while an admin imports a big Qualtrics export (50 MB by
 * default) into the reference questionnaire, simulated participants load the survey page (GET /s/pham2020) and
 * save answers (POST /s/pham2020/answers), and every request's latency is recorded. Target: p95 < 1 s in both
 * database modes. The import's own course (job phase, rows checked and written, outcome) is followed as the page
 * does; on code from before the import jobs (the import answered when done) the upload request itself is timed.
 *
 * With --export, the heavy work is a response export instead (issue 23: exporting 167k responses held the embedded
 * database for a minute): the questionnaire is first filled with --responses synthetic responses (written before
 * the server starts), then the admin starts a CSV export (all responses) as the questionnaire page does, follows the
 * job, and downloads the file while the participants answer.
 *
 * Needs an existing production build (this script never builds). Fresh database per run: embedded = a PGlite
 * directory under tmp/; server = a database varstudy_importload_<pid> on the local PostgreSQL, dropped afterwards.
 * The import file is generated once under tmp/ (the Qualtrics fixture's rows repeated with fresh ids).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { openDatabase } from "@/lib/db/engine/connection";
import { definitionOfVersion } from "@/lib/db/questionnaires";
import { DEMO_ADMIN_EMAIL } from "@/lib/db/seed/demo";
import { generateResponses, insertResponses } from "@/lib/db/seed/synthetic";
import { createRng } from "@/lib/stats/random";
import { AppServer, freshAppDatabase, requireBuild, serverEnv } from "./lib/app-server";
import { describeFetchError, SignedInClient } from "./lib/app-client";
import { runScript } from "./lib/run-script";
import { parseCliOptions } from "./lib/cli-options";
import { percentile, planParticipant, SurveyClient } from "./lib/survey-load";
import { writeBigQualtricsCsv } from "./lib/big-import-file";

const HELP = `Usage: npm run bench:import-load -- --mode embedded|server [options]

Imports a large response file (or, with --export, exports many responses) while participants load the survey
page and save answers; reports the participants' latency (p50/p95/max, failures) before and during the import
or export, and how it went.

Options:
  --mode M             embedded (PGlite in tmp/) or server (fresh database on the local PostgreSQL)
  --mb N               size of the import file in MB (default 50)
  --export             export instead of import: a CSV of all responses of the questionnaire
  --responses N        with --export: synthetic responses written first (default 167000)
  --minutes N          longest time participants are measured during the import (default 4; the window ends
                       earlier when the import ends)
  --wait-minutes N     after the window, how long to wait for the import to end without load (default 0)
  --participants N     participants answering at the same time (default 5)
  --think-ms N         mean pause between a participant's requests (default 500)
  --port N             port for the server (default 3810)
  --dist DIR           Next.js build directory (default $NEXT_DIST_DIR or .next)
  --label TEXT         what was measured (e.g. "before: main at dcbdfda"), printed and recorded
  --record             append the figures to docs/benchmarks.md
  --help               this text`;

const argsSchema = z.object({
  mode: z.enum(["embedded", "server"], { message: "--mode must be embedded or server" }),
  mb: z.coerce.number().positive().max(60).default(50),
  export: z.boolean().default(false),
  responses: z.coerce.number().int().min(1).max(1_000_000).default(167_000),
  minutes: z.coerce.number().positive().max(120).default(4),
  waitMinutes: z.coerce.number().min(0).max(240).default(0),
  participants: z.coerce.number().int().min(1).max(200).default(5),
  thinkMs: z.coerce.number().int().min(0).max(60_000).default(500),
  port: z.coerce.number().int().min(1024).max(65535).default(3810),
  dist: z.string().min(1).default(process.env.NEXT_DIST_DIR || ".next"),
  label: z.string().default(""),
  record: z.boolean().default(false),
});

const parseArgs = (argv: string[]) =>
  parseCliOptions(argv, argsSchema, { valued: ["mode", "mb", "responses", "minutes", "wait-minutes", "participants", "think-ms", "port", "dist", "label"], flags: ["record", "export"] });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REQUEST_TIMEOUT_MS = 30_000;

type Sample = { kind: "page" | "answers"; ms: number; ok: boolean; at: number; failure?: string };
type JobState = { status: string; phase: string; rowsChecked: number; rowsWritten: number; rowsTotal: number | null; message: string | null };

/** Participants loop until stop() resolves: page load, start, then the pages of a planned response, with think time. */
function runParticipants(base: string, load: { count: number; thinkMs: number; seed: number; samples: Sample[]; stopped: () => boolean }): Promise<void> {
  const { count, thinkMs, seed, samples, stopped } = load;
  const rng = createRng(seed);
  const think = () => sleep(thinkMs > 0 ? -thinkMs * Math.log(1 - rng()) : 0);
  let next = 0;
  const timed = async (kind: Sample["kind"], request: () => Promise<boolean>) => {
    const started = performance.now();
    let ok = false;
    let failure: string | undefined;
    try {
      ok = await request();
      if (!ok) failure = "answered, but not ok";
    } catch (error) {
      ok = false; // timeout or reset: counted as a failure at the time it took
      failure = describeFetchError(error).slice(0, 160);
    }
    samples.push({ kind, ms: performance.now() - started, ok, at: Date.now(), ...(failure ? { failure } : {}) });
    return ok;
  };
  const participant = async () => {
    while (!stopped()) {
      const index = next++;
      const client = new SurveyClient(base);
      const page = await timed("page", async () => (await fetch(`${base}/s/pham2020`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).then(async (r) => (await r.text(), r.ok))));
      if (!page || stopped()) continue;
      await think();
      if (!(await timed("answers", async () => (await client.post({ op: "start" }, REQUEST_TIMEOUT_MS)).status === 200))) continue;
      for (const step of planParticipant(rng, 1_000_000 + index)) {
        if (stopped()) break;
        await think();
        if (!(await timed("answers", async () => (await client.post({ op: "page", sectionId: step.sectionId, fields: step.fields }, REQUEST_TIMEOUT_MS)).json.ok === true))) break;
      }
    }
  };
  return Promise.all(Array.from({ length: count }, participant)).then(() => undefined);
}

function summarize(samples: readonly Sample[]): string {
  if (samples.length === 0) return "no requests";
  const ms = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const failed = samples.filter((sample) => !sample.ok).length;
  const over1s = samples.filter((sample) => sample.ms >= 1000).length;
  const pages = samples.filter((sample) => sample.kind === "page").map((sample) => sample.ms).sort((a, b) => a - b);
  const answers = samples.filter((sample) => sample.kind === "answers").map((sample) => sample.ms).sort((a, b) => a - b);
  return (
    `${samples.length} requests, p50 ${percentile(ms, 50).toFixed(0)} ms, p95 ${percentile(ms, 95).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms; ` +
    `${over1s} took ≥ 1 s, ${failed} failed${failed ? ` (${[...new Set(samples.filter((sample) => sample.failure).map((sample) => `${sample.kind}: ${sample.failure}`))].slice(0, 3).join("; ")})` : ""}; page loads p95 ${pages.length ? percentile(pages, 95).toFixed(0) : "–"} ms (${pages.length}), answer saves p95 ${answers.length ? percentile(answers, 95).toFixed(0) : "–"} ms (${answers.length})`
  );
}

async function pham2020Id(env: NodeJS.ProcessEnv): Promise<string> {
  const db = await openDatabase(env.DATABASE_URL ? { kind: "server", url: env.DATABASE_URL } : { kind: "embedded", dataDir: env.VARSTUDY_DATA_DIR! });
  try {
    return (await db.prisma.questionnaire.findUniqueOrThrow({ where: { slug: "pham2020" }, select: { id: true } })).id;
  } finally {
    await db.close();
  }
}

/** Fills pham2020 with synthetic responses before the server starts (the embedded database has one owner at a time). */
async function seedResponses(env: NodeJS.ProcessEnv, count: number): Promise<void> {
  const db = await openDatabase(env.DATABASE_URL ? { kind: "server", url: env.DATABASE_URL } : { kind: "embedded", dataDir: env.VARSTUDY_DATA_DIR! });
  try {
    const questionnaire = await db.prisma.questionnaire.findUniqueOrThrow({ where: { slug: "pham2020" }, include: { currentVersion: true } });
    const version = questionnaire.currentVersion!;
    const definition = definitionOfVersion(version);
    for (let done = 0; done < count; done += 20_000) {
      const responses = generateResponses(definition, { count: Math.min(20_000, count - done), seed: 1000 + done, completedShare: 0.8 });
      await insertResponses(db, questionnaire.id, version.id, responses);
      process.stdout.write(`\r  ${Math.min(count, done + 20_000)} of ${count} responses written`);
    }
    process.stdout.write("\n");
  } finally {
    await db.close();
  }
}

type Course = { outcome: string; timeline: string[]; progress: () => string };

/** The import: upload, then follow the job as the import page does (or time the upload on code without jobs). */
function runImport(admin: SignedInClient, questionnaireId: string, file: string, bytes: Uint8Array, timeoutMs: number, started: number, course: Course): Promise<void> {
  let lastJob = null as JobState | null;
  course.progress = () =>
    !lastJob
      ? " (upload request not answered)"
      : `: phase ${lastJob.phase}, ${lastJob.phase === "writing" ? `all ${lastJob.rowsChecked} rows checked, ${lastJob.rowsWritten} of ${lastJob.rowsTotal ?? "?"} responses written` : `rows checked ${lastJob.rowsChecked} of ${lastJob.rowsTotal ?? "?"}`}`;
  return admin
    .upload(`/api/questionnaires/${questionnaireId}/import`, { fields: { mode: "import" }, bytes, fileName: path.basename(file), timeoutMs })
    .then(async (response) => {
      const body = JSON.parse(response.text) as { ok?: boolean; job?: { id: string }; imported?: number; error?: string; errors?: unknown[] };
      const answeredMs = Date.now() - started;
      if (response.status === 202 && body.job) {
        course.timeline.push(`upload answered 202 after ${(answeredMs / 1000).toFixed(1)} s (job ${body.job.id})`);
        lastJob = await followJob(admin, `/api/questionnaires/${questionnaireId}/import/jobs/${body.job.id}`, started, course, (job) => (lastJob = job));
        course.outcome = `job ${lastJob.status} after ${((Date.now() - started) / 1000).toFixed(0)} s: ${lastJob.message ?? ""} (rows checked ${lastJob.rowsChecked}, written ${lastJob.rowsWritten})`;
      } else {
        course.outcome = `upload answered ${response.status} after ${(answeredMs / 1000).toFixed(0)} s: ${body.ok ? `imported ${body.imported}` : (body.error ?? JSON.stringify(body.errors ?? "").slice(0, 200))}`;
      }
    })
    .catch((error: Error) => {
      course.outcome = `upload request failed after ${((Date.now() - started) / 1000).toFixed(0)} s: ${error.message}`;
    });
}

/** The export: start it as the questionnaire page does (POST, 202 with the job), follow it, download the file. */
async function runExport(admin: SignedInClient, questionnaireId: string, timeoutMs: number, started: number, course: Course): Promise<void> {
  let lastJob = null as JobState | null;
  course.progress = () => (lastJob ? `: ${lastJob.rowsWritten} of ${lastJob.rowsTotal ?? "?"} responses written` : " (export request not answered)");
  try {
    const response = await admin.postJson(`/api/questionnaires/${questionnaireId}/export`, { format: "csv", partial: true }, timeoutMs);
    const body = JSON.parse(response.text) as { job?: { id: string }; error?: string };
    course.timeline.push(`export request answered ${response.status} after ${(response.ms / 1000).toFixed(1)} s`);
    if (response.status !== 202 || !body.job) {
      course.outcome = `export request answered ${response.status}: ${body.error ?? response.text.slice(0, 120)}`;
      return;
    }
    const jobUrl = `/api/questionnaires/${questionnaireId}/export/jobs/${body.job.id}`;
    lastJob = await followJob(admin, jobUrl, started, course, (job) => (lastJob = job));
    const finishedS = (Date.now() - started) / 1000;
    const file = lastJob.status === "SUCCEEDED" ? await admin.get(`${jobUrl}/download`, timeoutMs) : null;
    course.outcome =
      `job ${lastJob.status} after ${finishedS.toFixed(0)} s: ${lastJob.message ?? ""}` +
      (file ? `; download ${file.status}, ${(Buffer.byteLength(file.text) / 1048576).toFixed(1)} MB in ${(file.ms / 1000).toFixed(1)} s` : "");
  } catch (error) {
    course.outcome = `export failed after ${((Date.now() - started) / 1000).toFixed(0)} s: ${(error as Error).message}`;
  }
}

/** Polls a job every 2 s, noting each phase, until it has ended; returns its last state. */
async function followJob(admin: SignedInClient, url: string, started: number, course: Course, seen: (job: JobState) => void): Promise<JobState> {
  let last: JobState | null = null;
  for (;;) {
    await sleep(2000);
    const polled = await admin.get(url, 60_000).catch(() => null);
    if (!polled || polled.status !== 200) continue;
    const job = (JSON.parse(polled.text) as { job: JobState }).job;
    if (!last || job.phase !== last.phase) course.timeline.push(`${((Date.now() - started) / 1000).toFixed(0)} s: phase ${job.phase} (${job.status})`);
    last = job;
    seen(job);
    if (job.status !== "RUNNING" && job.status !== "QUEUED") return job;
  }
}

async function main(argv: string[]) {
  const args = parseArgs(argv);
  const root = process.cwd();
  requireBuild(root, args.dist);
  const workDir = path.join(root, "tmp", `bench-import-load-${args.port}`);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const file = path.join(root, "tmp", `import-${args.mb}mb.csv`);
  let bytes = new Uint8Array();
  let dataRows = 0;
  if (!args.export) {
    if (!fs.existsSync(file)) console.log(`writing ${path.relative(root, file)} …`);
    const generated = fs.existsSync(file) ? null : writeBigQualtricsCsv(file, args.mb * 1024 * 1024, "R_load");
    bytes = new Uint8Array(fs.readFileSync(file));
    dataRows = generated?.rows ?? fs.readFileSync(file, "utf8").split("\r\n").filter(Boolean).length - 3;
  }
  const work = args.export ? "export" : "import";

  console.log(`preparing a fresh ${args.mode} database …`);
  const database = await freshAppDatabase(args.mode, "importload", workDir, { ...serverEnv(args.port, args.dist), VARSTUDY_IMPORTS_DIR: path.join(workDir, "imports"), VARSTUDY_EXPORTS_DIR: path.join(workDir, "exports") });
  if (args.export) {
    console.log(`writing ${args.responses} synthetic responses into pham2020 …`);
    await seedResponses(database.env, args.responses);
  }
  const questionnaireId = await pham2020Id(database.env);
  const server = AppServer.start(args.port, database.env);
  const report: string[] = [];
  try {
    await server.waitReady("/s/pham2020", 180_000);
    const admin = await SignedInClient.signIn(server.base, DEMO_ADMIN_EMAIL, database.env.VARSTUDY_DEMO_ADMIN_PASSWORD!);

    // Baseline: the same participants without an import or export, 20 s.
    const baseline: Sample[] = [];
    let baselineDone = false;
    const baselineRun = runParticipants(server.base, { count: args.participants, thinkMs: args.thinkMs, seed: 1, samples: baseline, stopped: () => baselineDone });
    await sleep(20_000);
    baselineDone = true;
    await baselineRun;

    console.log(
      args.export
        ? `exporting ${args.responses} responses of pham2020 as CSV with ${args.participants} participants answering …`
        : `importing ${path.relative(root, file)} (${(bytes.length / 1048576).toFixed(1)} MB, ${dataRows} rows) into pham2020 with ${args.participants} participants answering …`,
    );
    const during: Sample[] = [];
    const course: Course = { outcome: "", timeline: [], progress: () => "" };
    const started = Date.now();
    let ended = false;
    const windowMs = args.minutes * 60_000;
    const timeoutMs = windowMs + args.waitMinutes * 60_000 + 600_000;
    const running = (args.export ? runExport(admin, questionnaireId, timeoutMs, started, course) : runImport(admin, questionnaireId, file, bytes, timeoutMs, started, course)).finally(() => {
      ended = true;
    });
    const windowEnded = () => ended || Date.now() - started > windowMs;
    await runParticipants(server.base, { count: args.participants, thinkMs: args.thinkMs, seed: 2, samples: during, stopped: windowEnded });
    const measuredSeconds = (Date.now() - started) / 1000;
    if (!ended && args.waitMinutes > 0) {
      console.log(`window over; waiting up to ${args.waitMinutes} min for the ${work} to end …`);
      const deadline = Date.now() + args.waitMinutes * 60_000;
      while (!ended && Date.now() < deadline) await sleep(2000);
    }
    if (!ended) course.outcome = `still running after ${((Date.now() - started) / 1000).toFixed(0)} s${course.progress()}`;
    void running;
    const load = os.loadavg().map((value) => value.toFixed(1)).join(" / ");
    report.push(
      `${args.label ? `${args.label}; ` : ""}${args.mode} mode, ${args.export ? `CSV export of ${args.responses} responses (all)` : `${(bytes.length / 1048576).toFixed(1)} MB file (${dataRows} rows)`}, ${args.participants} participants, mean think time ${args.thinkMs} ms`,
      `participants without an ${work} (20 s): ${summarize(baseline)}`,
      `participants during the ${work} (${measuredSeconds.toFixed(0)} s measured): ${summarize(during)}`,
      `${work}: ${course.outcome}${course.timeline.length ? ` — ${course.timeline.join("; ")}` : ""}`,
      `target (p95 < 1 s during the ${work}): ${during.length === 0 ? "not judged (no requests)" : percentile(during.map((s) => s.ms).sort((a, b) => a - b), 95) < 1000 ? "met" : "not met"}${during.some((s) => !s.ok) ? ` (${during.filter((s) => !s.ok).length} request(s) failed, see above)` : ""}`,
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load average at the end ${load} (1/5/15 min; shared with other sessions), Node ${process.version}`,
    );
    for (const line of report) console.log(line);
    if (args.record) {
      const docs = path.join(root, "docs", "benchmarks.md");
      const entry = [`### ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC — bench:import-load${args.export ? " --export" : ""} (${args.mode})`, "", ...report.map((line) => `- ${line}`), ""].join("\n");
      const marker = "<!-- bench:import-load results, newest first -->";
      const existing = fs.readFileSync(docs, "utf8");
      fs.writeFileSync(docs, existing.includes(marker) ? existing.replace(marker, `${marker}\n\n${entry}`) : `${existing.trimEnd()}\n\n## Participants during a large import\n\n${marker}\n\n${entry}`);
      console.log(`recorded in ${path.relative(root, docs)}`);
    }
  } finally {
    await server.stop("SIGKILL");
    await database.cleanup();
    if (server.errors().trim()) console.error(`server stderr (last lines):\n${server.errors().trim().split("\n").slice(-5).join("\n")}`);
  }
}

runScript(HELP, main);
