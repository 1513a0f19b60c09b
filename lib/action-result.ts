import "server-only";
import { ZodError } from "zod";
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
    if (error instanceof AppError && error.fieldErrors) return { ok: false, error: error.userMessage, fieldErrors: error.fieldErrors, values };
    return { ok: false, error: failureMessage("server action", error), values };
  }
}

/**
 * What a user reads about a failure: an AppError's own message; anything else is logged once (with `where`) and
 * reported in general words with the log's reference, never as a stack.
 */
export function failureMessage(where: string, error: unknown): string {
  if (error instanceof AppError) return error.userMessage;
  const ref = logServerError(where, error);
  return `Something went wrong on our side; nothing was changed. Please try again (reference ${ref}).`;
}

/** The text fields of a submitted form, for re-displaying them. Passwords are never echoed back. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !/password/i.test(key) && !key.startsWith("$")) values[key] = value;
  }
  return values;
}
