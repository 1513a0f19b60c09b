/**
 * Expected failures travel as values (ActionResult); unexpected ones are thrown. AppError carries a message
 * safe to show a user; anything else reaching the user is replaced by a generic sentence.
 */
export type AppErrorCode = "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "INVALID_INPUT" | "CONFLICT" | "RATE_LIMITED";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    readonly userMessage: string,
    /** INVALID_INPUT: the message of each field the data layer refused (a codebook question, a reason), for the form to mark. */
    readonly fieldErrors?: FieldErrors,
  ) {
    super(userMessage);
  }
}

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_INPUT: 422,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

export type FieldErrors = Record<string, string>;

export type ActionFailure = { ok: false; error: string; fieldErrors?: FieldErrors; values?: Record<string, string> };

export type ActionResult<T = undefined> = { ok: true; data: T; message?: string } | ActionFailure;
