"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction, type Revalidate } from "@/app/_lib/define-action";
import { actionResult, formValues } from "@/lib/action-result";
import { requireUserForAction } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { createInvitationList } from "@/lib/db/invitations";
import {
  DefinitionInvalidError,
  createQuestionnaire,
  deleteQuestionnaire,
  moveQuestionnaire,
  publishQuestionnaireVersion,
  saveQuestionnaireHeadlines,
  setQuestionnaireArchived,
  saveQuestionnaireDraft,
  setQuestionnaireOpen,
  updateQuestionnaireSettings,
} from "@/lib/db/questionnaires";
import { authSecret } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { headlineSchema, parseHeadlineConfig, withHeadline, withoutHeadline, type HeadlineConfig } from "@/lib/dashboard/headlines";
import { LEVELS } from "@/lib/dashboard/intervals";
import { PROPORTION_CI_METHODS } from "@/lib/stats/proportion-ci";
import type { ActionResult } from "@/lib/errors";
import type { DefinitionFileError } from "@/lib/io/definition-file";
import { definitionSizeProblem } from "@/lib/validation/limits";

export type DefinitionResult = ActionResult<{ id: string; version?: number }> & { definitionErrors?: DefinitionFileError[] };

const sourceSchema = z.object({
  sourceText: z.string().superRefine((text, ctx) => {
    const problem = definitionSizeProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
});

/** Wraps actionResult so located definition problems reach the editor instead of a single sentence. */
async function definitionResult(values: Record<string, string>, body: () => Promise<{ data: { id: string; version?: number }; message?: string }>): Promise<DefinitionResult> {
  let located: DefinitionFileError[] | undefined;
  const result = await actionResult(values, async () => {
    try {
      return await body();
    } catch (error) {
      if (error instanceof DefinitionInvalidError) located = error.errors;
      throw error;
    }
  });
  return located ? { ...result, definitionErrors: located } : result;
}

export async function createQuestionnaireAction(_previous: DefinitionResult | null, form: FormData): Promise<DefinitionResult> {
  let createdId: string | null = null;
  const result = await definitionResult(formValues(form), async () => {
    // The study is chosen on the form: a questionnaire is never attached to some default study behind the admin's back.
    const { sourceText, studyId } = sourceSchema.extend({ studyId: z.string().min(1, "Choose the study this questionnaire belongs to.") }).parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const created = await createQuestionnaire(await getDatabase(), actor, { sourceText, studyId });
    createdId = created.id;
    revalidatePath("/admin/questionnaires");
    return { data: { id: created.id }, message: `Created "${created.slug}" as a draft.` };
  });
  if (createdId) redirect(`/admin/questionnaires/${createdId}`);
  return result;
}

export async function saveDraftAction(_previous: DefinitionResult | null, form: FormData): Promise<DefinitionResult> {
  return definitionResult(formValues(form), async () => {
    const { sourceText, questionnaireId } = sourceSchema.extend({ questionnaireId: z.string().min(1) }).parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const saved = await saveQuestionnaireDraft(await getDatabase(), actor, { questionnaireId, sourceText });
    revalidatePath(`/admin/questionnaires/${questionnaireId}`);
    return {
      data: { id: questionnaireId, version: saved.version },
      message: saved.created ? `Saved as draft version ${saved.version}. The published version stays as it is until you publish this one.` : `Saved draft version ${saved.version}.`,
    };
  });
}

const idSchema = z.object({ questionnaireId: z.string().min(1) });
/** The questionnaire's own page, and the list when what it shows changed. */
const questionnairePage = (input: { questionnaireId: string }): Revalidate[] => [`/admin/questionnaires/${input.questionnaireId}`];
const questionnaireAndList = (input: { questionnaireId: string }): Revalidate[] => [...questionnairePage(input), "/admin/questionnaires"];
/** Headlines show on the questionnaire's page and on its study's overview. */
const questionnaireAndStudies = (input: { questionnaireId: string }): Revalidate[] => [...questionnairePage(input), { layout: "/admin/studies" }];
const everyAdminPage: Revalidate[] = [{ layout: "/admin" }];

export const publishAction = defineAction({ input: idSchema.extend({ versionId: z.string().min(1) }), revalidate: questionnaireAndList }, async ({ input, actor, db }) => {
  const published = await publishQuestionnaireVersion(db, actor, input);
  return { data: { id: input.questionnaireId }, message: `Version ${published.version} is published; new participants answer it from now on.` };
});

const openSchema = idSchema.extend({ open: z.enum(["true", "false"]).transform((v) => v === "true") });

export const setOpenAction = defineAction({ input: openSchema, revalidate: questionnaireAndList }, async ({ input, actor, db }) => {
  const status = await setQuestionnaireOpen(db, actor, input);
  return { data: { id: input.questionnaireId }, message: status === "OPEN" ? "The questionnaire is open." : "The questionnaire is closed; no new answers are accepted." };
});

const optionalDate = z
  .string()
  .transform((v) => v.trim())
  .refine((v) => v === "" || !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "Use a date such as 2026-12-31.")
  .transform((v) => (v === "" ? null : new Date(`${v}T00:00:00Z`)));

const settingsSchema = z.object({
  questionnaireId: z.string().min(1),
  opensAt: optionalDate,
  closesAt: optionalDate,
  maxResponses: z
    .string()
    .trim()
    .refine((v) => v === "" || /^\d+$/.test(v), "Use a whole number, or leave empty for no limit.")
    .transform((v) => (v === "" ? null : Number(v))),
  allowRepeat: z.string().optional().transform((v) => v === "on"),
  publicLinkOpen: z.string().optional().transform((v) => v === "on"),
});

export const settingsAction = defineAction({ input: settingsSchema, revalidate: questionnairePage }, async ({ input, actor, db }) => {
  await updateQuestionnaireSettings(db, actor, input);
  return { data: { id: input.questionnaireId }, message: "Settings saved." };
});

/** The list's name and its labels: an uploaded file, or else the pasted text. */
async function readInvitations(form: FormData) {
  const file = form.get("file");
  const fileText = file instanceof File && file.size > 0 ? await file.text() : "";
  const input = z.object({ questionnaireId: z.string().min(1), name: z.string().trim().min(1, "Give the list a name."), labels: z.string().optional().default("") }).parse({
    questionnaireId: form.get("questionnaireId"),
    name: form.get("name"),
    labels: form.get("labels") ?? "",
  });
  return { questionnaireId: input.questionnaireId, name: input.name, text: fileText || input.labels };
}

export const createInvitationsAction = defineAction({ input: readInvitations, revalidate: questionnairePage }, async ({ input, actor, db }) => {
  const created = await createInvitationList(db, actor, { ...input, secret: authSecret() });
  return {
    data: { id: created.listId },
    message: `Created ${created.created} invitation link${created.created === 1 ? "" : "s"}${created.duplicates ? ` (${created.duplicates} duplicate${created.duplicates === 1 ? "" : "s"} merged)` : ""}. Download them below.`,
  };
});

const moveSchema = idSchema.extend({ studyId: z.string().min(1, "Choose the study to move it to.") });

export const moveQuestionnaireAction = defineAction({ input: moveSchema, revalidate: everyAdminPage }, async ({ input, actor, db }) => {
  const moved = await moveQuestionnaire(db, actor, input);
  return { data: { id: input.questionnaireId }, message: `Moved from ${moved.from ?? "no study"} to ${moved.to}, with all its responses.` };
});

const archiveSchema = idSchema.extend({ archived: z.enum(["true", "false"]).transform((v) => v === "true") });

export const archiveQuestionnaireAction = defineAction({ input: archiveSchema, revalidate: everyAdminPage }, async ({ input, actor, db }) => {
  await setQuestionnaireArchived(db, actor, input);
  return { data: { id: input.questionnaireId }, message: input.archived ? "Archived: closed to participants and hidden from the list; its responses are kept." : "Brought back from the archive (still closed until you reopen it)." };
});

const deleteSchema = idSchema.extend({
  confirmSlug: z.string().trim().min(1, "Type the questionnaire's id to confirm."),
  deleteResponses: z.string().optional().transform((v) => v === "on"),
});

export const deleteQuestionnaireAction = defineAction({ input: deleteSchema, revalidate: everyAdminPage }, async ({ input, actor, db }) => {
  const gone = await deleteQuestionnaire(db, actor, input);
  return { data: { id: input.questionnaireId }, message: `Deleted ${gone.slug} and ${gone.responses} responses.`, redirectTo: "/admin/questionnaires" };
});

const headlineFormSchema = z.object({
  questionnaireId: z.string().min(1),
  id: z.string().trim(),
  label: z.string().trim(),
  question: z.string().trim().min(1, "Choose the question."),
  anyOf: z.array(z.string()).min(1, "Tick at least one answer that counts."),
  method: z.enum(["", ...PROPORTION_CI_METHODS]).transform((v) => (v === "" ? undefined : v)),
  level: z.enum(["", ...LEVELS.map(String)]).transform((v) => (v === "" ? undefined : Number(v))),
  referencePercent: z
    .string()
    .trim()
    .refine((v) => v === "" || (Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 100), "A percentage from 0 to 100, or leave empty.")
    .transform((v) => (v === "" ? undefined : Number(v))),
  referenceN: z
    .string()
    .trim()
    .refine((v) => v === "" || /^\d+$/.test(v), "A whole number, or leave empty.")
    .transform((v) => (v === "" ? undefined : Number(v))),
});

/** One headline from the headline form (ticked answers are repeated `anyOf` fields). */
function readHeadline(form: FormData) {
  const fields = headlineFormSchema.parse({ ...Object.fromEntries(form), anyOf: form.getAll("anyOf").map(String) });
  const headline = headlineSchema.parse({
    id: fields.id,
    label: fields.label,
    question: fields.question,
    anyOf: fields.anyOf,
    ...(fields.method ? { method: fields.method } : {}),
    ...(fields.level ? { level: fields.level } : {}),
    ...(fields.referencePercent !== undefined ? { reference: { percent: fields.referencePercent, ...(fields.referenceN !== undefined ? { n: fields.referenceN } : {}) } } : {}),
  });
  return { questionnaireId: fields.questionnaireId, headline };
}

/** Adds a headline proportion (or replaces the one with the same id) from the headline form. */
export const saveHeadlineAction = defineAction({ input: readHeadline, revalidate: questionnaireAndStudies }, async ({ input, actor, db }) => {
  await saveQuestionnaireHeadlines(db, actor, { questionnaireId: input.questionnaireId, config: (stored) => withHeadline(stored, input.headline), via: "form" });
  return { data: { id: input.questionnaireId }, message: `Saved the headline "${input.headline.label}".` };
});

export const removeHeadlineAction = defineAction({ input: idSchema.extend({ headlineId: z.string().min(1) }), revalidate: questionnaireAndStudies }, async ({ input, actor, db }) => {
  await saveQuestionnaireHeadlines(db, actor, { questionnaireId: input.questionnaireId, config: (stored) => withoutHeadline(stored, input.headlineId), via: "remove" });
  return { data: { id: input.questionnaireId }, message: `Removed the headline ${input.headlineId}.` };
});

/** A whole headlines file (YAML), uploaded or pasted, validated before anything is replaced. */
async function readHeadlinesFile(form: FormData) {
  const file = form.get("file");
  const fileText = file instanceof File && file.size > 0 ? await file.text() : "";
  const input = idSchema.extend({ text: z.string().max(200_000, "At most 200 kB.").optional().default("") }).parse({ questionnaireId: form.get("questionnaireId"), text: form.get("text") ?? "" });
  const text = fileText || input.text;
  if (!text.trim()) throw new AppError("INVALID_INPUT", "Paste the headlines (YAML) or choose a file.");
  let config: HeadlineConfig;
  try {
    config = parseHeadlineConfig(text, file instanceof File && file.size > 0 ? file.name : "the pasted headlines");
  } catch (error) {
    throw new AppError("INVALID_INPUT", (error as Error).message);
  }
  return { questionnaireId: input.questionnaireId, config };
}

/** Replaces every headline with those of an exported headlines file (YAML), after validating all of it. */
export const importHeadlinesAction = defineAction({ input: readHeadlinesFile, revalidate: questionnaireAndStudies }, async ({ input, actor, db }) => {
  await saveQuestionnaireHeadlines(db, actor, { ...input, via: "import" });
  return { data: { id: input.questionnaireId }, message: `Imported ${input.config.headlines.length} headline${input.config.headlines.length === 1 ? "" : "s"}.` };
});
