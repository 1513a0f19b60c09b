import { failure, withUser } from "@/app/api/_lib/with-user";
import { getDatabase } from "@/lib/db";
import { exportExperimentSetLines } from "@/lib/db/experiments";

/** GET /api/experiments/export?set=<set id>: the set's runs as the runner wrote them (results.jsonl). */
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return withUser(request, async (user) => {
    const setId = new URL(request.url).searchParams.get("set");
    if (!setId || setId.length > 300) return failure("Name a set: ?set=<set id>", 400);
    const body = await exportExperimentSetLines(await getDatabase(), user, { setId });
    const name = `${setId.replace(/[^a-zA-Z0-9-]+/g, "_")}.jsonl`;
    return new Response(body, {
      headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store" },
    });
  });
}
