/**
 * The dashboard's aggregate cache (lib/db/dashboard/cache.ts) against real writes, in both database modes:
 * a repeated view is served from the cache, and every kind of write — a participant's page save through the
 * real write path, a raw change of one answer row, codings, experiment runs, a write by another app instance —
 * shows on the next view.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { openDatabase, type Database } from "@/lib/db/engine/connection";
import { surveyFilterParamsSchema } from "@/lib/db/dashboard/filters";
import { loadStudyResults } from "@/lib/db/dashboard/results";
import { dataVersion } from "@/lib/db/dashboard/cache";
import { insertExperimentSet, insertLiterature } from "@/lib/db/seed/synthetic";
import { createQuestionnaire, publishQuestionnaireVersion, readQuestionnaireFile } from "@/lib/db/questionnaires";
import { savePage, startResponse } from "@/lib/db/responses";
import { newToken } from "@/lib/db/survey-tokens";
import { intervalSettingsFrom } from "@/lib/dashboard/intervals";
import { createStudyWithCodebook } from "./dashboard-fixtures";
import { makeAdmin, makeAnnotator, PHAM_FILE, PHAM_PAGES } from "./survey-helpers";
import { freshDatabase, MODES } from "./database-modes";

const settings = intervalSettingsFrom({});

describe.each(MODES)("dashboard cache (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Actor;
  let studyId: string;
  let coderIds: [string, string];
  const slug = "cache";

  const load = (database: Database = db, actor: Actor = admin, level?: number) =>
    loadStudyResults(database, actor, slug, { settings: level ? { ...settings, level } : settings, filterParams: surveyFilterParamsSchema.parse({}) });
  const q26 = (results: Awaited<ReturnType<typeof load>>) => {
    const question = results.survey!.questions.find((item) => item.question.id === "Q26")!;
    return { answered: question.answered, yes: question.options!.find((option) => option.optionId === "yes")!.x, no: question.options!.find((option) => option.optionId === "no")!.x };
  };

  beforeAll(async () => {
    db = await freshDatabase(mode);
    admin = await makeAdmin(db);
    const created = await createStudyWithCodebook(db, slug);
    studyId = created.study.id;
    coderIds = created.coderIds;
    const questionnaire = await createQuestionnaire(db, admin, { sourceText: readQuestionnaireFile(PHAM_FILE).sourceText, studyId });
    const version = await db.prisma.questionnaireVersion.findFirstOrThrow({ where: { questionnaireId: questionnaire.id } });
    await publishQuestionnaireVersion(db, admin, { questionnaireId: questionnaire.id, versionId: version.id });
  });
  afterAll(async () => db.drop());

  it("serves a repeated view from the cache, and shows each page a participant saves on the next view", async () => {
    const first = await load();
    const again = await load();
    // The same objects: nothing was recomputed.
    expect(again.survey!.questions).toBe(first.survey!.questions);
    expect(again.survey!.funnel).toBe(first.survey!.funnel);
    expect(again.study).toBe(first.study);
    expect(first.survey!.funnel.started).toBe(0);

    const allStarted = () =>
      loadStudyResults(db, admin, slug, { settings, filterParams: surveyFilterParamsSchema.parse({ status: "all" }) });
    const start = await startResponse(db, { slug: "pham2020", browserKey: newToken() });
    expect((await load()).survey!.funnel.started).toBe(1);
    for (const sectionId of Object.keys(PHAM_PAGES)) {
      const before = await load();
      const saved = await savePage(db, { slug: "pham2020", resumeToken: start.resumeToken, sectionId, fields: PHAM_PAGES[sectionId]! });
      expect(saved.ok, sectionId).toBe(true);
      const view = await load();
      // Only completed responses count by default; the funnel shows the started one at once.
      expect(view.survey!.funnel.started).toBe(1);
      expect(view.survey!.funnel.completed).toBe(sectionId === "awareness" ? 1 : 0);
      if (sectionId === "awareness") expect(view.survey!.questions).not.toBe(before.survey!.questions);
      // A page of an unfinished response cannot change completed-only results: they stay cached …
      else expect(view.survey!.questions).toBe(before.survey!.questions);
      // … while the view of all started responses shows the page's answers at once.
      const position = (await allStarted()).survey!.questions.find((item) => item.question.id === "position")!;
      expect(position.answered, sectionId).toBe(1);
    }
    const done = await load();
    expect(done.study.completedResponses).toBe(1);
    expect(q26(done)).toEqual({ answered: 1, yes: 1, no: 0 });
  });

  it("shows a change of one answer row made outside the app's write path (no response row touched)", async () => {
    const before = await load();
    expect(q26(before)).toEqual({ answered: 1, yes: 1, no: 0 });
    await db.sql.query(`UPDATE "Answer" SET "choiceIds" = '{no}', "value" = '{"choice":"no"}'::jsonb WHERE "questionId" = 'Q26'`);
    expect(q26(await load())).toEqual({ answered: 1, yes: 0, no: 1 });
    await db.sql.query(`DELETE FROM "Answer" WHERE "questionId" = 'Q26'`);
    expect(q26(await load()).answered).toBe(0);
  });

  it("shows new codings and experiment runs, and keys entries by the interval settings", async () => {
    const before = await load();
    expect(before.literature).toBeNull();
    await insertLiterature(db, { studyId, coderIds, perStratum: { "se-systems": 5, ai: 7 }, seed: 1 });
    const withPapers = await load();
    expect(withPapers.literature).not.toBeNull();
    expect(withPapers.study.finalCodes).toBe(12);

    expect(withPapers.experiments).toEqual([]);
    await insertExperimentSet(db, { studyId, id: `set-${mode}`, preset: "lenet1", setting: "default", accuracies: [0.9, 0.95], seconds: [1, 2] });
    expect((await load()).experiments!.map((row) => row.runs)).toEqual([2]);

    const at90 = await load(db, admin, 0.9);
    const at95 = await load();
    expect(at90.survey!.questions).not.toBe(at95.survey!.questions);
    expect(at90.settings.level).toBe(0.9);
  });

  it("checks the permission before handing out cached results", async () => {
    await load();
    const annotator = await makeAnnotator(db);
    await expect(load(db, annotator)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("bumps the data version in the writing transaction: a rolled-back or empty write leaves it as it was", async () => {
    const before = await dataVersion(db);
    await expect(
      db.sql.transaction(async (tx) => {
        await tx.query(`UPDATE "Response" SET "currentSection" = 'background'`);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await dataVersion(db)).toEqual(before);
    // A statement that matches no row changes nothing, so it keeps the cached aggregates.
    await db.sql.query(`DELETE FROM "Answer" WHERE "questionId" = 'no-such-question'`);
    await db.sql.query(`UPDATE "Response" SET "currentSection" = 'x' WHERE "id" = 'no-such-response'`);
    expect(await dataVersion(db)).toEqual(before);
    await db.sql.query(`UPDATE "Response" SET "currentSection" = NULL`);
    const afterSection = await dataVersion(db);
    expect(afterSection.survey).not.toBe(before.survey);
    expect(afterSection.literature).toBe(before.literature);
    // No completed-only aggregate reads a completed response's page: the completed-only versions stay.
    expect(afterSection.surveyCompleted).toBe(before.surveyCompleted);
    expect(afterSection.surveyCompletedEdit).toBe(before.surveyCompletedEdit);
    // Its start date is read (the date filter), so re-dating a completed response moves both.
    await db.sql.query(`UPDATE "Response" SET "startedAt" = "startedAt" - interval '1 day'`);
    const after = await dataVersion(db);
    expect(after.surveyCompleted).not.toBe(before.surveyCompleted);
    expect(after.surveyCompletedEdit).not.toBe(before.surveyCompletedEdit);
  });

  it.runIf(mode === "server")("sees a write made by another app instance on the same database", async () => {
    if (db.target.kind !== "server") throw new Error("server mode expected");
    const other = await openDatabase({ kind: "server", url: db.target.url });
    try {
      const cached = await load(db);
      await other.sql.query(`UPDATE "Answer" SET "choiceIds" = '{mlp}' WHERE "questionId" = 'frameworks'`);
      const fresh = await load(db);
      expect(fresh.survey!.questions).not.toBe(cached.survey!.questions);
      const frameworks = fresh.survey!.questions.find((item) => item.question.id === "frameworks")!;
      expect(frameworks.options!.find((option) => option.optionId === "tensorflow")!.x).toBe(0);
    } finally {
      await other.close();
    }
  });
});
