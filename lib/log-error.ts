import { randomBytes } from "node:crypto";

/**
 * Logs an unexpected server error without the data it was about. Database errors carry the data they failed on:
 * PostgreSQL's `detail` ("Failing row contains (…)"), Prisma's message (the whole call's arguments, up to 5,000
 * imported rows) and driver errors' query parameters. Participants' answers must never land in a log, so only
 * the error's kind, its code, its first line (cut short) and the stack frames are written, under a reference id
 * that the user is shown and can quote.
 *
 * @returns the reference id, e.g. "e3f1a09c".
 */
export function logServerError(where: string, error: unknown, log: (line: string) => void = (line) => console.error(line)): string {
  const ref = randomBytes(4).toString("hex");
  log(`${where} failed [ref ${ref}]: ${describeError(error)}`);
  return ref;
}

const MAX_MESSAGE = 160;

/** Kind, code and the first line of the message, with anything quoted or bracketed (values) removed. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `non-error thrown (${typeof error})`;
  const code = (error as { code?: unknown }).code;
  const firstLine = (error.message.split("\n")[0] ?? "")
    // Values are quoted or in parentheses in PostgreSQL's and Prisma's messages; keep the words around them.
    .replace(/"[^"]*"|'[^']*'|`[^`]*`|\([^)]*\)|\[[^\]]*\]|\{[^}]*\}/g, "…")
    .slice(0, MAX_MESSAGE);
  // PostgreSQL errors (pg and PGlite) name the schema objects separately; those are safe and say where.
  const where = ["table", "column", "constraint"]
    .map((key) => [key, (error as unknown as Record<string, unknown>)[key]] as const)
    .filter((entry): entry is readonly [string, string] => typeof entry[1] === "string" && entry[1] !== "")
    .map(([key, value]) => `${key}=${value}`)
    .join(" ");
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8)
    .join("\n");
  const kind = `${error.name}${typeof code === "string" || typeof code === "number" ? ` ${code}` : ""}`;
  return `${kind}: ${firstLine}${where ? ` (${where})` : ""}${frames ? `\n${frames}` : ""}`;
}
