import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Actor } from "@/lib/auth/permissions";
import { getStudyCodebook, shippedPopulationSource } from "@/lib/db/codebooks";
import type { Database } from "@/lib/db/engine/connection";
import { seedDemo, DEMO_STUDY_SLUG } from "@/lib/db/seed/demo";
import { createDataJob, createLiteratureJob, updateDataJob } from "@/lib/db/data-jobs";
import { thisOwner } from "@/lib/jobs/job-owner";
import { createInvitationList } from "@/lib/db/invitations";
import { importPapers } from "@/lib/db/papers";
import { commitImport } from "@/lib/db/response-imports";
import { createQuestionnaire, saveQuestionnaireDraft } from "@/lib/db/questionnaires";
import { getParticipantState } from "@/lib/db/responses";
import { createRunnerJob } from "@/lib/db/runner-jobs";
import { jobSettled } from "@/lib/jobs/manager";
import { exportJobSettled, startResponseExportJob } from "@/lib/jobs/response-export-job";
import { jobRequestSchema } from "@/lib/jobs/request";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ROOT } from "./discover";
import { actionOutcome, responseOutcome, type MatrixRole, type Outcome } from "./matrix";
import { participantBrowser } from "./participant-doors";
import { redirectTarget, requestState, routeRequest, setRequest } from "./request-context";
import { BROWSER_KEY_COOKIE, resumeCookieName } from "@/app/s/participant-cookies";

export const SECRET = "matrix-secret-matrix-secret-matrix-secret";
const PASSWORD = "matrix-password-1234";

/** Answers per page of the demo questionnaire (form field names). */
const PHAM_PAGES: Record<string, Record<string, string | string[]>> = {
  background: { "q.position": "industry", "q.work_years": "6", "q.dl_years": "3", "q.education": "master", "q.frameworks": ["tensorflow", "pytorch"] },
  default_runs: { "q.Q20": "maybe", "q.Q21": "upto2", "q.Q21_class": "upto10", "q.time_default": "upto10" },
  fixed_seed: { "q.Q26": "yes", "q.Q27": "none", "q.Q27_class": "upto1", "q.time_fixed_seed": "upto5" },
  practice: { "q.model_selection": "best_val_loss", "q.repeat_runs": "3" },
  awareness: { "q.aware_impl": "no", "q.known_sources": ["weight_init", "dropout"], "q.comments": "Interesting." },
};

type UserRef = Actor & { email: string; sessionVersion: number };

/**
 * The world the matrix runs in: the demo seed (study, questionnaire, papers coded by ada and grace with one
 * conflict, experiment sets), plus spare objects the admin's successful calls may change without disturbing
 * the other cases, and one participant with an in-progress response.
 */
export type MatrixContext = Awaited<ReturnType<typeof buildMatrixContext>>;

export async function buildMatrixContext(db: Database) {
  process.env.AUTH_SECRET = SECRET;
  process.env.VARSTUDY_JOBS_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-matrix-jobs-"));
  process.env.VARSTUDY_EXPORTS_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-matrix-exports-"));
  await seedDemo(db, { adminPassword: PASSWORD });
  const userRow = async (email: string): Promise<UserRef> => {
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email } });
    return { id: user.id, role: user.role, canAdjudicate: user.canAdjudicate, email: user.email, sessionVersion: user.sessionVersion };
  };
  const users = { admin: await userRow("admin@varstudy.local"), annotator: await userRow("ada@varstudy.local"), adjudicator: await userRow("grace@varstudy.local") };
  const spare = await db.prisma.user.create({ data: { email: "olga@varstudy.local", name: "Olga", role: "ANNOTATOR" } });
  const admin: Actor = users.admin;
  // Coders of the spare study only, so its calibration round does not hold up ada's main round.
  const spareCoders = await Promise.all(["kim", "lee"].map((name) => db.prisma.user.create({ data: { email: `${name}@varstudy.local`, name, role: "ANNOTATOR" } })));

  const study = await db.prisma.study.findUniqueOrThrow({ where: { slug: DEMO_STUDY_SLUG } });
  // A second literature study with its own papers, for the admin's sample and codebook actions.
  const spareStudy = await db.prisma.study.create({ data: { slug: "matrix-literature", name: "Matrix literature study" } });
  const imported = await importPapers(db, admin, { studyId: spareStudy.id, fileName: "dblp.bib", bytes: new Uint8Array(fs.readFileSync(path.join(ROOT, "tests/fixtures/papers/dblp-icse-neurips.bib"))) });
  if (!imported.ok) throw new Error(imported.errors.join("; "));

  const questionnaire = await db.prisma.questionnaire.findFirstOrThrow({ where: { studyId: study.id } });
  const phamSource = questionnaire.currentVersionId ? (await db.prisma.questionnaireVersion.findUniqueOrThrow({ where: { id: questionnaire.currentVersionId } })).sourceText : "";
  const phamDraft = phamSource.replace(/^title: (.*)$/m, "title: $1 (draft)");
  await saveQuestionnaireDraft(db, admin, { questionnaireId: questionnaire.id, sourceText: phamDraft });
  const miniSource = fs.readFileSync(path.join(ROOT, "tests/fixtures/survey/mini.yaml"), "utf8");
  const spareQuestionnaire = await createQuestionnaire(db, admin, { sourceText: miniSource.replace(/^id: mini$/m, "id: spare_mini"), studyId: study.id });
  const doomedQuestionnaire = await createQuestionnaire(db, admin, { sourceText: miniSource.replace(/^id: mini$/m, "id: doomed_mini"), studyId: study.id });
  // A committed response import, for the undo action (admin only).
  const responseImport = await commitImport(db, admin, {
    questionnaireId: questionnaire.id,
    fileName: "qualtrics.csv",
    text: fs.readFileSync(path.join(ROOT, "tests/fixtures/survey/qualtrics-pham2020-numeric.csv"), "utf8"),
  });
  if (!responseImport.ok) throw new Error(responseImport.errors.map((error) => error.message).join("; "));
  const list = await createInvitationList(db, admin, { questionnaireId: questionnaire.id, name: "matrix invitations", text: "alice\nbob", secret: SECRET });

  const tinyJob = { study: study.slug, preset: "lenet1-quick", setting: "default", runs: "2", epochs: "1", trainSize: "64", validationSize: "32", testSize: "32", workers: "1" };
  // A job "running" on another machine: cancelling it only records the request, and no local process exists.
  const queuedJob = await createRunnerJob(db, admin, { request: jobRequestSchema.parse(tinyJob), outDir: path.join(process.env.VARSTUDY_JOBS_DIR, "elsewhere"), command: "npm run variance", owner: { host: "another-machine.example", pid: 1 }, studyId: study.id });
  const experimentSet = await db.prisma.experimentSet.findFirstOrThrow({ where: { studyId: study.id }, orderBy: { id: "asc" } });
  // A copy of a demo set the admin may delete (real runner results, so every experiments page can show it).
  const demoRuns = await db.prisma.experimentRun.findMany({ where: { setId: experimentSet.id } });
  await db.prisma.experimentSet.create({
    data: {
      id: "matrix/spare-set",
      studyId: study.id,
      preset: experimentSet.preset,
      setting: experimentSet.setting,
      backend: experimentSet.backend,
      command: experimentSet.command,
      runs: {
        create: demoRuns.map(({ id: _id, setId: _setId, importedAt: _at, result, ...run }) => ({ ...run, result: { ...(result as Record<string, unknown>), setId: "matrix/spare-set" } as Prisma.InputJsonValue })),
      },
    },
  });

  // ada's first main-round paper not coded yet (the demo coded her calibration papers, so the main round is open).
  const annotatorAssignment = await db.prisma.assignment.findFirstOrThrow({ where: { coderId: users.annotator.id, round: "MAIN", coding: null }, orderBy: { id: "asc" } });
  // The demo's disagreement: a paper whose two submitted codings differ; the final code takes ada's answers.
  const conflict = await findConflict(db);

  // The participant: a browser that agreed and has an unfinished response of the demo questionnaire.
  const started = await participantBrowser(db, questionnaire.slug);
  const participantCookies: Record<string, string> = { ...started.cookies };

  // A finished response-import job of the demo questionnaire, for the import page's progress route.
  const importJob = await createDataJob(db, admin, { id: "matrix-import-job", kind: "response-import", questionnaireId: questionnaire.id, fileName: "matrix.csv", owner: thisOwner() });
  await updateDataJob(db.sql, importJob.id, { status: "SUCCEEDED", phase: "done", message: "Imported for the matrix.", finished: true });
  // A finished paper-import job of the study, for the literature import page's progress route.
  const paperJob = await createLiteratureJob(db, admin, { id: "matrix-paper-job", kind: "paper-import", studyId: study.id, fileName: "matrix.bib", owner: thisOwner() });
  await updateDataJob(db.sql, paperJob.id, { status: "SUCCEEDED", phase: "done", message: "Imported for the matrix.", finished: true });
  // A finished response export of the demo questionnaire, with its file, for the export page's progress and download routes.
  const exportJob = await startResponseExportJob(db, admin, { questionnaireId: questionnaire.id, request: { format: "csv", includePartial: true, valueFormat: "codes" } });
  await exportJobSettled(exportJob.id);

  const startedJobs = new Set<string>();
  let currentRole: MatrixRole = "anonymous";
  const sessions: Record<MatrixRole, { uid: string; sv: number } | null> = {
    anonymous: null,
    participant: null,
    annotator: { uid: users.annotator.id, sv: users.annotator.sessionVersion },
    adjudicator: { uid: users.adjudicator.id, sv: users.adjudicator.sessionVersion },
    admin: { uid: users.admin.id, sv: users.admin.sessionVersion },
  };

  const ctx = {
    db,
    users,
    slug: questionnaire.slug,
    studySlug: study.slug,
    tinyJob,
    conflictAnswers: conflict.answers,
    ids: {
      study: study.id,
      spareStudy: spareStudy.id,
      spareUser: spare.id,
      spareCoders: spareCoders.map((coder) => coder.id),
      questionnaire: questionnaire.id,
      spareQuestionnaire: spareQuestionnaire.id,
      doomedQuestionnaire: doomedQuestionnaire.id,
      invitationList: list.listId,
      queuedJob: queuedJob.id,
      experimentSet: experimentSet.id,
      spareSet: "matrix/spare-set",
      annotatorAssignment: annotatorAssignment.id,
      conflictPaper: conflict.paperId,
      participantResponse: started.responseId,
      responseImport: responseImport.importId,
      importJob: importJob.id,
      paperJob: paperJob.id,
      exportJob: exportJob.id,
    },
    texts: {
      population: shippedPopulationSource(),
      codebook: (await getStudyCodebook(db, study.id)).sourceText,
      miniQuestionnaire: miniSource.replace(/^id: mini$/m, "id: created_mini"),
      phamDraft,
    },
    /** Every later call is made as this role, from its own address, with its own cookies. */
    enter(role: MatrixRole) {
      currentRole = role;
      setRequest({ session: sessions[role], cookies: role === "participant" ? participantCookies : {}, headers: { "x-forwarded-for": `198.51.100.${ROLE_ADDRESS[role]}` } });
    },
    /** Calls a server action the way a form does, turning a redirect into an outcome. */
    async action<R>(fn: (previous: null, form: FormData) => Promise<R>, form: FormData, allowedRedirect?: RegExp): Promise<Outcome> {
      let outcome: Outcome;
      try {
        const result = await fn(null, form);
        outcome = actionOutcome(result as never, allowedRedirect);
        const started = (result as { ok?: boolean; data?: { jobId?: string } }).data?.jobId;
        if (started) startedJobs.add(started);
      } catch (error) {
        const target = redirectTarget(error);
        if (target === null) throw error;
        outcome = actionOutcome({ redirect: target }, allowedRedirect);
      }
      keepParticipantCookies(Object.fromEntries(requestState().cookies));
      return outcome;
    },
    /** Calls the participants' JSON endpoint of the demo questionnaire. */
    async participantRoute(body: unknown): Promise<Outcome> {
      const { POST } = await import("@/app/s/[slug]/answers/route");
      const response = await POST(routeRequest(`/s/${questionnaire.slug}/answers`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }), {
        params: Promise.resolve({ slug: questionnaire.slug }),
      });
      const set: Record<string, string> = {};
      for (const header of response.headers.getSetCookie()) {
        const [pair] = header.split(";");
        const [name, value] = pair!.split("=");
        set[name!.trim()] = value ?? "";
      }
      keepParticipantCookies(set);
      return responseOutcome(response);
    },
    participantToken: () => participantCookies[resumeCookieName(questionnaire.slug)] ?? "",
    /** The page the participant's response is on (page cases must send that page). */
    async participantSection(): Promise<string> {
      const state = await getParticipantState(db, { slug: questionnaire.slug, resumeToken: participantCookies[resumeCookieName(questionnaire.slug)] });
      return state?.kind === "page" ? state.page.section.id : "background";
    },
    pageFields: (section: string) => PHAM_PAGES[section] ?? {},
    /** The draft version the admin may publish (the newest unpublished one). */
    async draftVersionId(): Promise<string> {
      const draft = await db.prisma.questionnaireVersion.findFirst({ where: { questionnaireId: questionnaire.id, publishedAt: null }, orderBy: { version: "desc" } });
      return draft?.id ?? "none";
    },
    /** Cancels the jobs an admin call started and waits until their processes are gone. */
    async stopStartedJobs() {
      const { cancelRunnerJob } = await import("@/lib/jobs/manager");
      for (const jobId of startedJobs) {
        await cancelRunnerJob(db, admin, { jobId }).catch(() => undefined);
        await jobSettled(jobId);
        startedJobs.delete(jobId);
      }
    },
  };

  /** Only the participant keeps cookies between calls (the others are fresh browsers every time). */
  function keepParticipantCookies(cookies: Record<string, string>) {
    if (currentRole !== "participant") return;
    for (const [name, value] of Object.entries(cookies)) if (name === BROWSER_KEY_COOKIE || name.startsWith("vs_r_")) participantCookies[name] = value;
  }
  return ctx;
}

const ROLE_ADDRESS: Record<MatrixRole, number> = { anonymous: 1, participant: 2, annotator: 3, adjudicator: 4, admin: 5 };

async function findConflict(db: Database): Promise<{ paperId: string; answers: Record<string, unknown> }> {
  const codings = await db.prisma.coding.findMany({ where: { submittedAt: { not: null } }, include: { assignment: { select: { paperId: true } } } });
  const byPaper = new Map<string, unknown[]>();
  for (const coding of codings) byPaper.set(coding.assignment.paperId, [...(byPaper.get(coding.assignment.paperId) ?? []), coding.answers]);
  for (const [paperId, answers] of byPaper) {
    if (answers.length === 2 && JSON.stringify(answers[0]) !== JSON.stringify(answers[1])) return { paperId, answers: answers[0] as Record<string, unknown> };
  }
  throw new Error("The demo seed has no conflict to adjudicate.");
}

/**
 * A digest of every table's rows (the applied-migrations table aside): equal before and after a call means the
 * call changed nothing at all.
 */
export async function databaseFingerprint(db: Database): Promise<Record<string, string>> {
  const tables = await db.sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY 1`,
  );
  const digests: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await db.sql.query<{ digest: string }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`);
    digests[name] = row!.digest;
  }
  return digests;
}
