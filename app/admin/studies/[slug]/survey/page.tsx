import type { Metadata } from "next";
import Link from "next/link";
import { loadStudyPage, type StudyPageProps } from "../load";
import { settingsQuery } from "../_components/search-params";
import { SettingsForm } from "../_components/settings-form";
import { BreakdownView, CorrelationView, EstimateStack, ExpectationView, HeadlineList, QuestionBlock, QuestionnaireChooser, SurveyLinks } from "../_components/survey-views";

export const metadata: Metadata = { title: "Survey results" };
export const dynamic = "force-dynamic";

export default async function SurveyResultsPage(props: StudyPageProps) {
  const { slug, results, view, settings, filterParams, filterProblem } = await loadStudyPage(props, "/survey");
  const survey = results.survey;
  const query = settingsQuery(view);
  const textOf = (id: string) => survey?.questions.find((item) => item.question.id === id)?.question.text ?? id;
  return (
    <>
      <p className="no-print">
        <Link href={`/admin/studies/${slug}${query}`}>← {results.study.name}</Link>
      </p>
      <h1>Survey results{survey ? `: ${survey.questionnaire.title}` : ""}</h1>
      <p className="muted">Study: {results.study.name}</p>
      <QuestionnaireChooser path={`/admin/studies/${slug}/survey`} view={view} questionnaires={results.questionnaires} current={view.questionnaire} />
      {filterProblem ? (
        <p className="notice error" role="alert">
          {filterProblem}
        </p>
      ) : null}
      {!survey ? (
        <p>
          This study has no questionnaire yet. <Link href={`/admin/questionnaires?study=${encodeURIComponent(slug)}`}>Create one in this study</Link>.
        </p>
      ) : (
        <>
          <SettingsForm action={`/admin/studies/${slug}/survey`} settings={settings} filter={filterParams} questionnaire={survey.questionnaire} />
          <p>
            {survey.funnel.completed} completed of {survey.funnel.started} started responses; counting {survey.filter.completedOnly ? "completed responses only" : "all started responses"}.
          </p>
          <SurveyLinks slug={slug} query={query} />
          <section aria-labelledby="headlines">
            <h2 id="headlines">Headline results</h2>
            <HeadlineList headlines={survey.headlines} />
          </section>
          {survey.breakdown ? (
            <section aria-labelledby="breakdown">
              <h2 id="breakdown">Breakdown by {survey.breakdown.groupQuestionId}</h2>
              <BreakdownView breakdown={survey.breakdown} groupText={textOf(survey.breakdown.groupQuestionId)} targetText={textOf(survey.breakdown.targetQuestionId)} />
              <p className="no-print">Break any question down by any choice question on its details page.</p>
            </section>
          ) : null}
          {survey.correlation ? (
            <section aria-labelledby="correlation">
              <h2 id="correlation">Correlation</h2>
              <CorrelationView xText={`${survey.correlation.x.id} (${survey.correlation.x.text})`} yText={survey.correlation.y.id} result={survey.correlation.result} />
            </section>
          ) : null}
          <section aria-labelledby="expect">
            <h2 id="expect">What people expect vs what runs show</h2>
            {survey.expectations.length > 0 ? (
              survey.expectations.map((comparison) => <ExpectationView key={comparison.setting} comparison={comparison} />)
            ) : (
              <p className="muted">Shown when the questionnaire has answers to the expectation questions and experiment sets of the same setting have been imported.</p>
            )}
          </section>
          <section aria-labelledby="estimates">
            <h2 id="estimates">Estimates side by side</h2>
            <EstimateStack questions={survey.questions} />
          </section>
          <h2>Every question</h2>
          {survey.questions.map((item) => (
            <QuestionBlock key={item.question.id} item={item} href={`/admin/studies/${slug}/survey/${item.question.id}${query}`} />
          ))}
        </>
      )}
    </>
  );
}
