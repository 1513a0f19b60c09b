import { ForbiddenError } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { exportExperimentSetLines } from "@/lib/db/experiments";
import { AppError, HTTP_STATUS } from "@/lib/errors";

/** GET /api/experiments/export?set=<set id>: the set's runs as the runner wrote them (results.jsonl). */
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await getCurrentUser();
  if (!user) return new Response("Sign in first.\n", { status: 401 });
  const setId = new URL(request.url).searchParams.get("set");
  if (!setId || setId.length > 300) return new Response("Name a set: ?set=<set id>\n", { status: 400 });
  try {
    const body = await exportExperimentSetLines(await getDatabase(), user, { setId });
    const name = `${setId.replace(/[^a-zA-Z0-9-]+/g, "_")}.jsonl`;
    return new Response(body, {
      headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"` },
    });
  } catch (error) {
    if (error instanceof ForbiddenError) return new Response("Not allowed.\n", { status: 403 });
    if (error instanceof AppError) return new Response(`${error.userMessage}\n`, { status: HTTP_STATUS[error.code] });
    throw error;
  }
}
