"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionResult, formValues } from "@/lib/action-result";
import { requireUserForAction } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { resolvePaper } from "@/lib/db/adjudication";
import { AppError, type ActionResult } from "@/lib/errors";
import { parseAnswersField } from "@/lib/validation/coded-answers";

const resolveSchema = z.object({
  paperId: z.string().min(1).max(64),
  answers: z.string().max(100_000),
  reason: z.string().max(2000),
  overrideReason: z.string().max(2000).optional(),
});

export type ResolveState = ActionResult<{ paperId: string }> & { questionErrors?: Record<string, string> };

/** Records the adjudicator's final code of a paper with its reason. */
export async function resolvePaperAction(_previous: ResolveState | null, form: FormData): Promise<ResolveState> {
  let questionErrors: Record<string, string> | undefined;
  const result = await actionResult(formValues(form), async () => {
    const input = resolveSchema.parse(Object.fromEntries(form));
    const answers = parseAnswersField(input.answers);
    const actor = await requireUserForAction();
    const resolved = await resolvePaper(await getDatabase(), actor, { paperId: input.paperId, answers, reason: input.reason, overrideReason: input.overrideReason });
    if (!resolved.ok) {
      questionErrors = resolved.errors;
      throw new AppError("INVALID_INPUT", resolved.message);
    }
    revalidatePath("/code/adjudicate");
    revalidatePath("/admin/literature/results");
    revalidatePath("/admin/studies", "layout");
    return { data: { paperId: input.paperId }, message: "Final code saved; it now counts in the results." };
  });
  return { ...result, questionErrors };
}
