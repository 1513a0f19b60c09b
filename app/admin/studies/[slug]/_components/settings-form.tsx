/** The reader's interval settings and filters of a dashboard page. */
import { ADJUST_NAMES, LEVELS, METHOD_NAMES } from "@/lib/dashboard/intervals";
import { formatLevel } from "@/lib/format";
import type { IntervalSettings } from "@/lib/dashboard/intervals";
import type { DashboardQuestionnaire } from "@/lib/db/dashboard/survey";
import type { SurveyFilterParams } from "@/lib/db/dashboard/filters";
import { PROPORTION_CI_METHODS } from "@/lib/stats/proportion-ci";
import { LabelledInput, SelectField } from "@/app/_components/form-field";

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
        <SelectField id="method" name="method" label="Interval method" defaultValue={settings.method}>
          {PROPORTION_CI_METHODS.map((method) => (
            <option key={method} value={method}>
              {METHOD_NAMES[method]}
              {method === "wilson" ? " (default)" : ""}
            </option>
          ))}
        </SelectField>
        <SelectField id="level" name="level" label="Confidence level" defaultValue={String(settings.level)}>
          {LEVELS.map((level) => (
            <option key={level} value={String(level)}>
              {formatLevel(level)}
            </option>
          ))}
        </SelectField>
        <SelectField id="adjust" name="adjust" label="Multiple-comparison correction" defaultValue={settings.adjust}>
          {(["holm", "bh", "bonferroni"] as const).map((method) => (
            <option key={method} value={method}>
              {ADJUST_NAMES[method]}
            </option>
          ))}
        </SelectField>
        {questionnaire ? (
          <>
            <SelectField id="version" name="version" label="Questionnaire version" defaultValue={filter.version ?? ""}>
              <option value="">All versions</option>
              {questionnaire.versions.map((version) => (
                <option key={version.id} value={version.id}>
                  Version {version.version}
                  {version.publishedAt ? "" : " (draft)"}
                </option>
              ))}
            </SelectField>
            <SelectField id="status" name="status" label="Responses" defaultValue={filter.status}>
              <option value="completed">Completed only</option>
              <option value="all">All started (incl. partial)</option>
            </SelectField>
            <SelectField id="list" name="list" label="Invitation list" defaultValue={filter.list ?? ""}>
              <option value="">Any (incl. public link)</option>
              {questionnaire.invitationLists.map((list) => (
                <option key={list.id} value={list.id}>
                  {list.name}
                </option>
              ))}
            </SelectField>
            <LabelledInput id="from" name="from" label="Started from" type="date" defaultValue={filter.from ?? ""} />
            <LabelledInput id="to" name="to" label="Started up to" type="date" defaultValue={filter.to ?? ""} />
          </>
        ) : null}
      </div>
      <button type="submit">Apply</button>
    </form>
    </details>
  );
}
