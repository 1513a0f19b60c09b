/** The questionnaire's results on the overview, survey, question and report pages. Each number is printed with its n, method and level; charts get their table alternative from the same rows. */
import Link from "next/link";
import { ResultChart, type ResultChartProps } from "@/app/_components/charts/result-chart";
import { ADJUST_NAMES } from "@/lib/dashboard/intervals";
import { formatCount, formatInterval, formatLevel, formatNumber, formatP, formatPercent, formatPoints } from "@/lib/format";
import type { Breakdown, CorrelationResult, HeadlineResult, OptionRow } from "@/lib/dashboard/survey-results";
import type { ExpectationComparison } from "@/lib/dashboard/expectations";
import type { QuestionResult } from "@/lib/db/dashboard/results";
import type { DashboardQuestionnaire, SurveyFunnel } from "@/lib/db/dashboard/survey";
import { DataTable } from "@/app/_components/data-table";
import { type DashboardView, settingsQuery } from "./search-params";
import { CaveatNote, EstimateText, IntervalCell } from "./estimates";

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
          <dd>{formatCount(funnel.invited)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatCount(funnel.started)}</dd>
        </div>
        <div>
          <dt>Completed</dt>
          <dd>{formatCount(funnel.completed)}</dd>
        </div>
        <div>
          <dt>Declined consent</dt>
          <dd>{formatCount(funnel.declined)}</dd>
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
      <DataTable
        rows={breakdown.rows}
        rowKey={(row) => row.optionId}
        caption="Shares by group"
        columns={[
          { label: "Answer", rowHeader: true, cell: (row) => row.label },
          ...breakdown.groups.map((group, index) => ({
            label: `${group.label} (n = ${group.n})`,
            numeric: true,
            cell: (row: Breakdown["rows"][number]) => {
              const value = row.byGroup[index]!;
              return value.estimate === null ? (
                "–"
              ) : (
                <>
                  {formatPercent(value.estimate)} <IntervalCell lower={value.lower!} upper={value.upper!} caveat={value.caveat} />
                </>
              );
            },
          })),
        ]}
      />
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
      {xText} vs {yText}: <strong>r = {formatNumber(result.r)}</strong> ({formatLevel(result.level)} CI {formatNumber(result.lower)} to {formatNumber(result.upper)}, n = {result.n}, p ={" "}
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
          { label: "Measured Diff", numeric: true, cell: (set) => <>{formatNumber(set.diff)} pp</> },
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
