/**
 * Issue 23, item 3, for the literature: a paper import runs as a job off the request path. The upload answers 202
 * with the job; the job ends SUCCEEDED exactly when its papers are committed (with the report of what went in),
 * FAILED with the file's located problems and nothing written for a bad file or a failure half-way, and a job whose
 * server stopped is recovered as INTERRUPTED with its papers removed. Jobs belong to their study. Reading a job
 * never writes: a job whose server is gone reads as interrupted and its row stays as it was (both progress routes).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "./security/session-boundary";

import { MODES, freshDatabase } from "./database-modes";
import { makeAdmin, publishPham } from "./survey-helpers";
import { routeRequest, setRequest } from "./security/request-context";
import { POST as uploadPapers } from "@/app/api/literature/import/route";
import { GET as readPaperJob } from "@/app/api/literature/import/jobs/[jobId]/route";
import { GET as readResponseJob } from "@/app/api/questionnaires/[id]/import/jobs/[jobId]/route";
import { getLiteratureJob, listLiteratureJobs, type DataJobView } from "@/lib/db/data-jobs";
import { beginPaperImport, insertImportedPapers } from "@/lib/db/papers";
import { dataJobSettled } from "@/lib/jobs/data-job-runs";
import { recoverInterruptedDataJobs } from "@/lib/jobs/data-job-recovery";
import { paperImportTestHooks, startPaperImportJob } from "@/lib/jobs/paper-import-job";
import type { PaperRecord } from "@/lib/io/paper-record";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-paper-job-"));
process.env.VARSTUDY_IMPORTS_DIR = path.join(scratch, "imports");
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const root = path.resolve(import.meta.dirname, "../..");
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(root, "tests/fixtures/papers", name)));
/** A pid no process has (Linux pids stay below 2^22). */
const GONE_PID = 2 ** 22 + 4321;

/** A BibTeX file of `count` distinct papers plus one repeat of the first (same DOI): one duplicate to merge. */
function bibtex(count: number, tag: string): Uint8Array {
  const entry = (index: number) =>
    `@inproceedings{${tag}${index},\n  author = {Ada Lovelace and Charles Babbage},\n  title = {Training variance study ${tag} number ${index}},\n  booktitle = {ICSE},\n  year = {2019},\n  doi = {10.5555/${tag}.${index}}\n}\n`;
  return new TextEncoder().encode([...Array.from({ length: count }, (_, index) => entry(index)), entry(0)].join("\n"));
}

const record = (title: string): PaperRecord => ({ title, authors: ["Ada Lovelace"], venue: "ICSE", year: 2019, doi: null, url: null, abstract: null, pages: null, track: null, sourceKey: null, entryType: null, origin: { format: "bibtex", location: "line 1" } });

describe.each(MODES)("paper import job (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Awaited<ReturnType<typeof makeAdmin>>;
  let studyA: string;
  let studyB: string;
  const finished = async (job: DataJobView, studyId = studyA) => {
    await dataJobSettled(job.id);
    return getLiteratureJob(db, admin, { studyId, jobId: job.id });
  };
  const counts = async () => ({ papers: await db.prisma.paper.count(), imports: await db.prisma.paperImport.count() });

  beforeAll(async () => {
    db = await freshDatabase(mode);
    (globalThis as unknown as { varstudyDatabase?: Promise<unknown> }).varstudyDatabase = Promise.resolve(db);
    admin = await makeAdmin(db);
    studyA = (await db.prisma.study.create({ data: { slug: "study-a", name: "Study A" } })).id;
    studyB = (await db.prisma.study.create({ data: { slug: "study-b", name: "Study B" } })).id;
  }, 120_000);
  afterAll(async () => {
    paperImportTestHooks.afterBatch = undefined;
    delete (globalThis as unknown as { varstudyDatabase?: unknown }).varstudyDatabase;
    await db?.drop();
  });

  it("answers the upload with 202 and a job, which the page follows to the report", async () => {
    setRequest({ session: { uid: admin.id, sv: 0 } });
    const body = new FormData();
    body.set("studyId", studyA);
    body.set("file", new File([fixture("zotero-export.ris")], "zotero-export.ris"));
    const response = await uploadPapers(routeRequest("/api/literature/import", { method: "POST", body }));
    expect(response.status).toBe(202);
    const { job } = (await response.json()) as { job: DataJobView };
    expect(job).toMatchObject({ status: "RUNNING", phase: "stored", studyId: studyA, questionnaireId: null });
    await dataJobSettled(job.id);
    const read = await readPaperJob(routeRequest(`/api/literature/import/jobs/${job.id}?studyId=${studyA}`), { params: Promise.resolve({ jobId: job.id }) });
    expect(read.status).toBe(200);
    const outcome = ((await read.json()) as { job: DataJobView }).job;
    expect(outcome.status, outcome.message ?? "").toBe("SUCCEEDED");
    expect(outcome.result).toMatchObject({ kind: "papers-imported", format: "ris" });
    const stored = await db.prisma.paper.count({ where: { studyId: studyA } });
    if (outcome.result?.kind !== "papers-imported") return;
    expect(outcome.result.report.counts.new).toBe(stored);
    expect(outcome.rowsWritten).toBe(stored);
  });

  it("writes a large file in batches and ends SUCCEEDED with the committed papers and merged duplicates", async () => {
    const before = await counts();
    const seen: number[] = [];
    paperImportTestHooks.afterBatch = async ({ written }) => {
      seen.push(written);
    };
    const started = await startPaperImportJob(db, admin, { studyId: studyA, fileName: "big.bib", bytes: bibtex(1_200, `big${mode}`) });
    expect(started).toMatchObject({ status: "RUNNING", phase: "stored" });
    const job = await finished(started);
    paperImportTestHooks.afterBatch = undefined;
    expect(job.status, job.message ?? "").toBe("SUCCEEDED");
    expect(seen.length).toBeGreaterThan(mode === "embedded" ? 5 : 1);
    expect(seen.at(-1)).toBe(1_200);
    expect(job).toMatchObject({ phase: "done", rowsChecked: 1_201, rowsTotal: 1_200, rowsWritten: 1_200 });
    expect(job.message).toBe("Imported 1,200 new papers of 1,201 entries: 1 duplicate(s) merged within the file, 0 already in the study, 0 rejected.");
    expect(job.result).toMatchObject({ kind: "papers-imported", report: { counts: { new: 1_200, mergedDuplicates: 1 } } });
    expect(await counts()).toEqual({ papers: before.papers + 1_200, imports: before.imports + 1 });
    // Sorted into strata by the last step (ICSE 2019 is in the shipped population).
    expect(await db.prisma.paper.count({ where: { importId: job.importId!, stratum: null } })).toBe(0);
    expect(await db.prisma.auditEntry.count({ where: { action: "papers.import", target: "big.bib" } })).toBe(1);
    expect(await db.prisma.auditEntry.count({ where: { action: "papers.job-start", target: job.id } })).toBe(1);
    expect(fs.existsSync(path.join(process.env.VARSTUDY_IMPORTS_DIR!, job.id))).toBe(false);
  }, 120_000);

  it("fails a file that cannot be trusted with its located problems, writing nothing", async () => {
    const before = await counts();
    const job = await finished(await startPaperImportJob(db, admin, { studyId: studyA, fileName: "broken.csv", bytes: fixture("broken-unclosed-quote.csv") }));
    expect(job.status).toBe("FAILED");
    expect(job.result).toMatchObject({ kind: "paper-problems", format: "csv" });
    if (job.result?.kind !== "paper-problems") return;
    expect(job.result.errors).toEqual(["Row 2: a quoted cell is never closed, so the rest of the file cannot be read. Fix the quote and import again."]);
    expect(job.rowsWritten).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it("removes what a failure half-way wrote: the job is never FAILED with papers kept", async () => {
    const before = await counts();
    paperImportTestHooks.afterBatch = async ({ written }) => {
      if (written >= 200) throw new Error("the disk is full");
    };
    const job = await finished(await startPaperImportJob(db, admin, { studyId: studyA, fileName: "half.bib", bytes: bibtex(600, `half${mode}`) }));
    paperImportTestHooks.afterBatch = undefined;
    expect(job.status).toBe("FAILED");
    expect(job.message).toMatch(/nothing was imported/);
    expect(job.rowsWritten).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it("runs one import per study at a time; another study imports meanwhile", async () => {
    const first = await startPaperImportJob(db, admin, { studyId: studyA, fileName: "first.bib", bytes: bibtex(10, `first${mode}`) });
    // Its check process has not even started: the second upload is refused at once, and stores nothing.
    await expect(startPaperImportJob(db, admin, { studyId: studyA, fileName: "second.bib", bytes: bibtex(10, `second${mode}`) })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(fs.readdirSync(process.env.VARSTUDY_IMPORTS_DIR!)).toEqual([first.id]);
    const other = await finished(await startPaperImportJob(db, admin, { studyId: studyB, fileName: "b.bib", bytes: bibtex(5, `b${mode}`) }), studyB);
    expect(other.status, other.message ?? "").toBe("SUCCEEDED");
    expect((await finished(first)).status).toBe("SUCCEEDED");
  });

  it("keeps jobs to their study", async () => {
    const jobsA = await listLiteratureJobs(db, admin, { studyId: studyA });
    const jobsB = await listLiteratureJobs(db, admin, { studyId: studyB });
    expect(jobsA.length).toBeGreaterThan(1);
    expect(jobsB.map((job) => job.fileName)).toEqual(["b.bib"]);
    await expect(getLiteratureJob(db, admin, { studyId: studyB, jobId: jobsA[0]!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    setRequest({ session: { uid: admin.id, sv: 0 } });
    const read = await readPaperJob(routeRequest(`/api/literature/import/jobs/${jobsA[0]!.id}?studyId=${studyB}`), { params: Promise.resolve({ jobId: jobsA[0]!.id }) });
    expect(read.status).toBe(404);
    const annotator = { id: admin.id, role: "ANNOTATOR" as const, canAdjudicate: false };
    await expect(listLiteratureJobs(db, annotator, { studyId: studyA })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  /** A job of a server process that no longer exists, which had written two papers (as embedded mode's short transactions do). */
  async function orphanedPaperJob() {
    const jobId = randomUUID();
    const importId = randomUUID();
    await db.prisma.$transaction(async (tx) => {
      await beginPaperImport(tx, { importId, studyId: studyA, fileName: "lost.bib", format: "bibtex", actorId: admin.id });
      await insertImportedPapers(tx, { studyId: studyA, importId }, [record(`Lost paper one ${mode}`), record(`Lost paper two ${mode}`)]);
    });
    await db.prisma.dataJob.create({ data: { id: jobId, kind: "paper-import", studyId: studyA, fileName: "lost.bib", status: "RUNNING", phase: "writing", ownerHost: os.hostname(), ownerPid: GONE_PID, importId, rowsTotal: 10, rowsWritten: 2 } });
    return { jobId, importId };
  }

  it("reads a job whose server is gone as interrupted, and writes nothing (both progress routes)", async () => {
    setRequest({ session: { uid: admin.id, sv: 0 } });
    const { jobId } = await orphanedPaperJob();
    const questionnaire = await publishPham(db, admin);
    const responseJobId = randomUUID();
    await db.prisma.dataJob.create({ data: { id: responseJobId, kind: "response-import", questionnaireId: questionnaire.id, fileName: "lost.csv", status: "RUNNING", phase: "checking", ownerHost: os.hostname(), ownerPid: GONE_PID, rowsChecked: 7 } });
    const rowsBefore = await db.prisma.dataJob.findMany({ where: { id: { in: [jobId, responseJobId] } }, orderBy: { id: "asc" } });
    const papersBefore = await counts();

    const paperRead = await readPaperJob(routeRequest(`/api/literature/import/jobs/${jobId}?studyId=${studyA}`), { params: Promise.resolve({ jobId }) });
    const responseRead = await readResponseJob(routeRequest(`/api/questionnaires/${questionnaire.id}/import/jobs/${responseJobId}`), { params: Promise.resolve({ id: questionnaire.id, jobId: responseJobId }) });
    for (const read of [paperRead, responseRead]) {
      expect(read.status).toBe(200);
      const { job } = (await read.json()) as { job: DataJobView };
      expect(job.status).toBe("INTERRUPTED");
      expect(job.message).toMatch(/The server stopped while this job ran/);
    }
    // The rows (status, timestamps, counts) and the partial papers are exactly as before the reads.
    expect(await db.prisma.dataJob.findMany({ where: { id: { in: [jobId, responseJobId] } }, orderBy: { id: "asc" } })).toEqual(rowsBefore);
    expect(await counts()).toEqual(papersBefore);
    // Settled by a recovery (as at server start), so the next test starts without orphans.
    expect((await recoverInterruptedDataJobs(db)).sort()).toEqual([jobId, responseJobId].sort());
  });

  it("recovers a job whose server stopped as INTERRUPTED, with the papers it had written removed", async () => {
    const before = await counts();
    const { jobId, importId } = await orphanedPaperJob();
    expect(await counts()).toEqual({ papers: before.papers + 2, imports: before.imports + 1 });
    // Another server process on this host that is still alive keeps its job.
    const livingJobId = randomUUID();
    await db.prisma.dataJob.create({ data: { id: livingJobId, kind: "paper-import", studyId: studyB, fileName: "alive.bib", status: "RUNNING", phase: "checking", ownerHost: os.hostname(), ownerPid: process.ppid } });
    const recovered = await recoverInterruptedDataJobs(db);
    expect(recovered).toContain(jobId);
    expect(recovered).not.toContain(livingJobId);
    const job = await getLiteratureJob(db, admin, { studyId: studyA, jobId });
    expect(job).toMatchObject({ status: "INTERRUPTED", phase: "done", rowsWritten: 0 });
    expect(job.finishedAt).not.toBeNull();
    expect(job.message).toMatch(/nothing of the file was imported \(the 2 papers written before the stop were removed\)/);
    expect(await counts()).toEqual(before);
    expect(await db.prisma.paperImport.count({ where: { id: importId } })).toBe(0);
    expect((await getLiteratureJob(db, admin, { studyId: studyB, jobId: livingJobId })).status).toBe("RUNNING");
    await db.prisma.dataJob.delete({ where: { id: livingJobId } });
  });
});
