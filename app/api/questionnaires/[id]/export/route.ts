import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDatabase } from "@/lib/db";
import { countExportedResponses, exportedDefinition, exportResponseRecords } from "@/lib/db/survey-export";
import { getQuestionnaireHeadlines } from "@/lib/db/questionnaires";
import { headlineConfigToYaml } from "@/lib/dashboard/headlines";
import { rScript, spssSyntax, statisticsCsv, statisticsFileNames } from "@/lib/io/r-spss-export";
import { exportFileName, jsonExportObject } from "@/lib/io/response-export-file";
import { DIRECT_EXPORT_MAX_RESPONSES, startResponseExportJob } from "@/lib/jobs/response-export-job";
import { codebookToCsv, responsesToCsv } from "@/lib/survey/export";
import { formatCount } from "@/lib/format";
import { download, failure, withUser } from "@/app/api/_lib/with-user";

/**
 * GET /api/questionnaires/<id>/export?format=csv|json|codebook|headlines|r-data|r-script|spss&partial=1&values=labels
 * CSV: one row per response, value codes (or labels), formula-neutralised, UTF-8 with BOM for spreadsheets.
 * JSON: the questionnaire definition, its headline proportions and the response records.
 * headlines: the headline proportions as YAML, to import on another questionnaire.
 * r-data / r-script / spss: "R and SPSS ready" (lib/io/r-spss-export.ts): the CSV both scripts read, an R script
 * and an SPSS syntax file that load it with the codebook's variable and value labels; file names match each other.
 *
 * The files that hold responses (csv, json, r-data) are answered here only up to DIRECT_EXPORT_MAX_RESPONSES
 * responses; a larger export is refused with 409 and made by POST instead. The other files read no response.
 *
 * POST (JSON { format: csv|json|r-data, partial, values }): starts a background export
 * (lib/jobs/response-export-job.ts) and answers 202 with the job at once; its page follows it at
 * /admin/questionnaires/<id>/exports/<job id>, the file is downloaded from ./jobs/<job id>/download.
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
    const db = await getDatabase();
    const count = await countExportedResponses(db, user, { questionnaireId: id, includePartial });
    if (count > DIRECT_EXPORT_MAX_RESPONSES) {
      return failure(
        `This export holds ${formatCount(count)} responses, more than the ${formatCount(DIRECT_EXPORT_MAX_RESPONSES)} exported directly: start it from the questionnaire's page (Export), which prepares the file in the background.`,
        409,
      );
    }
    const exported = await exportResponseRecords(db, user, { questionnaireId: id, includePartial });
    const exportedAt = new Date().toISOString();
    const kind = { includePartial, valueFormat: search.get("values") === "labels" ? ("labels" as const) : ("codes" as const) };
    if (format === "r-data") return download(statisticsCsv(exported.definition, exported.records), exportFileName({ ...kind, format }, { ...exported, exportedAt }), "text/csv; charset=utf-8");
    if (format === "json") {
      const body = JSON.stringify(jsonExportObject({ ...exported, exportedAt }, exported.records), null, 2);
      return download(body, exportFileName({ ...kind, format }, { ...exported, exportedAt }), "application/json; charset=utf-8");
    }
    return download(responsesToCsv(exported.definition, exported.records, { bom: true, valueFormat: kind.valueFormat }), exportFileName({ ...kind, format: "csv" }, { ...exported, exportedAt }), "text/csv; charset=utf-8");
  });
}

const startSchema = z.object({
  format: z.enum(["csv", "json", "r-data"], { message: "Choose CSV, JSON or the R/SPSS data file." }),
  partial: z.boolean().default(false),
  values: z.enum(["codes", "labels"]).default("codes"),
});

export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return withUser(request, async (user) => {
    const parsed = startSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) return failure(parsed.error.issues[0]?.message ?? "Invalid request.", 422);
    const job = await startResponseExportJob(await getDatabase(), user, {
      questionnaireId: id,
      request: { format: parsed.data.format, includePartial: parsed.data.partial, valueFormat: parsed.data.format === "csv" ? parsed.data.values : "codes" },
    });
    return NextResponse.json({ ok: true, job }, { status: 202 });
  });
}
