import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODES, freshDatabase } from "./database-modes";
import { makeAdmin, publishPham, PHAM_PAGES } from "./survey-helpers";
import { getParticipantState, recordDecline, savePage, startResponse } from "@/lib/db/responses";
import { listQuestionnaires, setQuestionnaireOpen, updateQuestionnaireSettings, getQuestionnaireDetail } from "@/lib/db/questionnaires";
import { newToken } from "@/lib/db/survey-tokens";
import { AppError } from "@/lib/errors";

describe.each(MODES)("participant flow (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Awaited<ReturnType<typeof makeAdmin>>;
  let questionnaireId: string;

  beforeAll(async () => {
    db = await freshDatabase(mode);
    admin = await makeAdmin(db);
    questionnaireId = (await publishPham(db, admin)).id;
  }, 60_000);
  afterAll(async () => db?.drop());

  const answerCount = (responseId: string) => db.prisma.answer.count({ where: { responseId } });

  it("declining stores only a count", async () => {
    await recordDecline(db, { slug: "pham2020" });
    const q = await db.prisma.questionnaire.findUniqueOrThrow({ where: { id: questionnaireId } });
    expect(q.declinedCount).toBe(1);
    expect(await db.prisma.response.count()).toBe(0);
  });

  it("saves page by page, resumes where it stopped, completes once", async () => {
    const browserKey = newToken();
    const start = await startResponse(db, { slug: "pham2020", browserKey });
    let state = await getParticipantState(db, { slug: "pham2020", resumeToken: start.resumeToken });
    expect(state?.kind === "page" && state.page.section.id).toBe("background");

    const first = await savePage(db, { slug: "pham2020", resumeToken: start.resumeToken, sectionId: "background", fields: PHAM_PAGES.background! });
    expect(first).toMatchObject({ ok: true, status: "page", sectionId: "default_runs", saved: 5 });
    // A replay of the same page writes the same rows once.
    await savePage(db, { slug: "pham2020", resumeToken: start.resumeToken, sectionId: "background", fields: PHAM_PAGES.background! });
    expect(await answerCount(start.responseId)).toBe(5);
    const years = await db.prisma.answer.findUniqueOrThrow({ where: { responseId_questionId: { responseId: start.responseId, questionId: "work_years" } } });
    expect(years.numberValue).toBe(6);
    const frameworks = await db.prisma.answer.findUniqueOrThrow({ where: { responseId_questionId: { responseId: start.responseId, questionId: "frameworks" } } });
    expect(frameworks.choiceIds).toEqual(["tensorflow", "pytorch"]);

    // "Closing the tab": the browser key alone resumes at the same page with a fresh token.
    const again = await startResponse(db, { slug: "pham2020", browserKey });
    expect(again).toMatchObject({ responseId: start.responseId, resumed: true });
    expect(await getParticipantState(db, { slug: "pham2020", resumeToken: start.resumeToken })).toBeNull();
    state = await getParticipantState(db, { slug: "pham2020", resumeToken: again.resumeToken });
    expect(state?.kind === "page" && state.page.section.id).toBe("default_runs");
    expect(state?.kind === "page" && state.answers.position).toEqual({ choice: "industry" });

    // Validation in plain words, nothing stored for the failed page.
    const bad = await savePage(db, { slug: "pham2020", resumeToken: again.resumeToken, sectionId: "default_runs", fields: { "q.Q20": "yes" } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.fieldErrors.Q21).toBe("Please answer this question.");
    expect(await answerCount(start.responseId)).toBe(5);

    for (const sectionId of ["default_runs", "fixed_seed", "practice"]) {
      const result = await savePage(db, { slug: "pham2020", resumeToken: again.resumeToken, sectionId, fields: PHAM_PAGES[sectionId]! });
      expect(result.ok).toBe(true);
    }
    const last = await savePage(db, { slug: "pham2020", resumeToken: again.resumeToken, sectionId: "awareness", fields: PHAM_PAGES.awareness! });
    expect(last).toMatchObject({ ok: true, status: "completed" });
    const total = Object.values(PHAM_PAGES).reduce((n, page) => n + Object.keys(page).length, 0);
    expect(await answerCount(start.responseId)).toBe(total);
    // Submitting the last page again (double click, replay) changes nothing.
    const replay = await savePage(db, { slug: "pham2020", resumeToken: again.resumeToken, sectionId: "awareness", fields: { "q.aware_impl": "yes" } });
    expect(replay).toMatchObject({ ok: true, status: "completed", saved: 0 });
    expect(await db.prisma.response.count({ where: { questionnaireId } })).toBe(1);
    const response = await db.prisma.response.findUniqueOrThrow({ where: { id: start.responseId } });
    expect(response.status).toBe("COMPLETED");
    expect(response.randomSeed).not.toBeNull();
    expect((response.presentation as { options: Record<string, string[]> }).options.frameworks).toHaveLength(9);
    // One response per browser unless the admin allows more.
    await expect(startResponse(db, { slug: "pham2020", browserKey })).rejects.toThrow(/already completed/);
  });

  it("skip logic: a hidden follow-up answer is dropped at the end; Back keeps valid answers", async () => {
    const start = await startResponse(db, { slug: "pham2020", browserKey: newToken() });
    const token = start.resumeToken;
    await savePage(db, { slug: "pham2020", resumeToken: token, sectionId: "background", fields: PHAM_PAGES.background! });
    const back = await savePage(db, { slug: "pham2020", resumeToken: token, sectionId: "default_runs", fields: { "q.Q20": "no", "q.time_default": "abc" }, direction: "back" });
    expect(back).toMatchObject({ ok: true, status: "page", sectionId: "background" });
    const q20 = await db.prisma.answer.findUnique({ where: { responseId_questionId: { responseId: start.responseId, questionId: "Q20" } } });
    expect(q20?.choiceIds).toEqual(["no"]);
    await savePage(db, { slug: "pham2020", resumeToken: token, sectionId: "background", fields: PHAM_PAGES.background! });
    // Q20 = no hides Q21; its submitted value is ignored.
    const page = await savePage(db, { slug: "pham2020", resumeToken: token, sectionId: "default_runs", fields: { "q.Q20": "no", "q.Q21": "upto5", "q.time_default": "none" } });
    expect(page).toMatchObject({ ok: true, sectionId: "fixed_seed" });
    for (const sectionId of ["fixed_seed", "practice", "awareness"]) await savePage(db, { slug: "pham2020", resumeToken: token, sectionId, fields: PHAM_PAGES[sectionId]! });
    const ids = (await db.prisma.answer.findMany({ where: { responseId: start.responseId } })).map((a) => a.questionId);
    expect(ids).toContain("Q20");
    expect(ids).not.toContain("Q21");
    expect(ids).not.toContain("Q21_class");
  });

  it("concurrent starts from one browser give one response; concurrent saves one set of rows", async () => {
    const browserKey = newToken();
    const starts = await Promise.all([1, 2, 3].map(() => startResponse(db, { slug: "pham2020", browserKey })));
    expect(new Set(starts.map((s) => s.responseId)).size).toBe(1);
    const responseId = starts[0]!.responseId;
    const token = (await startResponse(db, { slug: "pham2020", browserKey })).resumeToken;
    const results = await Promise.all([1, 2, 3, 4].map(() => savePage(db, { slug: "pham2020", resumeToken: token, sectionId: "background", fields: PHAM_PAGES.background! })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await answerCount(responseId)).toBe(5);
  });

  it("saves racing on one response apply one after the other; nothing is written after completion", async () => {
    const start = await startResponse(db, { slug: "pham2020", browserKey: newToken() });
    const save = (sectionId: string, fields = PHAM_PAGES[sectionId]!) => savePage(db, { slug: "pham2020", resumeToken: start.resumeToken, sectionId, fields });
    for (const sectionId of ["background", "default_runs", "fixed_seed", "practice"]) await save(sectionId);
    const changedBackground = { ...PHAM_PAGES.background!, "q.work_years": "7" };
    const results = await Promise.all([
      ...[1, 2, 3].map(() => save("awareness")),
      ...[1, 2, 3].map(() => save("background", changedBackground)),
    ]);
    expect(results.every((result) => result.ok)).toBe(true);
    const response = await db.prisma.response.findUniqueOrThrow({ where: { id: start.responseId }, include: { answers: true } });
    expect(response.status).toBe("COMPLETED");
    expect(response.answers.every((answer) => answer.updatedAt <= response.completedAt!)).toBe(true);
    expect(new Set(response.answers.map((answer) => answer.questionId)).size).toBe(response.answers.length);
    // Either the change landed before completion or it was answered "completed" and changed nothing.
    const years = response.answers.find((answer) => answer.questionId === "work_years")!.numberValue;
    const changeLanded = results.slice(3).some((result) => result.ok && result.status === "page");
    expect(years).toBe(changeLanded ? 7 : 6);
  });

  it("allowRepeat, quota, dates and closing give clear messages", async () => {
    await updateQuestionnaireSettings(db, admin, { questionnaireId, opensAt: null, closesAt: null, maxResponses: 1, allowRepeat: true, publicLinkOpen: true });
    await expect(startResponse(db, { slug: "pham2020", browserKey: newToken() })).rejects.toThrow(/all the responses it needs/);
    await updateQuestionnaireSettings(db, admin, { questionnaireId, opensAt: new Date(Date.now() + 86_400_000), closesAt: null, maxResponses: null, allowRepeat: true, publicLinkOpen: true });
    await expect(startResponse(db, { slug: "pham2020", browserKey: newToken() })).rejects.toThrow(/opens on/);
    await updateQuestionnaireSettings(db, admin, { questionnaireId, opensAt: null, closesAt: null, maxResponses: null, allowRepeat: false, publicLinkOpen: false });
    await expect(startResponse(db, { slug: "pham2020", browserKey: newToken() })).rejects.toThrow(/invitation link/);
    await updateQuestionnaireSettings(db, admin, { questionnaireId, opensAt: null, closesAt: null, maxResponses: null, allowRepeat: false, publicLinkOpen: true });
    await setQuestionnaireOpen(db, admin, { questionnaireId, open: false });
    await expect(startResponse(db, { slug: "pham2020", browserKey: newToken() })).rejects.toBeInstanceOf(AppError);
    await setQuestionnaireOpen(db, admin, { questionnaireId, open: true });
    await expect(startResponse(db, { slug: "pham2020", browserKey: newToken() })).resolves.toMatchObject({ resumed: false });
  });

  it("the admin list counts started, completed and drop-off by page", async () => {
    const [summary] = await listQuestionnaires(db, admin);
    const completed = await db.prisma.response.count({ where: { status: "COMPLETED" } });
    const inProgress = await db.prisma.response.count({ where: { status: "IN_PROGRESS" } });
    expect(summary).toMatchObject({ slug: "pham2020", completed, inProgress, started: completed + inProgress, declined: 1, status: "OPEN", currentVersion: 1 });
    const detail = await getQuestionnaireDetail(db, admin, questionnaireId);
    expect(detail.dropOff.reduce((n, d) => n + d.count, 0)).toBe(inProgress);
    expect(detail.dropOff.find((d) => d.sectionId === "default_runs")?.title).toBe("Identical training runs");
  });

  it("an unknown or forged resume token finds nothing", async () => {
    expect(await getParticipantState(db, { slug: "pham2020", resumeToken: newToken() })).toBeNull();
    await expect(savePage(db, { slug: "pham2020", resumeToken: "x", sectionId: "background", fields: {} })).rejects.toThrow(/session has ended/);
  });
});
