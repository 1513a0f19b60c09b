import type { NextRequest } from "next/server";
import { getDatabase } from "@/lib/db";
import { exportedDefinition, exportResponseRecords } from "@/lib/db/survey-export";
import { codebookToCsv, responsesToCsv } from "@/lib/survey/export";
import { download, withUser } from "@/app/api/_lib/with-user";

/**
 * GET /api/questionnaires/<id>/export?format=csv|json|codebook&partial=1&values=labels
 * CSV: one row per response, value codes (or labels), formula-neutralised, UTF-8 with BOM for spreadsheets.
 * JSON: the questionnaire definition, the codebook and the response records.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return withUser(request, async (user) => {
    const search = request.nextUrl.searchParams;
    const format = search.get("format") ?? "csv";
    const includePartial = search.get("partial") === "1";
    if (format === "codebook") {
      const { questionnaire, version, definition } = await exportedDefinition(await getDatabase(), user, { questionnaireId: id });
      return download(`\uFEFF${codebookToCsv(definition)}`, `${questionnaire.slug}-v${version.version}-codebook.csv`, "text/csv; charset=utf-8");
    }
    const exported = await exportResponseRecords(await getDatabase(), user, { questionnaireId: id, includePartial });
    const stamp = new Date().toISOString().slice(0, 10);
    const base = `${exported.slug}-v${exported.version}-${includePartial ? "all" : "completed"}-${stamp}`;
    if (format === "json") {
      const body = JSON.stringify({ questionnaire: exported.slug, version: exported.version, exportedAt: new Date().toISOString(), definition: exported.definition, responses: exported.records }, null, 2);
      return download(body, `${base}.json`, "application/json; charset=utf-8");
    }
    const valueFormat = search.get("values") === "labels" ? "labels" : "codes";
    return download(responsesToCsv(exported.definition, exported.records, { bom: true, valueFormat }), `${base}.csv`, "text/csv; charset=utf-8");
  });
}
