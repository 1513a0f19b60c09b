import type { NextRequest } from "next/server";
import { getDatabase } from "@/lib/db";
import { exportedDefinition, exportResponseRecords } from "@/lib/db/survey-export";
import { getQuestionnaireHeadlines } from "@/lib/db/questionnaires";
import { headlineConfigToYaml } from "@/lib/dashboard/headlines";
import { rScript, spssSyntax, statisticsCsv, statisticsFileNames } from "@/lib/io/r-spss-export";
import { codebookToCsv, responsesToCsv } from "@/lib/survey/export";
import { download, withUser } from "@/app/api/_lib/with-user";

/**
 * GET /api/questionnaires/<id>/export?format=csv|json|codebook|headlines|r-data|r-script|spss&partial=1&values=labels
 * CSV: one row per response, value codes (or labels), formula-neutralised, UTF-8 with BOM for spreadsheets.
 * JSON: the questionnaire definition, its headline proportions and the response records.
 * headlines: the headline proportions as YAML, to import on another questionnaire.
 * r-data / r-script / spss: "R and SPSS ready" (lib/io/r-spss-export.ts): the CSV both scripts read, an R script
 * and an SPSS syntax file that load it with the codebook's variable and value labels; file names match each other.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return withUser(request, async (user) => {
    const search = request.nextUrl.searchParams;
    const format = search.get("format") ?? "csv";
    if (format === "headlines") {
      const { slug, config } = await getQuestionnaireHeadlines(await getDatabase(), user, id);
      return download(headlineConfigToYaml(config, slug), `${slug}-headlines.yaml`, "text/yaml; charset=utf-8");
    }
    const includePartial = search.get("partial") === "1";
    if (format === "codebook") {
      const { questionnaire, version, definition } = await exportedDefinition(await getDatabase(), user, { questionnaireId: id });
      return download(`\uFEFF${codebookToCsv(definition)}`, `${questionnaire.slug}-v${version.version}-codebook.csv`, "text/csv; charset=utf-8");
    }
    // The R and SPSS scripts need only the codebook, so, like it, they never read a response.
    if (format === "r-script" || format === "spss") {
      const { questionnaire, version, definition } = await exportedDefinition(await getDatabase(), user, { questionnaireId: id });
      const statistics = statisticsFileNames(questionnaire.slug, version.version, includePartial);
      if (format === "r-script") return download(rScript(definition, statistics.csv), statistics.r, "text/plain; charset=utf-8");
      return download(spssSyntax(definition, statistics.csv), statistics.sps, "text/plain; charset=utf-8");
    }
    const exported = await exportResponseRecords(await getDatabase(), user, { questionnaireId: id, includePartial });
    const stamp = new Date().toISOString().slice(0, 10);
    const base = `${exported.slug}-v${exported.version}-${includePartial ? "all" : "completed"}-${stamp}`;
    if (format === "r-data") return download(statisticsCsv(exported.definition, exported.records), statisticsFileNames(exported.slug, exported.version, includePartial).csv, "text/csv; charset=utf-8");
    if (format === "json") {
      const body = JSON.stringify({ questionnaire: exported.slug, version: exported.version, exportedAt: new Date().toISOString(), definition: exported.definition, headlines: exported.headlineConfig, responses: exported.records }, null, 2);
      return download(body, `${base}.json`, "application/json; charset=utf-8");
    }
    const valueFormat = search.get("values") === "labels" ? "labels" : "codes";
    return download(responsesToCsv(exported.definition, exported.records, { bom: true, valueFormat }), `${base}.csv`, "text/csv; charset=utf-8");
  });
}
