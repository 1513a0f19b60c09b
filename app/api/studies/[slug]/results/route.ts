import { NextResponse, type NextRequest } from "next/server";
import { can } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { surveyFilterParamsSchema } from "@/lib/db/dashboard/filters";
import { loadStudyResults } from "@/lib/db/dashboard/results";
import { writeCsv } from "@/lib/io/csv";
import { RESULT_COLUMNS, resultRows, resultsJson } from "@/lib/dashboard/export";
import { intervalSettingsFrom } from "@/lib/dashboard/intervals";
import { AppError, HTTP_STATUS } from "@/lib/errors";

export const dynamic = "force-dynamic";

/**
 * GET /api/studies/<slug>/results?format=csv|json (+ the dashboard's method, level, adjust and filter
 * parameters): every estimate of the study with x, n, interval, method and level.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await getCurrentUser();
  if (!user) return NextResponse.json({ error: "Sign in to download results." }, { status: 401 });
  if (!can(user, "surveys.read-results")) return NextResponse.json({ error: "You do not have permission to read results." }, { status: 403 });
  const search = Object.fromEntries(request.nextUrl.searchParams.entries());
  const format = search.format === "json" ? "json" : search.format === "csv" || search.format === undefined ? "csv" : null;
  if (!format) return NextResponse.json({ error: 'format must be "csv" or "json".' }, { status: 400 });
  const filter = surveyFilterParamsSchema.safeParse({ version: search.version, status: search.status, from: search.from, to: search.to, list: search.list });
  if (!filter.success) {
    return NextResponse.json({ error: `Invalid filter: ${filter.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}` }, { status: 400 });
  }
  try {
    const results = await loadStudyResults(await getDatabase(), user, slug, {
      settings: intervalSettingsFrom(search),
      filterParams: filter.data,
      questionnaireSlug: search.questionnaire,
      finitePopulationCorrection: search.fpc === "1",
    });
    const stamp = results.generatedAt.toISOString().slice(0, 10);
    if (format === "json") {
      return new NextResponse(JSON.stringify(resultsJson(results), null, 2), {
        headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="${slug}-results-${stamp}.json"` },
      });
    }
    return new NextResponse(writeCsv([RESULT_COLUMNS, ...resultRows(results)], { finalLineBreak: true }), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${slug}-results-${stamp}.csv"` },
    });
  } catch (error) {
    if (error instanceof AppError) return NextResponse.json({ error: error.userMessage }, { status: HTTP_STATUS[error.code] });
    throw error;
  }
}
