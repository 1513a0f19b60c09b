import "server-only";
import { ZodError } from "zod";
import { ForbiddenError } from "@/lib/auth/permissions";
import { AppError, type ActionResult } from "@/lib/errors";
import { logServerError } from "@/lib/log-error";
import { fieldErrorsOf } from "@/lib/validation/users";

/**
 * Runs the body of a server action and turns expected failures into values the form can show, keeping what the
 * user typed (`values`). Unexpected errors are logged once and reported in general words, never as a stack.
 */
export async function actionResult<T>(
  values: Record<string, string>,
  body: () => Promise<{ data: T; message?: string }>,
): Promise<ActionResult<T>> {
  try {
    const { data, message } = await body();
    return { ok: true, data, message };
  } catch (error) {
    if (error instanceof ZodError) return { ok: false, error: "Please correct the marked fields.", fieldErrors: fieldErrorsOf(error), values };
    if (error instanceof AppError) return { ok: false, error: error.userMessage, values };
    if (error instanceof ForbiddenError) return { ok: false, error: "You do not have permission to do this.", values };
    const ref = logServerError("server action", error);
    return { ok: false, error: `Something went wrong on our side; nothing was changed. Please try again (reference ${ref}).`, values };
  }
}

/** The text fields of a submitted form, for re-displaying them. Passwords are never echoed back. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !/password/i.test(key) && !key.startsWith("$")) values[key] = value;
  }
  return values;
}
