import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { createRunnerJob, getRunnerJob } from "@/lib/db/runner-jobs";
import { cancelRunnerJob, jobSettled, recoverInterruptedJobs, startRunnerJob } from "@/lib/jobs/manager";
import { implementationListError, jobRequestSchema, runnerArguments } from "@/lib/jobs/request";
import { parseImplementations } from "@/lib/runner/implementation";
import { adminAnnotatorAndStudy } from "./accounts";
import { freshDatabase, MODES } from "./database-modes";

process.env.VARSTUDY_BCRYPT_COST = "4";
const jobsDir = mkdtempSync(path.join(os.tmpdir(), "varstudy-jobs-"));
process.env.VARSTUDY_JOBS_DIR = jobsDir;
afterAll(() => rmSync(jobsDir, { recursive: true, force: true }));

const TINY = { preset: "lenet1-quick", setting: "both", runs: "2", epochs: "1", trainSize: "64", validationSize: "32", testSize: "32", workers: "1" };

describe("the app's preset choice", () => {
  it("refuses a full study preset unless explicitly allowed, and bad numbers with clear messages", () => {
    const refused = jobRequestSchema.safeParse({ ...TINY, preset: "resnet56" });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]!.message).toMatch(/full study preset.*Allow full study presets/);
    expect(jobRequestSchema.safeParse({ ...TINY, preset: "resnet56", allowStudyPresets: "on" }).success).toBe(true);
    const bad = jobRequestSchema.safeParse({ ...TINY, runs: "1", epochs: "x" });
    expect(bad.error!.issues.map((issue) => issue.message)).toEqual(expect.arrayContaining(["At least 2 runs: a spread needs two", "Epochs must be a whole number"]));
  });
});

describe("a cross-implementation job request", () => {
  it("accepts and refuses the same implementation lists as the runner's parser", () => {
    const lists = [
      "wasm,cpu",
      "wasm, tensorflow:threads=1:onednn=off",
      "wasm,tensorflow:threads=1:onednn=off,tensorflow:threads=2:onednn=on,tensorflow:threads=2:onednn=off",
      "tensorflow,tensorflow:threads=1:onednn=on",
      "tensorflow:onednn=off,tensorflow:onednn=on",
      "wasm,wasm",
      "wasm",
      "",
      "wasm,gpu",
      "wasm,cpu:threads=2",
      "wasm,cpu:threads=1",
      "wasm,cpu:onednn=on",
      "wasm,tensorflow:threads=0",
      "wasm,tensorflow:fast",
      "wasm,tensorflow:threads=x",
    ];
    for (const list of lists) {
      const app = implementationListError(list);
      const runner = parseImplementations(list);
      expect({ list, accepted: app === null }).toEqual({ list, accepted: runner.ok });
    }
  });

  it("becomes the runner's --implementations and --repeats, with repeats × implementations runs", () => {
    const request = jobRequestSchema.parse({ ...TINY, setting: "cross-implementation", implementations: " wasm , tensorflow:threads=1:onednn=off ", repeats: "3" });
    expect(request.runs).toBe(6);
    expect(runnerArguments(request, "out")).toEqual(
      expect.arrayContaining(["--setting", "cross-implementation", "--implementations", "wasm,tensorflow:threads=1:onednn=off", "--repeats", "3"]),
    );
    expect(runnerArguments(request, "out")).not.toContain("--runs");
    // The other settings are unchanged: no implementations on their command line.
    expect(runnerArguments(jobRequestSchema.parse({ ...TINY, implementations: "wasm,cpu" }), "out")).not.toContain("--implementations");
  });

  it("needs a list of at least two implementations, with a message on the field", () => {
    const missing = jobRequestSchema.safeParse({ ...TINY, setting: "cross-implementation" });
    expect(missing.error!.issues).toEqual([expect.objectContaining({ path: ["implementations"], message: expect.stringMatching(/List the implementations/) })]);
    const twice = jobRequestSchema.safeParse({ ...TINY, setting: "cross-implementation", implementations: "tensorflow,tensorflow:threads=1:onednn=on" });
    expect(twice.error!.issues[0]!.message).toMatch(/listed twice/);
  });
});

describe.each(MODES)("background runner jobs (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let studyId: string;
  let admin: Actor;
  let annotator: Actor;

  beforeAll(async () => {
    db = await freshDatabase(mode);
    ({ admin, annotator, studyId } = await adminAnnotatorAndStudy(db, { slug: "jobs", name: "Jobs study" }));
  });
  afterAll(async () => db.drop());

  it("refuse an annotator", async () => {
    await expect(startRunnerJob(db, annotator, jobRequestSchema.parse(TINY))).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.prisma.runnerJob.count()).toBe(0);
  });

  it("run a tiny preset in a separate process, record its progress and import its results when it ends", async () => {
    const started = await startRunnerJob(db, admin, jobRequestSchema.parse(TINY));
    expect(started.status).toBe("RUNNING");
    expect(started.pid).not.toBe(process.pid);
    expect(started.command).toContain("npm run variance -- run --preset lenet1-quick --setting both --runs 2");
    await jobSettled(started.id);
    const job = await getRunnerJob(db, admin, { jobId: started.id });
    expect(job.message).toMatch(/^Finished\. 4 run\(s\) imported into 2 set\(s\)/);
    expect(job.status).toBe("SUCCEEDED");
    expect(job.progress?.snapshot.done).toBe(4);
    expect(job.importedSets).toHaveLength(2);
    expect(await db.prisma.experimentRun.count({ where: { setId: { in: job.importedSets } } })).toBe(4);
  }, 120_000);

  it("run a cross-implementation set (wasm and cpu, one repeat each) as a job: one set whose runs name their implementation", async () => {
    const request = jobRequestSchema.parse({ ...TINY, setting: "cross-implementation", implementations: "wasm,cpu", repeats: "1", trainSize: "32", validationSize: "16", testSize: "16" });
    const started = await startRunnerJob(db, admin, request);
    expect(started.command).toContain("--setting cross-implementation --implementations wasm,cpu --repeats 1");
    await jobSettled(started.id);
    const job = await getRunnerJob(db, admin, { jobId: started.id });
    expect(job.status).toBe("SUCCEEDED");
    expect(job.importedSets).toHaveLength(1);
    expect(job.importedSets[0]).toMatch(/^lenet1-quick\/cross-implementation\//);
    const runs = await db.prisma.experimentRun.findMany({ where: { setId: job.importedSets[0] } });
    expect(runs.map((run) => (run.result as { environment: { backend: string } }).environment.backend).sort()).toEqual(["cpu", "wasm"]);
  }, 180_000);

  it("cancel a running job: its process stops, finished runs are imported, status CANCELLED", async () => {
    const started = await startRunnerJob(db, admin, jobRequestSchema.parse({ ...TINY, setting: "default", runs: "40", epochs: "2", trainSize: "256" }));
    // Wait until the job reports progress (it is training), then cancel.
    for (let i = 0; i < 120; i++) {
      const job = await getRunnerJob(db, admin, { jobId: started.id });
      if ((job.progress?.snapshot.done ?? 0) >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await cancelRunnerJob(db, admin, { jobId: started.id });
    await expect(cancelRunnerJob(db, annotator, { jobId: started.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await jobSettled(started.id);
    const job = await getRunnerJob(db, admin, { jobId: started.id });
    expect(job.status).toBe("CANCELLED");
    const imported = await db.prisma.experimentRun.count({ where: { setId: { in: job.importedSets } } });
    expect(imported).toBeGreaterThanOrEqual(1);
    expect(imported).toBeLessThan(40);
    await expect(cancelRunnerJob(db, admin, { jobId: started.id })).rejects.toThrow(/already ended/);
  }, 180_000);

  it("mark failed a job whose server process stopped, importing the runs it finished", async () => {
    // A server process that has exited: its pid is dead.
    const gone = spawn(process.execPath, ["-e", "0"]);
    await new Promise((resolve) => gone.on("exit", resolve));
    const outDir = path.join(jobsDir, "orphan");
    cpSync(path.join(import.meta.dirname, "../fixtures/runner/lenet1-quick-tiny"), outDir, { recursive: true });
    const job = await createRunnerJob(db, admin, {
      request: jobRequestSchema.parse(TINY),
      outDir,
      command: "npm run variance -- run …",
      owner: { host: os.hostname(), pid: gone.pid! },
      studyId,
    });
    await db.prisma.runnerJob.update({ where: { id: job.id }, data: { status: "RUNNING", pid: gone.pid! } });
    // A job watched by a live server process (this one stands in for another instance) is left alone.
    const watched = await createRunnerJob(db, admin, { request: jobRequestSchema.parse(TINY), outDir, command: "x", owner: { host: os.hostname(), pid: process.ppid }, studyId });
    expect(await recoverInterruptedJobs(db)).toEqual([job.id]);
    const after = await getRunnerJob(db, admin, { jobId: job.id });
    expect(after.status).toBe("FAILED");
    expect(after.message).toMatch(/server stopped while this job ran.*6 finished run\(s\) were imported/);
    expect((await getRunnerJob(db, admin, { jobId: watched.id })).status).toBe("QUEUED");
  });
});
