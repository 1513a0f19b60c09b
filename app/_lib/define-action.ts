import "server-only";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionResult, formValues } from "@/lib/action-result";
import { requireUserForAction } from "@/lib/auth/session";
import { getDatabase, type Database } from "@/lib/db";
import type { SessionUser } from "@/lib/db/users";
import type { ActionResult } from "@/lib/errors";

/** A page whose data the action changed: its path, or `{ layout }` for a layout and every page below it. */
export type Revalidate = string | { layout: string };

type InputReader<Input> = { parse: (fields: unknown) => Input } | ((form: FormData) => Input | Promise<Input>);

export type ActionSpec<Input> = {
  /** A schema over the form's fields, or a function for forms with files or repeated names. */
  input: InputReader<Input>;
  /** What the action changed; the pages are re-rendered on the next visit. */
  revalidate?: Revalidate[] | ((input: Input) => Revalidate[]);
};

export type ActionBody<Input, Data> = (context: { input: Input; actor: SessionUser; db: Database; form: FormData }) => Promise<{
  data: Data;
  message?: string;
  /** Where to go after the success (the form's page may no longer exist, or the new thing has a page of its own). */
  redirectTo?: string;
}>;

/**
 * The one frame of an authenticated server action: parse the form → the signed-in user → the database → the
 * body (a lib/db function, which checks the permission) → revalidate → the redirect the body asked for, if any. Expected failures come
 * back as an ActionResult the form shows, with what the user typed; unexpected ones are logged once.
 *
 *   export const createUserAction = defineAction({ input: createUserSchema, revalidate: ["/admin/users"] },
 *     async ({ input, actor, db }) => ({ data: …, message: "Created." }));
 */
export function defineAction<Input, Data>(spec: ActionSpec<Input>, body: ActionBody<Input, Data>) {
  return async (_previous: ActionResult<Data> | null, form: FormData): Promise<ActionResult<Data>> => {
    let destination: string | null = null;
    const result = await actionResult(formValues(form), async () => {
      const input = typeof spec.input === "function" ? await spec.input(form) : spec.input.parse(Object.fromEntries(form));
      const actor = await requireUserForAction();
      const done = await body({ input, actor, db: await getDatabase(), form });
      const paths = typeof spec.revalidate === "function" ? spec.revalidate(input) : (spec.revalidate ?? []);
      for (const path of paths) {
        if (typeof path === "string") revalidatePath(path);
        else revalidatePath(path.layout, "layout");
      }
      destination = done.redirectTo ?? null;
      return done;
    });
    // redirect() throws by design, so it runs outside the frame that turns throws into messages.
    if (destination) redirect(destination);
    return result;
  };
}
