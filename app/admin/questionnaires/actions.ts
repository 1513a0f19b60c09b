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
  publishQuestionnaireVersion,
  saveQuestionnaireDraft,
  setQuestionnaireOpen,
  updateQuestionnaireSettings,
} from "@/lib/db/questionnaires";
import { authSecret } from "@/lib/env";
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
    const { sourceText } = sourceSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const db = await getDatabase();
    const study = await db.prisma.study.findFirst({ orderBy: { createdAt: "asc" }, select: { id: true } });
    const created = await createQuestionnaire(db, actor, { sourceText, studyId: study?.id ?? null });
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
