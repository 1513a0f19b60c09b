/**
 * Load benchmark of the participant flow: many simulated participants answer the reference questionnaire page
 * by page against the production server on a fresh embedded database, then every acknowledged answer is checked
 * in the database (stored exactly once, with the value that was sent).
 *
 * Steps: (1) needs an existing production build (`NEXT_DIST_DIR=.next-survey npx next build`; this script never
 * builds); (2) migrates and seeds a fresh PGlite directory under tmp/ (the seed publishes pham2020); (3) starts
 * `next start` on it; (4) runs the participants over HTTP through the JSON endpoint /s/<slug>/answers, which calls
 * the same lib/db functions as the pages' server actions (driving server actions directly needs the build's
 * action ids and React's wire format; the endpoint measures the same database work without that); (5) stops the
 * server and opens the directory itself to verify.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { runScript } from "./lib/run-script";
import { parseCliOptions } from "./lib/cli-options";
import { AppServer, freshAppDatabase, processGroupCpuSeconds, requireBuild, serverEnv } from "./lib/app-server";
import { openDatabase } from "@/lib/db/engine/connection";
import { createRng } from "@/lib/stats/random";
import { expectedAnswers, percentile, planParticipant, storedValue, SurveyClient as Client, type PagePlan } from "./lib/survey-load";

const HELP = `Usage: npm run bench:survey -- [options]

Simulates participants answering the reference questionnaire (pham2020) against the production server on a
fresh embedded database and verifies that every acknowledged answer is stored exactly once.

Options:
  --participants N   participants in total (default 1200)
  --concurrency N    participants answering at the same time (default 240)
  --port N           port for the server (default 3210)
  --dist DIR         Next.js build directory (default $NEXT_DIST_DIR or .next-survey); build it first:
                     NEXT_DIST_DIR=.next-survey npx next build
  --seed N           seed for the simulated answers (default 1)
  --think-ms N       mean think time before each page, exponentially distributed (default 1500, as people read
                     and answer; 0 sends the next request as soon as the last is answered, which measures capacity:
                     latency is then queueing behind the other participants in flight, not what one of them waits)

  --warmup N         participants answered before timing starts, so the database engine's WebAssembly is
                     compiled at its optimising tier and caches are warm (default 50; not counted or verified)
  --record           append the results to docs/benchmarks.md (section "## Survey")
  --help             this text

The defaults are the run that checks the target (at least 300 answer saves/s with p95 under 100 ms, nothing
lost or duplicated); the last line says whether it was met.`;

const argsSchema = z.object({
  participants: z.coerce.number().int().min(1).max(100_000).default(1200),
  concurrency: z.coerce.number().int().min(1).max(2000).default(240),
  port: z.coerce.number().int().min(1024).max(65535).default(3210),
  dist: z.string().min(1).default(process.env.NEXT_DIST_DIR || ".next-survey"),
  seed: z.coerce.number().int().min(0).default(1),
  thinkMs: z.coerce.number().min(0).max(600_000).default(1500),
  warmup: z.coerce.number().int().min(0).max(10_000).default(50),
  record: z.boolean().default(false),
});

const parseArgs = (argv: string[]) => parseCliOptions(argv, argsSchema, { valued: ["participants", "concurrency", "port", "dist", "seed", "think-ms", "warmup"], flags: ["record"] });

async function main(argv: string[]) {
  const args = parseArgs(argv);
  const root = process.cwd();
  requireBuild(root, args.dist);
  const workDir = path.join(root, "tmp", `bench-survey-${args.port}`);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  console.log(`preparing a fresh embedded database in ${path.relative(root, workDir)} …`);
  const { env } = await freshAppDatabase("embedded", "bench", workDir, serverEnv(args.port, args.dist));
  const server = AppServer.start(args.port, env);
  const base = server.base;
  let report: string[] = [];
  try {
    await server.waitReady("/s/pham2020", 120_000);
    const rng = createRng(args.seed);
    const thinkRng = createRng(args.seed + 1);
    const think = () => (args.thinkMs > 0 ? new Promise((resolve) => setTimeout(resolve, -args.thinkMs * Math.log(1 - thinkRng()))) : undefined);
    const latencies: number[] = [];
    let acknowledged = 0;
    let failures = 0;
    const completed = new Set<number>();
    /** Runs the plans `concurrency` at a time; only measured runs count latencies, answers and completions. */
    const runParticipants = async (plans: PagePlan[][], measured: boolean) => {
      let nextIndex = 0;
      const worker = async () => {
        while (nextIndex < plans.length) {
          const index = nextIndex++;
          const client = new Client(base);
          await think();
          const start = await client.post({ op: "start" });
          if (start.status !== 200) {
            failures += 1;
            continue;
          }
          let done = false;
          for (const page of plans[index]!) {
            await think();
            const result = await client.post({ op: "page", sectionId: page.sectionId, fields: page.fields });
            if (result.status !== 200 || result.json.ok !== true) {
              failures += 1;
              console.error(`participant ${index}, page ${page.sectionId}: ${result.status} ${JSON.stringify(result.json).slice(0, 200)}`);
              break;
            }
            if (!measured) continue;
            latencies.push(result.ms);
            acknowledged += Number(result.json.saved);
            done = result.json.status === "completed";
          }
          if (done) completed.add(index);
        }
      };
      await Promise.all(Array.from({ length: args.concurrency }, worker));
    };

    // Warm-up participants get negative numbers, so the verification below does not take them for measured ones.
    const warmRng = createRng(999_999);
    await runParticipants(Array.from({ length: Math.max(1, args.warmup) }, (_, i) => planParticipant(warmRng, -1 - i)), false);
    const plans = Array.from({ length: args.participants }, (_, i) => planParticipant(rng, i));
    console.log(`${args.participants} participants, ${args.concurrency} at a time${args.thinkMs > 0 ? `, mean think time ${args.thinkMs} ms` : ""}, against ${base} …`);
    const started = performance.now();
    const cpuAtStart = processGroupCpuSeconds(server.pgid);
    await runParticipants(plans, true);
    const seconds = (performance.now() - started) / 1000;
    const serverCpu = processGroupCpuSeconds(server.pgid) - cpuAtStart;
    await server.stop();

    // Verification: open the directory the server owned (it has stopped) and compare every answer.
    const db = await openDatabase({ kind: "embedded", dataDir: env.VARSTUDY_DATA_DIR! });
    let lost = 0;
    let wrong = 0;
    let duplicated = 0;
    try {
      const rows = await db.sql.query<{ responseId: string; questionId: string; choiceIds: string[] | null; numberValue: number | null; textValue: string | null }>(
        `SELECT "responseId", "questionId", "choiceIds", "numberValue", "textValue" FROM "Answer" a JOIN "Response" r ON r.id = a."responseId" WHERE r.status = 'COMPLETED'`,
      );
      const byResponse = new Map<string, typeof rows>();
      for (const row of rows) byResponse.set(row.responseId, [...(byResponse.get(row.responseId) ?? []), row]);
      const participantOf = new Map<number, typeof rows>();
      for (const answers of byResponse.values()) {
        const comment = answers.find((a) => a.questionId === "comments")?.textValue ?? "";
        const match = /^bench participant (\d+)$/.exec(comment);
        if (match) participantOf.set(Number(match[1]), answers);
      }
      for (const index of completed) {
        const stored = participantOf.get(index) ?? [];
        const expected = expectedAnswers(plans[index]!);
        const seen = new Map<string, number>();
        for (const answer of stored) seen.set(answer.questionId, (seen.get(answer.questionId) ?? 0) + 1);
        for (const [questionId, count] of seen) if (count > 1 || !expected.has(questionId)) duplicated += count > 1 ? count - 1 : 1;
        for (const [questionId, value] of expected) {
          const answer = stored.find((a) => a.questionId === questionId);
          if (!answer) {
            lost += 1;
            continue;
          }
          if (storedValue(value, answer) !== value) wrong += 1;
        }
      }
      const responses = await db.sql.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "Response" WHERE status = 'COMPLETED'`);
      const expectedAnswerCount = [...completed].reduce((n, index) => n + expectedAnswers(plans[index]!).size, 0);
      latencies.sort((a, b) => a - b);
      const load = os.loadavg().map((l) => l.toFixed(1)).join(" / ");
      report = [
        `participants: ${args.participants} (${args.concurrency} concurrent, mean think time ${args.thinkMs} ms, after ${args.warmup} warm-up participants), completed ${completed.size}, failed requests ${failures}`,
        `page saves: ${latencies.length} in ${seconds.toFixed(1)} s = ${(latencies.length / seconds).toFixed(1)} pages/s`,
        `answer saves acknowledged: ${acknowledged} = ${(acknowledged / seconds).toFixed(0)} answer saves/s`,
        `server CPU: ${serverCpu.toFixed(1)} s for ${latencies.length} page saves and ${args.participants} starts = ${(acknowledged / serverCpu).toFixed(0)} answer saves per server CPU-second (${((1000 * serverCpu) / latencies.length).toFixed(1)} ms per page save incl. its share of starts)`,
        `page-save latency ms: p50 ${percentile(latencies, 50).toFixed(1)}, p95 ${percentile(latencies, 95).toFixed(1)}, p99 ${percentile(latencies, 99).toFixed(1)}, max ${latencies[latencies.length - 1]?.toFixed(1)}`,
        `verification: ${expectedAnswerCount} answers expected in ${completed.size} completed responses (${responses[0]?.n ?? 0} completed in the database incl. warm-up); lost ${lost}, wrong value ${wrong}, duplicated or unexpected ${duplicated}`,
        `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load average ${load} (1/5/15 min), Node ${process.version}`,
        targetVerdict({ answerSavesPerSecond: acknowledged / seconds, p95: percentile(latencies, 95), faults: lost + wrong + duplicated + failures, thinkMs: args.thinkMs }),
      ];
    } finally {
      await db.close();
    }
    for (const line of report) console.log(line);
    if (lost + wrong + duplicated > 0 || failures > 0) process.exitCode = 1;
    if (args.record) {
      const file = path.join(root, "docs", "benchmarks.md");
      const existing = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
      const entry = [`### ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC — bench:survey (embedded PGlite, production server)`, "", ...report.map((line) => `- ${line}`), ""].join("\n");
      // New entries go right after the marker under "## Survey" (newest first); other sections are not touched.
      const marker = "<!-- bench:survey results, newest first -->";
      const next = existing.includes(marker)
        ? existing.replace(marker, `${marker}\n\n${entry}`)
        : `${existing.trimEnd()}\n\n## Survey\n\n${marker}\n\n${entry}`;
      fs.writeFileSync(file, next);
      console.log(`recorded in ${path.relative(root, file)}`);
    }
  } finally {
    await server.stop();
    if (server.errors().trim()) console.error(`server stderr (last lines):\n${server.errors().trim().split("\n").slice(-10).join("\n")}`);
  }
}

/** Whether a run met issue 4's target; a capacity run (no think time) measures queueing, not the target. */
function targetVerdict(run: { answerSavesPerSecond: number; p95: number; faults: number; thinkMs: number }): string {
  const target = "target (≥ 300 answer saves/s, p95 < 100 ms, none lost, wrong or duplicated)";
  if (run.thinkMs === 0) return `${target}: not judged — a capacity run's latency is queueing; run with --think-ms`;
  const misses = [
    run.answerSavesPerSecond < 300 ? `${run.answerSavesPerSecond.toFixed(0)} answer saves/s` : null,
    run.p95 >= 100 ? `p95 ${run.p95.toFixed(1)} ms` : null,
    run.faults > 0 ? `${run.faults} lost, wrong, duplicated or failed` : null,
  ].filter((miss) => miss !== null);
  return `${target}: ${misses.length === 0 ? "met" : `not met (${misses.join(", ")})`}`;
}

runScript(HELP, main);
