import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sharedWorld } from "./world";
import { databaseFingerprint, SECRET, type MatrixContext } from "./matrix-context";
import { formData, redirectTarget, routeRequest } from "./request-context";
import { getAdjudicationView, listConflicts } from "@/lib/db/adjudication";
import { getCodingTask, getCoderQueue, getOwnCoding } from "@/lib/db/coding";
import { getParticipantState, startResponse } from "@/lib/db/responses";
import { getQuestionnaireDetail, publishQuestionnaireVersion } from "@/lib/db/questionnaires";
import { getExperimentSet } from "@/lib/db/experiments";
import { invitationToken, newToken } from "@/lib/db/survey-tokens";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/permissions";

/** The digest Next's notFound() throws, so a page that answers 404 can be told from one that renders. */
async function pageOutcome(render: () => Promise<unknown>): Promise<"rendered" | "not-found" | `redirect ${string}`> {
  try {
    await render();
    return "rendered";
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? "";
    if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) return "not-found";
    const target = redirectTarget(error);
    if (target !== null) return `redirect ${target}`;
    throw error;
  }
}

const notFound = (promise: Promise<unknown>) => expect(promise).rejects.toSatisfy((error: unknown) => error instanceof AppError && error.code === "NOT_FOUND");

/**
 * Guessing or reusing ids: another coder's assignment, a paper still being coded, another questionnaire's
 * response or invitation, ids that do not exist. Each must give nothing away, whichever way it is asked:
 * page data functions, pages, server actions and route handlers.
 */
describe("object-level access (embedded)", () => {
  let db: Awaited<ReturnType<typeof sharedWorld>>["db"];
  let ctx: MatrixContext;
  let ada: Actor;
  let grace: Actor;
  let graceAssignments: { id: string; paperId: string }[];

  beforeAll(async () => {
    ({ db, ctx } = await sharedWorld());
    ada = ctx.users.annotator;
    grace = ctx.users.adjudicator;
    graceAssignments = await db.prisma.assignment.findMany({ where: { coderId: grace.id }, select: { id: true, paperId: true } });
  }, 240_000);

  it("an annotator cannot read another coder's assignments or codes through the data functions", async () => {
    expect(graceAssignments.length).toBeGreaterThan(0);
    const codedByGrace = await db.prisma.coding.findMany({ where: { assignment: { coderId: grace.id } }, select: { assignmentId: true } });
    expect(codedByGrace.length).toBeGreaterThan(0);
    for (const { id } of graceAssignments) await notFound(getCodingTask(db, ada, id));
    for (const { assignmentId } of codedByGrace) await notFound(getOwnCoding(db, ada, assignmentId));
    // Paper ids and made-up ids are no way in either.
    await notFound(getCodingTask(db, ada, graceAssignments[0]!.paperId));
    await notFound(getCodingTask(db, ada, randomUUID()));
    const queue = await getCoderQueue(db, ada);
    const visible = JSON.stringify(queue);
    for (const { id } of graceAssignments) expect(visible).not.toContain(id);
  });

  it("the coding page answers 404 for another coder's assignment and renders for one's own", async () => {
    const { default: CodePaperPage } = await import("@/app/code/[assignmentId]/page");
    const own = await db.prisma.assignment.findFirstOrThrow({ where: { coderId: ada.id } });
    ctx.enter("annotator");
    expect(await pageOutcome(() => CodePaperPage({ params: Promise.resolve({ assignmentId: graceAssignments[0]!.id }), searchParams: Promise.resolve({}) }))).toBe("not-found");
    expect(await pageOutcome(() => CodePaperPage({ params: Promise.resolve({ assignmentId: own.id }), searchParams: Promise.resolve({}) }))).toBe("rendered");
    ctx.enter("anonymous");
    expect(await pageOutcome(() => CodePaperPage({ params: Promise.resolve({ assignmentId: own.id }), searchParams: Promise.resolve({}) }))).toMatch(/^redirect \/login\?callbackUrl=/);
  });

  it("an annotator cannot change another coder's codes through the action, by any intent", async () => {
    const { saveCodingAction } = await import("@/app/code/actions");
    ctx.enter("annotator");
    const target = graceAssignments[0]!;
    for (const intent of ["draft", "skip", "submit"]) {
      const before = await databaseFingerprint(db);
      const form = formData({ assignmentId: target.id, answers: JSON.stringify({ trainsDL: "no" }), intent });
      let result: unknown;
      try {
        result = await saveCodingAction(null, form);
      } catch (error) {
        result = { redirect: redirectTarget(error) };
      }
      expect(result).toMatchObject({ ok: false, error: "That paper is not in your queue." });
      expect(await databaseFingerprint(db)).toEqual(before);
    }
  });

  it("before adjudication opens (a coder still working), even an adjudicator sees no one's codes of that paper", async () => {
    // ada drafts a paper grace has not coded: the paper is still being coded.
    const { saveCodingAction } = await import("@/app/code/actions");
    ctx.enter("annotator");
    const form = formData({ assignmentId: ctx.ids.annotatorAssignment, answers: JSON.stringify({ trainsDL: "yes", multipleRuns: "no" }), note: "ada's private draft note", intent: "draft" });
    expect(await saveCodingAction(null, form)).toMatchObject({ ok: true });
    const { paperId } = await db.prisma.assignment.findUniqueOrThrow({ where: { id: ctx.ids.annotatorAssignment } });
    await notFound(getAdjudicationView(db, grace, paperId));
    expect(JSON.stringify(await listConflicts(db, grace))).not.toContain(paperId);
    const { default: AdjudicatePaperPage } = await import("@/app/code/adjudicate/[paperId]/page");
    ctx.enter("adjudicator");
    expect(await pageOutcome(() => AdjudicatePaperPage({ params: Promise.resolve({ paperId }) }))).toBe("not-found");
    // grace's own task for the same paper shows her codes only, never ada's draft.
    const graceTask = graceAssignments.find((item) => item.paperId === paperId);
    if (graceTask) expect(JSON.stringify(await getCodingTask(db, grace, graceTask.id))).not.toContain("ada's private draft note");
    // The admin's export holds final codes, not a coder's draft.
    ctx.enter("admin");
    const { GET } = await import("@/app/api/literature/export/route");
    const exported = await (await GET(routeRequest(`/api/literature/export?studyId=${ctx.ids.study}&format=json`))).text();
    expect(exported).not.toContain("ada's private draft note");
  });

  it("a resume token opens only its own response of its own questionnaire; a response id is not a token", async () => {
    const state = await getParticipantState(db, { slug: ctx.slug, resumeToken: ctx.participantToken() });
    expect(state?.kind).toBe("page");
    const other = await startResponse(db, { slug: ctx.slug, browserKey: newToken() });
    expect(await getParticipantState(db, { slug: "spare_mini", resumeToken: other.resumeToken })).toBeNull();
    expect(await getParticipantState(db, { slug: ctx.slug, resumeToken: other.responseId })).toBeNull();
    expect(await getParticipantState(db, { slug: ctx.slug, resumeToken: newToken() })).toBeNull();
    // Through the resume link: a guessed token sets no cookie and leads to the "unknown link" page.
    ctx.enter("anonymous");
    const { GET } = await import("@/app/s/[slug]/resume/route");
    const guessed = await GET(routeRequest(`/s/${ctx.slug}/resume?r=${newToken()}`), { params: Promise.resolve({ slug: ctx.slug }) });
    expect(new URL(guessed.headers.get("location")!).pathname).toBe(`/s/${ctx.slug}/resume/unknown`);
    expect(guessed.headers.get("set-cookie")).toBeNull();
  });

  it("an invitation of one questionnaire does not open another, and a guessed one is refused", async () => {
    const version = await db.prisma.questionnaireVersion.findFirstOrThrow({ where: { questionnaireId: ctx.ids.spareQuestionnaire } });
    await publishQuestionnaireVersion(db, ctx.users.admin, { questionnaireId: ctx.ids.spareQuestionnaire, versionId: version.id });
    const invitation = await db.prisma.invitation.findFirstOrThrow({ where: { listId: ctx.ids.invitationList } });
    const token = invitationToken(SECRET, invitation.id);
    const before = await db.prisma.response.count();
    await notFound(startResponse(db, { slug: "spare_mini", browserKey: newToken(), invitationToken: token }));
    await notFound(startResponse(db, { slug: ctx.slug, browserKey: newToken(), invitationToken: newToken() }));
    expect(await db.prisma.response.count()).toBe(before);
  });

  it("made-up ids get 'not found' from every admin route and data function, never another object or an error page", async () => {
    ctx.enter("admin");
    const ghost = randomUUID();
    await notFound(getQuestionnaireDetail(db, ctx.users.admin, ghost));
    await notFound(getExperimentSet(db, ctx.users.admin, { setId: ghost }));
    const routes: Array<[string, () => Promise<Response>]> = [
      ["questionnaire export", async () => (await import("@/app/api/questionnaires/[id]/export/route")).GET(routeRequest(`/api/questionnaires/${ghost}/export`), { params: Promise.resolve({ id: ghost }) })],
      ["invitation links", async () => (await import("@/app/api/questionnaires/invitations/[listId]/route")).GET(routeRequest(`/api/questionnaires/invitations/${ghost}`), { params: Promise.resolve({ listId: ghost }) })],
      ["experiment export", async () => (await import("@/app/api/experiments/export/route")).GET(routeRequest(`/api/experiments/export?set=${ghost}`))],
      ["literature export", async () => (await import("@/app/api/literature/export/route")).GET(routeRequest(`/api/literature/export?studyId=${ghost}&format=csv`))],
      ["study results", async () => (await import("@/app/api/studies/[slug]/results/route")).GET(routeRequest(`/api/studies/no-such-study/results`), { params: Promise.resolve({ slug: "no-such-study" }) })],
    ];
    for (const [name, call] of routes) {
      const response = await call();
      expect(response.status, name).toBe(404);
      expect(response.headers.get("content-disposition"), name).toBeNull();
    }
  });

  it("an annotator cannot raise their own access or reach a user by id", async () => {
    const { updateUserAccessAction, setUserActiveAction } = await import("@/app/admin/users/actions");
    ctx.enter("annotator");
    const before = await databaseFingerprint(db);
    const raise = formData({ userId: ada.id, role: "ADMIN", canAdjudicate: "on" });
    expect(await updateUserAccessAction(null, raise)).toMatchObject({ ok: false, error: "You do not have permission to do this." });
    const deactivate = formData({ userId: ctx.users.admin.id, isActive: "false" });
    expect(await setUserActiveAction(null, deactivate)).toMatchObject({ ok: false, error: "You do not have permission to do this." });
    expect(await databaseFingerprint(db)).toEqual(before);
  });
});
