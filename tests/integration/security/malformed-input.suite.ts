import { beforeAll, describe, expect, it } from "vitest";
import { sharedWorld } from "./world";
import { databaseFingerprint, type MatrixContext } from "./matrix-context";
import type { MatrixRole } from "./matrix";
import { formData, redirectTarget } from "./request-context";

/** Words of a validation library or a stack trace: a person filling in a form should never read these. */
const JARGON = /expected|received|NaN|undefined|null|Invalid input|Invalid option|ZodError|Too (small|big)|regex|\bat .*\(|TypeError/;

type Case = { action: string; role: MatrixRole; fields: Record<string, string>; load: () => Promise<(previous: null, form: FormData) => Promise<unknown>> };

const admin = (action: string, fields: Record<string, string>, load: Case["load"]): Case => ({ action, role: "admin", fields, load });

/**
 * Every server action, sent input a person could type (or a tampered form could send): each must refuse with
 * plain words, give back what was typed, and change nothing.
 */
const CASES: Case[] = [
  admin("createUserAction", { email: "not an email", name: "", password: "short", role: "ROOT" }, async () => (await import("@/app/admin/users/actions")).createUserAction),
  admin("updateUserAccessAction", { userId: "", role: "OWNER" }, async () => (await import("@/app/admin/users/actions")).updateUserAccessAction),
  admin("setUserActiveAction", { userId: "someone", isActive: "perhaps" }, async () => (await import("@/app/admin/users/actions")).setUserActiveAction),
  admin("createStudyAction", { slug: "Bad Slug!", name: "x" }, async () => (await import("@/app/admin/literature/actions")).createStudyAction),
  admin("savePopulationAction", { studyId: "s", sourceText: "venues: [unclosed" }, async () => (await import("@/app/admin/literature/actions")).savePopulationAction),
  admin("installCodebookAction", { studyId: "s", sourceText: "questions: {{" }, async () => (await import("@/app/admin/literature/actions")).installCodebookAction),
  admin("drawSampleAction", { studyId: "s", kind: "weird", n: "abc", seed: "-1" }, async () => (await import("@/app/admin/literature/actions")).drawSampleAction),
  admin("extendSampleAction", { studyId: "s", additional: "lots" }, async () => (await import("@/app/admin/literature/actions")).extendSampleAction),
  admin("assignCodersAction", { studyId: "s", codersPerPaper: "two", calibrationSize: "1.5", seed: "x" }, async () => (await import("@/app/admin/literature/actions")).assignCodersAction),
  admin("startRunnerJobAction", { preset: "no-such-preset", setting: "sometimes", runs: "many", workers: "0" }, async () => (await import("@/app/admin/experiments/actions")).startRunnerJobAction),
  admin("cancelRunnerJobAction", { jobId: "" }, async () => (await import("@/app/admin/experiments/actions")).cancelRunnerJobAction),
  admin("deleteExperimentSetAction", { setId: "" }, async () => (await import("@/app/admin/experiments/actions")).deleteExperimentSetAction),
  admin("createQuestionnaireAction", { sourceText: "id: [unclosed" }, async () => (await import("@/app/admin/questionnaires/actions")).createQuestionnaireAction),
  admin("saveDraftAction", { questionnaireId: "", sourceText: "title: only" }, async () => (await import("@/app/admin/questionnaires/actions")).saveDraftAction),
  admin("publishAction", { questionnaireId: "q", versionId: "" }, async () => (await import("@/app/admin/questionnaires/actions")).publishAction),
  admin("setOpenAction", { questionnaireId: "q", open: "perhaps" }, async () => (await import("@/app/admin/questionnaires/actions")).setOpenAction),
  admin("settingsAction", { questionnaireId: "q", opensAt: "tomorrow", closesAt: "31/12/2026", maxResponses: "ten" }, async () => (await import("@/app/admin/questionnaires/actions")).settingsAction),
  admin("createInvitationsAction", { questionnaireId: "q", name: "  ", labels: "" }, async () => (await import("@/app/admin/questionnaires/actions")).createInvitationsAction),
  { action: "saveCodingAction", role: "annotator", fields: { assignmentId: "a", answers: "not json", note: "my note", intent: "maybe" }, load: async () => (await import("@/app/code/actions")).saveCodingAction },
  { action: "resolvePaperAction", role: "adjudicator", fields: { paperId: "p", answers: "{", reason: "because" }, load: async () => (await import("@/app/code/adjudicate/actions")).resolvePaperAction },
  { action: "createFirstAdminAction", role: "anonymous", fields: { email: "me@", name: "Me", password: "long-enough-1", confirmPassword: "different-1" }, load: async () => (await import("@/app/setup/actions")).createFirstAdminAction },
];

describe("malformed input to server actions (embedded)", () => {
  let db: Awaited<ReturnType<typeof sharedWorld>>["db"];
  let ctx: MatrixContext;

  beforeAll(async () => {
    ({ db, ctx } = await sharedWorld());
  }, 240_000);

  it.each(CASES.map((c) => [c.action, c] as const))("%s refuses in plain words, keeps what was typed, changes nothing", async (_name, testCase) => {
    ctx.enter(testCase.role);
    const form = formData(testCase.fields);
    const before = await databaseFingerprint(db);
    const action = await testCase.load();
    let result: { ok?: boolean; error?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };
    try {
      result = (await action(null, form)) as typeof result;
    } catch (error) {
      throw new Error(`threw instead of answering (redirect: ${redirectTarget(error)}): ${String(error)}`);
    }
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/\w/);
    const messages = [result.error!, ...Object.values(result.fieldErrors ?? {})];
    for (const message of messages) expect(message, `"${message}"`).not.toMatch(JARGON);
    for (const [key, value] of Object.entries(testCase.fields)) if (!/password/i.test(key)) expect(result.values?.[key], `value of ${key} kept`).toBe(value);
    expect(await databaseFingerprint(db)).toEqual(before);
  });

  it("participant actions answer damaged forms in plain words and give the typed answers back", async () => {
    const { consentAction, savePageAction } = await import("@/app/s/[slug]/actions");
    ctx.enter("participant");
    const before = await databaseFingerprint(db);
    const consent = formData({ slug: ctx.slug, choice: "maybe" });
    expect(await consentAction(null, consent)).toEqual({ ok: false, error: "Please choose whether you want to take part." });
    const page = formData({ _slug: ctx.slug, _section: "not a section!", "q.comments": "What I typed" });
    expect(await savePageAction(null, page)).toEqual({ ok: false, error: "This page could not be read. Please reload it.", fields: { "q.comments": "What I typed" } });
    const unknownSection = formData({ _slug: ctx.slug, _section: "no_such_section", "q.comments": "Still mine" });
    const answer = (await savePageAction(null, unknownSection)) as { error?: string; fields?: Record<string, unknown> };
    expect(answer.error ?? "").not.toMatch(JARGON);
    expect(answer.fields).toMatchObject({ "q.comments": "Still mine" });
    expect(await databaseFingerprint(db)).toEqual(before);
  });
});
