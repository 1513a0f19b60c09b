/**
 * Fuzzes the importers (questionnaire definitions, response CSV, BibTeX, RIS, paper CSV, runner JSON Lines) with
 * valid and mutated files through the lib/db import functions, in each database mode, and (with --http) sends
 * mutated and oversized files to the upload routes, and fuzzed page saves to the JSON answers route, of a running
 * production server. Every file must be accepted whole or rejected with a reason (and a line/row for errors inside
 * the file) and write nothing; no exception may escape, no request may get a 5xx or no answer, and the server must
 * still answer afterwards. See scripts/lib/importer-fuzz.ts, upload-fuzz.ts and answers-fuzz.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { openDatabase, type Database } from "@/lib/db/engine/connection";
import { DEMO_ADMIN_EMAIL } from "@/lib/db/seed/demo";
import { applyMigrations } from "@/lib/db/engine/migrations";
import { databaseTargetFromEnv } from "@/lib/db/engine/target";
import { createRng } from "@/lib/stats/random";
import { AppServer, freshAppDatabase, requireBuild, serverEnv, type Mode } from "./lib/app-server";
import { SignedInClient } from "./lib/app-client";
import { FRESHEN, fuzzImporters, type FuzzTally } from "./lib/importer-fuzz";
import { fuzzUploadRoute, type UploadRoute, type UploadTally } from "./lib/upload-fuzz";
import { checkAnswerWrites, fuzzAnswersRoute, type AnswersTally } from "./lib/answers-fuzz";
import { runScript } from "./lib/run-script";
import { parseCliOptions } from "./lib/cli-options";

const HELP = `Usage: npm run fuzz:importers -- [options]

Generated and mutated files through every importer; each must be accepted whole or rejected with a line and a
reason, with nothing written on rejection and no crash.

Options:
  --files N      files per importer and database mode (default 200; 0 = only the --http part)
  --seed S       seed of the mutations (default 1)
  --mode M       embedded, server or both (default both; server needs PostgreSQL at $TEST_DATABASE_URL or
                 postgres://postgres@127.0.0.1:5432/test)
  --http N       also send N fuzzed files to each of four routes of a production server on a fresh embedded
                 database, all four at once: literature import, results upload, response import (admin session)
                 and the JSON answers route (a fresh participant per file); then a cross-site post and an
                 oversized body to each (needs a build: --dist; default 0 = skip)
  --http-minutes M  stop sending new --http files after M minutes (the report gives the count sent)
  --dist DIR     Next.js build directory for --http (default $NEXT_DIST_DIR or .next)
  --port N       port for the --http server (default 3410)
  --importers L  only the importers whose names contain one of these comma-separated words (e.g. "response,RIS")
  --help         this text`;

const argsSchema = z.object({
  files: z.coerce.number().int().min(0).max(100_000).default(200),
  seed: z.coerce.number().int().min(0).default(1),
  mode: z.enum(["embedded", "server", "both"]).default("both"),
  http: z.coerce.number().int().min(0).max(10_000).default(0),
  dist: z.string().min(1).default(process.env.NEXT_DIST_DIR || ".next"),
  port: z.coerce.number().int().min(1024).max(65535).default(3410),
  importers: z.string().optional(),
  httpMinutes: z.coerce.number().positive().max(24 * 60).optional(),
});

const parseArgs = (argv: string[]) => parseCliOptions(argv, argsSchema, { valued: ["files", "seed", "mode", "http", "http-minutes", "dist", "port", "importers"] });

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

type HttpOutcome = { tallies: Array<UploadTally | AnswersTally>; serverAlive: boolean; serverErrors: number; writes: Record<string, { stored: number; reported: number }>; seconds: number };

/**
 * Mutated and oversized uploads to the running server's import routes (admin session) and fuzzed page saves to the
 * anonymous JSON answers route, all four at once; answers must be JSON with a reason, never 5xx or no answer.
 * Afterwards the database must hold exactly what the accepted requests reported writing.
 */
async function fuzzHttp(args: z.infer<typeof argsSchema>, root: string): Promise<HttpOutcome> {
  requireBuild(root, args.dist);
  const workDir = path.join(root, "tmp", `fuzz-http-${args.port}`);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...serverEnv(args.port, args.dist), VARSTUDY_IMPORTS_DIR: path.join(workDir, "imports") };
  const database = await freshAppDatabase("embedded", "fuzz", workDir, env);
  // The ids the routes need and the rows already there, read before the server takes the embedded directory.
  const counts = async (target: Database, studyId: string, questionnaireId: string) => ({
    papers: await target.prisma.paper.count({ where: { studyId } }),
    runs: await target.prisma.experimentRun.count(),
    responses: await target.prisma.response.count({ where: { questionnaireId, source: "IMPORT" } }),
  });
  const db = await openDatabase(databaseTargetFromEnv(database.env));
  const studyId = (await db.prisma.study.findFirstOrThrow({ select: { id: true } })).id;
  const questionnaireId = (await db.prisma.questionnaire.findFirstOrThrow({ where: { slug: "pham2020" }, select: { id: true } })).id;
  const before = await counts(db, studyId, questionnaireId);
  await db.close();
  const server = AppServer.start(args.port, database.env);
  const read = (relative: string) => fs.readFileSync(path.join(root, relative), "utf8");
  const literature: UploadRoute = {
    route: "/api/literature/import",
    label: "/api/literature/import",
    seeds: [read("tests/fixtures/papers/dblp-icse-neurips.bib"), read("tests/fixtures/papers/zotero-export.ris"), read("tests/fixtures/papers/messy-papers.csv")],
    freshen: FRESHEN.paperTitles,
    fields: () => ({ studyId, format: "auto" }),
    oversizeMb: 21,
    rowsWritten: (json) => (json.report as { counts?: { new?: number } } | undefined)?.counts?.new ?? 0,
    // When paper imports become jobs (202 + job), the job is followed here and its report counted.
    jobPath: (jobId) => `/api/literature/import/jobs/${jobId}?studyId=${studyId}`,
  };
  const results: UploadRoute = {
    route: "/api/experiments/import",
    label: "/api/experiments/import",
    seeds: [read("tests/fixtures/runner/lenet1-quick-tiny/results.jsonl")],
    freshen: FRESHEN.runnerSets,
    fields: () => ({}),
    oversizeMb: 65,
    rowsWritten: (json) => (typeof json.imported === "number" ? json.imported : 0),
  };
  const responses: UploadRoute = {
    route: `/api/questionnaires/${questionnaireId}/import`,
    label: "/api/questionnaires/<id>/import",
    seeds: [read("tests/fixtures/survey/qualtrics-pham2020-numeric.csv"), read("tests/fixtures/survey/qualtrics-pham2020-choice-text.csv")],
    freshen: FRESHEN.responseIds,
    // One in four a preview (the dry run in a child process), the rest imports (a job).
    fields: (index) => ({ mode: index % 4 === 3 ? "preview" : "import" }),
    dryRun: (index) => index % 4 === 3,
    oversizeMb: 51,
    rowsWritten: () => 0,
    jobPath: (jobId) => `/api/questionnaires/${questionnaireId}/import/jobs/${jobId}`,
  };
  const started = Date.now();
  const deadline = args.httpMinutes ? started + args.httpMinutes * 60_000 : Number.POSITIVE_INFINITY;
  try {
    await server.waitReady("/s/pham2020", 180_000);
    const pidBefore = server.serverPid();
    const admin = await SignedInClient.signIn(server.base, DEMO_ADMIN_EMAIL, env.VARSTUDY_DEMO_ADMIN_PASSWORD!);
    let last = Date.now();
    const progress = (route: string) => (index: number) => {
      if (Date.now() - last < 60_000) return;
      last = Date.now();
      console.log(`  http: ${route} file ${index + 1}/${args.http} (${((Date.now() - started) / 60_000).toFixed(1)} min)`);
    };
    const upload = (route: UploadRoute, k: number) => fuzzUploadRoute(admin, route, { files: args.http, seed: args.seed, rng: createRng(args.seed * 10 + k), deadline, onFile: progress(route.label) });
    const [literatureTally, resultsTally, responsesTally, answers] = await Promise.all([
      upload(literature, 0),
      upload(results, 1),
      upload(responses, 2),
      fuzzAnswersRoute(server.base, { files: args.http, rng: createRng(args.seed * 10 + 3), deadline, onFile: progress("/s/pham2020/answers") }),
    ]);
    const seconds = (Date.now() - started) / 1000;
    const health = await fetch(`${server.base}/s/pham2020`).catch(() => null);
    const serverAlive = health?.status === 200 && server.serverPid() === pidBefore && !server.exited;
    await server.stop("SIGTERM");
    // Unexpected errors the server logged (each 500 logs one with a reference): there must be none.
    const serverErrors = server.errorCount();
    // No partial writes: the database holds exactly what the accepted requests reported writing.
    const after = await openDatabase(databaseTargetFromEnv(database.env));
    const now = await counts(after, studyId, questionnaireId);
    const answerProblems = await checkAnswerWrites(after.sql, answers.records);
    await after.close();
    const writes = {
      papers: { stored: now.papers - before.papers, reported: literatureTally.rowsReported },
      runs: { stored: now.runs - before.runs, reported: resultsTally.rowsReported },
      "imported responses": { stored: now.responses - before.responses, reported: responsesTally.rowsReported },
      "participants whose stored answers match their reply": { stored: answers.records.length - answerProblems.length, reported: answers.records.length },
    };
    for (const [tally, what] of [[literatureTally, "papers"], [resultsTally, "runs"], [responsesTally, "imported responses"]] as const) {
      if (writes[what].stored !== writes[what].reported) tally.failures.push(`${writes[what].stored} ${what} stored, but the accepted uploads reported ${writes[what].reported}`);
    }
    answers.tally.failures.push(...answerProblems);
    return { tallies: [literatureTally, resultsTally, responsesTally, answers.tally], serverAlive, serverErrors, writes, seconds };
  } finally {
    await server.stop("SIGTERM");
    await database.cleanup();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

async function main(argv: string[]) {
  const args = parseArgs(argv);
  const root = process.cwd();
  const modes: Mode[] = args.files === 0 ? [] : args.mode === "both" ? ["embedded", "server"] : [args.mode];
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
    console.log(`sending ${args.http} fuzzed files to each of 4 routes of a production server${args.httpMinutes ? ` (for at most ${args.httpMinutes} min)` : ""} …`);
    const http = await fuzzHttp(args, root);
    for (const tally of http.tallies) {
      console.log(`http     ${tally.route.padEnd(32)} files ${String(tally.files).padStart(5)}  accepted ${String(tally.accepted).padStart(5)}  rejected ${String(tally.rejected).padStart(5)}  oversized refused with a message: ${tally.oversizedRefused ? "yes" : "NO"}  cross-site refused: ${tally.crossSiteRefused ? "yes" : "NO"}  failures ${tally.failures.length}`);
      for (const failure of tally.failures.slice(0, 5)) console.error(`    ${failure}`);
      failures += tally.failures.length;
    }
    const sent = http.tallies.reduce((n, tally) => n + tally.files, 0);
    console.log(`http: ${sent} files in ${http.seconds.toFixed(0)} s; server after the run: ${http.serverAlive ? "same process, answering" : "NOT answering or restarted"}, unexpected errors logged: ${http.serverErrors}`);
    console.log(`http writes (stored / reported by the accepted requests): ${Object.entries(http.writes).map(([what, { stored, reported }]) => `${what} ${stored} / ${reported}`).join(", ")}`);
    if (!http.serverAlive) failures += 1;
    failures += http.serverErrors;
    report.http = { ...http, tallies: http.tallies.map(({ failures: list, ...rest }) => ({ ...rest, failures: list.length })) };
  }
  report.loadAverage = os.loadavg();
  fs.mkdirSync(path.join(root, "tmp"), { recursive: true });
  fs.writeFileSync(path.join(root, "tmp", "fuzz-importers.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log(failures === 0 ? "fuzz: PASS (0 crashes)" : `fuzz: FAIL (${failures} problems)`);
  if (failures > 0) process.exitCode = 1;
}

runScript(HELP, main);
