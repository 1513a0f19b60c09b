import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import "./session-boundary";
import { makeAdmin, publishPham, PHAM_PAGES, root } from "../survey-helpers";
import { closeAppDatabase, openAppDatabase, type TestDatabase } from "./app-database";
import { participantBrowser, resetParticipantLimits } from "./participant-doors";
import { routeRequest, setRequest } from "./request-context";
import { POST as literatureImport } from "@/app/api/literature/import/route";
import { POST as responseImport } from "@/app/api/questionnaires/[id]/import/route";
import { GET as importJob } from "@/app/api/questionnaires/[id]/import/jobs/[jobId]/route";
import { dataJobSettled } from "@/lib/jobs/response-import-job";
import { POST as resultsImport } from "@/app/api/experiments/import/route";
import { POST as answersPost } from "@/app/s/[slug]/answers/route";
import { GET as questionnaireExport } from "@/app/api/questionnaires/[id]/export/route";

/**
 * Issue 23 at the admin doors: imports posted from another site with the admin's cookie (items 5), values that
 * pass validation but overflow an index (item 4: the row is named, not a 500), and database errors that must
 * not copy participants' answers into the log (item 7).
 */
const csv = fs.readFileSync(path.join(root, "tests/fixtures/survey/qualtrics-pham2020-numeric.csv"), "utf8");
const ris = "TY  - JOUR\nTI  - Variance in training\nAU  - Lovelace, Ada\nPY  - 2020\nER  - \n";

const withCell = (text: string, row: number, columnName: string, value: string): string => {
  const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
  rows[row - 1]![rows[0]!.indexOf(columnName)] = value;
  return Papa.unparse(rows, { newline: "\r\n" });
};

function upload(fields: Record<string, string>, file: { name: string; text: string | Uint8Array }): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  form.set("file", new File([file.text as BlobPart], file.name));
  return form;
}

process.env.VARSTUDY_IMPORTS_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-hostile-imports-"));

describe("hostile input at the admin doors (embedded)", () => {
  let db: TestDatabase;
  let questionnaireId: string;
  let studyId: string;
  let session: { uid: string; sv: number };
  const count = async () => ({ papers: await db.prisma.paper.count(), responses: await db.prisma.response.count(), runs: await db.prisma.experimentRun.count() });

  beforeAll(async () => {
    db = await openAppDatabase();
    const admin = await makeAdmin(db);
    session = { uid: admin.id, sv: 0 };
    questionnaireId = (await publishPham(db, admin)).id;
    studyId = (await db.prisma.study.create({ data: { slug: "s1", name: "Study one" } })).id;
  }, 120_000);
  afterEach(() => {
    vi.restoreAllMocks();
    resetParticipantLimits();
  });
  afterAll(() => closeAppDatabase(db));

  const post = (url: string, body: FormData, origin: string | null) =>
    routeRequest(url, { method: "POST", body, headers: origin ? { origin } : {} });
  const idParams = () => ({ params: Promise.resolve({ id: questionnaireId }) });
  /** An import runs as a job: the upload answers 202 with it; this waits for the job and reads it as the page does. */
  const finishedJob = async (response: Response) => {
    expect(response.status).toBe(202);
    const { job } = (await response.json()) as { job: { id: string } };
    await dataJobSettled(job.id);
    const read = await importJob(routeRequest(`/api/questionnaires/${questionnaireId}/import/jobs/${job.id}`), { params: Promise.resolve({ id: questionnaireId, jobId: job.id }) });
    return ((await read.json()) as { job: { status: string; rowsWritten: number; result: { errors?: unknown[] } | null } }).job;
  };

  it.each([
    ["/api/literature/import", () => literatureImport(post("/api/literature/import", upload({ studyId, format: "ris" }, { name: "p.ris", text: ris }), "https://evil.example"))],
    ["/api/questionnaires/<id>/import", () => responseImport(post(`/api/questionnaires/${questionnaireId}/import`, upload({ mode: "import" }, { name: "r.csv", text: csv }), "https://evil.example"), idParams())],
    ["/api/experiments/import", () => resultsImport(post("/api/experiments/import", upload({}, { name: "results.jsonl", text: fs.readFileSync(path.join(root, "tests/fixtures/runner/lenet1-quick-tiny/results.jsonl"), "utf8") }), "https://evil.example"))],
  ])("%s refuses a cross-site post carrying the admin's cookie, and writes nothing", async (_route, send) => {
    setRequest({ session });
    const before = await count();
    const response = await send();
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/other sites/);
    expect(await count()).toEqual(before);
  });

  it("accepts the same imports from the site's own origin", async () => {
    setRequest({ session });
    const papers = await literatureImport(post("/api/literature/import", upload({ studyId, format: "ris" }, { name: "p.ris", text: ris }), "http://localhost:3000"));
    expect(papers.status).toBe(200);
    expect(await db.prisma.paper.count()).toBe(1);
  });

  it("refuses a paper file with entries but none usable, instead of recording an import of 0 papers", async () => {
    setRequest({ session });
    const untitled = "TY  - JOUR\nAU  - Lovelace, Ada\nPY  - 2020\nER  - \n\nTY  - JOUR\nAU  - Babbage, Charles\nER  - \n";
    const imports = await db.prisma.paperImport.count();
    const response = await literatureImport(post("/api/literature/import", upload({ studyId, format: "ris" }, { name: "untitled.ris", text: untitled }), null));
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.errors[0]).toBe("None of the 2 entries in the file could be imported, so nothing was imported:");
    expect(body.errors).toHaveLength(3);
    expect(await db.prisma.paperImport.count()).toBe(imports);
  });

  it("names the row of a 2,000-character response id instead of failing in the index", async () => {
    setRequest({ session });
    const text = withCell(csv, 5, "ResponseId", `R_${"x".repeat(2_000)}`);
    const response = await responseImport(post(`/api/questionnaires/${questionnaireId}/import`, upload({ mode: "import" }, { name: "r.csv", text }), "http://localhost:3000"), idParams());
    const job = await finishedJob(response);
    expect(job.status).toBe("FAILED");
    expect(job.result?.errors).toEqual([expect.objectContaining({ row: 5, columnName: "ResponseId", message: expect.stringMatching(/2,002 bytes long/) })]);
    expect(job.rowsWritten).toBe(0);
    expect(await db.prisma.response.count()).toBe(0);
  });

  it("rejects a 1,000-character CJK title by its entry and imports the rest", async () => {
    setRequest({ session });
    const cjk = `TY  - JOUR\nTI  - ${"訓練".repeat(500)}\nPY  - 2021\nER  - \n`;
    const other = "TY  - JOUR\nTI  - Another variance paper\nPY  - 2021\nER  - \n";
    const before = await db.prisma.paper.count();
    const response = await literatureImport(post("/api/literature/import", upload({ studyId, format: "ris" }, { name: "cjk.ris", text: cjk + other }), null));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.report.rejected).toEqual([expect.objectContaining({ reason: expect.stringMatching(/bytes in UTF-8/), location: expect.stringMatching(/line 1/) })]);
    expect(await db.prisma.paper.count()).toBe(before + 1);
  });

  it("reads a UTF-16 response file (with BOM) in the preview and the import, and names one without BOM", async () => {
    setRequest({ session });
    const text = csv.replace(/^\uFEFF/, "");
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Uint16Array.from(text, (c) => c.charCodeAt(0)).buffer)]);
    const preview = await responseImport(post(`/api/questionnaires/${questionnaireId}/import`, upload({ mode: "preview" }, { name: "u16.csv", text: utf16 }), null), idParams());
    expect(preview.status).toBe(200);
    expect(JSON.stringify(await preview.json())).toContain('"StartDate"');
    const imported = await responseImport(post(`/api/questionnaires/${questionnaireId}/import`, upload({ mode: "import" }, { name: "u16.csv", text: utf16 }), null), idParams());
    expect((await finishedJob(imported)).status).toBe("SUCCEEDED");
    expect(await db.prisma.response.count()).toBeGreaterThan(0);
    const bomless = await responseImport(post(`/api/questionnaires/${questionnaireId}/import`, upload({ mode: "preview" }, { name: "u16.csv", text: utf16.subarray(2) }), null), idParams());
    expect(bomless.status).toBe(422);
    expect((await bomless.json()).error).toMatch(/UTF-16 .*Save it as UTF-8/);
  });

  it("builds the codebook export without reading any response", async () => {
    setRequest({ session });
    // Resolved empty: only whether the responses are read matters here.
    const findMany = vi.spyOn(db.prisma.response, "findMany").mockResolvedValue([] as never);
    const response = await questionnaireExport(routeRequest(`/api/questionnaires/${questionnaireId}/export?format=codebook`), idParams());
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Q20");
    expect(findMany).not.toHaveBeenCalled();
    await questionnaireExport(routeRequest(`/api/questionnaires/${questionnaireId}/export?format=csv`), idParams());
    expect(findMany).toHaveBeenCalled(); // the spy does see the responses export's read
  });

  it("logs a database error with a reference, never the participant's answers", async () => {
    // A constraint the app does not know about makes PostgreSQL refuse the write; its error carries the failing row.
    await db.sql.exec(`ALTER TABLE "Answer" ADD CONSTRAINT hostile_short_text CHECK (length("textValue") < 20) NOT VALID`);
    try {
      const { cookies } = await participantBrowser(db, "pham2020");
      setRequest({ session: null, cookies });
      const logged: string[] = [];
      vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.map((arg) => (arg instanceof Error ? `${arg.message}\n${arg.stack}\n${JSON.stringify(arg)}` : String(arg))).join(" ")));
      const secret = "my employer is Initech and I fear for my job";
      for (const section of ["background", "default_runs", "fixed_seed", "practice"]) {
        await answersPost(routeRequest("/s/pham2020/answers", { method: "POST", body: JSON.stringify({ op: "page", sectionId: section, fields: PHAM_PAGES[section] }) }), { params: Promise.resolve({ slug: "pham2020" }) });
      }
      const response = await answersPost(
        routeRequest("/s/pham2020/answers", { method: "POST", body: JSON.stringify({ op: "page", sectionId: "awareness", fields: { ...PHAM_PAGES.awareness, "q.comments": secret } }) }),
        { params: Promise.resolve({ slug: "pham2020" }) },
      );
      expect(response.status).toBe(500);
      const ref = /reference ([0-9a-f]{8})/.exec((await response.json()).error)?.[1];
      expect(ref).toBeDefined();
      expect(logged.join("\n")).toContain(`[ref ${ref}]`);
      expect(logged.join("\n")).toMatch(/hostile_short_text|check constraint/);
      expect(logged.join("\n")).not.toContain("Initech");
    } finally {
      await db.sql.exec(`ALTER TABLE "Answer" DROP CONSTRAINT hostile_short_text`);
    }
  });
});
