/**
 * What a large paper import costs everyone else in the server process (issue 23 item 3, literature). The same
 * generated BibTeX file is imported twice into a fresh database of the chosen mode, in this process, as the app's
 * server would: once the old way (importPapers: parse and write within the caller, as the upload request did) and
 * once as the job (startPaperImportJob: a child process checks, the server writes in batches). Meanwhile a probe
 * measures what a participant's request would see: the event loop's longest stall (a 20 ms timer's lateness) and
 * the latency of a small query every 100 ms.
 *
 * Fresh database per run (embedded: PGlite in tmp/; server: varstudy_paperbench_<pid> on the local PostgreSQL,
 * dropped afterwards), seeded with the demo so the import goes into the demo study.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { openDatabase, type Database } from "@/lib/db/engine/connection";
import { databaseTargetFromEnv } from "@/lib/db/engine/target";
import { importPapers } from "@/lib/db/papers";
import { DEMO_ADMIN_EMAIL } from "@/lib/db/seed/demo";
import { dataJobSettled } from "@/lib/jobs/data-job-runs";
import { startPaperImportJob } from "@/lib/jobs/paper-import-job";
import { getLiteratureJob } from "@/lib/db/data-jobs";
import type { Actor } from "@/lib/auth/permissions";
import { freshAppDatabase } from "./lib/app-server";
import { parseCliOptions } from "./lib/cli-options";
import { runScript } from "./lib/run-script";
import { percentile } from "./lib/survey-load";

const HELP = `Usage: npm run bench:paper-import -- --mode embedded|server [--entries N]

Imports a generated BibTeX file of N entries (default 20000, about 6 MB) the old way (within the caller) and as a
background job, and reports for each: how long it took, the event loop's longest stall and the latency (p95, max)
of a small query issued every 100 ms meanwhile.

Options:
  --mode M       embedded (PGlite in tmp/) or server (fresh database on the local PostgreSQL)
  --entries N    BibTeX entries in the file (default 20000; 20 MB is about 65,000)
  --help         this text`;

const argsSchema = z.object({
  mode: z.enum(["embedded", "server"], { message: "--mode must be embedded or server" }),
  entries: z.coerce.number().int().min(100).max(100_000).default(20_000),
});

function bibtex(count: number, tag: string): Uint8Array {
  const lines: string[] = [];
  for (let index = 0; index < count; index += 1) {
    lines.push(
      `@inproceedings{${tag}${index},\n  author = {Ada Lovelace and Charles Babbage and Grace Hopper},\n  title = {On the variance of training run ${tag} ${index} under fixed seeds},\n  booktitle = {Proceedings of the International Conference on Software Engineering, {ICSE}},\n  pages = {${index}--${index + 10}},\n  year = {2019},\n  doi = {10.5555/${tag}.${index}}\n}\n`,
    );
  }
  return new TextEncoder().encode(lines.join("\n"));
}

type Probe = { stop(): { longestStallMs: number; queryP95Ms: number; queryMaxMs: number; queries: number } };

/** Measures, until stopped, how late a 20 ms timer fires and how long a small query takes every 100 ms. */
function startProbe(db: Database, studyId: string): Probe {
  let longestStall = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longestStall = Math.max(longestStall, now - last - 20);
    last = now;
  }, 20);
  const latencies: number[] = [];
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const started = performance.now();
      await db.prisma.study.findUnique({ where: { id: studyId }, select: { name: true } });
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      // A loop blocked until now never ran the timer again: count that stall too.
      longestStall = Math.max(longestStall, performance.now() - last - 20);
      const sorted = [...latencies].sort((a, b) => a - b);
      return { longestStallMs: Math.round(longestStall), queryP95Ms: Math.round(percentile(sorted, 0.95)), queryMaxMs: Math.round(sorted.at(-1) ?? 0), queries: sorted.length };
    },
  };
}

async function measure(label: string, db: Database, studyId: string, work: () => Promise<string>) {
  const probe = startProbe(db, studyId);
  const started = performance.now();
  const outcome = await work();
  const seconds = (performance.now() - started) / 1000;
  const seen = probe.stop();
  console.log(`${label.padEnd(22)} ${seconds.toFixed(1).padStart(6)} s  event loop longest stall ${String(seen.longestStallMs).padStart(6)} ms  query p95 ${String(seen.queryP95Ms).padStart(5)} ms, max ${String(seen.queryMaxMs).padStart(6)} ms (${seen.queries} queries)  ${outcome}`);
}

async function main(argv: string[]) {
  const args = parseCliOptions(argv, argsSchema, { valued: ["mode", "entries"], flags: [] });
  const root = process.cwd();
  const workDir = path.join(root, "tmp", `bench-paper-import-${process.pid}`);
  fs.mkdirSync(workDir, { recursive: true });
  process.env.VARSTUDY_IMPORTS_DIR = path.join(workDir, "imports");
  const database = await freshAppDatabase(args.mode, "paperbench", workDir, { ...process.env });
  const db = await openDatabase(databaseTargetFromEnv(database.env));
  try {
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN_EMAIL } });
    const admin: Actor = { id: user.id, role: "ADMIN", canAdjudicate: true };
    const studyId = (await db.prisma.study.findFirstOrThrow({ select: { id: true } })).id;
    console.log(`${new Date().toISOString()} ${os.hostname()} ${os.cpus().length} CPUs, load ${os.loadavg().map((load) => load.toFixed(1)).join(" ")}; ${args.mode}, ${args.entries} entries`);
    await measure("idle (5 s)", db, studyId, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      return "";
    });
    await measure("within the caller", db, studyId, async () => {
      const outcome = await importPapers(db, admin, { studyId, fileName: "old.bib", bytes: bibtex(args.entries, "old") });
      return outcome.ok ? `${outcome.report.counts.new} new papers` : outcome.errors.join("; ");
    });
    await measure("as a job", db, studyId, async () => {
      const job = await startPaperImportJob(db, admin, { studyId, fileName: "job.bib", bytes: bibtex(args.entries, "job") });
      await dataJobSettled(job.id);
      const ended = await getLiteratureJob(db, admin, { studyId, jobId: job.id });
      return `${ended.status}: ${ended.message}`;
    });
  } finally {
    await db.close();
    await database.cleanup();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

runScript(HELP, main);
