import "server-only";
import { NextResponse } from "next/server";
import { ForbiddenError } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import type { SessionUser } from "@/lib/db/users";

/**
 * Runs a route handler body for a signed-in user and turns expected failures into JSON with the right status.
 * The permission itself is checked by the lib/db function the body calls.
 */
export async function withUser(body: (user: SessionUser) => Promise<Response>): Promise<Response> {
  const user = await getCurrentUser();
  if (!user) return NextResponse.json({ ok: false, error: "Sign in first." }, { status: 401 });
  try {
    return await body(user);
  } catch (error) {
    if (error instanceof ForbiddenError) return NextResponse.json({ ok: false, error: "You do not have permission to do this." }, { status: 403 });
    if (error instanceof AppError) return NextResponse.json({ ok: false, error: error.userMessage }, { status: HTTP_STATUS[error.code] });
    console.error("questionnaire route failed", error);
    return NextResponse.json({ ok: false, error: "Something went wrong on our side; nothing was changed." }, { status: 500 });
  }
}

/** A file download that is never cached and never sniffed. */
export function download(body: string, fileName: string, contentType: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "no-store",
    },
  });
}
