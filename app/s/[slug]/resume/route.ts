import { NextResponse, type NextRequest } from "next/server";
import { getDatabase } from "@/lib/db";
import { getParticipantState } from "@/lib/db/responses";
import { resumeCookie } from "../../participant-cookies";
import { checkParticipantLimit } from "../../participant-limits";
import { isStableId } from "@/lib/survey/definition";

/**
 * The resume link /s/<slug>/resume?r=<token>: puts the token into this browser's cookie and continues at the
 * page the participant left. An unknown token leads to the welcome page with a note.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  // Counted before the lookup: resume tokens are unguessable, but the endpoint should not be a free oracle.
  const limit = checkParticipantLimit("resume", request.headers);
  if (!limit.ok) {
    return new NextResponse(limit.message, { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds), "Content-Type": "text/plain; charset=utf-8" } });
  }
  const token = request.nextUrl.searchParams.get("r") ?? "";
  const target = new URL(`/s/${encodeURIComponent(slug)}`, request.nextUrl.origin);
  const state = isStableId(slug) ? await getParticipantState(await getDatabase(), { slug, resumeToken: token }) : null;
  if (!state) {
    target.pathname = `/s/${encodeURIComponent(slug)}/resume/unknown`;
    return NextResponse.redirect(target, 303);
  }
  const response = NextResponse.redirect(target, 303);
  const secure = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  response.cookies.set(resumeCookie(slug, token, secure));
  response.headers.set("Referrer-Policy", "no-referrer");
  return response;
}
