import "server-only";
import { NextResponse } from "next/server";
import { failureMessage } from "@/lib/action-result";
import { getCurrentUser } from "@/lib/auth/session";
import { siteUrl } from "@/lib/env";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import type { SessionUser } from "@/lib/db/users";

/**
 * The one wrapper of the authenticated route handlers: same-origin check for every state-changing method, the
 * signed-in user, and expected failures turned into JSON with the right status. The permission itself is checked
 * by the lib/db function the body calls. Failures answer `{ ok: false, error, errors: [error] }` (the literature
 * import page reads `errors`, the others `error`).
 *
 *   export async function POST(request: Request) {
 *     return withUser(request, async (user) => Response.json(await importSomething(db, user, …)));
 *   }
 */
export async function withUser(request: Request, body: (user: SessionUser) => Promise<Response>): Promise<Response> {
  if (isStateChanging(request.method) && !isSameOrigin(request)) {
    return failure("Requests from other sites are not accepted: use this site's own pages.", 403);
  }
  const user = await getCurrentUser();
  if (!user) return failure("Your session has ended. Sign in again.", 401);
  try {
    return await body(user);
  } catch (error) {
    if (error instanceof AppError) return failure(error.userMessage, HTTP_STATUS[error.code]);
    return failure(failureMessage(`${request.method} ${new URL(request.url).pathname}`, error), 500);
  }
}

export function failure(error: string, status: number): Response {
  return NextResponse.json({ ok: false, error, errors: [error] }, { status });
}

const isStateChanging = (method: string) => !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());

/**
 * Browsers send Origin on every POST; a request carrying this user's cookies from another site's page has a
 * foreign Origin and is refused. A request without Origin is not from a browser page (curl, scripts), so no
 * cookie rode along without the user's knowledge. NEXTAUTH_URL is accepted too, for a proxy that rewrites Host.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return request.headers.get("sec-fetch-site") !== "cross-site";
  if (origin === new URL(request.url).origin) return true;
  const configured = siteUrl();
  if (!configured) return false;
  try {
    return origin === new URL(configured).origin;
  } catch {
    return false;
  }
}

/** A file download that is never cached and never sniffed. */
export function download(body: string | ReadableStream<Uint8Array>, fileName: string, contentType: string, extraHeaders: Record<string, string> = {}): Response {
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "no-store",
      ...extraHeaders,
    },
  });
}
