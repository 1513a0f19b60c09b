import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { surveyFilterFrom } from "@/lib/db/dashboard/filters";
import { findDashboardStudy } from "@/lib/db/dashboard/studies";
import { cachedChoiceCounts, cachedCrossTab, chooseQuestionnaire, correlate } from "@/lib/db/dashboard/results";
import { cacheKey, cachedAggregate, dataVersion, surveyVersionFor } from "@/lib/db/dashboard/cache";
import { listStudyQuestionnaires, textAnswers } from "@/lib/db/dashboard/survey";
import { buildBreakdown, isOptionQuestion, optionRows } from "@/lib/dashboard/survey-results";
import { listQuestions } from "@/lib/survey/definition";
import { ResultChart } from "@/app/_components/charts/result-chart";
import { SelectField } from "@/app/_components/form-field";
import { QuestionOptions } from "@/app/_components/question-options";
import { orNotFound } from "@/app/_lib/or-not-found";
import { readView } from "../../load";
import { param, settingsQuery, type SearchParams } from "../../_components/search-params";
import { SettingsForm } from "../../_components/settings-form";
import { BreakdownView, CorrelationView, optionChartProps, QuestionnaireChooser } from "../../_components/survey-views";
import { formatDate } from "@/lib/format";

export const metadata: Metadata = { title: "Question results" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string; questionId: string }>; searchParams: Promise<SearchParams> };

const PAGE_SIZE = 50;

export default async function QuestionPage({ params, searchParams }: Props) {
  const { slug, questionId } = await params;
  const search = await searchParams;
  const actor = await requirePermissionForPage("surveys.read-results", `/admin/studies/${slug}/survey/${questionId}`);
  const db = await getDatabase();
  // Every aggregate below is cached under the survey's data version, read once before them (lib/db/dashboard/cache.ts).
  const version = await dataVersion(db);
  const cached = <T,>(key: unknown[], stamp: string, compute: () => Promise<T>) => cachedAggregate(db, cacheKey(...key), stamp, compute);
  const { view: requested } = readView(search);
  const { settings } = requested;
  const study = await orNotFound(cached(["study", slug], version.all, () => findDashboardStudy(db, actor, slug)));
  const questionnaires = await cached(["questionnaires", study.id, requested.filter.version], version.surveyCompleted, () => listStudyQuestionnaires(db, actor, study.id, requested.filter.version));
  // The questionnaire named in the URL, within this study only; without one, a study with several asks which.
  const questionnaire = await orNotFound(Promise.resolve().then(() => chooseQuestionnaire(questionnaires, requested.questionnaire)));
  if (!questionnaire) notFound();
  if (!requested.questionnaire && questionnaires.length > 1) {
    return (
      <>
        <h1>Question {questionId}</h1>
        <p>Study {study.name} has several questionnaires; choose the one whose question {questionId} you want to read.</p>
        <QuestionnaireChooser path={`/admin/studies/${slug}/survey/${encodeURIComponent(questionId)}`} view={requested} questionnaires={questionnaires} current={undefined} />
      </>
    );
  }
  const questions = listQuestions(questionnaire.definition);
  const question = questions.find((item) => item.id === questionId);
  if (!question) notFound();
  // A version filter of another questionnaire (e.g. after switching) is dropped, as on the other pages.
  const filterParams = requested.filter.version && !questionnaire.versions.some((v) => v.id === requested.filter.version) ? { ...requested.filter, version: undefined } : requested.filter;
  const view = { settings, filter: filterParams, questionnaire: questionnaire.slug };
  const filter = surveyFilterFrom(questionnaire.id, filterParams);
  const config = questionnaire.headlineConfig;
  const query = settingsQuery(view);
  const surveyVersion = surveyVersionFor(version, filter);

  const likert = question.type === "likert" ? [question.id] : [];
  const counts = await cachedChoiceCounts(db, actor, { version, filter, pointQuestionIds: likert, onlyQuestionIds: [question.id] });
  const answered = counts.answered.get(question.id) ?? 0;
  const rows = isOptionQuestion(question) || question.type === "likert" ? optionRows(question, { answered, chosen: counts.chosen.get(question.id) }, settings) : null;

  const groupChoices = questions.filter((item) => item.id !== question.id && (item.type === "single_choice" || item.type === "binned_estimate" || item.type === "multiple_choice"));
  const byId = param(search, "by") ?? (config.defaultBreakdown !== question.id ? config.defaultBreakdown : undefined);
  const groupQuestion = groupChoices.find((item) => item.id === byId);
  const breakdown = rows && groupQuestion ? buildBreakdown(groupQuestion, question, await cachedCrossTab(db, actor, { version, filter, groupId: groupQuestion.id, targetId: question.id }), settings) : null;

  const correlatable = questions.filter((item) => item.id !== question.id && (item.type === "numeric" || item.type === "likert" || config.ordinalScores[item.id]));
  const selfCorrelatable = question.type === "numeric" || question.type === "likert" || Boolean(config.ordinalScores[question.id]);
  const withQuestion = correlatable.find((item) => item.id === param(search, "with"));
  const correlation =
    selfCorrelatable && withQuestion
      ? await correlate(db, actor, { version, filter, config, x: question, y: withQuestion, level: settings.level })
      : null;

  const textSearch = (param(search, "q") ?? "").slice(0, 200);
  const page = Math.max(1, Number.parseInt(param(search, "page") ?? "1", 10) || 1);
  const textOptions = { search: textSearch || undefined, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE };
  const texts = await cached(["textAnswers", filter, question.id, textOptions], surveyVersion, () => textAnswers(db, actor, { filter, questionId: question.id, ...textOptions }));
  const pages = Math.max(1, Math.ceil(texts.total / PAGE_SIZE));
  const hidden = { questionnaire: questionnaire.slug, version: filterParams.version, status: filterParams.status === "all" ? "all" : undefined, from: filterParams.from, to: filterParams.to, list: filterParams.list };

  return (
    <>
      <p className="no-print">
        <Link href={`/admin/studies/${slug}/survey${query}`}>← All survey results</Link>
      </p>
      <h1>
        {question.id}: {question.text}
      </h1>
      <p className="muted">
        Study {study.name} · questionnaire {questionnaire.title} · {question.type.replace("_", " ")} · {answered} answered
      </p>
      <SettingsForm
        action={`/admin/studies/${slug}/survey/${question.id}`}
        settings={settings}
        filter={filterParams}
        questionnaire={questionnaire}
        hidden={{ by: byId, with: withQuestion?.id, q: textSearch || undefined }}
      />
      {rows ? (
        <section aria-labelledby="distribution">
          <h2 id="distribution">Distribution of answers</h2>
          <ResultChart {...optionChartProps(`${question.id} answers`, rows, `question-${question.id}`)} />
        </section>
      ) : null}

      {rows ? (
        <section aria-labelledby="by" className="card">
          <h2 id="by">Breakdown</h2>
          <QuestionChoiceForm
            hidden={{ ...hidden, method: settings.method, level: String(settings.level), adjust: settings.adjust }}
            id="by-select"
            name="by"
            label="Break down by"
            choices={groupChoices}
            selected={groupQuestion?.id}
            submitLabel="Show breakdown"
          />
          {breakdown && groupQuestion ? <BreakdownView breakdown={breakdown} groupText={`${groupQuestion.id} (${groupQuestion.text})`} targetText={question.id} /> : null}
        </section>
      ) : null}

      {selfCorrelatable && correlatable.length > 0 ? (
        <section aria-labelledby="corr" className="card">
          <h2 id="corr">Correlation</h2>
          <QuestionChoiceForm
            hidden={{ ...hidden, method: settings.method, level: String(settings.level), by: byId }}
            id="with-select"
            name="with"
            label="Correlate with"
            choices={correlatable}
            selected={withQuestion?.id}
            submitLabel="Correlate"
          />
          {correlation && withQuestion ? <CorrelationView xText={question.id} yText={withQuestion.id} result={correlation} /> : null}
          {config.ordinalScores[question.id] ? (
            <p className="muted">
              Ordinal scores of {question.id}: {Object.entries(config.ordinalScores[question.id]!).map(([id, score]) => `${id} = ${score}`).join(", ")} (from the questionnaire&apos;s headline settings).
            </p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="texts" className="card">
        <h2 id="texts">{rows ? "“Other” and free-text answers" : "Text answers"}</h2>
        <form method="get" role="search" className="inline-form no-print">
          {Object.entries({ ...hidden, method: settings.method, level: String(settings.level), by: byId, with: withQuestion?.id }).map(([key, value]) =>
            value ? <input key={key} type="hidden" name={key} value={value} /> : null,
          )}
          <div className="field">
            <label htmlFor="text-search">Search the answers</label>
            <input id="text-search" name="q" type="search" defaultValue={textSearch} />
          </div>
          <button type="submit">Search</button>
        </form>
        <p aria-live="polite">
          {texts.total} answer{texts.total === 1 ? "" : "s"}
          {textSearch ? ` containing “${textSearch}”` : ""}
          {texts.total > PAGE_SIZE ? `, page ${page} of ${pages}` : ""}.
        </p>
        {texts.answers.length > 0 ? (
          <ol className="text-answers" start={(page - 1) * PAGE_SIZE + 1}>
            {texts.answers.map((answer, index) => (
              <li key={index}>
                <p>{answer.text}</p>
                <p className="muted">
                  {answer.choice ? `chose “${answer.choice}” · ` : ""}
                  {formatDate(answer.at)}
                </p>
              </li>
            ))}
          </ol>
        ) : null}
        {pages > 1 ? (
          <nav aria-label="Text answer pages" className="no-print">
            {page > 1 ? <Link href={`?${new URLSearchParams({ ...Object.fromEntries(Object.entries({ ...hidden, q: textSearch, by: byId, with: withQuestion?.id }).filter(([, v]) => v) as [string, string][]), page: String(page - 1) })}`}>← Newer</Link> : null}{" "}
            {page < pages ? <Link href={`?${new URLSearchParams({ ...Object.fromEntries(Object.entries({ ...hidden, q: textSearch, by: byId, with: withQuestion?.id }).filter(([, v]) => v) as [string, string][]), page: String(page + 1) })}`}>Older →</Link> : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}

/** A GET form that picks a second question for this one, keeping the page's other settings as hidden fields. */
function QuestionChoiceForm({
  hidden,
  id,
  name,
  label,
  choices,
  selected,
  submitLabel,
}: {
  hidden: Record<string, string | undefined>;
  id: string;
  name: string;
  label: string;
  choices: { id: string; text: string }[];
  selected: string | undefined;
  submitLabel: string;
}) {
  return (
    <form method="get" className="inline-form no-print">
      {Object.entries(hidden).map(([key, value]) => (value ? <input key={key} type="hidden" name={key} value={value} /> : null))}
      <SelectField id={id} name={name} label={label} defaultValue={selected ?? ""}>
        <QuestionOptions questions={choices} textLength={80} />
      </SelectField>
      <button type="submit">{submitLabel}</button>
    </form>
  );
}
