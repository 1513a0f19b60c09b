"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionResult, formValues } from "@/lib/action-result";
import { requireUserForAction } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { undoImport } from "@/lib/db/response-imports";
import type { ActionResult } from "@/lib/errors";

const undoSchema = z.object({ questionnaireId: z.string().min(1), importId: z.string().min(1) });

/** Undoes a whole import: all its responses go, in one transaction, with an audit entry. */
export async function undoImportAction(_previous: ActionResult<{ removed: number }> | null, form: FormData): Promise<ActionResult<{ removed: number }>> {
  return actionResult(formValues(form), async () => {
    const input = undoSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const { removed } = await undoImport(await getDatabase(), actor, input);
    revalidatePath(`/admin/questionnaires/${input.questionnaireId}/import`);
    revalidatePath(`/admin/questionnaires/${input.questionnaireId}`);
    return { data: { removed }, message: `Import undone: ${removed} response${removed === 1 ? "" : "s"} removed.` };
  });
}
