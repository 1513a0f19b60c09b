"use server";
import { revalidatePath } from "next/cache";
import { actionResult, formValues } from "@/lib/action-result";
import { requireUserForAction } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { createUser, setUserActive, updateUserAccess } from "@/lib/db/users";
import type { ActionResult } from "@/lib/errors";
import { createUserSchema, setUserActiveSchema, updateUserAccessSchema } from "@/lib/validation/users";

type Result = ActionResult<{ email: string }>;

export async function createUserAction(_previous: Result | null, form: FormData): Promise<Result> {
  return actionResult(formValues(form), async () => {
    const input = createUserSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const user = await createUser(await getDatabase(), actor, input);
    revalidatePath("/admin/users");
    return { data: { email: user.email }, message: `Created ${user.email}. Give them their password through a safe channel.` };
  });
}

export async function updateUserAccessAction(_previous: Result | null, form: FormData): Promise<Result> {
  return actionResult(formValues(form), async () => {
    const input = updateUserAccessSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const user = await updateUserAccess(await getDatabase(), actor, input);
    revalidatePath("/admin/users");
    return { data: { email: user.email }, message: `Saved access for ${user.email}; their open sessions were ended.` };
  });
}

export async function setUserActiveAction(_previous: Result | null, form: FormData): Promise<Result> {
  return actionResult(formValues(form), async () => {
    const input = setUserActiveSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const user = await setUserActive(await getDatabase(), actor, input);
    revalidatePath("/admin/users");
    return {
      data: { email: user.email },
      message: user.isActive ? `Reactivated ${user.email}.` : `Deactivated ${user.email}; their sessions ended at once.`,
    };
  });
}
