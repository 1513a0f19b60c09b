"use server";
import { defineAction } from "@/app/_lib/define-action";
import { createUser, setUserActive, updateUserAccess } from "@/lib/db/users";
import { createUserSchema, setUserActiveSchema, updateUserAccessSchema } from "@/lib/validation/users";

const users = { revalidate: ["/admin/users"] };

export const createUserAction = defineAction({ input: createUserSchema, ...users }, async ({ input, actor, db }) => {
  const user = await createUser(db, actor, input);
  return { data: { email: user.email }, message: `Created ${user.email}. Give them their password through a safe channel.` };
});

export const updateUserAccessAction = defineAction({ input: updateUserAccessSchema, ...users }, async ({ input, actor, db }) => {
  const user = await updateUserAccess(db, actor, input);
  return { data: { email: user.email }, message: `Saved access for ${user.email}; their open sessions were ended.` };
});

export const setUserActiveAction = defineAction({ input: setUserActiveSchema, ...users }, async ({ input, actor, db }) => {
  const user = await setUserActive(db, actor, input);
  return {
    data: { email: user.email },
    message: user.isActive ? `Reactivated ${user.email}.` : `Deactivated ${user.email}; their sessions ended at once.`,
  };
});
