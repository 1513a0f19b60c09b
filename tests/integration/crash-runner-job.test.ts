import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { importRunResults } from "@/lib/db/runs";
import { createRunnerJob, getRunnerJob } from "@/lib/db/runner-jobs";
import { recoverInterruptedJobs } from "@/lib/jobs/manager";
import { jobRequestSchema } from "@/lib/jobs/request";
import { readResultsDirectory } from "@/lib/runner/results-io";
import { freshDatabase, MODES } from "./database-modes";

/**
 * A runner job killed mid-run, together with the server that watched it: its results file ends in a half-written
 * line (the runner was appending a run when SIGKILL came). On restart the job is marked failed, exactly the
 * complete runs are imported (no half run), and the re-run's results merge in without doubling anything.
 */
const FIXTURE = path.join(import.meta.dirname, "../fixtures/runner/lenet1-quick-tiny");
const TINY = { preset: "lenet1-quick", setting: "both", runs: "2", epochs: "1", trainSize: "64", validationSize: "32", testSize: "32", workers: "1" };
const jobsDir = mkdtempSync(path.join(os.tmpdir(), "varstudy-killed-job-"));
afterAll(() => rmSync(jobsDir, { recursive: true, force: true }));

describe.each(MODES)("a runner job killed mid-run (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Actor;
  let studyId: string;
  beforeAll(async () => {
    db = await freshDatabase(mode);
    const user = await db.prisma.user.create({ data: { email: "admin@example.org", name: "Admin", role: "ADMIN", canAdjudicate: true } });
    admin = { id: user.id, role: "ADMIN", canAdjudicate: true };
    studyId = (await db.prisma.study.create({ data: { slug: "runs", name: "Runs study" } })).id;
  });
  afterAll(async () => db?.drop());

  it("is marked failed on restart, imports only its complete runs, and the re-run completes the set", async () => {
    const outDir = path.join(jobsDir, mode);
    cpSync(FIXTURE, outDir, { recursive: true });
    const file = path.join(outDir, "results.jsonl");
    const lines = readFileSync(file, "utf8").trim().split("\n");
    // The last run was being written when the kill came: only its first half reached the file.
    writeFileSync(file, `${lines.slice(0, -1).join("\n")}\n${lines.at(-1)!.slice(0, Math.floor(lines.at(-1)!.length / 2))}`);

    // The job's server process and the job's own process are gone (a real, exited process: its pid is dead).
    const gone = spawn(process.execPath, ["-e", "0"]);
    await new Promise((resolve) => gone.on("exit", resolve));
    const job = await createRunnerJob(db, admin, { request: jobRequestSchema.parse(TINY), outDir, command: "npm run variance -- run …", owner: { host: os.hostname(), pid: gone.pid! }, studyId });
    await db.prisma.runnerJob.update({ where: { id: job.id }, data: { status: "RUNNING", pid: gone.pid! } });

    expect(await recoverInterruptedJobs(db)).toEqual([job.id]);
    const after = await getRunnerJob(db, admin, { jobId: job.id });
    expect(after.status).toBe("FAILED");
    expect(after.message).toMatch(/server stopped while this job ran.*5 finished run\(s\) were imported/);
    const stored = await db.prisma.experimentRun.findMany({ select: { setId: true, runIndex: true } });
    expect(stored).toHaveLength(lines.length - 1);

    // The re-run writes the complete file; importing it adds the missing run and leaves the others as they were.
    writeFileSync(file, `${lines.join("\n")}\n`);
    const rerun = await readResultsDirectory(outDir);
    expect(rerun.errors).toEqual([]);
    const outcome = await importRunResults(db, admin, { studyId, runs: rerun.runs });
    expect(outcome).toMatchObject({ imported: 1, alreadyPresent: lines.length - 1 });
    expect(await db.prisma.experimentRun.count()).toBe(lines.length);
  });
});
