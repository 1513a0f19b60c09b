"use server";
import { actionResult, formValues } from "@/lib/action-result";
import { getDatabase } from "@/lib/db";
import { createFirstAdmin } from "@/lib/db/users";
import type { ActionResult } from "@/lib/errors";
import { firstAdminSchema } from "@/lib/validation/users";

export async function createFirstAdminAction(_previous: ActionResult<{ email: string }> | null, form: FormData) {
  return actionResult(formValues(form), async () => {
    const input = firstAdminSchema.parse(Object.fromEntries(form));
    const user = await createFirstAdmin(await getDatabase(), input);
    return { data: { email: user.email }, message: "Administrator account created. Sign in with it now." };
  });
}
