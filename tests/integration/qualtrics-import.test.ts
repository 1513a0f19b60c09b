/**
 * Issue 18 end to end at the data layer: a questionnaire created from a .qsf (no YAML written), left a draft;
 * a Qualtrics export with unfinished, preview and duplicate rows, a renamed column mapped by hand and a
 * non-UTC time zone; preview counts before anything is written; undo and redo; two studies kept apart.
 */
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODES, freshDatabase } from "./database-modes";
import { makeAdmin } from "./survey-helpers";
import { commitImport, listImports, previewImport, undoImport } from "@/lib/db/response-imports";
import { createQuestionnaire, getQuestionnaireDetail } from "@/lib/db/questionnaires";
import { exportResponseRecords } from "@/lib/db/survey-export";
import { questionnaireFromQsf } from "@/lib/io/qualtrics-qsf";
import { groupImportErrors } from "@/lib/io/import-error-groups";
import { makeExport, makeQsf, standardRows } from "../unit/io/qualtrics-fixtures";

const qsfSource = (id: string): string => {
  const converted = questionnaireFromQsf(makeQsf());
  if (!converted.ok) throw new Error(converted.error);
  return stringify({ ...converted.definition, id });
};

describe.each(MODES)("Qualtrics in (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Awaited<ReturnType<typeof makeAdmin>>;
  let first: { id: string };
  let second: { id: string };
  // Q5 renamed by someone in a spreadsheet, text changed too: nothing matches it automatically.
  const renamed = makeExport(standardRows, { renameQ5: "years_dl", q5Text: "Experience (years)" });

  beforeAll(async () => {
    db = await freshDatabase(mode);
    admin = await makeAdmin(db);
    const studyA = await db.prisma.study.create({ data: { slug: "study-a", name: "Study A" } });
    const studyB = await db.prisma.study.create({ data: { slug: "study-b", name: "Study B" } });
    first = await createQuestionnaire(db, admin, { sourceText: qsfSource("practice_a"), studyId: studyA.id });
    second = await createQuestionnaire(db, admin, { sourceText: qsfSource("practice_b"), studyId: studyB.id });
  }, 60_000);
  afterAll(async () => db?.drop());

  it("previews a draft questionnaire's import: counts by status, the renamed column unmatched, nothing written", async () => {
    const preview = await previewImport(db, admin, { questionnaireId: first.id, text: renamed });
    if (!preview.ok) throw new Error(JSON.stringify(preview.errors));
    expect(preview.freezesDraft).toBe(true);
    expect(preview.preview.timeZone).toBe("America/Denver");
    expect(preview.preview.unmappedQuestionIds).toEqual(["Q5"]);
    expect(preview.preview.columns.find((column) => column.name === "years_dl")).toMatchObject({ column: 18, matchedBy: "none" });
    expect(preview.check).toEqual({ ok: true, imported: 5, summary: expect.objectContaining({ complete: 3, partial: 2, excludedTestResponses: 1 }) });
    expect(await db.prisma.response.count()).toBe(0);
    expect((await db.prisma.questionnaire.findUniqueOrThrow({ where: { id: first.id } })).currentVersionId).toBeNull();
  });

  it("imports with the column mapped by hand into a draft, honours the time zone and places unfinished responses", async () => {
    const outcome = await commitImport(db, admin, { questionnaireId: first.id, fileName: "export.csv", text: renamed, options: { questionKeyOverrides: { years_dl: "Q5" } } });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    expect(outcome).toMatchObject({ imported: 5, timeZone: "America/Denver", summary: { complete: 3, partial: 2, excludedTestResponses: 1 } });

    const questionnaire = await db.prisma.questionnaire.findUniqueOrThrow({ where: { id: first.id }, include: { currentVersion: true } });
    expect(questionnaire.status).toBe("DRAFT"); // not opened to the public
    expect(questionnaire.currentVersion?.publishedAt).not.toBeNull(); // frozen: the responses keep their version

    const responses = await db.prisma.response.findMany({ where: { questionnaireId: first.id }, include: { answers: true }, orderBy: { externalId: "asc" } });
    const r2 = responses.find((response) => response.externalId === "R_2");
    // 2026-07-01 23:50 in Denver (daylight time, UTC-6) is 05:50 UTC the next day.
    expect(r2?.startedAt.toISOString()).toBe("2026-07-02T05:50:00.000Z");
    expect(r2?.completedAt?.toISOString()).toBe("2026-07-02T06:10:00.000Z");
    expect(r2?.answers.find((answer) => answer.questionId === "Q5")?.numberValue).toBe(12);
    // R_4 answered page 1 and 2 (PyTorch shows the matrix page): stopped on "Practice"; R_5 only page 1.
    expect(responses.find((response) => response.externalId === "R_4")?.currentSection).toBe("practice");
    expect(responses.find((response) => response.externalId === "R_5")?.currentSection).toBe("about_you_page_2");
    expect(responses.filter((response) => response.status === "COMPLETED").every((response) => response.currentSection === null)).toBe(true);

    const detail = await getQuestionnaireDetail(db, admin, first.id);
    expect(detail.versions[0]?.responseCount).toBe(5);
    const exported = await exportResponseRecords(db, admin, { questionnaireId: first.id, includePartial: true });
    expect(exported.records.find((record) => record.responseId === "R_4")?.progress).toBe(67);
    expect(exported.records.find((record) => record.responseId === "R_5")?.progress).toBe(33);

    // Nothing reached the other study's questionnaire with the same question ids.
    expect(await db.prisma.response.count({ where: { questionnaireId: second.id } })).toBe(0);
  });

  it("remembers the hand mapping for the next import, and reports duplicates at the ResponseId column", async () => {
    const again = await previewImport(db, admin, { questionnaireId: first.id, text: renamed });
    if (!again.ok) throw new Error("preview failed");
    expect(again.usedSavedMapping).toBe(true);
    expect(again.overrides).toEqual({ years_dl: "Q5" });
    expect(again.preview.unmappedQuestionIds).toEqual([]);
    expect(again.check.ok).toBe(false);
    if (again.check.ok) return;
    expect(again.check.errors).toHaveLength(5);
    expect(again.check.errors[0]).toMatchObject({ row: 4, column: 8, columnName: "ResponseId" });
    const groups = groupImportErrors(again.check.errors);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ count: 5, columnName: "ResponseId" });
    expect(groups[0]?.examples.map((example) => example.row)).toEqual([4, 5, 6]);
    // The other questionnaire has no saved mapping: its preview is not influenced.
    const other = await previewImport(db, admin, { questionnaireId: second.id, text: renamed });
    expect(other.ok && other.usedSavedMapping).toBe(false);
  });

  it("reports a duplicate inside the file at the ResponseId column, with the right row, and writes nothing", async () => {
    const duplicated = makeExport([...standardRows, { ...standardRows[1]!, q4: "again" }]);
    const outcome = await commitImport(db, admin, { questionnaireId: second.id, fileName: "dup.csv", text: duplicated, options: { questionKeyOverrides: {} } });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors).toEqual([expect.objectContaining({ row: 10, column: 8, columnName: "ResponseId", message: expect.stringContaining("row 5") })]);
    expect(await db.prisma.response.count({ where: { questionnaireId: second.id } })).toBe(0);
    expect(await db.prisma.responseImport.count({ where: { questionnaireId: second.id } })).toBe(0);
  });

  it("undoes a whole import (audited), refuses a second undo and another questionnaire's import, and imports again", async () => {
    const [latest] = await listImports(db, admin, { questionnaireId: first.id });
    expect(latest).toMatchObject({ responseCount: 5, undoneAt: null, timeZone: "America/Denver" });
    await expect(undoImport(db, admin, { questionnaireId: second.id, importId: latest!.id })).rejects.toThrow(/does not exist/);
    expect(await undoImport(db, admin, { questionnaireId: first.id, importId: latest!.id })).toEqual({ removed: 5 });
    expect(await db.prisma.response.count({ where: { questionnaireId: first.id } })).toBe(0);
    expect(await db.prisma.answer.count({ where: { response: { questionnaireId: first.id } } })).toBe(0);
    await expect(undoImport(db, admin, { questionnaireId: first.id, importId: latest!.id })).rejects.toThrow(/undone already/);
    const audit = await db.prisma.auditEntry.findFirst({ where: { action: "responses.import-undo" } });
    expect(audit?.details).toMatchObject({ importId: latest!.id, responses: 5 });
    const [undone] = await listImports(db, admin, { questionnaireId: first.id });
    expect(undone).toMatchObject({ responseCount: 0, undoneAt: expect.any(Date) });

    // Redo: the saved mapping still applies, the ids are free again.
    const redo = await commitImport(db, admin, { questionnaireId: first.id, fileName: "export.csv", text: renamed });
    expect(redo).toMatchObject({ ok: true, imported: 5 });
    expect(await db.prisma.response.count({ where: { questionnaireId: first.id } })).toBe(5);
  });
});
