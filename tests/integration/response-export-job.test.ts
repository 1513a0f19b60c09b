/**
 * Issue 23, item 3 (exports): a response export is a job off the request path. POST …/export answers 202 with the
 * job at once (before: the whole file, after a minute for 167k responses); GET …/export answers directly only up to
 * DIRECT_EXPORT_MAX_RESPONSES. The job's file is byte for byte the direct export's, written in batches whose
 * progress the job reports; the file is offered only once complete; failed, interrupted and expired exports say so
 * and keep no file. Jobs belong to their questionnaire's study: another questionnaire neither lists, reads nor
 * downloads them.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The session boundary only (as in the security tests): lib/auth/session, lib/db and every permission check run for real.
import "./security/session-boundary";
import type { Actor } from "@/lib/auth/permissions";
import { getDataJob, listDataJobs, type DataJobView } from "@/lib/db/data-jobs";
import { getExportJob, listExportJobs, type ExportRequest } from "@/lib/db/export-jobs";
import { exportResponseRecords } from "@/lib/db/survey-export";
import { createQuestionnaire, generateResponses, insertResponses } from "@/lib/db/seed/synthetic";
import { createStudy } from "@/lib/db/studies";
import { statisticsCsv } from "@/lib/io/r-spss-export";
import { DIRECT_EXPORT_MAX_RESPONSES, EXPORT_STOPPED, exportJobSettled, exportJobTestHooks, recoverInterruptedExportJobs, startResponseExportJob } from "@/lib/jobs/response-export-job";
import { RESPONSE_IMPORT_JOB } from "@/lib/jobs/response-import-job";
import { responsesToCsv } from "@/lib/survey/export";
import { drawPresentationOrder } from "@/lib/survey/randomize";
import { loadPhamDefinition, loadPhamHeadlines } from "./dashboard-fixtures";
import { MODES } from "./database-modes";
import { closeAppDatabase, openAppDatabase, type TestDatabase } from "./security/app-database";
import { routeRequest, setRequest } from "./security/request-context";
import { scratchDir } from "../unit/scratch-dir";

process.env.VARSTUDY_EXPORTS_DIR = path.join(scratchDir("varstudy-export-job-"), "exports");

const definition = loadPhamDefinition();
/** More responses than the direct export answers, several batches in both modes, partial ones among them. */
const BIG = 1300;
const exportRoute = () => import("@/app/api/questionnaires/[id]/export/route");
const jobRoute = () => import("@/app/api/questionnaires/[id]/export/jobs/[jobId]/route");
const downloadRoute = () => import("@/app/api/questionnaires/[id]/export/jobs/[jobId]/download/route");

describe.each(MODES)("response export job (%s)", (mode) => {
  let db: TestDatabase;
  let admin: Actor;
  const ids = { qa: "", qb: "" };

  const post = async (questionnaireId: string, body: unknown) =>
    (await exportRoute()).POST(routeRequest(`/api/questionnaires/${questionnaireId}/export`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }), {
      params: Promise.resolve({ id: questionnaireId }),
    });
  const follow = async (questionnaireId: string, jobId: string) =>
    (await jobRoute()).GET(routeRequest(`/api/questionnaires/${questionnaireId}/export/jobs/${jobId}`), { params: Promise.resolve({ id: questionnaireId, jobId }) });
  const fetchFile = async (questionnaireId: string, jobId: string) =>
    (await downloadRoute()).GET(routeRequest(`/api/questionnaires/${questionnaireId}/export/jobs/${jobId}/download`), { params: Promise.resolve({ id: questionnaireId, jobId }) });
  /** Runs an export to its end and returns the job and the downloaded file. */
  const exported = async (questionnaireId: string, request: ExportRequest) => {
    const started = await startResponseExportJob(db, admin, { questionnaireId, request });
    await exportJobSettled(started.id);
    const job = await getExportJob(db, admin, { questionnaireId, jobId: started.id });
    const response = await fetchFile(questionnaireId, started.id);
    // The bytes as downloaded (Response.text() would drop the CSV's byte-order mark).
    return { job, response, text: Buffer.from(await response.arrayBuffer()).toString("utf8") };
  };

  beforeAll(async () => {
    db = await openAppDatabase(mode);
    const user = await db.prisma.user.create({ data: { email: `admin-${mode}@example.org`, name: "Admin", role: "ADMIN" } });
    admin = { id: user.id, role: "ADMIN", canAdjudicate: false };
    setRequest({ session: { uid: user.id, sv: user.sessionVersion } });
    const alpha = await createStudy(db, admin, { slug: "alpha", name: "Alpha study" });
    const beta = await createStudy(db, admin, { slug: "beta", name: "Beta study" });
    const a = await createQuestionnaire(db, alpha.id, definition, "survey-a", loadPhamHeadlines());
    const b = await createQuestionnaire(db, beta.id, definition, "survey-b");
    Object.assign(ids, { qa: a.questionnaireId, qb: b.questionnaireId });
    const big = generateResponses(definition, { count: BIG, seed: 11, completedShare: 0.8 });
    // Forty responses started in the same millisecond: the batches must neither skip nor repeat any of them.
    for (const response of big.slice(0, 40)) response.startedAt = new Date("2020-02-05T12:00:00.000Z");
    await insertResponses(db, a.questionnaireId, a.versionId, big);
    await insertResponses(db, b.questionnaireId, b.versionId, generateResponses(definition, { count: 40, seed: 12, completedShare: 0.9 }));
    // Some responses carry their presentation order, as web responses do.
    for (const response of big.slice(0, 300).filter((_, index) => index % 7 === 0)) {
      await db.prisma.response.update({ where: { id: response.id }, data: { presentation: drawPresentationOrder(definition, response.startedAt.getTime() % 1000) as never } });
    }
  }, 240_000);
  afterAll(async () => closeAppDatabase(db));

  it("POST …/export answers 202 with a queued job at once, not the file", async () => {
    const started = Date.now();
    const response = await post(ids.qa, { format: "csv", partial: true });
    const elapsed = Date.now() - started;
    expect(response.status).toBe(202);
    const body = (await response.json()) as { ok: boolean; job: DataJobView };
    expect(body.ok).toBe(true);
    expect(body.job).toMatchObject({ kind: "response-export", questionnaireId: ids.qa, status: "QUEUED", rowsTotal: BIG, rowsWritten: 0 });
    expect(body.job.fileName).toMatch(/^survey-a-v1-all-\d{4}-\d{2}-\d{2}\.csv$/);
    // Answered before the work: at most one count query, never the responses (generous for a busy machine).
    expect(elapsed).toBeLessThan(5000);
    expect(await db.prisma.auditEntry.count({ where: { action: "responses.export", target: "survey-a" } })).toBeGreaterThanOrEqual(1);
    await exportJobSettled(body.job.id);
    expect((await getExportJob(db, admin, { questionnaireId: ids.qa, jobId: body.job.id })).status).toBe("SUCCEEDED");
    expect((await post(ids.qa, { format: "xlsx" })).status).toBe(422);
  });

  it("GET …/export answers a large export with 409 and a pointer to the background export, a small one directly", async () => {
    const { GET } = await exportRoute();
    const big = await GET(routeRequest(`/api/questionnaires/${ids.qa}/export?format=csv&partial=1`), { params: Promise.resolve({ id: ids.qa }) });
    expect(big.status).toBe(409);
    expect(((await big.json()) as { error: string }).error).toMatch(new RegExp(`holds ${BIG.toLocaleString("en")} responses, more than the ${DIRECT_EXPORT_MAX_RESPONSES.toLocaleString("en")}`));
    const small = await GET(routeRequest(`/api/questionnaires/${ids.qb}/export?format=csv&partial=1`), { params: Promise.resolve({ id: ids.qb }) });
    expect(small.status).toBe(200);
    expect((await small.text()).split("\r\n")).toHaveLength(41);
  });

  it("writes every file byte for byte as the direct export does (many batches, tied start times)", async () => {
    for (const includePartial of [false, true]) {
      const direct = await exportResponseRecords(db, admin, { questionnaireId: ids.qa, includePartial });
      expect(direct.records.length).toBeGreaterThan(DIRECT_EXPORT_MAX_RESPONSES - 100);
      for (const valueFormat of ["codes", "labels"] as const) {
        const { job, text } = await exported(ids.qa, { format: "csv", includePartial, valueFormat });
        expect(job.status, job.message ?? "").toBe("SUCCEEDED");
        expect(job.rowsWritten).toBe(direct.records.length);
        expect(text.startsWith("\uFEFF")).toBe(true);
        expect(text).toBe(responsesToCsv(direct.definition, direct.records, { bom: true, valueFormat }));
      }
      const data = await exported(ids.qa, { format: "r-data", includePartial, valueFormat: "codes" });
      expect(data.text).toBe(statisticsCsv(direct.definition, direct.records));
      const json = await exported(ids.qa, { format: "json", includePartial, valueFormat: "codes" });
      const exportedAt = (JSON.parse(json.text) as { exportedAt: string }).exportedAt;
      // The direct export's JSON object, as the route has always built it.
      const old = { questionnaire: direct.slug, version: direct.version, exportedAt, definition: direct.definition, headlines: direct.headlineConfig, responses: direct.records };
      expect(json.text).toBe(JSON.stringify(old, null, 2));
    }
  }, 240_000);

  it("downloads the same bytes as the direct GET of a small export, with the same file name", async () => {
    const { GET } = await exportRoute();
    for (const query of ["format=csv", "format=csv&partial=1&values=labels", "format=r-data&partial=1"]) {
      const search = new URLSearchParams(query);
      const direct = await GET(routeRequest(`/api/questionnaires/${ids.qb}/export?${query}`), { params: Promise.resolve({ id: ids.qb }) });
      const format = search.get("format") as "csv" | "r-data";
      const job = await exported(ids.qb, { format, includePartial: search.get("partial") === "1", valueFormat: search.get("values") === "labels" ? "labels" : "codes" });
      expect(job.response.status).toBe(200);
      expect(job.response.headers.get("content-disposition")).toBe(direct.headers.get("content-disposition"));
      expect(job.response.headers.get("content-type")).toBe(direct.headers.get("content-type"));
      expect(job.text).toBe(Buffer.from(await direct.arrayBuffer()).toString("utf8"));
    }
  });

  it("reports progress batch by batch and offers no file before the last batch is in", async () => {
    const seen: Array<{ written: number; status: string; download: number; files: string[] }> = [];
    let jobId = "";
    exportJobTestHooks.afterBatch = async (at) => {
      const response = await follow(ids.qa, at.jobId);
      const { job } = (await response.json()) as { job: DataJobView };
      seen.push({ written: job.rowsWritten, status: job.status, download: (await fetchFile(ids.qa, at.jobId)).status, files: fs.readdirSync(path.join(process.env.VARSTUDY_EXPORTS_DIR!, at.jobId)) });
    };
    try {
      jobId = (await startResponseExportJob(db, admin, { questionnaireId: ids.qa, request: { format: "json", includePartial: true, valueFormat: "codes" } })).id;
      await exportJobSettled(jobId);
    } finally {
      delete exportJobTestHooks.afterBatch;
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.map((s) => s.written)).toEqual([...seen.map((s) => s.written)].sort((a, b) => a - b));
    expect(new Set(seen.map((s) => s.written)).size).toBe(seen.length);
    expect(seen.at(-1)!.written).toBe(BIG);
    for (const step of seen) {
      expect(step.status).toBe("RUNNING");
      expect(step.download).toBe(409);
      expect(step.files.every((file) => file.endsWith(".part"))).toBe(true);
    }
    const done = (await (await follow(ids.qa, jobId)).json()) as { job: DataJobView; downloadable: boolean };
    expect(done.job).toMatchObject({ status: "SUCCEEDED", rowsWritten: BIG, rowsTotal: BIG, message: `Exported ${BIG.toLocaleString("en")} responses.` });
    expect(done.downloadable).toBe(true);
    expect(fs.readdirSync(path.join(process.env.VARSTUDY_EXPORTS_DIR!, jobId))).toEqual([done.job.fileName]);
  }, 120_000);

  it("keeps export jobs to their questionnaire's study and permission", async () => {
    const [job] = await listExportJobs(db, admin, { questionnaireId: ids.qa });
    expect(job).toBeDefined();
    expect((await listExportJobs(db, admin, { questionnaireId: ids.qb })).map((other) => other.questionnaireId)).not.toContain(ids.qa);
    await expect(getExportJob(db, admin, { questionnaireId: ids.qb, jobId: job!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Another study's questionnaire in the URL: 404 for progress and file, with nothing of the job.
    for (const response of [await follow(ids.qb, job!.id), await fetchFile(ids.qb, job!.id)]) {
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain(job!.fileName);
    }
    // The import page neither follows nor lists export jobs.
    expect(await listDataJobs(db, admin, { questionnaireId: ids.qa, kind: RESPONSE_IMPORT_JOB })).toEqual([]);
    await expect(getDataJob(db, admin, { questionnaireId: ids.qa, jobId: job!.id, kind: RESPONSE_IMPORT_JOB })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const annotator = await db.prisma.user.create({ data: { email: `ann-${mode}@example.org`, name: "Ann", role: "ANNOTATOR" } });
    await expect(startResponseExportJob(db, { id: annotator.id, role: "ANNOTATOR", canAdjudicate: false }, { questionnaireId: ids.qa, request: { format: "csv", includePartial: true, valueFormat: "codes" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    setRequest({ session: { uid: annotator.id, sv: annotator.sessionVersion } });
    try {
      expect((await fetchFile(ids.qa, job!.id)).status).toBe(403);
      expect((await post(ids.qa, { format: "csv" })).status).toBe(403);
    } finally {
      const user = await db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } });
      setRequest({ session: { uid: user.id, sv: user.sessionVersion } });
    }
  });

  it("reports a failed export as failed and keeps no file", async () => {
    exportJobTestHooks.afterBatch = async () => {
      throw new Error("disk full (test)");
    };
    let jobId = "";
    try {
      jobId = (await startResponseExportJob(db, admin, { questionnaireId: ids.qa, request: { format: "csv", includePartial: true, valueFormat: "codes" } })).id;
      await exportJobSettled(jobId);
    } finally {
      delete exportJobTestHooks.afterBatch;
    }
    const job = await getExportJob(db, admin, { questionnaireId: ids.qa, jobId });
    expect(job.status).toBe("FAILED");
    expect(job.message).toMatch(/^The export failed \(reference [^)]+\); no file was kept/);
    expect(fs.existsSync(path.join(process.env.VARSTUDY_EXPORTS_DIR!, jobId))).toBe(false);
    const response = await fetchFile(ids.qa, jobId);
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("The export failed");
  });

  it("reports an export whose server stopped as interrupted without writing; the recovery deletes its unfinished file", async () => {
    // A job of a server process that no longer exists, which had written part of its file when it stopped.
    const jobId = randomUUID();
    await db.prisma.dataJob.create({
      data: { id: jobId, kind: "response-export", questionnaireId: ids.qa, fileName: "lost.csv", status: "RUNNING", phase: "writing", ownerHost: os.hostname(), ownerPid: 2 ** 22 + 12345, rowsTotal: BIG, rowsWritten: 500 },
    });
    const dir = path.join(process.env.VARSTUDY_EXPORTS_DIR!, jobId);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "lost.csv.part"), "response_id,status\r\nhalf");
    const following = (await (await follow(ids.qa, jobId)).json()) as { job: DataJobView; downloadable: boolean };
    expect(following.job.status).toBe("INTERRUPTED");
    expect(following.job.message).toBe(EXPORT_STOPPED);
    expect(following.downloadable).toBe(false);
    // A read writes nothing: the row and the folder stay until the recovery (server start, next export) runs.
    expect((await db.prisma.dataJob.findUniqueOrThrow({ where: { id: jobId } })).status).toBe("RUNNING");
    expect(fs.existsSync(dir)).toBe(true);
    expect((await fetchFile(ids.qa, jobId)).status).toBe(409);
    await recoverInterruptedExportJobs(db);
    const recovered = await db.prisma.dataJob.findUniqueOrThrow({ where: { id: jobId } });
    expect([recovered.status, recovered.message]).toEqual(["INTERRUPTED", EXPORT_STOPPED]);
    expect(fs.existsSync(dir)).toBe(false);
    expect((await fetchFile(ids.qa, jobId)).status).toBe(409);
  });

  it("deletes a file after the retention, and folders of jobs that no longer exist", async () => {
    const { job } = await exported(ids.qb, { format: "csv", includePartial: false, valueFormat: "codes" });
    const dir = path.join(process.env.VARSTUDY_EXPORTS_DIR!, job.id);
    const orphan = path.join(process.env.VARSTUDY_EXPORTS_DIR!, randomUUID());
    fs.mkdirSync(orphan);
    await recoverInterruptedExportJobs(db);
    expect(fs.existsSync(dir)).toBe(true);
    expect(fs.existsSync(orphan)).toBe(false);
    await db.prisma.dataJob.update({ where: { id: job.id }, data: { finishedAt: new Date(Date.now() - 25 * 3600 * 1000) } });
    const expired = await fetchFile(ids.qb, job.id);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("deleted 24 hours after the export");
    await recoverInterruptedExportJobs(db);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
