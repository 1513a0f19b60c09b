import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { openDatabase } from "@/lib/db/engine/connection";
import { applyMigrations } from "@/lib/db/engine/migrations";
import { DEMO_ADMIN_EMAIL, DEMO_STUDY_SLUG, seedDemo } from "@/lib/db/seed/demo";
import { generateResponses, insertLiterature, insertResponses, PHAM_901_COUNTS, scaleCounts } from "@/lib/db/seed/synthetic";
import { questionnaireDefinitionSchema } from "@/lib/survey/definition";
import { quantile } from "@/lib/stats/descriptive";
import { runScript } from "./lib/run-script";
import { AppServer, requireBuild, serverEnv } from "./lib/app-server";
import { SignedInClient } from "./lib/app-client";
import { planParticipant, SurveyClient } from "./lib/survey-load";
import { createRng } from "@/lib/stats/random";
import { formatCount } from "@/lib/format";

const HELP = `Usage: npm run bench:dashboard -- [options]

Seeds a fresh embedded database with the demo study plus N completed responses to the reference
questionnaire (determinism answers in the study's proportions) and P double-coded papers, starts the
production server on it (build first: NEXT_DIST_DIR=<dir> npx next build), signs in as the admin and
measures server response times of the dashboard pages, three ways:
  first view    the first request of each page after the server started (nothing cached yet);
  repeated      R requests in a row (aggregates served from the cache; one data-version query each);
  after a save  R requests, each right after a participant started a response and saved its first page
                through /s/<slug>/answers (the funnel changes; completed-only results stay cached);
  after a completion  R requests, each right after a participant completed a whole response, so the page
                brings its survey aggregates up to date (the worst case of a live survey: the cached tallies take in
                the new response, and the shaped results, study header and funnel are recomputed).

Options:
  --responses N   completed responses to seed (default 10000)
  --papers P      double-coded papers to seed (default 2000)
  --requests R    timed requests per page and way (default 30)
  --port PORT     port of the benchmark server (default 3590)
  --dist DIR      Next build directory (default $NEXT_DIST_DIR or .next)
  --record        write the results into the "## Dashboard" section of docs/benchmarks.md
  --help          this text`;

const argsSchema = z.object({
  responses: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  papers: z.coerce.number().int().min(2).max(200_000).default(2_000),
  requests: z.coerce.number().int().min(1).max(10_000).default(30),
  port: z.coerce.number().int().min(1024).max(65535).default(3590),
  dist: z.string().min(1).default(process.env.NEXT_DIST_DIR ?? ".next"),
  record: z.boolean().default(false),
});

type Stats = { p50: number; p95: number; max: number };
type Result = { name: string; path: string; first: number; repeated: Stats; afterSave: Stats; afterCompletion: Stats; bytes: number };

const participantRng = createRng(42);
/** A participant through the real endpoint: starts a response and saves up to `pages` pages (Infinity: completes it). */
async function participant(base: string, pages: number) {
  const client = new SurveyClient(base);
  const started = await client.post({ op: "start" });
  if (started.status !== 200) throw new Error(`starting a response answered ${started.status}: ${JSON.stringify(started.json)}`);
  for (const page of planParticipant(participantRng, 0).slice(0, pages)) {
    const saved = await client.post({ op: "page", sectionId: page.sectionId, fields: page.fields });
    if (saved.status !== 200 || saved.json.ok !== true) throw new Error(`saving page ${page.sectionId} answered ${saved.status}: ${JSON.stringify(saved.json).slice(0, 200)}`);
  }
}
type Options = z.infer<typeof argsSchema> & { loadBefore?: number[]; loadAfter?: number[] };

function parseArgs(argv: string[]): Options {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--record") raw.record = true;
    else if (/^--(responses|papers|requests|port|dist)$/.test(arg) && argv[i + 1] !== undefined) raw[arg.slice(2)] = argv[++i];
    else throw new Error(`unknown or incomplete option "${arg}" (see --help)`);
  }
  const parsed = argsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("; "));
  return parsed.data;
}

const PASSWORD = "bench-password-1234";
const PAGES = [
  { name: "overview", path: `/admin/studies/${DEMO_STUDY_SLUG}` },
  { name: "per-question (Q26, breakdown by position)", path: `/admin/studies/${DEMO_STUDY_SLUG}/survey/Q26?by=position` },
  { name: "per-question (work_years, correlation with Q26)", path: `/admin/studies/${DEMO_STUDY_SLUG}/survey/work_years?with=Q26` },
  { name: "all survey results", path: `/admin/studies/${DEMO_STUDY_SLUG}/survey` },
];

runScript(HELP, async (argv) => {
  const options = parseArgs(argv);
  requireBuild(process.cwd(), options.dist);
  const dir = path.resolve("tmp", `bench-dashboard-${options.port}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const dataDir = path.join(dir, "pglite");

  const started = Date.now();
  const db = await openDatabase({ kind: "embedded", dataDir });
  try {
    await applyMigrations(db.sql);
    process.env.VARSTUDY_BCRYPT_COST = "8";
    await seedDemo(db, { adminPassword: PASSWORD });
    const study = await db.prisma.study.findUniqueOrThrow({ where: { slug: DEMO_STUDY_SLUG } });
    const questionnaire = await db.prisma.questionnaire.findFirstOrThrow({ where: { studyId: study.id }, include: { currentVersion: true } });
    const definition = questionnaireDefinitionSchema.parse(questionnaire.currentVersion!.definition);
    const responses = generateResponses(definition, { count: options.responses, seed: 1, fixed: scaleCounts(PHAM_901_COUNTS, options.responses) });
    await insertResponses(db, questionnaire.id, questionnaire.currentVersionId!, responses);
    const coders = await db.prisma.user.findMany({ where: { role: "ANNOTATOR" }, orderBy: { email: "asc" }, take: 2 });
    if (coders.length < 2) throw new Error("the demo seed did not create two annotators");
    const half = Math.floor(options.papers / 2);
    await insertLiterature(db, { studyId: study.id, coderIds: [coders[0]!.id, coders[1]!.id], perStratum: { "se-systems": half, ai: options.papers - half }, populationExtra: { "se-systems": half, ai: half }, seed: 2 });
    console.log(`seeded ${options.responses} responses and ${options.papers} double-coded papers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await db.close();
  }

  // The new responses of the "after a new response" measurements all come from 127.0.0.1 (serverEnv turns the
  // participant rate limits off).
  const server = AppServer.start(options.port, { ...serverEnv(options.port, options.dist), VARSTUDY_DATA_DIR: dataDir, DATABASE_URL: "" });
  try {
    await server.waitReady("/login", 120_000);
    const admin = await SignedInClient.signIn(server.base, DEMO_ADMIN_EMAIL, PASSWORD);
    const base = server.base;
    options.loadBefore = os.loadavg();
    const results: Result[] = [];
    const timed = async (page: (typeof PAGES)[number]) => {
      const response = await admin.get(page.path);
      if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`);
      if (!response.text.includes("%")) throw new Error(`${page.path} shows no percentages; is the data there?`);
      return { elapsed: response.ms, bytes: response.text.length };
    };
    const stats = (times: number[]) => ({ p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: Math.max(...times) });
    // The first view of every page, before any repeated request fills the cache for the pages after it.
    const first = new Map<string, number>();
    for (const page of PAGES) first.set(page.path, (await timed(page)).elapsed);
    for (const page of PAGES) {
      const repeated: number[] = [];
      const afterSave: number[] = [];
      const afterCompletion: number[] = [];
      let bytes = 0;
      for (let i = 0; i < options.requests; i++) {
        const result = await timed(page);
        repeated.push(result.elapsed);
        bytes = result.bytes;
      }
      for (let i = 0; i < options.requests; i++) {
        await participant(base, 1);
        afterSave.push((await timed(page)).elapsed);
      }
      for (let i = 0; i < options.requests; i++) {
        await participant(base, Infinity);
        afterCompletion.push((await timed(page)).elapsed);
      }
      const row: Result = { name: page.name, path: page.path, first: first.get(page.path)!, repeated: stats(repeated), afterSave: stats(afterSave), afterCompletion: stats(afterCompletion), bytes };
      results.push(row);
      const show = (label: string, value: Stats) => `${label} p50 ${value.p50.toFixed(0).padStart(5)} p95 ${value.p95.toFixed(0).padStart(5)} ms`;
      console.log(`${page.name}\n  first ${row.first.toFixed(0)} ms | ${show("repeated", row.repeated)} | ${show("after a save", row.afterSave)} | ${show("after a completion", row.afterCompletion)} | ${(bytes / 1024).toFixed(0)} KiB`);
    }
    options.loadAfter = os.loadavg();
    if (options.record) record(options, results);
  } finally {
    await server.stop();
    if (server.errors().trim()) console.error(`server stderr (last lines):\n${server.errors().trim().split("\n").slice(-10).join("\n")}`);
  }
});

function record(options: Options, results: Result[]) {
  const file = path.resolve("docs/benchmarks.md");
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const loads = (values?: number[]) => (values ? values.map((value) => value.toFixed(1)).join(" / ") : "?");
  const ms = (value: number) => value.toFixed(0);
  const section = [
    "## Dashboard",
    "",
    `Recorded ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`npm run bench:dashboard -- --record\` on ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, embedded PGlite, production build (\`next start\`).`,
    `Load average (1 / 5 / 15 min) when the measurement started: ${loads(options.loadBefore)}; when it ended: ${loads(options.loadAfter)} (the machine is shared with other engineers' builds and tests, so the times are upper bounds).`,
    `Data: the demo study plus ${formatCount(options.responses)} completed responses to the reference questionnaire and ${formatCount(options.papers)} double-coded papers (bulk-inserted).`,
    `Server response time to the full HTML, signed in as the admin, requests one at a time. *First view*: the first request of each page after the server started (nothing cached, includes the server's own warm-up). *Repeated*: ${options.requests} requests in a row (aggregates from the cache). *After a save*: ${options.requests} requests, each right after a participant started a response and saved its first page through \`/s/pham2020/answers\` (the funnel is recomputed; completed-only results stay cached). *After a completion*: ${options.requests} requests, each right after a participant completed a response, so the page brings its survey aggregates up to date (the cached tallies count just the new response; lib/db/dashboard/tally.ts). Target: p95 < 500 ms.`,
    "",
    "| page | first view ms | repeated p50 / p95 ms | after a save p50 / p95 ms | after a completion p50 / p95 ms | HTML KiB | p95 < 500 ms (repeated / save / completion) |",
    "|---|---:|---:|---:|---:|---:|---|",
    ...results.map(
      (row) =>
        `| ${row.name} (\`${row.path}\`) | ${ms(row.first)} | ${ms(row.repeated.p50)} / ${ms(row.repeated.p95)} | ${ms(row.afterSave.p50)} / ${ms(row.afterSave.p95)} | ${ms(row.afterCompletion.p50)} / ${ms(row.afterCompletion.p95)} | ${(row.bytes / 1024).toFixed(0)} | ${[row.repeated, row.afterSave, row.afterCompletion].map((value) => (value.p95 < 500 ? "yes" : "no")).join(" / ")} |`,
    ),
    "",
    "Aggregation happens in the database: option counts, quartiles, histograms, cross-tabulations and correlation sums are GROUP BY / aggregate queries (lib/db/dashboard); no page reads one row per response.",
    "",
  ].join("\n");
  // Replaces the measured part only: hand-written "### …" subsections after it stay.
  const pattern = /## Dashboard\n[\s\S]*?(?=\n### |\n## |$)/;
  const next = pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}`;
  fs.writeFileSync(file, next);
  console.log(`recorded in ${path.relative(process.cwd(), file)}`);
}
