/**
 * Fuzzes the importers (questionnaire definitions, response CSV, BibTeX, RIS, paper CSV, runner JSON Lines) with
 * valid and mutated files through the lib/db import functions, in each database mode, and (with --http) sends a
 * sample of mutated and oversized files to the upload routes of a running production server. Every file must be
 * accepted whole or rejected with a reason (and a line/row for errors inside the file) and write nothing; no
 * exception may escape, and the server must still answer afterwards. See scripts/lib/importer-fuzz.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { openDatabase } from "@/lib/db/engine/connection";
import { DEMO_ADMIN_EMAIL } from "@/lib/db/seed/demo";
import { applyMigrations } from "@/lib/db/engine/migrations";
import { databaseTargetFromEnv } from "@/lib/db/engine/target";
import { createRng } from "@/lib/stats/random";
import { AppServer, freshAppDatabase, requireBuild, serverEnv, type Mode } from "./lib/app-server";
import { SignedInClient } from "./lib/app-client";
import { fuzzImporters, MUTATIONS, type FuzzTally } from "./lib/importer-fuzz";
import { runScript } from "./lib/run-script";
import { parseCliOptions } from "./lib/cli-options";

const HELP = `Usage: npm run fuzz:importers -- [options]

Generated and mutated files through every importer; each must be accepted whole or rejected with a line and a
reason, with nothing written on rejection and no crash.

Options:
  --files N      files per importer and database mode (default 200)
  --seed S       seed of the mutations (default 1)
  --mode M       embedded, server or both (default both; server needs PostgreSQL at $TEST_DATABASE_URL or
                 postgres://postgres@127.0.0.1:5432/test)
  --http N       also send N mutated files per upload route, and one oversized file each, to a production
                 server on a fresh embedded database (needs a build: --dist; default 0 = skip)
  --dist DIR     Next.js build directory for --http (default $NEXT_DIST_DIR or .next)
  --port N       port for the --http server (default 3410)
  --importers L  only the importers whose names contain one of these comma-separated words (e.g. "response,RIS")
  --help         this text`;

const argsSchema = z.object({
  files: z.coerce.number().int().min(1).max(100_000).default(200),
  seed: z.coerce.number().int().min(0).default(1),
  mode: z.enum(["embedded", "server", "both"]).default("both"),
  http: z.coerce.number().int().min(0).max(10_000).default(0),
  dist: z.string().min(1).default(process.env.NEXT_DIST_DIR || ".next"),
  port: z.coerce.number().int().min(1024).max(65535).default(3410),
  importers: z.string().optional(),
});

const parseArgs = (argv: string[]) => parseCliOptions(argv, argsSchema, { valued: ["files", "seed", "mode", "http", "dist", "port", "importers"] });

async function fuzzMode(mode: Mode, args: z.infer<typeof argsSchema>, root: string): Promise<FuzzTally[]> {
  const workDir = path.join(root, "tmp", `fuzz-${mode}-${process.pid}`);
  fs.mkdirSync(workDir, { recursive: true });
  const database = await freshAppDatabase(mode, "fuzz", workDir, { ...process.env });
  const db = await openDatabase(databaseTargetFromEnv(database.env));
  try {
    await applyMigrations(db.sql);
    const user = await db.prisma.user.create({ data: { email: "fuzz@example.org", name: "Fuzz", role: "ADMIN", canAdjudicate: true } });
    let last = Date.now();
    return await fuzzImporters(db, { id: user.id, role: "ADMIN", canAdjudicate: true }, {
      files: args.files,
      seed: args.seed,
      ...(args.importers ? { only: args.importers.split(",").map((name) => name.trim()).filter(Boolean) } : {}),
      onImporterDone: (tally) => console.log(`  ${mode}: ${tally.importer} done: ${tally.files} files, accepted ${tally.accepted}, rejected ${tally.rejected}, failures ${tally.failures.length}`),
      onFile: (importer, index) => {
        if (Date.now() - last > 15_000) {
          last = Date.now();
          console.log(`  ${mode}: ${importer}, file ${index + 1}/${args.files}`);
        }
      },
    });
  } finally {
    await db.close();
    await database.cleanup();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

type HttpTally = { route: string; files: number; accepted: number; rejected: number; oversizedRefused: boolean; crossSiteRefused: boolean; failures: string[] };

type ImportJobState = { status: string; message: string | null; rowsWritten: number; result: { kind: string; imported?: number; errors?: unknown[]; report?: { counts: { new: number } } } | null };

/** Mutated and oversized uploads to the running server's import routes; answers must be JSON with a reason, never 5xx. */
async function fuzzHttp(
  args: z.infer<typeof argsSchema>,
  root: string,
): Promise<{ tallies: HttpTally[]; serverAlive: boolean; importedResponses: { stored: number; reportedByJobs: number }; importedPapers: { stored: number; reportedByJobs: number } }> {
  requireBuild(root, args.dist);
  const workDir = path.join(root, "tmp", `fuzz-http-${args.port}`);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const env = serverEnv(args.port, args.dist);
  const database = await freshAppDatabase("embedded", "fuzz", workDir, env);
  // The ids the routes need, read before the server takes the embedded directory.
  const db = await openDatabase(databaseTargetFromEnv(database.env));
  const studyId = (await db.prisma.study.findFirstOrThrow({ select: { id: true } })).id;
  const questionnaireId = (await db.prisma.questionnaire.findFirstOrThrow({ where: { slug: "pham2020" }, select: { id: true } })).id;
  const papersBefore = await db.prisma.paper.count({ where: { studyId } });
  await db.close();
  const server = AppServer.start(args.port, database.env);
  const read = (relative: string) => new TextEncoder().encode(fs.readFileSync(path.join(root, relative), "utf8"));
  // Paper and response imports answer 202 with a job, followed at jobUrl as their pages do.
  const routes: { route: string; seeds: Uint8Array[]; fields: Record<string, string>; oversize: number; jobUrl?: (jobId: string) => string }[] = [
    {
      route: "/api/literature/import",
      seeds: [read("tests/fixtures/papers/dblp-icse-neurips.bib"), read("tests/fixtures/papers/zotero-export.ris"), read("tests/fixtures/papers/messy-papers.csv")],
      fields: { studyId, format: "auto" },
      oversize: 21,
      jobUrl: (jobId) => `/api/literature/import/jobs/${jobId}?studyId=${studyId}`,
    },
    { route: "/api/experiments/import", seeds: [read("tests/fixtures/runner/lenet1-quick-tiny/results.jsonl")], fields: {}, oversize: 65 },
    {
      route: `/api/questionnaires/${questionnaireId}/import`,
      seeds: [read("tests/fixtures/survey/qualtrics-pham2020-numeric.csv")],
      fields: { mode: "import" },
      oversize: 51,
      jobUrl: (jobId) => `/api/questionnaires/${questionnaireId}/import/jobs/${jobId}`,
    },
  ];
  const rng = createRng(args.seed);
  const names = Object.keys(MUTATIONS);
  const tallies: HttpTally[] = [];
  let importedByJobs = 0;
  let papersByJobs = 0;
  try {
    await server.waitReady("/s/pham2020", 180_000);
    const pidBefore = server.serverPid();
    const admin = await SignedInClient.signIn(server.base, DEMO_ADMIN_EMAIL, env.VARSTUDY_DEMO_ADMIN_PASSWORD!);
    for (const route of routes) {
      const tally: HttpTally = { route: route.route.replace(questionnaireId, "<id>"), files: 0, accepted: 0, rejected: 0, oversizedRefused: false, crossSiteRefused: false, failures: [] };
      /** An import that answers 202 with a job: its outcome is the job's, followed as the page does. */
      const followJob = async (jobId: string, label: string): Promise<{ ok: boolean }> => {
        const deadline = Date.now() + 600_000;
        while (Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          const read = await admin.get(route.jobUrl!(jobId));
          const job = (JSON.parse(read.text) as { job?: ImportJobState }).job;
          if (!job || job.status === "RUNNING" || job.status === "QUEUED") continue;
          if (job.status === "SUCCEEDED") {
            importedByJobs += job.result?.imported ?? 0;
            papersByJobs += job.result?.report?.counts.new ?? 0;
            return { ok: true };
          }
          if (job.status !== "FAILED") tally.failures.push(`${label}: job ended ${job.status}: ${job.message}`);
          else if (job.rowsWritten !== 0) tally.failures.push(`${label}: failed job reports ${job.rowsWritten} rows written`);
          else if (!job.message && !(job.result?.errors?.length ?? 0)) tally.failures.push(`${label}: job failed without a reason`);
          return { ok: false };
        }
        tally.failures.push(`${label}: job ${jobId} did not end within 10 minutes`);
        return { ok: false };
      };
      const send = async (bytes: Uint8Array, label: string, headers: Record<string, string> = {}) => {
        const result = await admin.upload(route.route, { fields: { ...route.fields }, bytes, fileName: "upload.txt", headers });
        let json: { ok?: unknown; error?: unknown; errors?: unknown; lineErrors?: unknown; job?: { id: string } } | null = null;
        try {
          json = JSON.parse(result.text);
        } catch {
          // not JSON: a failure below
        }
        if (result.status >= 500 || json === null || typeof json.ok !== "boolean") tally.failures.push(`${label}: ${result.status} ${result.text.slice(0, 160)}`);
        else if (json.ok === false && !(typeof json.error === "string" && json.error) && !(Array.isArray(json.errors) && json.errors.length > 0)) tally.failures.push(`${label}: refused without a reason`);
        if (result.status === 202 && json?.job && route.jobUrl) return { status: result.status, ...(await followJob(json.job.id, label)), text: result.text };
        return { status: result.status, ok: json?.ok === true, text: result.text };
      };
      for (let i = 0; i < args.http; i += 1) {
        let bytes: Uint8Array = route.seeds[i % route.seeds.length]!;
        const name = names[Math.floor(rng() * names.length)]!;
        if (i % 5 !== 0) bytes = MUTATIONS[name]!(bytes, rng);
        const outcome = await send(bytes, `${name} #${i}`);
        tally.files += 1;
        if (outcome.ok) tally.accepted += 1;
        else tally.rejected += 1;
      }
      // The admin's cookie on a post from another site's page: refused before anything is read or written.
      const crossSite = await send(route.seeds[0]!, "cross-site post", { origin: "https://evil.example" });
      tally.crossSiteRefused = crossSite.status === 403;
      if (!tally.crossSiteRefused) tally.failures.push(`cross-site post: ${crossSite.status} ${crossSite.text.slice(0, 160)}`);
      const big = new Uint8Array(route.oversize * 1024 * 1024).fill(0x61);
      const oversized = await send(big, `${route.oversize} MB file`);
      tally.oversizedRefused = oversized.status === 413 && /larger than/i.test(oversized.text);
      if (!tally.oversizedRefused) tally.failures.push(`${route.oversize} MB file: ${oversized.status} ${oversized.text.slice(0, 160)}`);
      tallies.push(tally);
    }
    const health = await fetch(`${server.base}/s/pham2020`).catch(() => null);
    const serverAlive = health?.status === 200 && server.serverPid() === pidBefore && !server.exited;
    // No partial writes: the imported responses in the database are exactly those the succeeded jobs reported.
    await server.stop("SIGTERM");
    const after = await openDatabase(databaseTargetFromEnv(database.env));
    const stored = await after.prisma.response.count({ where: { questionnaireId, source: "IMPORT" } });
    const papersStored = (await after.prisma.paper.count({ where: { studyId } })) - papersBefore;
    await after.close();
    const responses = tallies.find((tally) => tally.route.includes("questionnaires"));
    if (responses && stored !== importedByJobs) responses.failures.push(`${stored} imported responses stored, but the succeeded jobs reported ${importedByJobs}`);
    const papers = tallies.find((tally) => tally.route.includes("literature"));
    if (papers && papersStored !== papersByJobs) papers.failures.push(`${papersStored} new papers stored, but the succeeded jobs reported ${papersByJobs}`);
    return { tallies, serverAlive, importedResponses: { stored, reportedByJobs: importedByJobs }, importedPapers: { stored: papersStored, reportedByJobs: papersByJobs } };
  } finally {
    await server.stop("SIGTERM");
    await database.cleanup();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

async function main(argv: string[]) {
  const args = parseArgs(argv);
  const root = process.cwd();
  const modes: Mode[] = args.mode === "both" ? ["embedded", "server"] : [args.mode];
  let failures = 0;
  const report: Record<string, unknown> = { date: new Date().toISOString(), seed: args.seed, filesPerImporter: args.files };
  for (const mode of modes) {
    console.log(`fuzzing the importers (${mode}), ${args.files} files each, seed ${args.seed} …`);
    const started = Date.now();
    const tallies = await fuzzMode(mode, args, root);
    for (const tally of tallies) {
      console.log(`${mode.padEnd(8)} ${tally.importer.padEnd(32)} files ${String(tally.files).padStart(5)}  accepted ${String(tally.accepted).padStart(5)}  rejected ${String(tally.rejected).padStart(5)} (${tally.rejectedWithLine} with a line/row)  failures ${tally.failures.length}`);
      for (const failure of tally.failures.slice(0, 5)) console.error(`    ${failure}`);
      failures += tally.failures.length;
    }
    const total = tallies.reduce((n, tally) => n + tally.files, 0);
    console.log(`${mode}: ${total} files in ${((Date.now() - started) / 1000).toFixed(0)} s, crashes/partial writes/unexplained rejections: ${tallies.reduce((n, tally) => n + tally.failures.length, 0)}`);
    report[mode] = tallies.map(({ failures: list, ...rest }) => ({ ...rest, failures: list.length }));
  }
  if (args.http > 0) {
    console.log(`uploading ${args.http} mutated files per route and one oversized file each to a production server …`);
    const http = await fuzzHttp(args, root);
    for (const tally of http.tallies) {
      console.log(`http     ${tally.route.padEnd(32)} files ${String(tally.files).padStart(5)}  accepted ${String(tally.accepted).padStart(5)}  rejected ${String(tally.rejected).padStart(5)}  oversized refused with a message: ${tally.oversizedRefused ? "yes" : "NO"}  cross-site refused: ${tally.crossSiteRefused ? "yes" : "NO"}  failures ${tally.failures.length}`);
      for (const failure of tally.failures.slice(0, 5)) console.error(`    ${failure}`);
      failures += tally.failures.length;
    }
    console.log(`server after the uploads: ${http.serverAlive ? "same process, answering" : "NOT answering or restarted"}; imported responses stored ${http.importedResponses.stored}, reported by succeeded jobs ${http.importedResponses.reportedByJobs}; new papers stored ${http.importedPapers.stored}, reported by succeeded jobs ${http.importedPapers.reportedByJobs}`);
    if (!http.serverAlive) failures += 1;
    report.http = { ...http, tallies: http.tallies.map(({ failures: list, ...rest }) => ({ ...rest, failures: list.length })) };
  }
  report.loadAverage = os.loadavg();
  fs.mkdirSync(path.join(root, "tmp"), { recursive: true });
  fs.writeFileSync(path.join(root, "tmp", "fuzz-importers.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log(failures === 0 ? "fuzz: PASS (0 crashes)" : `fuzz: FAIL (${failures} problems)`);
  if (failures > 0) process.exitCode = 1;
}

runScript(HELP, main);
