/**
 * Issue 23, item 3: a response import runs as a job off the request path. The job reports the rows it checked and
 * wrote, ends SUCCEEDED exactly when the data is committed (with the counts that are in the database), ends FAILED
 * with located problems and nothing written for a bad file, and a job the server lost is recovered as
 * INTERRUPTED with nothing left behind. Jobs belong to their questionnaire's study: another study's questionnaire
 * neither lists nor reads them.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODES, freshDatabase } from "./database-modes";
import { makeAdmin, publishPham } from "./survey-helpers";
import { createQuestionnaire } from "@/lib/db/questionnaires";
import { getDataJob, listDataJobs } from "@/lib/db/data-jobs";
import { beginImport, importRowsOf, importTarget, insertAnswerRows, insertResponseRows } from "@/lib/db/response-imports";
import { dataJobSettled, recoverInterruptedDataJobs, startResponseImportJob } from "@/lib/jobs/response-import-job";
import { questionnaireFromQsf } from "@/lib/io/qualtrics-qsf";
import { writeBigQualtricsCsv } from "@/scripts/lib/big-import-file";
import { makeQsf } from "../unit/io/qualtrics-fixtures";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-import-job-"));
process.env.VARSTUDY_IMPORTS_DIR = path.join(scratch, "imports");
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe.each(MODES)("response import job (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Awaited<ReturnType<typeof makeAdmin>>;
  let pham: { id: string };
  let other: { id: string };
  let file: { rows: number; bytes: number };
  const csv = path.join(scratch, `big-${mode}.csv`);

  beforeAll(async () => {
    db = await freshDatabase(mode);
    admin = await makeAdmin(db);
    const studyA = await db.prisma.study.create({ data: { slug: "study-a", name: "Study A" } });
    const studyB = await db.prisma.study.create({ data: { slug: "study-b", name: "Study B" } });
    pham = await publishPham(db, admin);
    await db.prisma.questionnaire.update({ where: { id: pham.id }, data: { studyId: studyA.id } });
    const converted = questionnaireFromQsf(makeQsf());
    if (!converted.ok) throw new Error(converted.error);
    other = await createQuestionnaire(db, admin, { sourceText: stringify({ ...converted.definition, id: "practice_b" }), studyId: studyB.id });
    file = writeBigQualtricsCsv(csv, 300_000, `R_job${mode}`);
  }, 120_000);
  afterAll(async () => db?.drop());

  it("imports as a job: rows checked and written, SUCCEEDED with the committed counts", async () => {
    const bytes = new Uint8Array(fs.readFileSync(csv));
    const started = await startResponseImportJob(db, admin, { questionnaireId: pham.id, fileName: "big.csv", bytes, options: {} });
    // Returned before the work: the upload is stored, nothing is written yet.
    expect(started.status).toBe("RUNNING");
    expect(started.phase).toBe("stored");
    await dataJobSettled(started.id);
    const job = await getDataJob(db, admin, { questionnaireId: pham.id, jobId: started.id });
    const stored = await db.prisma.response.count({ where: { questionnaireId: pham.id, source: "IMPORT" } });
    expect(job.status, job.message ?? "").toBe("SUCCEEDED");
    expect(job.rowsChecked).toBe(file.rows);
    expect(stored).toBeGreaterThan(1000);
    expect(job.rowsWritten).toBe(stored);
    expect(job.result).toMatchObject({ kind: "imported", imported: stored });
    expect(job.message).toContain(`Imported ${stored.toLocaleString("en")} responses`);
    expect(await db.prisma.responseImport.count({ where: { id: job.importId! } })).toBe(1);
    expect(await db.prisma.auditEntry.count({ where: { action: "responses.import" } })).toBe(1);
    // The upload is not kept once the job has ended.
    expect(fs.existsSync(path.join(process.env.VARSTUDY_IMPORTS_DIR!, started.id))).toBe(false);
  }, 600_000);

  it("fails a file with problems with the problems located and nothing written", async () => {
    const before = await db.prisma.response.count();
    // The same file again: every response id was imported before.
    const started = await startResponseImportJob(db, admin, { questionnaireId: pham.id, fileName: "again.csv", bytes: new Uint8Array(fs.readFileSync(csv)), options: {} });
    await dataJobSettled(started.id);
    const job = await getDataJob(db, admin, { questionnaireId: pham.id, jobId: started.id });
    expect(job.status).toBe("FAILED");
    expect(job.result?.kind).toBe("problems");
    if (job.result?.kind !== "problems") return;
    expect(job.result.errors[0]).toMatchObject({ row: 4, columnName: "ResponseId", message: expect.stringMatching(/was imported before/) });
    expect(job.rowsWritten).toBe(0);
    expect(await db.prisma.response.count()).toBe(before);
  }, 600_000);

  it("keeps jobs to their questionnaire's study", async () => {
    const [job] = await listDataJobs(db, admin, { questionnaireId: pham.id });
    expect(job).toBeDefined();
    expect(await listDataJobs(db, admin, { questionnaireId: other.id })).toEqual([]);
    await expect(getDataJob(db, admin, { questionnaireId: other.id, jobId: job!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const annotator = { id: admin.id, role: "ANNOTATOR" as const, canAdjudicate: false };
    await expect(listDataJobs(db, annotator, { questionnaireId: pham.id })).rejects.toThrow(/permission/);
  });

  it("reports a job whose server stopped as interrupted, with what it had written removed", async () => {
    const before = await db.prisma.response.count();
    // A job of a server process that no longer exists, which had written part of an import (as the embedded
    // mode's short transactions do) when it stopped.
    const jobId = randomUUID();
    const importId = randomUUID();
    await db.prisma.dataJob.create({ data: { id: jobId, kind: "response-import", questionnaireId: pham.id, fileName: "lost.csv", status: "RUNNING", phase: "writing", ownerHost: os.hostname(), ownerPid: 2 ** 22 + 12345, importId, rowsWritten: 2 } });
    const target = await importTarget(db, pham.id);
    const now = new Date();
    const rows = importRowsOf(target, { questionnaireId: pham.id, importId, now }, [
      { responseId: "R_lost1", status: "complete", answers: { Q1: "yes" }, sourceRow: 4 },
      { responseId: "R_lost2", status: "complete", answers: {}, sourceRow: 5 },
    ] as never);
    await db.sql.transaction(async (tx) => {
      await beginImport(tx, target, { importId, questionnaireId: pham.id, fileName: "lost.csv", format: "plain", timeZone: null, mapping: {}, actorId: admin.id, now }, 2);
      await insertResponseRows(tx, rows.responseRows);
      await insertAnswerRows(tx, rows.answerRows);
    });
    expect(await db.prisma.response.count()).toBe(before + 2);
    await recoverInterruptedDataJobs(db);
    const job = await getDataJob(db, admin, { questionnaireId: pham.id, jobId });
    expect(job.status).toBe("INTERRUPTED");
    expect(job.rowsWritten).toBe(0);
    expect(job.message).toMatch(/nothing of the file was imported \(the 2 responses written before the stop were removed\)/);
    expect(await db.prisma.response.count()).toBe(before);
    expect(await db.prisma.responseImport.count({ where: { id: importId } })).toBe(0);
  });
});
