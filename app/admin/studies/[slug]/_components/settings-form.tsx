/** The reader's interval settings and filters of a dashboard page. */
import { ADJUST_NAMES, LEVELS, METHOD_NAMES } from "@/lib/dashboard/intervals";
import { formatLevel } from "@/lib/format";
import type { IntervalSettings } from "@/lib/dashboard/intervals";
import type { DashboardQuestionnaire } from "@/lib/db/dashboard/survey";
import type { SurveyFilterParams } from "@/lib/db/dashboard/filters";
import { PROPORTION_CI_METHODS } from "@/lib/stats/proportion-ci";

/** The reader's settings and filters, as a GET form so every view is a link that can be shared. */
export function SettingsForm({
  action,
  settings,
  filter,
  questionnaire,
  hidden = {},
}: {
  action: string;
  settings: IntervalSettings;
  filter: SurveyFilterParams;
  questionnaire?: DashboardQuestionnaire;
  hidden?: Record<string, string | undefined>;
}) {
  return (
    <details className="card settings no-print">
      <summary>
        <strong>Settings and filters:</strong> {METHOD_NAMES[settings.method]} {formatLevel(settings.level)} intervals · {ADJUST_NAMES[settings.adjust].split(" ")[0]} correction
        {questionnaire ? ` · ${filter.status === "all" ? "all started responses" : "completed responses"}${filter.version ? " · one version" : ""}${filter.list ? " · one invitation list" : ""}${filter.from || filter.to ? ` · started ${filter.from ?? "…"} to ${filter.to ?? "…"}` : ""}` : ""}
      </summary>
    <form method="get" action={action} className="settings-form" aria-label="Result settings and filters">
      {questionnaire ? <input type="hidden" name="questionnaire" value={questionnaire.slug} /> : null}
      {Object.entries(hidden).map(([key, value]) => (value ? <input key={key} type="hidden" name={key} value={value} /> : null))}
      <div className="settings-grid">
        <div className="field">
          <label htmlFor="method">Interval method</label>
          <select id="method" name="method" defaultValue={settings.method}>
            {PROPORTION_CI_METHODS.map((method) => (
              <option key={method} value={method}>
                {METHOD_NAMES[method]}
                {method === "wilson" ? " (default)" : ""}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="level">Confidence level</label>
          <select id="level" name="level" defaultValue={String(settings.level)}>
            {LEVELS.map((level) => (
              <option key={level} value={String(level)}>
                {formatLevel(level)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="adjust">Multiple-comparison correction</label>
          <select id="adjust" name="adjust" defaultValue={settings.adjust}>
            {(["holm", "bh", "bonferroni"] as const).map((method) => (
              <option key={method} value={method}>
                {ADJUST_NAMES[method]}
              </option>
            ))}
          </select>
        </div>
        {questionnaire ? (
          <>
            <div className="field">
              <label htmlFor="version">Questionnaire version</label>
              <select id="version" name="version" defaultValue={filter.version ?? ""}>
                <option value="">All versions</option>
                {questionnaire.versions.map((version) => (
                  <option key={version.id} value={version.id}>
                    Version {version.version}
                    {version.publishedAt ? "" : " (draft)"}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="status">Responses</label>
              <select id="status" name="status" defaultValue={filter.status}>
                <option value="completed">Completed only</option>
                <option value="all">All started (incl. partial)</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="list">Invitation list</label>
              <select id="list" name="list" defaultValue={filter.list ?? ""}>
                <option value="">Any (incl. public link)</option>
                {questionnaire.invitationLists.map((list) => (
                  <option key={list.id} value={list.id}>
                    {list.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="from">Started from</label>
              <input id="from" name="from" type="date" defaultValue={filter.from ?? ""} />
            </div>
            <div className="field">
              <label htmlFor="to">Started up to</label>
              <input id="to" name="to" type="date" defaultValue={filter.to ?? ""} />
            </div>
          </>
        ) : null}
      </div>
      <button type="submit">Apply</button>
    </form>
    </details>
  );
}
