import type { Metadata } from "next";
import Link from "next/link";
import { getStudyCodebook } from "@/lib/db/codebooks";
import { getLiteratureAgreement, getLiteratureResults, INTERVAL_CHOICES, settingsForIntervalChoice, type IntervalChoice } from "@/lib/db/literature-results";
import { AgreementTable } from "../_components/agreement-table";
import { LiteratureNav } from "../_components/literature-nav";
import { SharesTable } from "../_components/shares";
import { loadLiteraturePage } from "../_components/study";

export const metadata: Metadata = { title: "Agreement and results" };
export const dynamic = "force-dynamic";

export default async function ResultsPage({ searchParams }: { searchParams: Promise<{ study?: string; interval?: string }> }) {
  const { actor, db, params, study } = await loadLiteraturePage("coding.read-all", "/admin/literature/results", searchParams);
  if (!study) return <p>Create a study first on the <Link href="/admin/literature">literature page</Link>.</p>;
  const interval: IntervalChoice = (INTERVAL_CHOICES as readonly string[]).includes(params.interval ?? "") ? (params.interval as IntervalChoice) : "wilson";
  const [results, agreement] = await Promise.all([getLiteratureResults(db, actor, study.id, settingsForIntervalChoice(interval)), getLiteratureAgreement(db, actor, study.id)]);
  const { codebook } = await getStudyCodebook(db, study.id);
  const firstEstimate = results.measures.flatMap((measure) => measure.strata).find((share) => share.estimate !== null);
  const methodName = firstEstimate && firstEstimate.estimate !== null ? firstEstimate.method : interval === "wilson" ? "Wilson score" : "Wald with finite population correction";
  const questionText = (id: string) => codebook.questions.find((question) => question.id === id)?.text ?? id;
  const exportHref = (format: string) => `/api/literature/export?studyId=${encodeURIComponent(study.id)}&format=${format}`;
  return (
    <>
      <h1>Agreement and results</h1>
      <LiteratureNav current="/admin/literature/results" studySlug={study.slug} />
      <p className="lead">
        {results.counts.sampled} sampled papers: {results.counts.agreed} with agreed codes, {results.counts.adjudicated} adjudicated, {results.counts.pending} still
        pending (not coded by every coder yet, or waiting for adjudication: <Link href="/code/adjudicate">conflicts</Link>). Shares use final codes only.
      </p>

      <section aria-labelledby="results-title">
        <h2 id="results-title">Results</h2>
        <form method="get" className="inline-form no-print" aria-label="Interval method">
          <input type="hidden" name="study" value={study.slug} />
          <label htmlFor="interval">Interval</label>
          <select id="interval" name="interval" defaultValue={interval}>
            <option value="wilson">Wilson score (default)</option>
            <option value="wald-fpc">Wald with finite population correction (as the reference study)</option>
          </select>
          <button type="submit" className="secondary">
            Show
          </button>
        </form>
        <SharesTable results={results} />
        <p className="muted">
          Intervals per stratum: {methodName}, 95%. The stratified overall estimate weights strata by their population size (stratified Wald with finite population correction); for
          shares among relevant papers the stratum sizes of relevant papers are estimated from the sample, and that interval ignores the uncertainty of those weights.
          The pooled column ignores the design and is shown for comparison with reports that pool their sample.
        </p>
      </section>

      <section aria-labelledby="agreement-title">
        <h2 id="agreement-title">Inter-coder agreement</h2>
        <p className="muted">
          On submitted codes, per round (calibration codes are not pooled with the main round). A question counts on the papers where every coder was asked it.
          Percent agreement with a Wilson interval; Cohen&apos;s kappa (two coders) with its large-sample interval, or Fleiss&apos; kappa (more coders);
          Krippendorff&apos;s alpha (missing codes allowed) with a seeded bootstrap interval over papers.
        </p>
        {agreement.calibration ? <AgreementTable title="Calibration round" report={agreement.calibration} questionText={questionText} /> : <p>Calibration round: no paper coded by two coders yet.</p>}
        {agreement.main ? <AgreementTable title="Main round" report={agreement.main} questionText={questionText} /> : <p>Main round: no paper coded by two coders yet.</p>}
      </section>

      <section aria-labelledby="export-title" className="no-print">
        <h2 id="export-title">Export the coded sample</h2>
        <ul>
          <li>
            <a href={exportHref("csv")}>Coded sample (CSV)</a> — one row per paper: metadata, each coder&apos;s codes, final codes and their source.
          </li>
          <li>
            <a href={exportHref("codebook-csv")}>Codebook (CSV)</a> — explains every column and value of the coded sample.
          </li>
          <li>
            <a href={exportHref("json")}>Coded sample with codebook (JSON)</a>
          </li>
        </ul>
      </section>
    </>
  );
}
