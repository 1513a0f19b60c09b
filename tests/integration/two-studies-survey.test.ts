/**
 * Two studies side by side, each with a questionnaire with the SAME question ids but different responses and
 * different headlines: every survey dashboard loader, export and route handler returns only its own study's
 * numbers, and a questionnaire named in the URL that is not in the study is "not found", never another's data.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The session boundary only (as in the security tests): lib/auth/session, lib/db and every permission check run for real.
import "./security/session-boundary";
import type { Actor } from "@/lib/auth/permissions";
import { surveyFilterParamsSchema } from "@/lib/db/dashboard/filters";
import { listDashboardStudies } from "@/lib/db/dashboard/studies";
import { loadStudyResults } from "@/lib/db/dashboard/results";
import { createQuestionnaire, generateResponses, insertResponses, PHAM_901_COUNTS } from "@/lib/db/seed/synthetic";
import { resultRows } from "@/lib/dashboard/export";
import { EMPTY_HEADLINES, withHeadline } from "@/lib/dashboard/headlines";
import { createStudy, setStudyArchived } from "@/lib/db/studies";
import { createQuestionnaire as createQuestionnaireFromSource, deleteQuestionnaire, moveQuestionnaire, saveQuestionnaireHeadlines, setQuestionnaireArchived } from "@/lib/db/questionnaires";
import { proportionCI } from "@/lib/stats/proportion-ci";
import { AppError } from "@/lib/errors";
import { loadPhamDefinition, loadPhamHeadlines } from "./dashboard-fixtures";
import { MODES } from "./database-modes";
import { closeAppDatabase, openAppDatabase, type TestDatabase } from "./security/app-database";
import { routeRequest, setRequest } from "./security/request-context";

const definition = loadPhamDefinition();
const settings = { method: "wilson", level: 0.95, adjust: "holm" } as const;
const noFilter = surveyFilterParamsSchema.parse({});
/** Study B's Q26 answers: 4 yes, 6 maybe, 30 no (40 completed). */
const B_COUNTS = { Q20: { yes: 20, maybe: 10, no: 10 }, Q26: { yes: 4, maybe: 6, no: 30 } };
/** Study B's second questionnaire: 2 completed, Q26 both "no" (x = 0 for "yes": a zero-width Wald interval). */
const B2_COUNTS = { Q20: { yes: 1, maybe: 0, no: 1 }, Q26: { yes: 0, maybe: 0, no: 2 } };

const bHeadlines = withHeadline(EMPTY_HEADLINES, { id: "aware", label: "Aware of implementation-level variance", question: "Q26", anyOf: ["no"], method: "clopper-pearson", level: 0.9 });

describe.each(MODES)("two studies, same question ids (%s)", (mode) => {
  let db: TestDatabase;
  let admin: Actor & { sessionVersion: number };
  const ids = { alpha: "", beta: "", qa: "", qb: "", qb2: "" };

  beforeAll(async () => {
    db = await openAppDatabase(mode);
    const user = await db.prisma.user.create({ data: { email: `admin-${mode}@example.org`, name: "Admin", role: "ADMIN" } });
    admin = { id: user.id, role: "ADMIN", canAdjudicate: false, sessionVersion: user.sessionVersion };
    setRequest({ session: { uid: user.id, sv: user.sessionVersion }, headers: { "x-forwarded-for": "198.51.100.7" } });
    ids.alpha = (await createStudy(db, admin, { slug: "alpha", name: "Alpha study" })).id;
    ids.beta = (await createStudy(db, admin, { slug: "beta", name: "Beta study" })).id;
    const a = await createQuestionnaire(db, ids.alpha, definition, "survey-a", loadPhamHeadlines());
    const b = await createQuestionnaire(db, ids.beta, definition, "survey-b", bHeadlines);
    const b2 = await createQuestionnaire(db, ids.beta, definition, "survey-b2");
    Object.assign(ids, { qa: a.questionnaireId, qb: b.questionnaireId, qb2: b2.questionnaireId });
    await insertResponses(db, a.questionnaireId, a.versionId, generateResponses(definition, { count: 901, seed: 1, fixed: PHAM_901_COUNTS, completedShare: 1 }));
    await insertResponses(db, b.questionnaireId, b.versionId, generateResponses(definition, { count: 40, seed: 2, fixed: B_COUNTS, completedShare: 1 }));
    await insertResponses(db, b2.questionnaireId, b2.versionId, generateResponses(definition, { count: 2, seed: 3, fixed: B2_COUNTS, completedShare: 1 }));
  }, 240_000);
  afterAll(() => closeAppDatabase(db));

  const load = (slug: string, questionnaireSlug?: string, method: "wilson" | "wald" = "wilson") =>
    loadStudyResults(db, admin, slug, { settings: { ...settings, method }, filterParams: noFilter, questionnaireSlug });

  it("each study's overview shows its own questionnaire's headlines and counts", async () => {
    const alpha = await load("alpha");
    expect(alpha.survey!.questionnaire.slug).toBe("survey-a");
    expect(alpha.survey!.funnel.completed).toBe(901);
    const unaware = alpha.survey!.headlines.find((h) => h.id === "unaware_impl_variance")!;
    expect([unaware.x, unaware.n]).toEqual([755, 901]);

    const beta = await load("beta", "survey-b");
    expect(beta.survey!.funnel.completed).toBe(40);
    expect(beta.survey!.headlines.map((h) => h.id)).toEqual(["aware"]);
    const aware = beta.survey!.headlines[0]!;
    const ci = proportionCI({ x: 30, n: 40, method: "clopper-pearson", level: 0.9 });
    expect(aware).toMatchObject({ x: 30, n: 40, method: "Clopper–Pearson exact", level: 0.9, lower: ci.lower, upper: ci.upper });
  });

  it("a questionnaire of another study named in the URL is NOT_FOUND, never that questionnaire's or the first one's numbers", async () => {
    const error = await load("beta", "survey-a").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("NOT_FOUND");
    await expect(load("alpha", "no-such-questionnaire")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a study with two questionnaires shows the one asked for, and lists both for the chooser", async () => {
    const second = await load("beta", "survey-b2");
    expect(second.survey!.questionnaire.slug).toBe("survey-b2");
    expect(second.survey!.funnel.completed).toBe(2);
    expect(second.survey!.headlines).toEqual([]);
    expect(second.questionnaires.map((q) => q.slug)).toEqual(["survey-b", "survey-b2"]);
    const q26 = second.survey!.questions.find((q) => q.question.id === "Q26")!;
    expect(q26.options!.find((o) => o.optionId === "no")!.x).toBe(2);
  });

  it("the study list counts each study's own completed responses (not the sum of both)", async () => {
    const studies = await listDashboardStudies(db, admin);
    expect(studies.find((s) => s.slug === "alpha")!.completedResponses).toBe(901);
    expect(studies.find((s) => s.slug === "beta")!.completedResponses).toBe(42);
  });

  it("the results export of each study has only its own rows", async () => {
    const rowsA = resultRows(await load("alpha"));
    const rowsB = resultRows(await load("beta", "survey-b"));
    const q26Yes = (rows: ReturnType<typeof resultRows>) => rows.find((row) => row[1] === "question" && row[2] === "Q26" && row[4] === "Yes")!;
    expect(q26Yes(rowsA).slice(5, 7)).toEqual([571, 901]);
    expect(q26Yes(rowsB).slice(5, 7)).toEqual([4, 40]);
    expect(rowsB.some((row) => row[1] === "headline" && String(row[2]).startsWith("Unaware"))).toBe(false);
  });

  it("the results route handler keeps study and questionnaire, and 404s another study's questionnaire", async () => {
    const { GET } = await import("@/app/api/studies/[slug]/results/route");
    const call = (slug: string, query: string) => GET(routeRequest(`/api/studies/${slug}/results?${query}`), { params: Promise.resolve({ slug }) });
    const beta = await call("beta", "format=json&questionnaire=survey-b");
    expect(beta.status).toBe(200);
    const json = (await beta.json()) as { survey: { headlines: Array<{ id: string; x: number; n: number }> } };
    expect(json.survey.headlines.map((h) => [h.id, h.x, h.n])).toEqual([["aware", 30, 40]]);
    expect((await call("beta", "format=json&questionnaire=survey-a")).status).toBe(404);
    expect((await call("alpha", "format=csv&questionnaire=survey-b")).status).toBe(404);
  });

  it("the questionnaire export carries its own headlines (JSON and YAML)", async () => {
    const { GET } = await import("@/app/api/questionnaires/[id]/export/route");
    const call = (id: string, query: string) => GET(routeRequest(`/api/questionnaires/${id}/export?${query}`), { params: Promise.resolve({ id }) });
    const json = (await (await call(ids.qb, "format=json")).json()) as { headlines: { headlines: Array<{ id: string }> }; responses: unknown[] };
    expect(json.headlines.headlines.map((h) => h.id)).toEqual(["aware"]);
    expect(json.responses).toHaveLength(40);
    const yaml = await (await call(ids.qa, "format=headlines")).text();
    expect(yaml).toContain("unaware_impl_variance");
    expect(yaml).not.toContain("aware\n");
  });

  it("a Wald interval at x = 0 carries a zero-width caveat, a Wilson one does not", async () => {
    const wald = await load("beta", "survey-b2", "wald");
    const yes = wald.survey!.questions.find((q) => q.question.id === "Q26")!.options!.find((o) => o.optionId === "yes")!;
    expect([yes.x, yes.n, yes.lower, yes.upper]).toEqual([0, 2, 0, 0]);
    expect(yes.caveat?.kind).toBe("zero-width");
    expect(yes.caveat?.message).toMatch(/Wilson score or Clopper–Pearson/);
    const wilson = await load("beta", "survey-b2", "wilson");
    const yesWilson = wilson.survey!.questions.find((q) => q.question.id === "Q26")!.options!.find((o) => o.optionId === "yes")!;
    expect(yesWilson.upper).toBeGreaterThan(0);
    expect(yesWilson.caveat?.kind).toBe("tiny-n");
    expect(resultRows(wald).find((row) => row[1] === "question" && row[2] === "Q26" && row[4] === "Yes")![12]).toMatch(/zero width/);
  });

  it("creates a questionnaire in the study chosen on the form, never in another one", async () => {
    const { createQuestionnaireAction } = await import("@/app/admin/questionnaires/actions");
    const source = (id: string) => `id: ${id}\ntitle: Created in beta\nversion: 1\nlanguage: en\nwelcome: { text: Hello }\nconsent: { text: Agree?, agreeLabel: Yes, declineLabel: No }\nsections:\n  - id: s\n    title: S\n    questions:\n      - { id: Q26, type: single_choice, text: Sure?, options: [{ id: "yes", label: "Yes" }, { id: "no", label: "No" }] }\n`;
    const missing = await createQuestionnaireAction(null, formOf({ sourceText: source("no_study_q") }));
    expect(missing).toMatchObject({ ok: false, fieldErrors: { studyId: expect.any(String) } });
    expect(await db.prisma.questionnaire.findUnique({ where: { slug: "no_study_q" } })).toBeNull();
    const redirect = await createQuestionnaireAction(null, formOf({ sourceText: source("made_in_beta"), studyId: ids.beta })).catch((error: { digest?: string }) => error.digest);
    expect(typeof redirect === "string" ? redirect : JSON.stringify(redirect)).toMatch(/NEXT_REDIRECT/);
    const made = await db.prisma.questionnaire.findUniqueOrThrow({ where: { slug: "made_in_beta" }, select: { studyId: true } });
    expect(made.studyId).toBe(ids.beta);
    // The alpha overview is untouched by it.
    expect((await load("alpha")).questionnaires.map((q) => q.slug)).toEqual(["survey-a"]);
  });

  it("refuses a questionnaire in an archived study; moving is explicit and audited", async () => {
    await setStudyArchived(db, admin, { studyId: ids.alpha, archived: true });
    await expect(createQuestionnaireFromSource(db, admin, { sourceText: "id: x\ntitle: X\nversion: 1\nsections: []\n", studyId: ids.alpha })).rejects.toMatchObject({ code: expect.stringMatching(/CONFLICT|INVALID_INPUT/) });
    expect((await listDashboardStudies(db, admin)).map((s) => s.slug)).not.toContain("alpha");
    await setStudyArchived(db, admin, { studyId: ids.alpha, archived: false });

    const made = await db.prisma.questionnaire.findUniqueOrThrow({ where: { slug: "made_in_beta" } });
    await moveQuestionnaire(db, admin, { questionnaireId: made.id, studyId: ids.alpha });
    const audit = await db.prisma.auditEntry.findFirstOrThrow({ where: { action: "questionnaire.move", target: "made_in_beta" } });
    expect(audit.details).toEqual({ fromStudy: "beta", toStudy: "alpha" });
    expect((await load("alpha")).questionnaires.map((q) => q.slug)).toEqual(["survey-a", "made_in_beta"]);
  });

  it("headlines are validated against the questionnaire and stored per questionnaire", async () => {
    const bad = withHeadline(EMPTY_HEADLINES, { id: "bad", label: "Bad", question: "Q26", anyOf: ["perhaps"] });
    await expect(saveQuestionnaireHeadlines(db, admin, { questionnaireId: ids.qb2, config: bad, via: "test" })).rejects.toThrow(/Q26 has no answer "perhaps"/);
    await saveQuestionnaireHeadlines(db, admin, { questionnaireId: ids.qb2, config: withHeadline(EMPTY_HEADLINES, { id: "sure", label: "Sure", question: "Q26", anyOf: ["no"] }), via: "test" });
    expect((await load("beta", "survey-b2")).survey!.headlines.map((h) => [h.id, h.x, h.n])).toEqual([["sure", 2, 2]]);
    expect((await load("beta", "survey-b")).survey!.headlines.map((h) => h.id)).toEqual(["aware"]);
  });

  it("archives, and deletes only with the id typed and the responses confirmed", async () => {
    await setQuestionnaireArchived(db, admin, { questionnaireId: ids.qb2, archived: true });
    expect((await db.prisma.questionnaire.findUniqueOrThrow({ where: { id: ids.qb2 } })).status).toBe("CLOSED");
    await expect(deleteQuestionnaire(db, admin, { questionnaireId: ids.qb2, confirmSlug: "survey-b", deleteResponses: true })).rejects.toThrow(/Type the questionnaire's id/);
    await expect(deleteQuestionnaire(db, admin, { questionnaireId: ids.qb2, confirmSlug: "survey-b2", deleteResponses: false })).rejects.toThrow(/has 2 responses/);
    expect(await db.prisma.response.count({ where: { questionnaireId: ids.qb2 } })).toBe(2);
    const gone = await deleteQuestionnaire(db, admin, { questionnaireId: ids.qb2, confirmSlug: "survey-b2", deleteResponses: true });
    expect(gone).toEqual({ slug: "survey-b2", responses: 2 });
    expect(await db.prisma.questionnaire.findUnique({ where: { id: ids.qb2 } })).toBeNull();
    expect(await db.prisma.auditEntry.count({ where: { action: "questionnaire.delete", target: "survey-b2" } })).toBe(1);
    // The other questionnaires keep every response.
    expect((await load("beta", "survey-b")).survey!.funnel.completed).toBe(40);
    expect((await load("alpha")).survey!.funnel.completed).toBe(901);
  });
});

function formOf(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return form;
}
