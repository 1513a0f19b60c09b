import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODES, freshDatabase } from "./database-modes";
import { makeAdmin, makeAnnotator, publishPham, PHAM_PAGES, root } from "./survey-helpers";
import { commitImport, previewImport } from "@/lib/db/response-imports";
import { createInvitationList, invitationLinksCsv } from "@/lib/db/invitations";
import { DefinitionInvalidError, createQuestionnaire, listQuestionnaires, publishQuestionnaireVersion, saveQuestionnaireDraft } from "@/lib/db/questionnaires";
import { savePage, startResponse } from "@/lib/db/responses";
import { exportResponseRecords } from "@/lib/db/survey-export";
import { newToken } from "@/lib/db/survey-tokens";
import { responsesToCsv } from "@/lib/survey/export";

const fixture = (name: string) => readFileSync(path.join(root, "tests/fixtures/survey", name), "utf8");
const SECRET = "integration-secret-integration-secret";

describe.each(MODES)("questionnaire admin, import and export (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Awaited<ReturnType<typeof makeAdmin>>;
  let pham: Awaited<ReturnType<typeof publishPham>>;

  beforeAll(async () => {
    db = await freshDatabase(mode);
    admin = await makeAdmin(db);
    pham = await publishPham(db, admin);
  }, 60_000);
  afterAll(async () => db?.drop());

  it("refuses an invalid definition with line-accurate errors and writes nothing", async () => {
    const source = pham.sourceText.replace("id: pham2020", "id: other_survey").replace("type: numeric", "type: number");
    const error = await createQuestionnaire(db, admin, { sourceText: source }).catch((e) => e);
    expect(error).toBeInstanceOf(DefinitionInvalidError);
    const problem = (error as DefinitionInvalidError).errors[0]!;
    const line = source.split("\n").findIndex((l) => l.includes("type: number")) + 1;
    expect(problem.line).toBe(line);
    expect(await db.prisma.questionnaire.count()).toBe(1);
  });

  it("only admins manage questionnaires (checked in lib/db)", async () => {
    const annotator = await makeAnnotator(db);
    await expect(listQuestionnaires(db, annotator)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createQuestionnaire(db, annotator, { sourceText: pham.sourceText })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(exportResponseRecords(db, annotator, { questionnaireId: pham.id, includePartial: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("a published version is frozen: editing makes a new version; responses keep theirs", async () => {
    const start = await startResponse(db, { slug: "pham2020", browserKey: newToken() });
    const edited = pham.sourceText.replace("title: About you", "title: About you and your work");
    const saved = await saveQuestionnaireDraft(db, admin, { questionnaireId: pham.id, sourceText: edited });
    expect(saved).toMatchObject({ version: 2, created: true });
    const again = await saveQuestionnaireDraft(db, admin, { questionnaireId: pham.id, sourceText: edited.replace("your work", "your job") });
    expect(again).toMatchObject({ version: 2, created: false });
    const v1 = await db.prisma.questionnaireVersion.findFirstOrThrow({ where: { questionnaireId: pham.id, version: 1 } });
    expect(v1.sourceText).toBe(pham.sourceText);
    await publishQuestionnaireVersion(db, admin, { questionnaireId: pham.id, versionId: saved.versionId });
    const later = await startResponse(db, { slug: "pham2020", browserKey: newToken() });
    const versions = await db.prisma.response.findMany({ where: { id: { in: [start.responseId, later.responseId] } }, include: { version: true } });
    expect(Object.fromEntries(versions.map((r) => [r.id, r.version.version]))).toEqual({ [start.responseId]: 1, [later.responseId]: 2 });
    await expect(publishQuestionnaireVersion(db, admin, { questionnaireId: pham.id, versionId: v1.id })).rejects.toThrow(/replaced/);
  });

  it("imports a Qualtrics export (choice text), and refuses the same file a second time", async () => {
    const text = fixture("qualtrics-pham2020-choice-text.csv");
    const preview = await previewImport(db, admin, { questionnaireId: pham.id, text });
    expect(preview.ok && preview.preview).toMatchObject({ format: "qualtrics", headerRowCount: 3 });
    const before = await db.prisma.response.count();
    const outcome = await commitImport(db, admin, { questionnaireId: pham.id, fileName: "export.csv", text });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.imported).toBe(outcome.summary.complete + outcome.summary.partial);
    expect(await db.prisma.response.count({ where: { importId: outcome.importId } })).toBe(outcome.imported);
    expect(await db.prisma.response.count()).toBe(before + outcome.imported);
    const q20 = await db.prisma.answer.findMany({ where: { questionId: "Q20", response: { importId: outcome.importId } } });
    expect(q20.length).toBeGreaterThan(0);
    expect(q20.every((a) => a.choiceIds.length === 1 && ["yes", "maybe", "no"].includes(a.choiceIds[0]!))).toBe(true);

    const second = await commitImport(db, admin, { questionnaireId: pham.id, fileName: "export.csv", text });
    expect(second.ok).toBe(false);
    // At the ResponseId column (9), where the id is; it used to say column 1.
    if (!second.ok) expect(second.errors[0]).toMatchObject({ row: 4, column: 9, columnName: "ResponseId" });
    expect(await db.prisma.response.count()).toBe(before + outcome.imported);
  });

  it("bad files: every problem with row and column, nothing written", async () => {
    const before = await db.prisma.response.count();
    const good = fixture("qualtrics-pham2020-numeric.csv");
    const lines = good.split(/\r?\n/);
    const header = lines[0]!.split(",");
    const q20 = header.indexOf("Q20");
    const cells = lines[4]!.split(",");
    cells[q20] = "7";
    const badCell = [...lines.slice(0, 4), cells.join(","), ...lines.slice(5)].join("\n");
    const cases: Array<[string, string, RegExp]> = [
      ["empty", "", /empty/i],
      ["header only", lines.slice(0, 3).join("\n"), /no responses/],
      ["broken quoting", `${lines.slice(0, 4).join("\n")}\n"unclosed,1,2\n`, /quot/i],
      ["not this questionnaire", "a,b,c\n1,2,3\n", /No column matches/],
      ["bad cell", badCell, /./],
    ];
    for (const [name, text, message] of cases) {
      const outcome = await commitImport(db, admin, { questionnaireId: pham.id, fileName: `${name}.csv`, text });
      expect(outcome.ok, name).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.errors[0]!.message, name).toMatch(message);
      if (name === "bad cell") expect(outcome.errors.find((e) => e.row === 5)).toMatchObject({ column: q20 + 1, columnName: "Q20" });
    }
    expect(await db.prisma.response.count()).toBe(before);
    expect(await db.prisma.responseImport.count({ where: { fileName: { in: cases.map(([n]) => `${n}.csv`) } } })).toBe(0);
  });

  it("export round trip: web responses → CSV → import into a copy gives the same answers", async () => {
    const token = (await startResponse(db, { slug: "pham2020", browserKey: newToken() })).resumeToken;
    for (const sectionId of Object.keys(PHAM_PAGES)) await savePage(db, { slug: "pham2020", resumeToken: token, sectionId, fields: PHAM_PAGES[sectionId]! });
    const exported = await exportResponseRecords(db, admin, { questionnaireId: pham.id, includePartial: true });
    const web = exported.records.filter((r) => r.status === "complete" && r.answers.comments === "Interesting.");
    expect(web).toHaveLength(1);
    const completedOnly = await exportResponseRecords(db, admin, { questionnaireId: pham.id, includePartial: false });
    expect(completedOnly.records.every((r) => r.status === "complete")).toBe(true);
    expect(completedOnly.records.length).toBeLessThan(exported.records.length);

    const copySource = pham.sourceText.replace("id: pham2020", "id: pham_copy");
    const copy = await createQuestionnaire(db, admin, { sourceText: copySource });
    const copyVersion = await db.prisma.questionnaireVersion.findFirstOrThrow({ where: { questionnaireId: copy.id } });
    await publishQuestionnaireVersion(db, admin, { questionnaireId: copy.id, versionId: copyVersion.id });
    const csv = responsesToCsv(exported.definition, exported.records);
    const outcome = await commitImport(db, admin, { questionnaireId: copy.id, fileName: "roundtrip.csv", text: csv });
    expect(outcome.ok).toBe(true);
    const back = await exportResponseRecords(db, admin, { questionnaireId: copy.id, includePartial: true });
    const byId = new Map(back.records.map((r) => [r.responseId, r]));
    for (const record of exported.records) {
      expect(byId.get(record.responseId)?.answers, record.responseId).toEqual(record.answers);
      expect(byId.get(record.responseId)?.status).toBe(record.status);
    }
  });

  it("imports a large file (5,000 responses, 90,000 answers) in one transaction", async () => {
    const exported = await exportResponseRecords(db, admin, { questionnaireId: pham.id, includePartial: false });
    const template = exported.records.find((r) => r.answers.comments === "Interesting.")!;
    const many = Array.from({ length: 5_000 }, (_, i) => ({ ...template, responseId: `big-${i}`, presentationOrder: undefined }));
    const text = responsesToCsv(exported.definition, many, { includePresentationOrder: false });
    const big = await createQuestionnaire(db, admin, { sourceText: pham.sourceText.replace("id: pham2020", "id: pham_big") });
    const version = await db.prisma.questionnaireVersion.findFirstOrThrow({ where: { questionnaireId: big.id } });
    await publishQuestionnaireVersion(db, admin, { questionnaireId: big.id, versionId: version.id });
    const started = Date.now();
    const outcome = await commitImport(db, admin, { questionnaireId: big.id, fileName: "big.csv", text });
    expect(outcome.ok).toBe(true);
    expect(await db.prisma.response.count({ where: { questionnaireId: big.id } })).toBe(5_000);
    expect(await db.prisma.answer.count({ where: { response: { questionnaireId: big.id } } })).toBe(5_000 * Object.keys(template.answers).length);
    console.info(`import of 5,000 responses (${(text.length / 1e6).toFixed(1)} MB) took ${((Date.now() - started) / 1000).toFixed(1)} s (${mode})`);
  }, 240_000);

  it("invitation links are single-use and downloadable again", async () => {
    const list = await createInvitationList(db, admin, { questionnaireId: pham.id, name: "Batch 1", text: "email\na@example.org\nb@example.org\na@example.org\n", secret: SECRET });
    expect(list).toMatchObject({ created: 2, duplicates: 1 });
    const { csv } = await invitationLinksCsv(db, admin, { listId: list.listId, secret: SECRET, baseUrl: "https://study.example.org" });
    const token = /\?t=([A-Za-z0-9_-]+)/.exec(csv)![1]!;
    expect(csv).toContain("https://study.example.org/s/pham2020?t=");
    const first = await startResponse(db, { slug: "pham2020", browserKey: newToken(), invitationToken: token });
    // The same invitation in another browser resumes the same response instead of starting a second one.
    const other = await startResponse(db, { slug: "pham2020", browserKey: newToken(), invitationToken: token });
    expect(other.responseId).toBe(first.responseId);
    for (const sectionId of Object.keys(PHAM_PAGES)) await savePage(db, { slug: "pham2020", resumeToken: other.resumeToken, sectionId, fields: PHAM_PAGES[sectionId]! });
    await expect(startResponse(db, { slug: "pham2020", browserKey: newToken(), invitationToken: token })).rejects.toThrow(/already been used/);
    await expect(startResponse(db, { slug: "pham2020", browserKey: newToken(), invitationToken: newToken() })).rejects.toThrow(/not valid/);
    const again = await invitationLinksCsv(db, admin, { listId: list.listId, secret: SECRET, baseUrl: "https://study.example.org" });
    expect(again.csv).toContain("completed");
    await expect(createInvitationList(db, admin, { questionnaireId: pham.id, name: "Empty", text: "email\n", secret: SECRET })).rejects.toThrow(/no addresses/);
  });
});
