/**
 * Server-rendered building blocks shared by the overview, survey, question and report pages. Each number is
 * printed with its n, method and level; charts get their table alternative from the same rows.
 */
import Link from "next/link";
import { ResultChart, type ResultChartProps } from "@/app/_components/charts/result-chart";
import { ADJUST_NAMES, kappaIntervalCaveat, zeroWidthCaveat, type IntervalCaveat, formatInterval, formatLevel, formatNumber, formatP, formatPercent, formatPoints, LEVELS, METHOD_NAMES } from "@/lib/dashboard/intervals";
import type { IntervalSettings } from "@/lib/dashboard/intervals";
import type { Breakdown, CorrelationResult, Estimate, HeadlineResult, OptionRow } from "@/lib/dashboard/survey-results";
import type { ExpectationComparison } from "@/lib/dashboard/expectations";
import type { ExperimentRow } from "@/lib/dashboard/experiment-results";
import type { StudyLiterature } from "@/lib/db/dashboard/results";
import type { Coefficient } from "@/lib/coding/agreement";
import type { QuestionResult, SurveyResults } from "@/lib/db/dashboard/results";
import type { DashboardQuestionnaire, SurveyFunnel } from "@/lib/db/dashboard/survey";
import type { SurveyFilterParams } from "@/lib/db/dashboard/filters";
import { PROPORTION_CI_METHODS } from "@/lib/stats/proportion-ci";
import { DataTable } from "@/app/_components/data-table";

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

/** "83.8% [81.3%, 86.0%], n = 901" with the method named. */
export function EstimateText({ value, showMethod = true }: { value: Estimate; showMethod?: boolean }) {
  if (value.estimate === null) return <span className="muted">no answers (n = 0)</span>;
  return (
    <span className="estimate">
      <strong>{formatPercent(value.estimate)}</strong> {formatInterval(value.lower!, value.upper!)}
      <span className="muted">
        {" "}
        ({value.x} of n = {value.n}
        {showMethod ? `; ${value.method} ${formatLevel(value.level)} CI` : ""})
      </span>
      <CaveatNote caveat={value.caveat} />
    </span>
  );
}

/** The warning printed under an interval that must not be read as a result (lib/dashboard/intervals.ts). */
export function CaveatNote({ caveat }: { caveat: IntervalCaveat | null }) {
  if (!caveat) return null;
  return (
    <span className="interval-caveat" data-caveat={caveat.kind} role="note">
      {" "}
      ⚠ {caveat.message}
    </span>
  );
}

/** "[0.0%, 0.0%] ⚠" — an interval followed by a short flag when it is degenerate (the full caveat is in its title). */
function IntervalCell({ lower, upper, caveat }: { lower: number; upper: number; caveat: IntervalCaveat | null }) {
  return (
    <>
      {formatInterval(lower, upper)}
      {caveat ? (
        <span className="interval-caveat" data-caveat={caveat.kind} title={caveat.message}>
          {" "}
          ⚠ {caveat.kind === "zero-width" ? "zero width" : caveat.kind === "approximation" ? "unreliable" : "few answers"}
        </span>
      ) : null}
    </>
  );
}

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

/** Chart props for a question's option shares (percent with interval whiskers) and its table. */
export function optionChartProps(title: string, rows: OptionRow[], fileName: string): ResultChartProps {
  const first = rows[0];
  const intervalName = first ? `${first.method} ${formatLevel(first.level)} CI` : "CI";
  const intervalColumn = first ? `${formatLevel(first.level)} CI` : "CI";
  return {
    title,
    caption: first ? `Share of the ${first.n} respondents who answered, with ${intervalName} whiskers.` : "No answers.",
    categories: rows.map((row) => row.label),
    series: [
      {
        label: "% of respondents",
        values: rows.map((row) => (row.estimate === null ? null : round1(row.estimate * 100))),
        lower: rows.map((row) => (row.lower === null ? null : round1(row.lower * 100))),
        upper: rows.map((row) => (row.upper === null ? null : round1(row.upper * 100))),
      },
    ],
    unit: "percent",
    table: {
      // The method is named in the caption; the short header keeps the table narrow on a phone.
      columns: ["Answer", "Chosen", "n", "Share", intervalColumn],
      rows: rows.map((row) => [
        row.label,
        row.x,
        row.n,
        formatPercent(row.estimate),
        row.estimate === null ? "–" : `${formatInterval(row.lower!, row.upper!)}${row.caveat ? ` ⚠ ${row.caveat.kind === "zero-width" ? "zero width" : row.caveat.kind === "approximation" ? "unreliable" : "few answers"}` : ""}`,
      ]),
    },
    fileName,
    notes: [...new Set(rows.flatMap((row) => (row.caveat ? [row.caveat.message] : [])))],
  };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export function HeadlineList({ headlines }: { headlines: HeadlineResult[] }) {
  if (headlines.length === 0) return <p className="muted">No headline proportions are defined for this questionnaire yet (define them on the questionnaire&apos;s admin page).</p>;
  return (
    <ul className="headlines">
      {headlines.map((headline) => (
        <li key={headline.id} className="headline" data-headline={headline.id}>
          <span className="headline-label">{headline.label}</span>
          <span className="headline-value">{formatPercent(headline.estimate)}</span>
          <span>
            {headline.estimate === null ? "no answers" : `${formatLevel(headline.level)} CI ${formatInterval(headline.lower!, headline.upper!)}, n = ${headline.n}`}
          </span>
          <span className="muted">
            {headline.x} of {headline.n} answered {headline.optionLabels.map((label) => `“${label}”`).join(" or ")} to {headline.questionId}; {headline.method} interval.
            {headline.reference ? ` Reference study: ${headline.reference.percent}%${headline.reference.n ? ` (n = ${headline.reference.n})` : ""}.` : ""}
          </span>
          <CaveatNote caveat={headline.caveat} />
        </li>
      ))}
    </ul>
  );
}

export function FunnelTable({ funnel, questionnaire }: { funnel: SurveyFunnel; questionnaire: DashboardQuestionnaire }) {
  const titleOf = (section: string | null) =>
    section === null ? "Before the first page" : (questionnaire.definition.sections.find((item) => item.id === section)?.title ?? section);
  const unfinished = funnel.started - funnel.completed;
  return (
    <>
      <dl className="funnel">
        <div>
          <dt>Invited</dt>
          <dd>{funnel.invited.toLocaleString("en-US")}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{funnel.started.toLocaleString("en-US")}</dd>
        </div>
        <div>
          <dt>Completed</dt>
          <dd>{funnel.completed.toLocaleString("en-US")}</dd>
        </div>
        <div>
          <dt>Declined consent</dt>
          <dd>{funnel.declined.toLocaleString("en-US")}</dd>
        </div>
      </dl>
      {unfinished > 0 ? (
        <DataTable
          rows={funnel.stoppedOn}
          rowKey={(row) => row.section ?? "start"}
          caption={<>Drop-off: where the {unfinished} unfinished responses stopped</>}
          columns={[
            { label: "Page", rowHeader: true, cell: (row) => titleOf(row.section) },
            { label: "Responses", numeric: true, cell: (row) => row.count },
            { label: "Share of started", numeric: true, cell: (row) => formatPercent(row.count / funnel.started) },
          ]}
        />
      ) : (
        <p className="muted">No unfinished responses{funnel.started === 0 ? " (no responses yet)" : ""}.</p>
      )}
    </>
  );
}

export function BreakdownView({ breakdown, groupText, targetText }: { breakdown: Breakdown; groupText: string; targetText: string }) {
  const level = formatLevel(breakdown.level);
  const method = breakdown.rows[0]?.byGroup[0]?.method ?? "";
  return (
    <div className="breakdown">
      <p className="muted">
        {targetText} — by {groupText}. Shares with {method} {level} CIs; differences with {breakdown.differenceMethod} {level} intervals; p-values from pooled
        two-proportion z tests, adjusted with {ADJUST_NAMES[breakdown.adjustMethod]} over {breakdown.family} comparisons.
      </p>
      <div className="table-wrap">
        <table>
          <caption>Shares by group</caption>
          <thead>
            <tr>
              <th scope="col">Answer</th>
              {breakdown.groups.map((group) => (
                <th key={group.id} scope="col" className="num">
                  {group.label} (n = {group.n})
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {breakdown.rows.map((row) => (
              <tr key={row.optionId}>
                <th scope="row">{row.label}</th>
                {row.byGroup.map((value, index) => (
                  <td key={index} className="num">
                    {value.estimate === null ? "–" : (
                      <>
                        {formatPercent(value.estimate)} <IntervalCell lower={value.lower!} upper={value.upper!} caveat={value.caveat} />
                      </>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {breakdown.comparisons.length > 0 ? (
        <DataTable
          rows={breakdown.comparisons}
          rowKey={(comparison, index) => String(index)}
          className="differences"
          caption={<>Differences between groups ({breakdown.differenceMethod} {level} interval)</>}
          columns={[
            { label: "Answer", rowHeader: true, cell: (comparison) => comparison.optionLabel },
            { label: "Groups", cell: (comparison) => <>{comparison.groupA} − {comparison.groupB}</> },
            { label: "Difference", numeric: true, cell: (comparison) => formatPoints(comparison.difference) },
            { label: <>{level} interval</>, numeric: true, cell: (comparison) => <>[{formatPoints(comparison.lower)}, {formatPoints(comparison.upper)}]</> },
            { label: "p", numeric: true, cell: (comparison) => formatP(comparison.pValue) },
            { label: <>p ({ADJUST_NAMES[breakdown.adjustMethod].split(" ")[0]})</>, numeric: true, cell: (comparison) => formatP(comparison.pAdjusted) },
          ]}
        />
      ) : (
        <p className="muted">Fewer than two groups have answers, so there is nothing to compare.</p>
      )}
    </div>
  );
}

export function CorrelationView({ xText, yText, result }: { xText: string; yText: string; result: CorrelationResult }) {
  if (!result.ok) return <p>Correlation of {xText} and {yText}: not computed — {result.reason}.</p>;
  return (
    <p className="correlation">
      {xText} vs {yText}: <strong>r = {result.r.toFixed(2)}</strong> ({formatLevel(result.level)} CI {result.lower.toFixed(2)} to {result.upper.toFixed(2)}, n = {result.n}, p ={" "}
      {formatP(result.pValue)}; {result.method}).
    </p>
  );
}

export function ExpectationView({ comparison }: { comparison: ExpectationComparison }) {
  return (
    <div>
      <h3>
        {comparison.setting} runs: {comparison.questionId}
      </h3>
      <ResultChart {...optionChartProps(`Expected accuracy difference (${comparison.setting})`, comparison.expected, `expected-${comparison.questionId}`)} />
      <DataTable
        rows={comparison.measured}
        rowKey={(set) => set.setId}
        caption={<>Measured by the imported {comparison.setting} sets</>}
        columns={[
          { label: "Set", rowHeader: true, cell: (set) => set.preset },
          { label: "Runs", numeric: true, cell: (set) => set.runs },
          { label: "Measured Diff", numeric: true, cell: (set) => <>{set.diff.toFixed(2)} pp</> },
          { label: "In bin", cell: (set) => set.binLabel ?? "–" },
          { label: "Respondents who expected less", numeric: true, cell: (set) => <EstimateText value={set.expectedLess} /> },
        ]}
      />
    </div>
  );
}

/** Binned estimate questions side by side as stacked bars (one bar per question, one segment per bin). */
export function EstimateStack({ questions }: { questions: QuestionResult[] }) {
  const binned = questions.filter((item) => item.question.type === "binned_estimate" && item.options && item.answered > 0);
  if (binned.length < 2) return null;
  // Questions with the same bins can share a stack; group by the bins' ids.
  const groups = new Map<string, QuestionResult[]>();
  for (const item of binned) {
    const key = item.options!.map((option) => option.optionId).join(",");
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return (
    <>
      {[...groups.values()]
        .filter((group) => group.length >= 2)
        .map((group) => {
          const options = group[0]!.options!;
          return (
            <ResultChart
              key={group.map((item) => item.question.id).join("-")}
              title={`Estimates: ${group.map((item) => item.question.id).join(", ")}`}
              caption={`Distribution of the binned estimates, each bar 100% of its respondents (n = ${group.map((item) => `${item.question.id}: ${item.answered}`).join(", ")}). Intervals per bin are in the per-question tables.`}
              categories={group.map((item) => item.question.id)}
              series={options.map((option, index) => ({
                label: option.label,
                values: group.map((item) => round1((item.options![index]?.estimate ?? 0) * 100)),
              }))}
              unit="percent"
              stacked
              table={{
                columns: ["Question", ...options.map((option) => option.label), "n"],
                rows: group.map((item) => [item.question.id, ...item.options!.map((option) => formatPercent(option.estimate)), item.answered]),
              }}
              fileName={`estimates-${group.map((item) => item.question.id).join("-")}`}
            />
          );
        })}
    </>
  );
}

export function QuestionBlock({ item, href, headingLevel = 3 }: { item: QuestionResult; href?: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const { question } = item;
  return (
    <section className="card question-result" aria-labelledby={`q-${question.id}`}>
      <Heading id={`q-${question.id}`}>
        {question.id}: {question.text}
      </Heading>
      <p className="muted">
        {item.answered} answered · {question.type.replace("_", " ")}
        {href ? (
          <>
            {" "}
            · <Link href={href}>Details, breakdowns{item.textCount > 0 ? ` and ${item.textCount} text answers` : ""}</Link>
          </>
        ) : null}
      </p>
      {item.options && item.answered > 0 ? <ResultChart {...optionChartProps(`${question.id} answers`, item.options, `question-${question.id}`)} /> : null}
      {item.numeric ? <NumericView item={item} /> : null}
      {!item.options && !item.numeric ? <p>{item.textCount} text answers.</p> : null}
    </section>
  );
}

function NumericView({ item }: { item: QuestionResult }) {
  const n = item.numeric!;
  const unit = n.unit ? ` ${n.unit}` : "";
  return (
    <>
      <p>
        Mean <strong>{formatNumber(n.mean)}</strong>
        {unit}
        {n.meanInterval ? ` (${formatLevel(item.options?.[0]?.level ?? 0.95)} t interval ${formatNumber(n.meanInterval.lower)} to ${formatNumber(n.meanInterval.upper)})` : ""}, SD{" "}
        {formatNumber(n.sd)}, median {formatNumber(n.median)} (quartiles {formatNumber(n.q1)}–{formatNumber(n.q3)}), range {formatNumber(n.min)}–{formatNumber(n.max)}, n = {n.n}.
      </p>
      {n.histogram.length > 0 ? (
        <ResultChart
          title={`${item.question.id} histogram`}
          caption={`Respondents per interval of ${n.unit ?? "the answer"} (n = ${n.n}).`}
          categories={n.histogram.map((bin) => bin.label)}
          series={[{ label: "respondents", values: n.histogram.map((bin) => bin.count) }]}
          unit="count"
          horizontal={false}
          table={{ columns: [`Interval${unit}`, "Respondents", "Share"], rows: n.histogram.map((bin) => [bin.label, bin.count, formatPercent(bin.count / n.n)]) }}
          fileName={`histogram-${item.question.id}`}
        />
      ) : null}
    </>
  );
}

/** A coefficient with its interval, or why it is undefined (never a made-up number). */
function coefficientText(value: Coefficient | null, asPercent: boolean): string {
  if (!value) return "–";
  if (value.value === null) return `undefined: ${value.reason}`;
  const format = (x: number) => (asPercent ? formatPercent(x) : x.toFixed(2));
  return value.interval ? `${format(value.value)} [${format(value.interval.lower)}, ${format(value.interval.upper)}]` : `${format(value.value)} (${value.note ?? "no interval"})`;
}

function kappaCaveat(value: Coefficient | null): IntervalCaveat | null {
  if (!value) return null;
  if (value.value === null) return kappaIntervalCaveat({ n: value.n, value: null, reason: value.reason });
  return kappaIntervalCaveat({ n: value.n, value: value.value, lower: value.interval?.lower, upper: value.interval?.upper });
}

export function LiteratureView({ literature }: { literature: StudyLiterature }) {
  const { results, agreement } = literature;
  const level = formatLevel(results.settings.level);
  const { counts } = results;
  const main = agreement.main;
  return (
    <>
      <p className="muted" data-testid="literature-counts">
        {counts.finalCoded} of {counts.sampled} sampled papers with final codes ({counts.agreed} agreed by the coders, {counts.adjudicated} adjudicated,{" "}
        {counts.pending} pending); {main?.papers ?? 0} coded by two or more coders in the main round.
      </p>
      <DataTable
        rows={results.strata}
        rowKey={(stratum) => stratum.stratumId}
        caption={"Population and sample per stratum"}
        columns={[
          { label: "Stratum", rowHeader: true, cell: (stratum) => stratum.label },
          { label: "Population", numeric: true, cell: (stratum) => stratum.populationSize },
          { label: "Sampled", numeric: true, cell: (stratum) => stratum.sampled },
        ]}
      />
      {results.measures.map((measure) => (
        <div className="table-wrap" key={measure.measureId}>
          <table>
            <caption>{measure.label}</caption>
            <thead>
              <tr>
                <th scope="col">Stratum</th>
                <th scope="col" className="num">
                  x / n
                </th>
                <th scope="col" className="num">
                  Share
                </th>
                <th scope="col" className="num">
                  {level} interval
                </th>
                <th scope="col">Method</th>
              </tr>
            </thead>
            <tbody>
              {[...measure.strata, ...(measure.stratified ? [{ ...measure.stratified, label: "Overall (stratified)", stratumId: "_overall" }] : [])].map((share) => (
                <tr key={share.stratumId}>
                  <th scope="row">{share.label}</th>
                  <td className="num">
                    {share.x} / {share.n}
                  </td>
                  <td className="num">{share.estimate === null ? "–" : formatPercent(share.estimate)}</td>
                  <td className="num">{share.estimate === null ? "–" : formatInterval(share.lower, share.upper)}</td>
                  <td>
                    {share.estimate === null ? share.reason : share.method}
                    {share.estimate === null ? null : <CaveatNote caveat={zeroWidthCaveat({ x: share.x, n: share.n, lower: share.lower, upper: share.upper, methodName: share.method })} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {main && main.questions.length > 0 ? (
        <DataTable
          rows={main.questions}
          rowKey={(row) => row.questionId}
          caption={"Agreement of the coders before adjudication (main round)"}
          columns={[
            { label: "Question", rowHeader: true, cell: (row) => row.questionId },
            { label: "Papers", numeric: true, cell: (row) => row.units },
            { label: <>Percent agreement ({level} Wilson)</>, numeric: true, cell: (row) => coefficientText(row.percentAgreement, true) },
            { label: <>{main.coderIds.length > 2 ? "Fleiss' kappa" : `Cohen's kappa (${level})`}</>, numeric: true, cell: (row) => <>{coefficientText(main.coderIds.length > 2 ? row.fleissKappa : row.cohenKappa, false)}<CaveatNote caveat={kappaCaveat(main.coderIds.length > 2 ? row.fleissKappa : row.cohenKappa)} /></> },
          ]}
        />
      ) : null}
    </>
  );
}

export function ExperimentsView({ rows }: { rows: ExperimentRow[] }) {
  if (rows.length === 0)
    return (
      <p>
        No experiment sets imported yet. <Link href="/admin/experiments">Run or import experiments</Link>.
      </p>
    );
  return (
    <DataTable
      rows={rows}
      rowKey={(row) => row.id}
      caption={<>Accuracy and training-time variance per set (the study&apos;s Table 2/3 measures)</>}
      columns={[
        { label: "Set", rowHeader: true, cell: (row) => <><Link href={`/admin/experiments/sets/${encodeURIComponent(row.id)}`}>{row.preset}</Link><span className="muted"> ({row.backend}, at {row.criterion})</span></> },
        { label: "Setting", cell: (row) => row.setting },
        { label: "Runs", numeric: true, cell: (row) => row.runs },
        { label: "Diff (pp)", numeric: true, cell: (row) => formatNumber(row.accuracyDiff) },
        { label: "SD (pp) [90% CI]", numeric: true, cell: (row) => <>{row.accuracySd ? `${formatNumber(row.accuracySd.sd)} [${formatNumber(row.accuracySd.lower)}, ${formatNumber(row.accuracySd.upper)}]` : "–"}</> },
        { label: "Weak", numeric: true, cell: (row) => row.weakRuns },
        { label: "Time RelDiff", numeric: true, cell: (row) => row.timeRelDiff === null ? "–" : formatPercent(row.timeRelDiff) },
        { label: "Study Diff", numeric: true, cell: (row) => row.reference ? row.reference.overallDiff : "–" },
      ]}
    />
  );
}

/**
 * The questionnaire chooser of a study with several questionnaires: each link keeps the reader's interval
 * settings (filters belong to one questionnaire and are left behind).
 */
export function QuestionnaireChooser({ path, view, questionnaires, current }: { path: string; view: DashboardView; questionnaires: readonly DashboardQuestionnaire[]; current: string | undefined }) {
  if (questionnaires.length < 2) return null;
  return (
    <nav className="card questionnaire-chooser no-print" aria-label="Questionnaires of this study">
      <strong>This study has {questionnaires.length} questionnaires:</strong>{" "}
      {questionnaires.map((item, index) => (
        <span key={item.id}>
          {index > 0 ? " · " : ""}
          {item.slug === current ? (
            <strong aria-current="page">
              {item.title} ({item.slug})
            </strong>
          ) : (
            <Link href={`${path}${settingsQuery({ settings: view.settings, filter: { status: "completed", version: undefined, from: undefined, to: undefined, list: undefined }, questionnaire: item.slug })}`}>
              {item.title} ({item.slug})
            </Link>
          )}
          {item.archived ? <span className="muted"> (archived)</span> : null}
        </span>
      ))}
    </nav>
  );
}

export function SurveyLinks({ slug, query }: { slug: string; query: string }) {
  return (
    <p className="no-print actions-row">
      <Link href={`/admin/studies/${slug}/survey${query}`}>All survey results</Link> · <Link href={`/admin/studies/${slug}/report${query}`}>Printable report</Link> ·{" "}
      <a href={`/api/studies/${slug}/results${query ? `${query}&` : "?"}format=csv`}>Results CSV</a> ·{" "}
      <a href={`/api/studies/${slug}/results${query ? `${query}&` : "?"}format=json`}>Results JSON</a>
    </p>
  );
}

export type { SurveyResults };
