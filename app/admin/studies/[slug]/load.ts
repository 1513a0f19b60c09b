import "server-only";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { surveyFilterParamsSchema, type SurveyFilterParams } from "@/lib/db/dashboard/filters";
import { loadStudyResults } from "@/lib/db/dashboard/results";
import { intervalSettingsFrom } from "@/lib/dashboard/intervals";
import { orNotFound } from "@/app/_lib/or-not-found";
import { param, type DashboardView, type SearchParams } from "./_components/search-params";

/**
 * Reads the questionnaire, settings and filters from the URL. An invalid filter value (e.g. a malformed date) is
 * dropped with a message rather than failing the page.
 */
export function readView(searchParams: SearchParams): { view: DashboardView; filterProblem: string | null } {
  const settings = intervalSettingsFrom(searchParams);
  const raw = { version: param(searchParams, "version"), status: param(searchParams, "status"), from: param(searchParams, "from"), to: param(searchParams, "to"), list: param(searchParams, "list") };
  const parsed = surveyFilterParamsSchema.safeParse(raw);
  const filter: SurveyFilterParams = parsed.success ? parsed.data : surveyFilterParamsSchema.parse({});
  const filterProblem = parsed.success ? null : `Some filters were not understood and were ignored: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`;
  const questionnaire = param(searchParams, "questionnaire") || undefined;
  return { view: { settings, filter, questionnaire }, filterProblem };
}

/**
 * Loads the study's results for the questionnaire in the URL (or the study's first one). An unknown study or a
 * questionnaire that is not in this study is a 404, never another study's or questionnaire's numbers.
 */
export async function loadPage(slug: string, searchParams: SearchParams, returnTo: string, scope: "all" | "overview" = "all") {
  const actor = await requirePermissionForPage("surveys.read-results", returnTo);
  const { view: requested, filterProblem } = readView(searchParams);
  const db = await getDatabase();
  const results = await orNotFound(
    loadStudyResults(db, actor, slug, {
      settings: requested.settings,
      filterParams: requested.filter,
      questionnaireSlug: requested.questionnaire,
      finitePopulationCorrection: param(searchParams, "fpc") === "1",
      scope,
    }),
  );
  // The view names the questionnaire actually shown, so every link and form on the page keeps it.
  const view: DashboardView = { ...requested, questionnaire: results.survey?.questionnaire.slug };
  return { actor, db, view, settings: view.settings, filterParams: view.filter, filterProblem, results };
}

/** The props Next.js passes to every page under /admin/studies/[slug] that shows the study's results. */
export type StudyPageProps = { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> };

/**
 * The common opening of the study pages: the slug and query from the route, then `loadPage` with the page's own
 * path (`subpath` after the study's, e.g. "/report") as where to return after signing in.
 */
export async function loadStudyPage({ params, searchParams }: StudyPageProps, subpath: string, scope: "all" | "overview" = "all") {
  const { slug } = await params;
  const search = await searchParams;
  return { slug, search, ...(await loadPage(slug, search, `/admin/studies/${slug}${subpath}`, scope)) };
}
