import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./discover";
import type { MatrixContext } from "./matrix-context";
import { routeRequest } from "./request-context";

/**
 * THE AUTHORIZATION MATRIX: every server action and route handler of app/, with the roles allowed to use it.
 * The test (authorization-matrix.test.ts) discovers actions and handlers from the source and fails when one has
 * no entry here, then calls every case as every role against a real database.
 *
 * Roles: anonymous (no session, no cookies), participant (no session; the browser and resume cookies of an
 * in-progress response of the demo questionnaire), annotator (ada), adjudicator (grace: annotator with the
 * adjudicator flag), admin.
 * A denied call must be refused with a message, return none of the data, and leave the database unchanged.
 */
export const ROLES = ["anonymous", "participant", "annotator", "adjudicator", "admin"] as const;
export type MatrixRole = (typeof ROLES)[number];

const EVERYONE: MatrixRole[] = [...ROLES];
const ADMIN: MatrixRole[] = ["admin"];

/** How a call ended, in terms the matrix can judge. */
export type Outcome =
  | { kind: "allowed"; detail: string }
  | { kind: "refused"; message: string; body: string; status?: number };

export type MatrixCase = {
  /** What is being tried, e.g. "start a response". */
  name: string;
  allowed: readonly MatrixRole[];
  /** Why the allowed roles are what they are, when the permission table alone does not say it. */
  note?: string;
  /** Why an admin's successful call may change data without an audit entry (public and coder actions). */
  unaudited?: string;
  call: (ctx: MatrixContext, role: MatrixRole) => Promise<Outcome>;
};

export type MatrixEntry = { cases: MatrixCase[] } | { excluded: string };

// ───────────────────────────── helpers that turn answers into outcomes ─────────────────────────────

type ActionAnswer = { ok: boolean; error?: string; data?: unknown } | { error?: string; fieldErrors?: unknown } | null;

/** A server action's result: ok → allowed; ok:false (or an error) → refused; a redirect → allowed when expected. */
export function actionOutcome(result: ActionAnswer | { redirect: string }, allowedRedirect?: RegExp): Outcome {
  if (result && "redirect" in result) {
    if (allowedRedirect?.test(result.redirect)) return { kind: "allowed", detail: `redirect ${result.redirect}` };
    return { kind: "refused", message: `redirect ${result.redirect}`, body: result.redirect };
  }
  // What the caller typed comes back to them (values) so forms keep it; that is theirs, not a leak.
  const { values: _typed, ...answer } = (result ?? {}) as Record<string, unknown>;
  const body = JSON.stringify(answer);
  if (result && "ok" in result && result.ok) return { kind: "allowed", detail: body.slice(0, 200) };
  if (result === null) return { kind: "allowed", detail: "no error" };
  const message = (result as { error?: string }).error ?? "";
  if (!message && "fieldErrors" in result && result.fieldErrors) return { kind: "allowed", detail: "validation errors only" };
  return { kind: "refused", message, body };
}

/** A route handler's response: 2xx → allowed; anything else → refused, with the body for the leak check. */
export async function responseOutcome(response: Response): Promise<Outcome> {
  const body = await response.text();
  if (response.status >= 200 && response.status < 300) return { kind: "allowed", detail: `${response.status} ${body.slice(0, 120)}` };
  let message = body;
  try {
    const parsed = JSON.parse(body) as { error?: string; errors?: string[] };
    message = parsed.error ?? parsed.errors?.join(" ") ?? body;
  } catch {
    // plain text
  }
  return { kind: "refused", status: response.status, message: message.trim(), body };
}

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) data.append(key, item);
  return data;
}

const fixture = (relative: string) => fs.readFileSync(path.join(ROOT, relative));

const params = <T>(value: T) => ({ params: Promise.resolve(value) });

// ─────────────────────────────────────────── the matrix ───────────────────────────────────────────

export const MATRIX: Record<string, MatrixEntry> = {
  // ── users (admin) ──
  "app/admin/users/actions.ts#createUserAction": {
    cases: [
      {
        name: "create an account",
        allowed: ADMIN,
        call: async (ctx, role) =>
          ctx.action((await import("@/app/admin/users/actions")).createUserAction, form({ email: `new-${role}@example.org`, name: "New", password: "long-enough-password", role: "ADMIN" })),
      },
    ],
  },
  "app/admin/users/actions.ts#updateUserAccessAction": {
    cases: [
      {
        name: "make an annotator an admin",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/users/actions")).updateUserAccessAction, form({ userId: ctx.ids.spareUser, role: "ADMIN", canAdjudicate: "on" })),
      },
    ],
  },
  "app/admin/users/actions.ts#setUserActiveAction": {
    cases: [
      {
        name: "deactivate an account",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/users/actions")).setUserActiveAction, form({ userId: ctx.ids.spareUser, isActive: "false" })),
      },
    ],
  },

  // ── literature (admin) ──
  "app/admin/literature/actions.ts#createStudyAction": {
    cases: [
      {
        name: "create a literature study",
        allowed: ADMIN,
        call: async (ctx, role) => ctx.action((await import("@/app/admin/literature/actions")).createStudyAction, form({ slug: `study-${role}`, name: "A new study" }), /^\/admin\/literature\?study=study-admin&created=1$/),
      },
    ],
  },
  "app/admin/literature/actions.ts#savePopulationAction": {
    cases: [
      {
        name: "replace the population definition",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/literature/actions")).savePopulationAction, form({ studyId: ctx.ids.spareStudy, sourceText: ctx.texts.population })),
      },
    ],
  },
  "app/admin/literature/actions.ts#installCodebookAction": {
    cases: [
      {
        name: "install a codebook",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/literature/actions")).installCodebookAction, form({ studyId: ctx.ids.spareStudy, sourceText: ctx.texts.codebook })),
      },
    ],
  },
  "app/admin/literature/actions.ts#drawSampleAction": {
    cases: [
      {
        name: "draw the sample",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/literature/actions")).drawSampleAction, form({ studyId: ctx.ids.spareStudy, kind: "simple", n: "2", seed: "7" })),
      },
    ],
  },
  "app/admin/literature/actions.ts#extendSampleAction": {
    cases: [
      {
        name: "extend the sample",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/literature/actions")).extendSampleAction, form({ studyId: ctx.ids.spareStudy, additional: "1" })),
      },
    ],
  },
  "app/admin/literature/actions.ts#assignCodersAction": {
    cases: [
      {
        name: "assign coders",
        allowed: ADMIN,
        call: async (ctx) =>
          ctx.action(
            (await import("@/app/admin/literature/actions")).assignCodersAction,
            form({ studyId: ctx.ids.spareStudy, codersPerPaper: "2", calibrationSize: "1", seed: "3", coderId: ctx.ids.spareCoders }),
          ),
      },
    ],
  },

  // ── experiments (admin) ──
  "app/admin/experiments/actions.ts#startRunnerJobAction": {
    cases: [
      {
        name: "start a training job",
        allowed: ADMIN,
        note: "the admin's job is cancelled at once so no training runs during the test",
        call: async (ctx) => {
          const outcome = await ctx.action((await import("@/app/admin/experiments/actions")).startRunnerJobAction, form(ctx.tinyJob));
          await ctx.stopStartedJobs();
          return outcome;
        },
      },
    ],
  },
  "app/admin/experiments/actions.ts#cancelRunnerJobAction": {
    cases: [
      {
        name: "cancel a job",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/experiments/actions")).cancelRunnerJobAction, form({ jobId: ctx.ids.queuedJob })),
      },
    ],
  },
  "app/admin/experiments/actions.ts#deleteExperimentSetAction": {
    cases: [
      {
        name: "delete an experiment set",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/experiments/actions")).deleteExperimentSetAction, form({ setId: ctx.ids.spareSet }), /^\/admin\/experiments\?deleted=1$/),
      },
    ],
  },
  "app/admin/experiments/actions.ts#moveExperimentSetAction": {
    cases: [
      {
        name: "move an experiment set to another study (and back)",
        allowed: ADMIN,
        call: async (ctx) => {
          const { moveExperimentSetAction } = await import("@/app/admin/experiments/actions");
          const outcome = await ctx.action(moveExperimentSetAction, form({ setId: ctx.ids.experimentSet, study: "matrix-literature", reason: "matrix" }));
          await ctx.db.prisma.experimentSet.update({ where: { id: ctx.ids.experimentSet }, data: { studyId: ctx.ids.study } });
          return outcome;
        },
      },
    ],
  },

  // ── questionnaires (admin) ──
  "app/admin/questionnaires/actions.ts#createQuestionnaireAction": {
    cases: [
      {
        name: "create a questionnaire",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/questionnaires/actions")).createQuestionnaireAction, form({ sourceText: ctx.texts.miniQuestionnaire, studyId: ctx.ids.study }), /^\/admin\/questionnaires\/[\w-]+$/),
      },
    ],
  },
  "app/admin/questionnaires/actions.ts#saveDraftAction": {
    cases: [
      {
        name: "save a draft version",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/questionnaires/actions")).saveDraftAction, form({ questionnaireId: ctx.ids.questionnaire, sourceText: ctx.texts.phamDraft })),
      },
    ],
  },
  "app/admin/questionnaires/actions.ts#publishAction": {
    cases: [
      {
        name: "publish a version",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/questionnaires/actions")).publishAction, form({ questionnaireId: ctx.ids.questionnaire, versionId: await ctx.draftVersionId() })),
      },
    ],
  },
  "app/admin/questionnaires/actions.ts#setOpenAction": {
    cases: [
      {
        name: "close a questionnaire",
        allowed: ADMIN,
        note: "closes the spare questionnaire; the demo one stays open for the participant cases",
        call: async (ctx) => ctx.action((await import("@/app/admin/questionnaires/actions")).setOpenAction, form({ questionnaireId: ctx.ids.spareQuestionnaire, open: "false" })),
      },
    ],
  },
  "app/admin/questionnaires/actions.ts#settingsAction": {
    cases: [
      {
        name: "change the settings",
        allowed: ADMIN,
        call: async (ctx) =>
          ctx.action((await import("@/app/admin/questionnaires/actions")).settingsAction, form({ questionnaireId: ctx.ids.spareQuestionnaire, opensAt: "", closesAt: "2099-12-31", maxResponses: "500", allowRepeat: "on" })),
      },
    ],
  },
  "app/admin/questionnaires/actions.ts#createInvitationsAction": {
    cases: [
      {
        name: "create invitation links",
        allowed: ADMIN,
        call: async (ctx, role) => ctx.action((await import("@/app/admin/questionnaires/actions")).createInvitationsAction, form({ questionnaireId: ctx.ids.questionnaire, name: `list of ${role}`, labels: "first\nsecond" })),
      },
    ],
  },
  "app/admin/questionnaires/actions.ts#moveQuestionnaireAction": {
    cases: [
      {
        name: "move a questionnaire to another study",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/questionnaires/actions")).moveQuestionnaireAction, form({ questionnaireId: ctx.ids.spareQuestionnaire, studyId: ctx.ids.spareStudy })),
      },
    ],
  },
  "app/admin/questionnaires/actions.ts#archiveQuestionnaireAction": {
    cases: [
      {
        name: "archive a questionnaire",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/questionnaires/actions")).archiveQuestionnaireAction, form({ questionnaireId: ctx.ids.spareQuestionnaire, archived: "true" })),
      },
    ],
  },
  "app/admin/questionnaires/actions.ts#deleteQuestionnaireAction": {
    cases: [
      {
        name: "delete a questionnaire",
        allowed: ADMIN,
        call: async (ctx) =>
          ctx.action((await import("@/app/admin/questionnaires/actions")).deleteQuestionnaireAction, form({ questionnaireId: ctx.ids.doomedQuestionnaire, confirmSlug: "doomed_mini" }), /^\/admin\/questionnaires$/),
      },
    ],
  },
  "app/admin/questionnaires/actions.ts#saveHeadlineAction": {
    cases: [
      {
        name: "define a headline proportion",
        allowed: ADMIN,
        call: async (ctx, role) => {
          const body = form({ questionnaireId: ctx.ids.questionnaire, id: `h_${role}`, label: "Unsure", question: "Q26", method: "wilson", level: "0.95", referencePercent: "", referenceN: "" });
          body.append("anyOf", "yes");
          body.append("anyOf", "maybe");
          return ctx.action((await import("@/app/admin/questionnaires/actions")).saveHeadlineAction, body);
        },
      },
    ],
  },
  "app/admin/questionnaires/actions.ts#removeHeadlineAction": {
    cases: [
      {
        name: "remove a headline proportion",
        allowed: ADMIN,
        call: async (ctx) => ctx.action((await import("@/app/admin/questionnaires/actions")).removeHeadlineAction, form({ questionnaireId: ctx.ids.questionnaire, headlineId: "default_deterministic" })),
      },
    ],
  },
  "app/admin/questionnaires/actions.ts#importHeadlinesAction": {
    cases: [
      {
        name: "import headline proportions",
        allowed: ADMIN,
        call: async (ctx) =>
          ctx.action(
            (await import("@/app/admin/questionnaires/actions")).importHeadlinesAction,
            form({ questionnaireId: ctx.ids.spareQuestionnaire, text: "headlines: []\n" }),
          ),
      },
    ],
  },
  "app/admin/studies/actions.ts#createStudyAction": {
    cases: [
      {
        name: "create a study",
        allowed: ADMIN,
        call: async (ctx, role) => ctx.action((await import("@/app/admin/studies/actions")).createStudyAction, form({ slug: `new-study-${role}`, name: "A new study", description: "" }), /^\/admin\/studies\/new-study-admin$/),
      },
    ],
  },
  "app/admin/studies/actions.ts#renameStudyAction": {
    cases: [
      {
        name: "rename a study",
        allowed: ADMIN,
        call: async (ctx, role) => ctx.action((await import("@/app/admin/studies/actions")).renameStudyAction, form({ studyId: ctx.ids.spareStudy, name: `Renamed by ${role}`, description: "" })),
      },
    ],
  },
  "app/admin/studies/actions.ts#archiveStudyAction": {
    cases: [
      {
        name: "archive a study",
        allowed: ADMIN,
        note: "archives then un-archives the spare study, so later cases can still move questionnaires into it",
        call: async (ctx) => {
          const { archiveStudyAction } = await import("@/app/admin/studies/actions");
          const outcome = await ctx.action(archiveStudyAction, form({ studyId: ctx.ids.spareStudy, archived: "true" }));
          if (outcome.kind === "allowed") await ctx.action(archiveStudyAction, form({ studyId: ctx.ids.spareStudy, archived: "false" }));
          return outcome;
        },
      },
    ],
  },

  // ── coding and adjudication ──
  "app/code/actions.ts#saveCodingAction": {
    cases: [
      {
        name: "save codes on the annotator's assignment",
        allowed: ["annotator"],
        note: "the assignment is ada's; for every other signed-in role it is another coder's and must be NOT_FOUND",
        call: async (ctx) =>
          ctx.action((await import("@/app/code/actions")).saveCodingAction, form({ assignmentId: ctx.ids.annotatorAssignment, answers: JSON.stringify({ trainsDL: "no" }), note: "", intent: "draft" })),
      },
    ],
  },
  "app/code/adjudicate/actions.ts#resolvePaperAction": {
    cases: [
      {
        name: "record the final code of a conflict",
        allowed: ["admin"],
        note: "the demo's adjudicator (grace) coded this paper, so the third-person rule refuses her; an adjudicator who did not code may (tests/integration/two-studies-literature.test.ts)",
        call: async (ctx) =>
          ctx.action((await import("@/app/code/adjudicate/actions")).resolvePaperAction, form({ paperId: ctx.ids.conflictPaper, answers: JSON.stringify(ctx.conflictAnswers), reason: "Section 4 says so." })),
      },
    ],
  },

  // ── participants (public) ──
  "app/s/[slug]/actions.ts#consentAction": {
    cases: [
      {
        name: "agree and start (or resume) a response",
        allowed: EVERYONE,
        note: "public: anyone may take part in an open questionnaire",
        unaudited: "a participant's action, whoever the browser belongs to",
        call: async (ctx) => ctx.action((await import("@/app/s/[slug]/actions")).consentAction, form({ slug: ctx.slug, choice: "agree" }), new RegExp(`^/s/${ctx.slug}$`)),
      },
    ],
  },
  "app/s/[slug]/actions.ts#savePageAction": {
    cases: [
      {
        name: "save a page of one's own response",
        allowed: ["participant"],
        note: "needs the resume cookie of a response; without it there is nothing to save into",
        call: async (ctx) => {
          const section = await ctx.participantSection();
          return ctx.action((await import("@/app/s/[slug]/actions")).savePageAction, form({ _slug: ctx.slug, _section: section, _nav: "next", ...ctx.pageFields(section) }), new RegExp(`^/s/${ctx.slug}$`));
        },
      },
    ],
  },

  // ── first-run setup ──
  "app/setup/actions.ts#createFirstAdminAction": {
    cases: [
      {
        name: "create the first admin once one exists",
        allowed: [],
        note: "public only while no admin exists (tests/integration/users.test.ts); afterwards refused for everyone",
        call: async (ctx, role) =>
          ctx.action((await import("@/app/setup/actions")).createFirstAdminAction, form({ email: `setup-${role}@example.org`, name: "Intruder", password: "long-enough-password", confirmPassword: "long-enough-password" })),
      },
    ],
  },

  // ───────────────────────────── route handlers ─────────────────────────────
  "app/api/auth/[...nextauth]/route.ts#GET": { excluded: "next-auth's own handler (sign-in, session, CSRF); its sign-in limits are tested in tests/integration/users.test.ts" },
  "app/api/auth/[...nextauth]/route.ts#POST": { excluded: "next-auth's own handler (sign-in, session, CSRF); its sign-in limits are tested in tests/integration/users.test.ts" },

  "app/api/admin/backup/route.ts#GET": {
    cases: [{ name: "download a backup", allowed: ADMIN, call: async () => responseOutcome(await (await import("@/app/api/admin/backup/route")).GET(routeRequest("/api/admin/backup"))) }],
  },
  "app/api/experiments/export/route.ts#GET": {
    cases: [
      {
        name: "download a set's runs",
        allowed: ADMIN,
        call: async (ctx) => responseOutcome(await (await import("@/app/api/experiments/export/route")).GET(routeRequest(`/api/experiments/export?set=${encodeURIComponent(ctx.ids.experimentSet)}`))),
      },
    ],
  },
  "app/api/experiments/import/route.ts#POST": {
    cases: [
      {
        name: "upload runner results",
        allowed: ADMIN,
        call: async (ctx) => {
          const body = new FormData();
          body.set("file", new File([fixture("tests/fixtures/runner/lenet1-quick-tiny/results.jsonl")], "results.jsonl"));
          body.set("study", ctx.studySlug);
          return responseOutcome(await (await import("@/app/api/experiments/import/route")).POST(routeRequest("/api/experiments/import", { method: "POST", body })));
        },
      },
    ],
  },
  "app/api/literature/export/route.ts#GET": {
    cases: [
      {
        name: "download the coded sample",
        allowed: ADMIN,
        call: async (ctx) => responseOutcome(await (await import("@/app/api/literature/export/route")).GET(routeRequest(`/api/literature/export?studyId=${ctx.ids.study}&format=csv`))),
      },
    ],
  },
  "app/api/literature/import/route.ts#POST": {
    cases: [
      {
        name: "import a paper file",
        allowed: ADMIN,
        call: async (ctx) => {
          const body = new FormData();
          body.set("studyId", ctx.ids.spareStudy);
          body.set("file", new File([fixture("tests/fixtures/papers/zotero-export.ris")], "zotero-export.ris"));
          return responseOutcome(await (await import("@/app/api/literature/import/route")).POST(routeRequest("/api/literature/import", { method: "POST", body })));
        },
      },
    ],
  },
  "app/api/questionnaires/[id]/export/route.ts#GET": {
    cases: [
      {
        name: "download the responses",
        allowed: ADMIN,
        call: async (ctx) => {
          const { GET } = await import("@/app/api/questionnaires/[id]/export/route");
          return responseOutcome(await GET(routeRequest(`/api/questionnaires/${ctx.ids.questionnaire}/export?format=csv&partial=1`), params({ id: ctx.ids.questionnaire })));
        },
      },
    ],
  },
  "app/api/questionnaires/[id]/export/route.ts#POST": {
    cases: [
      {
        name: "start a background export of the responses",
        allowed: ADMIN,
        call: async (ctx) => {
          const { POST } = await import("@/app/api/questionnaires/[id]/export/route");
          const body = JSON.stringify({ format: "json", partial: true });
          const response = await POST(routeRequest(`/api/questionnaires/${ctx.ids.questionnaire}/export`, { method: "POST", body, headers: { "content-type": "application/json" } }), params({ id: ctx.ids.questionnaire }));
          const outcome = await responseOutcome(response.clone());
          // The export runs on after the answer; it ends before the next role's call, whose database check it would disturb.
          const started = ((await response.json()) as { job?: { id: string } }).job?.id;
          if (started) await (await import("@/lib/jobs/response-export-job")).exportJobSettled(started);
          return outcome;
        },
      },
    ],
  },
  "app/api/questionnaires/[id]/export/jobs/[jobId]/route.ts#GET": {
    cases: [
      {
        name: "follow a response export",
        allowed: ADMIN,
        call: async (ctx) => {
          const { GET } = await import("@/app/api/questionnaires/[id]/export/jobs/[jobId]/route");
          return responseOutcome(await GET(routeRequest(`/api/questionnaires/${ctx.ids.questionnaire}/export/jobs/${ctx.ids.exportJob}`), params({ id: ctx.ids.questionnaire, jobId: ctx.ids.exportJob })));
        },
      },
    ],
  },
  "app/api/questionnaires/[id]/export/jobs/[jobId]/download/route.ts#GET": {
    cases: [
      {
        name: "download a finished response export",
        allowed: ADMIN,
        call: async (ctx) => {
          const { GET } = await import("@/app/api/questionnaires/[id]/export/jobs/[jobId]/download/route");
          return responseOutcome(await GET(routeRequest(`/api/questionnaires/${ctx.ids.questionnaire}/export/jobs/${ctx.ids.exportJob}/download`), params({ id: ctx.ids.questionnaire, jobId: ctx.ids.exportJob })));
        },
      },
    ],
  },
  "app/admin/questionnaires/[id]/import/actions.ts#undoImportAction": {
    cases: [
      {
        name: "undo a whole response import",
        allowed: ADMIN,
        call: async (ctx) =>
          ctx.action((await import("@/app/admin/questionnaires/[id]/import/actions")).undoImportAction, form({ questionnaireId: ctx.ids.questionnaire, importId: ctx.ids.responseImport })),
      },
    ],
  },
  "app/admin/questionnaires/from-qualtrics/actions.ts#convertQualtricsAction": {
    cases: [
      {
        name: "convert a Qualtrics export into a questionnaire definition",
        allowed: ADMIN,
        unaudited: "the conversion only answers with a definition to review; nothing is written until the create action",
        call: async (ctx) => {
          const body = new FormData();
          body.set("file", new File([fixture("tests/fixtures/survey/qualtrics-pham2020-numeric.csv")], "qualtrics.csv"));
          return ctx.action((await import("@/app/admin/questionnaires/from-qualtrics/actions")).convertQualtricsAction, body);
        },
      },
    ],
  },
  "app/api/questionnaires/[id]/import/route.ts#POST": {
    cases: [
      {
        name: "preview a response import",
        allowed: ADMIN,
        call: async (ctx) => {
          const { POST } = await import("@/app/api/questionnaires/[id]/import/route");
          const body = new FormData();
          body.set("mode", "preview");
          body.set("file", new File([fixture("tests/fixtures/survey/qualtrics-pham2020-numeric.csv")], "qualtrics.csv"));
          return responseOutcome(await POST(routeRequest(`/api/questionnaires/${ctx.ids.questionnaire}/import`, { method: "POST", body }), params({ id: ctx.ids.questionnaire })));
        },
      },
    ],
  },
  "app/api/questionnaires/[id]/import/jobs/[jobId]/route.ts#GET": {
    cases: [
      {
        name: "follow a response-import job",
        allowed: ADMIN,
        call: async (ctx) => {
          const { GET } = await import("@/app/api/questionnaires/[id]/import/jobs/[jobId]/route");
          return responseOutcome(await GET(routeRequest(`/api/questionnaires/${ctx.ids.questionnaire}/import/jobs/${ctx.ids.importJob}`), params({ id: ctx.ids.questionnaire, jobId: ctx.ids.importJob })));
        },
      },
    ],
  },
  "app/api/questionnaires/invitations/[listId]/route.ts#GET": {
    cases: [
      {
        name: "download invitation links",
        allowed: ADMIN,
        call: async (ctx) => {
          const { GET } = await import("@/app/api/questionnaires/invitations/[listId]/route");
          return responseOutcome(await GET(routeRequest(`/api/questionnaires/invitations/${ctx.ids.invitationList}`), params({ listId: ctx.ids.invitationList })));
        },
      },
    ],
  },
  "app/api/studies/[slug]/results/route.ts#GET": {
    cases: [
      {
        name: "download the study's results",
        allowed: ADMIN,
        call: async (ctx) => {
          const { GET } = await import("@/app/api/studies/[slug]/results/route");
          return responseOutcome(await GET(routeRequest(`/api/studies/${ctx.studySlug}/results?format=json`), params({ slug: ctx.studySlug })));
        },
      },
    ],
  },
  "app/s/[slug]/answers/route.ts#POST": {
    cases: [
      {
        name: "start (or resume) a response",
        allowed: EVERYONE,
        note: "public, like the consent form",
        unaudited: "a participant's action, whoever the browser belongs to",
        call: async (ctx) => ctx.participantRoute({ op: "start" }),
      },
      {
        name: "save a page of one's own response",
        allowed: ["participant"],
        call: async (ctx) => {
          const section = await ctx.participantSection();
          return ctx.participantRoute({ op: "page", sectionId: section, fields: ctx.pageFields(section) });
        },
      },
    ],
  },
  "app/s/[slug]/resume/route.ts#GET": {
    cases: [
      {
        name: "resume with one's own resume link",
        allowed: ["participant"],
        note: "the participant presents its resume token; the others have none and are sent to the 'unknown link' page",
        call: async (ctx, role) => {
          const { GET } = await import("@/app/s/[slug]/resume/route");
          const token = role === "participant" ? ctx.participantToken() : "";
          const response = await GET(routeRequest(`/s/${ctx.slug}/resume?r=${token}`), params({ slug: ctx.slug }));
          const location = response.headers.get("location") ?? "";
          if (response.status === 303 && new URL(location).pathname === `/s/${ctx.slug}`) return { kind: "allowed", detail: location };
          return { kind: "refused", status: response.status, message: location, body: `${location} ${response.headers.get("set-cookie") ?? ""}` };
        },
      },
    ],
  },
};
