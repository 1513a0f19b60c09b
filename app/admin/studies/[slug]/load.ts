import "server-only";
import { notFound } from "next/navigation";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { surveyFilterParamsSchema, type SurveyFilterParams } from "@/lib/db/dashboard/filters";
import { loadStudyResults } from "@/lib/db/dashboard/results";
import { intervalSettingsFrom } from "@/lib/dashboard/intervals";
import { AppError } from "@/lib/errors";
import { param, type SearchParams } from "./sections";

/**
 * Reads the page's settings and filters from the URL and loads the study's results. An invalid filter value
 * (e.g. a malformed date) is dropped with a message rather than failing the page.
 */
export async function loadPage(slug: string, searchParams: SearchParams, returnTo: string, scope: "all" | "overview" = "all") {
  const actor = await requirePermissionForPage("surveys.read-results", returnTo);
  const settings = intervalSettingsFrom(searchParams);
  const raw = { version: param(searchParams, "version"), status: param(searchParams, "status"), from: param(searchParams, "from"), to: param(searchParams, "to"), list: param(searchParams, "list") };
  const parsed = surveyFilterParamsSchema.safeParse(raw);
  const filterParams: SurveyFilterParams = parsed.success ? parsed.data : surveyFilterParamsSchema.parse({});
  const filterProblem = parsed.success ? null : `Some filters were not understood and were ignored: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`;
  const db = await getDatabase();
  try {
    const results = await loadStudyResults(db, actor, slug, {
      settings,
      filterParams,
      questionnaireSlug: param(searchParams, "questionnaire"),
      finitePopulationCorrection: param(searchParams, "fpc") === "1",
      scope,
    });
    return { actor, db, settings, filterParams, filterProblem, results };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
