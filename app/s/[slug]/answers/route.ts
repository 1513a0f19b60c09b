import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDatabase } from "@/lib/db";
import { savePage, startResponse } from "@/lib/db/responses";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import { logServerError } from "@/lib/log-error";
import { readBodyCapped } from "@/lib/security/request-body";
import { stableIdSchema, isStableId } from "@/lib/survey/definition";
import { findUnstorableIn, LIMITS, unstorableMessage } from "@/lib/validation/limits";
import { checkParticipantLimit } from "../../participant-limits";
import { BROWSER_KEY_COOKIE, browserKeyCookie, newBrowserKey, resumeCookie, resumeCookieName } from "../../participant-cookies";

/**
 * JSON endpoint for machine clients of the participant flow (the load benchmark, kiosk apps): the same two
 * operations the pages perform through server actions, with the same cookies and the same lib/db functions.
 *   POST {"op":"start","t"?:string}                       → 200 {"ok":true,"resumed":bool}
 *   POST {"op":"page","sectionId":id,"fields":{…},"direction"?:"next"|"back"}
 *        → 200 {"ok":true,"status":"page"|"completed","sectionId"?,"saved":n} | 422 {"ok":false,"fieldErrors":{…}}
 * Cross-site calls are refused (Origin must match) since the cookies would otherwise ride along. Too many
 * requests from one address get 429 with Retry-After (app/s/participant-limits.ts), counted before the body is
 * read; a body over LIMITS.answersBodyBytes gets 413 without being read whole, and a page with more fields than
 * it has questions is refused (lib/db/responses.ts savePage).
 */
const bodySchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("start"), t: z.string().max(100).optional() }),
  z.object({
    op: z.literal("page"),
    sectionId: stableIdSchema,
    direction: z.enum(["next", "back"]).optional(),
    fields: z.record(z.string().max(200), z.union([z.string().max(20_000), z.array(z.string().max(200)).max(100)])),
  }),
]);

/**
 * Answers are private and tiny: never cached, and never gzipped — Next streams route responses without a length,
 * so its compression would otherwise wrap even a 60-byte answer in a new gzip stream.
 */
function reply(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}) {
  return NextResponse.json(body, { status: init.status, headers: { "Cache-Control": "no-store, no-transform", ...init.headers } });
}

export async function POST(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const origin = request.headers.get("origin");
  if (origin && origin !== request.nextUrl.origin) return reply({ ok: false, error: "Cross-site requests are not allowed." }, { status: 403 });
  // Every request counts against the page-save budget before its body is read, so a flood of bodies is refused
  // cheaply; a start counts against the (smaller) start budget as well once it is known to be one.
  const tooMany = (limit: { retryAfterSeconds: number; message: string }) =>
    reply({ ok: false, error: limit.message }, { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } });
  const requestLimit = checkParticipantLimit("page", request.headers);
  if (!requestLimit.ok) return tooMany(requestLimit);
  const body = await readBodyCapped(request, LIMITS.answersBodyBytes);
  if (!body.ok && body.reason === "too-large") {
    return reply({ ok: false, error: `The request is larger than ${LIMITS.answersBodyBytes / 1024} KB; a page of answers is never that large.` }, { status: 413 });
  }
  let json: unknown = null;
  try {
    json = body.ok ? JSON.parse(body.text) : null;
  } catch {
    json = null;
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success || !isStableId(slug)) return reply({ ok: false, error: "Malformed request." }, { status: 400 });
  const unstorable = findUnstorableIn(parsed.data);
  if (unstorable) return reply({ ok: false, error: unstorableMessage(unstorable.found, unstorable.path) }, { status: 400 });
  if (parsed.data.op === "start") {
    const startLimit = checkParticipantLimit("start", request.headers);
    if (!startLimit.ok) return tooMany(startLimit);
  }
  const secure = request.nextUrl.protocol === "https:";
  try {
    const db = await getDatabase();
    if (parsed.data.op === "start") {
      const existingKey = request.cookies.get(BROWSER_KEY_COOKIE)?.value;
      const browserKey = existingKey ?? newBrowserKey();
      const started = await startResponse(db, { slug, browserKey, invitationToken: parsed.data.t ?? null });
      const response = reply({ ok: true, resumed: started.resumed });
      if (!existingKey) response.cookies.set(browserKeyCookie(browserKey, secure));
      response.cookies.set(resumeCookie(slug, started.resumeToken, secure));
      return response;
    }
    const result = await savePage(db, {
      slug,
      resumeToken: request.cookies.get(resumeCookieName(slug))?.value,
      sectionId: parsed.data.sectionId,
      fields: parsed.data.fields,
      direction: parsed.data.direction,
    });
    if (!result.ok) return reply({ ok: false, fieldErrors: result.fieldErrors }, { status: 422 });
    return reply(result);
  } catch (error) {
    if (error instanceof AppError) return reply({ ok: false, error: error.userMessage }, { status: HTTP_STATUS[error.code] });
    const ref = logServerError("participant API", error);
    return reply({ ok: false, error: `Server error; nothing was saved (reference ${ref}).` }, { status: 500 });
  }
}
