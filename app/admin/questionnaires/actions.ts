"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
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
import { headlineSchema, parseHeadlineConfig, storedHeadlineConfig, withHeadline, withoutHeadline, type HeadlineConfig } from "@/lib/dashboard/headlines";
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

type Simple = ActionResult<{ id: string }>;
const idSchema = z.object({ questionnaireId: z.string().min(1) });

export async function publishAction(_previous: Simple | null, form: FormData): Promise<Simple> {
  return actionResult(formValues(form), async () => {
    const input = idSchema.extend({ versionId: z.string().min(1) }).parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const published = await publishQuestionnaireVersion(await getDatabase(), actor, input);
    revalidatePath(`/admin/questionnaires/${input.questionnaireId}`);
    revalidatePath("/admin/questionnaires");
    return { data: { id: input.questionnaireId }, message: `Version ${published.version} is published; new participants answer it from now on.` };
  });
}

export async function setOpenAction(_previous: Simple | null, form: FormData): Promise<Simple> {
  return actionResult(formValues(form), async () => {
    const input = idSchema.extend({ open: z.enum(["true", "false"]).transform((v) => v === "true") }).parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const status = await setQuestionnaireOpen(await getDatabase(), actor, input);
    revalidatePath(`/admin/questionnaires/${input.questionnaireId}`);
    revalidatePath("/admin/questionnaires");
    return { data: { id: input.questionnaireId }, message: status === "OPEN" ? "The questionnaire is open." : "The questionnaire is closed; no new answers are accepted." };
  });
}

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

export async function settingsAction(_previous: Simple | null, form: FormData): Promise<Simple> {
  return actionResult(formValues(form), async () => {
    const input = settingsSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    await updateQuestionnaireSettings(await getDatabase(), actor, input);
    revalidatePath(`/admin/questionnaires/${input.questionnaireId}`);
    return { data: { id: input.questionnaireId }, message: "Settings saved." };
  });
}

export async function createInvitationsAction(_previous: Simple | null, form: FormData): Promise<Simple> {
  return actionResult(formValues(form), async () => {
    const file = form.get("file");
    const fileText = file instanceof File && file.size > 0 ? await file.text() : "";
    const input = z.object({ questionnaireId: z.string().min(1), name: z.string().trim().min(1, "Give the list a name."), labels: z.string().optional().default("") }).parse({
      questionnaireId: form.get("questionnaireId"),
      name: form.get("name"),
      labels: form.get("labels") ?? "",
    });
    const actor = await requireUserForAction();
    const text = fileText || input.labels;
    const created = await createInvitationList(await getDatabase(), actor, { questionnaireId: input.questionnaireId, name: input.name, text, secret: authSecret() });
    revalidatePath(`/admin/questionnaires/${input.questionnaireId}`);
    return {
      data: { id: created.listId },
      message: `Created ${created.created} invitation link${created.created === 1 ? "" : "s"}${created.duplicates ? ` (${created.duplicates} duplicate${created.duplicates === 1 ? "" : "s"} merged)` : ""}. Download them below.`,
    };
  });
}

export async function moveQuestionnaireAction(_previous: Simple | null, form: FormData): Promise<Simple> {
  return actionResult(formValues(form), async () => {
    const input = idSchema.extend({ studyId: z.string().min(1, "Choose the study to move it to.") }).parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const moved = await moveQuestionnaire(await getDatabase(), actor, input);
    revalidatePath("/admin", "layout");
    return { data: { id: input.questionnaireId }, message: `Moved from ${moved.from ?? "no study"} to ${moved.to}, with all its responses.` };
  });
}

export async function archiveQuestionnaireAction(_previous: Simple | null, form: FormData): Promise<Simple> {
  return actionResult(formValues(form), async () => {
    const input = idSchema.extend({ archived: z.enum(["true", "false"]).transform((v) => v === "true") }).parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    await setQuestionnaireArchived(await getDatabase(), actor, input);
    revalidatePath("/admin", "layout");
    return { data: { id: input.questionnaireId }, message: input.archived ? "Archived: closed to participants and hidden from the list; its responses are kept." : "Brought back from the archive (still closed until you reopen it)." };
  });
}

export async function deleteQuestionnaireAction(_previous: Simple | null, form: FormData): Promise<Simple> {
  let deleted = false;
  const result = await actionResult(formValues(form), async () => {
    const input = idSchema
      .extend({ confirmSlug: z.string().trim().min(1, "Type the questionnaire's id to confirm."), deleteResponses: z.string().optional().transform((v) => v === "on") })
      .parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const gone = await deleteQuestionnaire(await getDatabase(), actor, input);
    deleted = true;
    revalidatePath("/admin", "layout");
    return { data: { id: input.questionnaireId }, message: `Deleted ${gone.slug} and ${gone.responses} responses.` };
  });
  if (deleted) redirect("/admin/questionnaires");
  return result;
}

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

async function currentHeadlines(questionnaireId: string): Promise<HeadlineConfig> {
  const db = await getDatabase();
  const row = await db.prisma.questionnaire.findUnique({ where: { id: questionnaireId }, select: { headlineConfig: true } });
  if (!row) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
  return storedHeadlineConfig(row.headlineConfig);
}

/** Adds a headline proportion (or replaces the one with the same id) from the headline form. */
export async function saveHeadlineAction(_previous: Simple | null, form: FormData): Promise<Simple> {
  return actionResult(formValues(form), async () => {
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
    const actor = await requireUserForAction();
    const config = withHeadline(await currentHeadlines(fields.questionnaireId), headline);
    await saveQuestionnaireHeadlines(await getDatabase(), actor, { questionnaireId: fields.questionnaireId, config, via: "form" });
    revalidatePath(`/admin/questionnaires/${fields.questionnaireId}`);
    revalidatePath("/admin/studies", "layout");
    return { data: { id: fields.questionnaireId }, message: `Saved the headline "${headline.label}".` };
  });
}

export async function removeHeadlineAction(_previous: Simple | null, form: FormData): Promise<Simple> {
  return actionResult(formValues(form), async () => {
    const input = idSchema.extend({ headlineId: z.string().min(1) }).parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const config = withoutHeadline(await currentHeadlines(input.questionnaireId), input.headlineId);
    await saveQuestionnaireHeadlines(await getDatabase(), actor, { questionnaireId: input.questionnaireId, config, via: "remove" });
    revalidatePath(`/admin/questionnaires/${input.questionnaireId}`);
    revalidatePath("/admin/studies", "layout");
    return { data: { id: input.questionnaireId }, message: `Removed the headline ${input.headlineId}.` };
  });
}

/** Replaces every headline with those of an exported headlines file (YAML), after validating all of it. */
export async function importHeadlinesAction(_previous: Simple | null, form: FormData): Promise<Simple> {
  return actionResult(formValues(form), async () => {
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
    const actor = await requireUserForAction();
    await saveQuestionnaireHeadlines(await getDatabase(), actor, { questionnaireId: input.questionnaireId, config, via: "import" });
    revalidatePath(`/admin/questionnaires/${input.questionnaireId}`);
    revalidatePath("/admin/studies", "layout");
    return { data: { id: input.questionnaireId }, message: `Imported ${config.headlines.length} headline${config.headlines.length === 1 ? "" : "s"}.` };
  });
}
