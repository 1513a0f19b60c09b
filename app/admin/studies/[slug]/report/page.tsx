import type { Metadata } from "next";
import Link from "next/link";
import { methodsParagraphs } from "@/lib/dashboard/methods";
import { METHOD_NAMES } from "@/lib/dashboard/intervals";
import { formatLevel } from "@/lib/format";
import { loadStudyPage, type StudyPageProps } from "../load";
import { ExperimentsView } from "../_components/experiments-view";
import { LiteratureView } from "../_components/literature-view";
import { settingsQuery } from "../_components/search-params";
import { BreakdownView, CorrelationView, EstimateStack, ExpectationView, FunnelTable, HeadlineList, QuestionBlock } from "../_components/survey-views";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Study report" };
export const dynamic = "force-dynamic";

/** Every table and chart of the study on one page, laid out for printing ("Save as PDF"). */
export default async function ReportPage(props: StudyPageProps) {
  const { slug, results, view, settings } = await loadStudyPage(props, "/report");
  const { study, survey, literature, experiments } = results;
  const textOf = (id: string) => survey?.questions.find((item) => item.question.id === id)?.question.text ?? id;
  return (
    <article className="report">
      <p className="no-print">
        <Link href={`/admin/studies/${slug}${settingsQuery(view)}`}>← Back to the overview</Link> <PrintButton />
      </p>
      <h1>{study.name}: results</h1>
      <p className="muted">
        Generated {results.generatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC. Proportions: {METHOD_NAMES[settings.method]} {formatLevel(settings.level)} intervals.
      </p>
      <section aria-labelledby="r-methods">
        <h2 id="r-methods">Methods</h2>
        {methodsParagraphs(results).map((paragraph, index) => (
          <p key={index}>{paragraph}</p>
        ))}
      </section>
      {survey ? (
        <section aria-labelledby="r-survey">
          <h2 id="r-survey">Questionnaire: {survey.questionnaire.title}</h2>
          <FunnelTable funnel={survey.funnel} questionnaire={survey.questionnaire} />
          <h3>Headline results</h3>
          <HeadlineList headlines={survey.headlines} />
          {survey.breakdown ? (
            <>
              <h3>Breakdown by {survey.breakdown.groupQuestionId}</h3>
              <BreakdownView breakdown={survey.breakdown} groupText={textOf(survey.breakdown.groupQuestionId)} targetText={textOf(survey.breakdown.targetQuestionId)} />
            </>
          ) : null}
          {survey.correlation ? <CorrelationView xText={survey.correlation.x.id} yText={survey.correlation.y.id} result={survey.correlation.result} /> : null}
          {survey.expectations.map((comparison) => (
            <ExpectationView key={comparison.setting} comparison={comparison} />
          ))}
          <EstimateStack questions={survey.questions} />
          {survey.questions.map((item) => (
            <QuestionBlock key={item.question.id} item={item} />
          ))}
        </section>
      ) : null}
      <section aria-labelledby="r-literature">
        <h2 id="r-literature">Literature survey</h2>
        {literature ? <LiteratureView literature={literature} /> : <p>{results.literatureNote}</p>}
      </section>
      <section aria-labelledby="r-experiments">
        <h2 id="r-experiments">Training experiments</h2>
        {experiments ? <ExperimentsView rows={experiments} /> : <p>Not available with your permissions.</p>}
      </section>
    </article>
  );
}
