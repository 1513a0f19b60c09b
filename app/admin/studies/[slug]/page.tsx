import type { Metadata } from "next";
import Link from "next/link";
import { methodsParagraphs } from "@/lib/dashboard/methods";
import { loadStudyPage, type StudyPageProps } from "./load";
import { ExperimentsView } from "./_components/experiments-view";
import { LiteratureView } from "./_components/literature-view";
import { settingsQuery } from "./_components/search-params";
import { SettingsForm } from "./_components/settings-form";
import { BreakdownView, CorrelationView, FunnelTable, HeadlineList, QuestionnaireChooser, SurveyLinks } from "./_components/survey-views";

export const metadata: Metadata = { title: "Study overview" };
export const dynamic = "force-dynamic";

export default async function StudyOverviewPage(props: StudyPageProps) {
  const { slug, search, results, view, settings, filterParams, filterProblem } = await loadStudyPage(props, "", "overview");
  const { study, survey, literature, experiments } = results;
  const query = settingsQuery(view);
  const questionText = (id: string) => survey?.questions.find((item) => item.question.id === id)?.question.text ?? id;
  return (
    <>
      <p className="no-print">
        <Link href="/admin">← All studies</Link> · <Link href="/admin/studies">Manage studies</Link>
      </p>
      <h1>{study.name}</h1>
      {study.description ? <p className="lead">{study.description}</p> : null}
      {filterProblem ? (
        <p className="notice error" role="alert">
          {filterProblem}
        </p>
      ) : null}
      <QuestionnaireChooser path={`/admin/studies/${slug}`} view={view} questionnaires={results.questionnaires} current={view.questionnaire} />
      <SettingsForm action={`/admin/studies/${slug}`} settings={settings} filter={filterParams} questionnaire={survey?.questionnaire} />

      <section className="card" aria-labelledby="survey-heading">
        <h2 id="survey-heading">Questionnaire{survey ? `: ${survey.questionnaire.title}` : ""}</h2>
        {survey ? (
          <>
            <FunnelTable funnel={survey.funnel} questionnaire={survey.questionnaire} />
            <h3>Headline results</h3>
            <HeadlineList headlines={survey.headlines} />
            {survey.breakdown ? (
              <>
                <h3>Breakdown</h3>
                <BreakdownView breakdown={survey.breakdown} groupText={questionText(survey.breakdown.groupQuestionId)} targetText={questionText(survey.breakdown.targetQuestionId)} />
              </>
            ) : null}
            {survey.correlation ? (
              <>
                <h3>Correlation</h3>
                <CorrelationView xText={survey.correlation.x.id} yText={survey.correlation.y.id} result={survey.correlation.result} />
              </>
            ) : null}
            <SurveyLinks slug={slug} query={query} />
          </>
        ) : (
          <p>
            This study has no questionnaire yet. <Link href={`/admin/questionnaires?study=${encodeURIComponent(slug)}`}>Create one in this study</Link>.
          </p>
        )}
      </section>

      <section className="card" aria-labelledby="literature-heading">
        <h2 id="literature-heading">Literature survey</h2>
        {literature ? <LiteratureView literature={literature} /> : <p>{results.literatureNote}</p>}
        <p className="no-print">
          <Link href="/admin/literature">Manage the literature survey</Link>
          {" · "}
          <Link href={`/admin/studies/${slug}${settingsQuery(view, { fpc: search.fpc === "1" ? undefined : "1" })}`}>
            {search.fpc === "1" ? "Without" : "With"} finite population correction (Wald-type methods)
          </Link>
        </p>
      </section>

      <section className="card" aria-labelledby="experiments-heading">
        <h2 id="experiments-heading">Training experiments</h2>
        {experiments ? <ExperimentsView rows={experiments} /> : <p>You do not have permission to read experiment results.</p>}
      </section>

      <section className="card" aria-labelledby="methods-heading">
        <h2 id="methods-heading">Methods paragraph</h2>
        <p className="muted">Generated from the numbers above; copy it into the paper and edit the wording as needed.</p>
        {methodsParagraphs(results).map((paragraph, index) => (
          <p key={index} className="methods">
            {paragraph}
          </p>
        ))}
      </section>
    </>
  );
}
