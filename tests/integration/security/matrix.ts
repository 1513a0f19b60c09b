import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./discover";
import type { MatrixContext } from "./matrix-context";
import { formData, routeRequest } from "./request-context";

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

/** A route that answers 202 with a background job: the outcome once the job has ended (its writes included). */
async function settledJobOutcome(response: Response): Promise<Outcome> {
  if (response.status !== 202) return responseOutcome(response);
  const text = await response.text();
  const { job } = JSON.parse(text) as { job: { id: string } };
  await (await import("@/lib/jobs/data-job-runs")).dataJobSettled(job.id);
  return responseOutcome(new Response(text, { status: 202 }));
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

const fixture = (relative: string) => fs.readFileSync(path.join(ROOT, relative));

const params = <T>(value: T) => ({ params: Promise.resolve(value) });

/** A form's fields; an array is one field sent once per item. */
type Fields = Record<string, string | string[]>;
type ServerAction = (previous: null, form: FormData) => Promise<unknown>;
type RouteHandler = (request: ReturnType<typeof routeRequest>, context?: { params: Promise<unknown> }) => Promise<Response>;

/** The export an entry's key names ("app/…/actions.ts#someAction"), loaded as the app loads it. */
async function endpointExport(endpoint: string): Promise<unknown> {
  const [file, name] = endpoint.split("#") as [string, string];
  const loaded = ((await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<string, unknown>)[name];
  if (typeof loaded !== "function") throw new Error(`${endpoint}: ${file} exports no function ${name}`);
  return loaded;
}

/** A server action called the way its form calls it. */
type FormCase = Omit<MatrixCase, "call"> & {
  /** What the form sends (per role where each role needs its own, e.g. a new slug). */
  fields: (ctx: MatrixContext, role: MatrixRole) => Fields | FormData | Promise<Fields | FormData>;
  /** Where the action redirects on success; the redirect then counts as allowed. */
  redirect?: RegExp | ((ctx: MatrixContext) => RegExp);
  /** Puts back what the call changed, so that later cases find the world they expect (runs after every role's call). */
  restore?: (ctx: MatrixContext, outcome: Outcome, action: ServerAction) => Promise<void>;
};

/** Entries for server actions, each called with its form by the action its key names. */
function formActions(table: Record<string, FormCase>): Record<string, MatrixEntry> {
  return Object.fromEntries(
    Object.entries(table).map(([endpoint, { fields, redirect, restore, ...matrixCase }]) => [
      endpoint,
      {
        cases: [
          {
            ...matrixCase,
            call: async (ctx, role) => {
              const action = (await endpointExport(endpoint)) as ServerAction;
              const sent = await fields(ctx, role);
              const outcome = await ctx.action(action, sent instanceof FormData ? sent : formData(sent), typeof redirect === "function" ? redirect(ctx) : redirect);
              await restore?.(ctx, outcome, action);
              return outcome;
            },
          },
        ],
      },
    ]),
  );
}

/** A route handler called at a URL, as the browser or a script calls it. */
type RouteCase = Omit<MatrixCase, "call"> & {
  url: (ctx: MatrixContext) => string;
  /** The dynamic segments of the route, as Next passes them. */
  params?: (ctx: MatrixContext) => Record<string, string>;
  /** A posted form (uploads); the method is the one the key names. */
  body?: (ctx: MatrixContext) => FormData;
  /** The route answers 202 with a background job: the outcome is taken once the job has ended, so its writes are seen. */
  job?: true;
};

/** Entries for route handlers, each called by the method its key names. */
function routeHandlers(table: Record<string, RouteCase>): Record<string, MatrixEntry> {
  return Object.fromEntries(
    Object.entries(table).map(([endpoint, { url, params: segments, body, job, ...matrixCase }]) => [
      endpoint,
      {
        cases: [
          {
            ...matrixCase,
            call: async (ctx) => {
              const handler = (await endpointExport(endpoint)) as RouteHandler;
              const request = routeRequest(url(ctx), { method: endpoint.split("#")[1], body: body?.(ctx) });
              const response = await handler(request, segments ? params(segments(ctx)) : undefined);
              return job ? settledJobOutcome(response) : responseOutcome(response);
            },
          },
        ],
      },
    ]),
  );
}

const upload = (fields: Record<string, string>, file: string, name: string) => {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  body.set("file", new File([fixture(file)], name));
  return body;
};

// ─────────────────────────────────────────── the matrix ───────────────────────────────────────────

export const MATRIX: Record<string, MatrixEntry> = {
  ...formActions({
    // ── users (admin) ──
    "app/admin/users/actions.ts#createUserAction": {
      name: "create an account",
      allowed: ADMIN,
      fields: (_ctx, role) => ({ email: `new-${role}@example.org`, name: "New", password: "long-enough-password", role: "ADMIN" }),
    },
    "app/admin/users/actions.ts#updateUserAccessAction": {
      name: "make an annotator an admin",
      allowed: ADMIN,
      fields: (ctx) => ({ userId: ctx.ids.spareUser, role: "ADMIN", canAdjudicate: "on" }),
    },
    "app/admin/users/actions.ts#setUserActiveAction": { name: "deactivate an account", allowed: ADMIN, fields: (ctx) => ({ userId: ctx.ids.spareUser, isActive: "false" }) },

    // ── literature (admin) ──
    "app/admin/literature/actions.ts#createStudyAction": {
      name: "create a literature study",
      allowed: ADMIN,
      fields: (_ctx, role) => ({ slug: `study-${role}`, name: "A new study" }),
      redirect: /^\/admin\/literature\?study=study-admin&created=1$/,
    },
    "app/admin/literature/actions.ts#savePopulationAction": {
      name: "replace the population definition",
      allowed: ADMIN,
      fields: (ctx) => ({ studyId: ctx.ids.spareStudy, sourceText: ctx.texts.population }),
    },
    "app/admin/literature/actions.ts#installCodebookAction": {
      name: "install a codebook",
      allowed: ADMIN,
      fields: (ctx) => ({ studyId: ctx.ids.spareStudy, sourceText: ctx.texts.codebook }),
    },
    "app/admin/literature/actions.ts#drawSampleAction": {
      name: "draw the sample",
      allowed: ADMIN,
      fields: (ctx) => ({ studyId: ctx.ids.spareStudy, kind: "simple", n: "2", seed: "7" }),
    },
    "app/admin/literature/actions.ts#extendSampleAction": { name: "extend the sample", allowed: ADMIN, fields: (ctx) => ({ studyId: ctx.ids.spareStudy, additional: "1" }) },
    "app/admin/literature/actions.ts#assignCodersAction": {
      name: "assign coders",
      allowed: ADMIN,
      fields: (ctx) => ({ studyId: ctx.ids.spareStudy, codersPerPaper: "2", calibrationSize: "1", seed: "3", coderId: ctx.ids.spareCoders }),
    },

    // ── experiments (admin) ──
    "app/admin/experiments/actions.ts#startRunnerJobAction": {
      name: "start a training job",
      allowed: ADMIN,
      note: "the admin's job is cancelled at once so no training runs during the test",
      fields: (ctx) => ctx.tinyJob,
      restore: (ctx) => ctx.stopStartedJobs(),
    },
    "app/admin/experiments/actions.ts#cancelRunnerJobAction": { name: "cancel a job", allowed: ADMIN, fields: (ctx) => ({ jobId: ctx.ids.queuedJob }) },
    "app/admin/experiments/actions.ts#deleteExperimentSetAction": {
      name: "delete an experiment set",
      allowed: ADMIN,
      fields: (ctx) => ({ setId: ctx.ids.spareSet }),
      redirect: /^\/admin\/experiments\?deleted=1$/,
    },
    "app/admin/experiments/actions.ts#moveExperimentSetAction": {
      name: "move an experiment set to another study (and back)",
      allowed: ADMIN,
      fields: (ctx) => ({ setId: ctx.ids.experimentSet, study: "matrix-literature", reason: "matrix" }),
      restore: async (ctx) => {
        await ctx.db.prisma.experimentSet.update({ where: { id: ctx.ids.experimentSet }, data: { studyId: ctx.ids.study } });
      },
    },

    // ── questionnaires (admin) ──
    "app/admin/questionnaires/actions.ts#createQuestionnaireAction": {
      name: "create a questionnaire",
      allowed: ADMIN,
      fields: (ctx) => ({ sourceText: ctx.texts.miniQuestionnaire, studyId: ctx.ids.study }),
      redirect: /^\/admin\/questionnaires\/[\w-]+$/,
    },
    "app/admin/questionnaires/actions.ts#saveDraftAction": {
      name: "save a draft version",
      allowed: ADMIN,
      fields: (ctx) => ({ questionnaireId: ctx.ids.questionnaire, sourceText: ctx.texts.phamDraft }),
    },
    "app/admin/questionnaires/actions.ts#publishAction": {
      name: "publish a version",
      allowed: ADMIN,
      fields: async (ctx) => ({ questionnaireId: ctx.ids.questionnaire, versionId: await ctx.draftVersionId() }),
    },
    "app/admin/questionnaires/actions.ts#setOpenAction": {
      name: "close a questionnaire",
      allowed: ADMIN,
      note: "closes the spare questionnaire; the demo one stays open for the participant cases",
      fields: (ctx) => ({ questionnaireId: ctx.ids.spareQuestionnaire, open: "false" }),
    },
    "app/admin/questionnaires/actions.ts#settingsAction": {
      name: "change the settings",
      allowed: ADMIN,
      fields: (ctx) => ({ questionnaireId: ctx.ids.spareQuestionnaire, opensAt: "", closesAt: "2099-12-31", maxResponses: "500", allowRepeat: "on" }),
    },
    "app/admin/questionnaires/actions.ts#createInvitationsAction": {
      name: "create invitation links",
      allowed: ADMIN,
      fields: (ctx, role) => ({ questionnaireId: ctx.ids.questionnaire, name: `list of ${role}`, labels: "first\nsecond" }),
    },
    "app/admin/questionnaires/actions.ts#moveQuestionnaireAction": {
      name: "move a questionnaire to another study",
      allowed: ADMIN,
      fields: (ctx) => ({ questionnaireId: ctx.ids.spareQuestionnaire, studyId: ctx.ids.spareStudy }),
    },
    "app/admin/questionnaires/actions.ts#archiveQuestionnaireAction": {
      name: "archive a questionnaire",
      allowed: ADMIN,
      fields: (ctx) => ({ questionnaireId: ctx.ids.spareQuestionnaire, archived: "true" }),
    },
    "app/admin/questionnaires/actions.ts#deleteQuestionnaireAction": {
      name: "delete a questionnaire",
      allowed: ADMIN,
      fields: (ctx) => ({ questionnaireId: ctx.ids.doomedQuestionnaire, confirmSlug: "doomed_mini" }),
      redirect: /^\/admin\/questionnaires$/,
    },
    "app/admin/questionnaires/actions.ts#saveHeadlineAction": {
      name: "define a headline proportion",
      allowed: ADMIN,
      fields: (ctx, role) => ({
        ...{ questionnaireId: ctx.ids.questionnaire, id: `h_${role}`, label: "Unsure", question: "Q26", method: "wilson", level: "0.95" },
        ...{ referencePercent: "", referenceN: "", anyOf: ["yes", "maybe"] },
      }),
    },
    "app/admin/questionnaires/actions.ts#removeHeadlineAction": {
      name: "remove a headline proportion",
      allowed: ADMIN,
      fields: (ctx) => ({ questionnaireId: ctx.ids.questionnaire, headlineId: "default_deterministic" }),
    },
    "app/admin/questionnaires/actions.ts#importHeadlinesAction": {
      name: "import headline proportions",
      allowed: ADMIN,
      fields: (ctx) => ({ questionnaireId: ctx.ids.spareQuestionnaire, text: "headlines: []\n" }),
    },
    "app/admin/questionnaires/[id]/import/actions.ts#undoImportAction": {
      name: "undo a whole response import",
      allowed: ADMIN,
      fields: (ctx) => ({ questionnaireId: ctx.ids.questionnaire, importId: ctx.ids.responseImport }),
    },
    "app/admin/questionnaires/from-qualtrics/actions.ts#convertQualtricsAction": {
      name: "convert a Qualtrics export into a questionnaire definition",
      allowed: ADMIN,
      unaudited: "the conversion only answers with a definition to review; nothing is written until the create action",
      fields: () => upload({}, "tests/fixtures/survey/qualtrics-pham2020-numeric.csv", "qualtrics.csv"),
    },

    // ── studies (admin) ──
    "app/admin/studies/actions.ts#createStudyAction": {
      name: "create a study",
      allowed: ADMIN,
      fields: (_ctx, role) => ({ slug: `new-study-${role}`, name: "A new study", description: "" }),
      redirect: /^\/admin\/studies\/new-study-admin$/,
    },
    "app/admin/studies/actions.ts#renameStudyAction": {
      name: "rename a study",
      allowed: ADMIN,
      fields: (ctx, role) => ({ studyId: ctx.ids.spareStudy, name: `Renamed by ${role}`, description: "" }),
    },
    "app/admin/studies/actions.ts#archiveStudyAction": {
      name: "archive a study",
      allowed: ADMIN,
      note: "archives then un-archives the spare study, so later cases can still move questionnaires into it",
      fields: (ctx) => ({ studyId: ctx.ids.spareStudy, archived: "true" }),
      restore: async (ctx, outcome, archiveStudy) => {
        if (outcome.kind === "allowed") await ctx.action(archiveStudy, formData({ studyId: ctx.ids.spareStudy, archived: "false" }));
      },
    },

    // ── coding and adjudication ──
    "app/code/actions.ts#saveCodingAction": {
      name: "save codes on the annotator's assignment",
      allowed: ["annotator"],
      note: "the assignment is ada's; for every other signed-in role it is another coder's and must be NOT_FOUND",
      fields: (ctx) => ({ assignmentId: ctx.ids.annotatorAssignment, answers: JSON.stringify({ trainsDL: "no" }), note: "", intent: "draft" }),
    },
    "app/code/adjudicate/actions.ts#resolvePaperAction": {
      name: "record the final code of a conflict",
      allowed: ["admin"],
      note: "the demo's adjudicator (grace) coded this paper, so the third-person rule refuses her; an adjudicator who did not code may (tests/integration/two-studies-literature.test.ts)",
      fields: (ctx) => ({ paperId: ctx.ids.conflictPaper, answers: JSON.stringify(ctx.conflictAnswers), reason: "Section 4 says so." }),
    },

    // ── participants (public) ──
    "app/s/[slug]/actions.ts#consentAction": {
      name: "agree and start (or resume) a response",
      allowed: EVERYONE,
      note: "public: anyone may take part in an open questionnaire",
      unaudited: "a participant's action, whoever the browser belongs to",
      fields: (ctx) => ({ slug: ctx.slug, choice: "agree" }),
      redirect: (ctx) => new RegExp(`^/s/${ctx.slug}$`),
    },
    "app/s/[slug]/actions.ts#savePageAction": {
      name: "save a page of one's own response",
      allowed: ["participant"],
      note: "needs the resume cookie of a response; without it there is nothing to save into",
      fields: async (ctx) => {
        const section = await ctx.participantSection();
        return { _slug: ctx.slug, _section: section, _nav: "next", ...ctx.pageFields(section) };
      },
      redirect: (ctx) => new RegExp(`^/s/${ctx.slug}$`),
    },

    // ── first-run setup ──
    "app/setup/actions.ts#createFirstAdminAction": {
      name: "create the first admin once one exists",
      allowed: [],
      note: "public only while no admin exists (tests/integration/users.test.ts); afterwards refused for everyone",
      fields: (_ctx, role) => ({ email: `setup-${role}@example.org`, name: "Intruder", password: "long-enough-password", confirmPassword: "long-enough-password" }),
    },
  }),

  // ───────────────────────────── route handlers ─────────────────────────────
  "app/api/auth/[...nextauth]/route.ts#GET": { excluded: "next-auth's own handler (sign-in, session, CSRF); its sign-in limits are tested in tests/integration/users.test.ts" },
  "app/api/auth/[...nextauth]/route.ts#POST": { excluded: "next-auth's own handler (sign-in, session, CSRF); its sign-in limits are tested in tests/integration/users.test.ts" },

  ...routeHandlers({
    "app/api/admin/backup/route.ts#GET": { name: "download a backup", allowed: ADMIN, url: () => "/api/admin/backup" },
    "app/api/experiments/export/route.ts#GET": {
      name: "download a set's runs",
      allowed: ADMIN,
      url: (ctx) => `/api/experiments/export?set=${encodeURIComponent(ctx.ids.experimentSet)}`,
    },
    "app/api/experiments/import/route.ts#POST": {
      name: "upload runner results",
      allowed: ADMIN,
      url: () => "/api/experiments/import",
      body: (ctx) => upload({ study: ctx.studySlug }, "tests/fixtures/runner/lenet1-quick-tiny/results.jsonl", "results.jsonl"),
    },
    "app/api/literature/export/route.ts#GET": { name: "download the coded sample", allowed: ADMIN, url: (ctx) => `/api/literature/export?studyId=${ctx.ids.study}&format=csv` },
    "app/api/literature/import/route.ts#POST": {
      name: "import a paper file",
      allowed: ADMIN,
      url: () => "/api/literature/import",
      body: (ctx) => upload({ studyId: ctx.ids.spareStudy }, "tests/fixtures/papers/zotero-export.ris", "zotero-export.ris"),
      job: true,
    },
    "app/api/literature/import/jobs/[jobId]/route.ts#GET": {
      name: "follow a paper-import job",
      allowed: ADMIN,
      url: (ctx) => `/api/literature/import/jobs/${ctx.ids.paperJob}?studyId=${ctx.ids.study}`,
      params: (ctx) => ({ jobId: ctx.ids.paperJob }),
    },
    "app/api/questionnaires/[id]/export/route.ts#GET": {
      name: "download the responses",
      allowed: ADMIN,
      url: (ctx) => `/api/questionnaires/${ctx.ids.questionnaire}/export?format=csv&partial=1`,
      params: (ctx) => ({ id: ctx.ids.questionnaire }),
    },
    "app/api/questionnaires/[id]/export/jobs/[jobId]/route.ts#GET": {
      name: "follow a response export",
      allowed: ADMIN,
      url: (ctx) => `/api/questionnaires/${ctx.ids.questionnaire}/export/jobs/${ctx.ids.exportJob}`,
      params: (ctx) => ({ id: ctx.ids.questionnaire, jobId: ctx.ids.exportJob }),
    },
    "app/api/questionnaires/[id]/export/jobs/[jobId]/download/route.ts#GET": {
      name: "download a finished response export",
      allowed: ADMIN,
      url: (ctx) => `/api/questionnaires/${ctx.ids.questionnaire}/export/jobs/${ctx.ids.exportJob}/download`,
      params: (ctx) => ({ id: ctx.ids.questionnaire, jobId: ctx.ids.exportJob }),
    },
    "app/api/questionnaires/[id]/import/route.ts#POST": {
      name: "preview a response import",
      allowed: ADMIN,
      url: (ctx) => `/api/questionnaires/${ctx.ids.questionnaire}/import`,
      params: (ctx) => ({ id: ctx.ids.questionnaire }),
      body: () => upload({ mode: "preview" }, "tests/fixtures/survey/qualtrics-pham2020-numeric.csv", "qualtrics.csv"),
    },
    "app/api/questionnaires/[id]/import/jobs/[jobId]/route.ts#GET": {
      name: "follow a response-import job",
      allowed: ADMIN,
      url: (ctx) => `/api/questionnaires/${ctx.ids.questionnaire}/import/jobs/${ctx.ids.importJob}`,
      params: (ctx) => ({ id: ctx.ids.questionnaire, jobId: ctx.ids.importJob }),
    },
    "app/api/questionnaires/invitations/[listId]/route.ts#GET": {
      name: "download invitation links",
      allowed: ADMIN,
      url: (ctx) => `/api/questionnaires/invitations/${ctx.ids.invitationList}`,
      params: (ctx) => ({ listId: ctx.ids.invitationList }),
    },
    "app/api/studies/[slug]/results/route.ts#GET": {
      name: "download the study's results",
      allowed: ADMIN,
      url: (ctx) => `/api/studies/${ctx.studySlug}/results?format=json`,
      params: (ctx) => ({ slug: ctx.studySlug }),
    },
  }),

  // A JSON body, and a job that runs on after the answer: it must end before the next role's call, whose database
  // check it would disturb.
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
          const started = ((await response.json()) as { job?: { id: string } }).job?.id;
          if (started) await (await import("@/lib/jobs/response-export-job")).exportJobSettled(started);
          return outcome;
        },
      },
    ],
  },

  // The participants' JSON endpoint and resume links: their outcome depends on cookies the participant keeps.
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
