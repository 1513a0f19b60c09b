"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { actionResult, formValues } from "@/lib/action-result";
import { requireUserForAction } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { saveCoding } from "@/lib/db/coding";
import { AppError, type ActionResult } from "@/lib/errors";
import { parseAnswersField } from "@/lib/validation/coded-answers";

const saveCodingSchema = z.object({
  assignmentId: z.string().min(1).max(64),
  answers: z.string().max(100_000),
  note: z.string().max(5000).default(""),
  intent: z.enum(["submit", "skip", "draft"]),
});

export type SaveCodingState = ActionResult<{ next: string | null; status: string }> & { questionErrors?: Record<string, string> };

/** Saves the signed-in coder's codes for one of their papers, then opens the next paper of their queue. */
export async function saveCodingAction(_previous: SaveCodingState | null, form: FormData): Promise<SaveCodingState> {
  let questionErrors: Record<string, string> | undefined;
  const result = await actionResult(formValues(form), async () => {
    const input = saveCodingSchema.parse(Object.fromEntries(form));
    const answers = parseAnswersField(input.answers);
    const actor = await requireUserForAction();
    const saved = await saveCoding(await getDatabase(), actor, { assignmentId: input.assignmentId, answers, note: input.note, intent: input.intent });
    if (!saved.ok) {
      questionErrors = saved.errors;
      throw new AppError("INVALID_INPUT", saved.message);
    }
    revalidatePath("/code");
    const message = input.intent === "skip" ? "Skipped for later." : input.intent === "draft" ? "Draft saved." : "Saved.";
    return { data: { next: saved.next, status: saved.status }, message };
  });
  if (result.ok && form.get("intent") !== "draft") redirect(result.data.next ? `/code/${result.data.next}?saved=${form.get("intent")}` : "/code?finished=1");
  return { ...result, questionErrors };
}
