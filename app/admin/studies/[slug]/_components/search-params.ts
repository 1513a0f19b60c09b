/** The dashboard pages' search parameters: the reader's settings, filters and questionnaire, read and carried on. */
import type { IntervalSettings } from "@/lib/dashboard/intervals";
import type { SurveyFilterParams } from "@/lib/db/dashboard/filters";

export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a search parameter. */
export const param = (params: SearchParams, key: string): string | undefined => (Array.isArray(params[key]) ? params[key]![0] : params[key]);

/** What a dashboard page shows: the questionnaire (by slug) and the reader's settings and filters. */
export type DashboardView = { settings: IntervalSettings; filter: SurveyFilterParams; questionnaire: string | undefined };

/**
 * Query string carrying the questionnaire, the reader's settings and filters to the next page. The
 * questionnaire is always part of it: a study may hold several with the same question ids.
 */
export function settingsQuery(view: DashboardView, extra: Record<string, string | undefined> = {}): string {
  const { settings, filter } = view;
  const query = new URLSearchParams();
  if (view.questionnaire) query.set("questionnaire", view.questionnaire);
  if (settings.method !== "wilson") query.set("method", settings.method);
  if (settings.level !== 0.95) query.set("level", String(settings.level));
  if (settings.adjust !== "holm") query.set("adjust", settings.adjust);
  if (filter.version) query.set("version", filter.version);
  if (filter.status !== "completed") query.set("status", filter.status);
  if (filter.from) query.set("from", filter.from);
  if (filter.to) query.set("to", filter.to);
  if (filter.list) query.set("list", filter.list);
  for (const [key, value] of Object.entries(extra)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `?${text}` : "";
}
