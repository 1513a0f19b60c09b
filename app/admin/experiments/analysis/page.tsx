import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listExperimentStudies } from "@/lib/db/experiment-studies";
import { getSetPairAnalysis, listStudySets, type SetPairAnalysisView } from "@/lib/db/set-pair-analysis";
import { AppError } from "@/lib/errors";
import { DEFAULT_PLANNER_INPUTS } from "@/lib/runner/pair-analysis";
import { BestOfKTable } from "../_components/analysis/best-of-k-table";
import { DisagreementLine } from "../_components/analysis/disagreement-line";
import { NoiseSection } from "../_components/analysis/noise-section";
import { OutperformingCard } from "../_components/analysis/outperforming-card";
import { PairPicker } from "../_components/analysis/pair-picker";
import { PlannerSection } from "../_components/analysis/planner-section";
import { readPlannerForm } from "../_components/analysis/planner-inputs";
import { setHref, setLabel } from "../_components/format";
import "../experiments.css";
import { formatCount, formatDecimal } from "@/lib/format";

export const metadata: Metadata = { title: "Analysis of two sets" };
export const dynamic = "force-dynamic";

const text = (value: string | string[] | undefined) => (typeof value === "string" ? value : "");

export default async function PairAnalysisPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermissionForPage("experiments.read", "/admin/experiments/analysis");
  const params = await searchParams;
  const db = await getDatabase();
  const studies = await listExperimentStudies(db, actor);
  const studySlug = text(params.study) || undefined;
  const study = studySlug ? studies.find((candidate) => candidate.slug === studySlug) : studies.length === 1 ? studies[0] : undefined;
  if (studySlug && !study) notFound();
  if (!study) {
    return (
      <>
        <h1>Analysis of two sets</h1>
        <p>Choose a study: {studies.map((candidate, index) => (
          <span key={candidate.slug}>
            {index > 0 ? " · " : ""}
            <Link href={`/admin/experiments/analysis?study=${encodeURIComponent(candidate.slug)}`}>{candidate.name}</Link>
          </span>
        ))}</p>
      </>
    );
  }
  const sets = await listStudySets(db, actor, study.id);
  const a = text(params.a);
  const b = text(params.b);
  const criterion = text(params.criterion) === "bestAccuracy" ? "bestAccuracy" : "bestLoss";
  const form = readPlannerForm(params);
  let view: SetPairAnalysisView | null = null;
  let problem: string | null = null;
  if (a && b) {
    try {
      view = await getSetPairAnalysis(db, actor, { studyId: study.id, a, b, criterion, planner: form.inputs ?? DEFAULT_PLANNER_INPUTS });
    } catch (error) {
      if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
      if (error instanceof AppError && error.code === "INVALID_INPUT") problem = error.userMessage;
      else throw error;
    }
  }
  const analysis = view?.analysis ?? null;
  const checkpoint = criterion === "bestLoss" ? "best-validation-loss" : "best-validation-accuracy";
  return (
    <>
      <p>
        <Link href={`/admin/experiments?study=${encodeURIComponent(study.slug)}`}>← Experiments of {study.name}</Link>
      </p>
      <h1>Analysis of two sets</h1>
      <p className="lead">
        Is A better than B, how sure can we be, how many runs would tell, and how much of each set&apos;s spread is test-set sampling noise.
        Test accuracy at the {checkpoint} checkpoint; every interval, bootstrap and simulation is seeded and can be reproduced with{" "}
        <code>npm run variance -- compare</code>.
      </p>
      <PairPicker sets={sets} study={study.slug} a={a} b={b} criterion={criterion} />
      {problem ? (
        <p className="notice error" role="alert">
          {problem}
        </p>
      ) : null}
      {view && analysis ? (
        <>
          <section aria-labelledby="pair">
            <h2 id="pair">The pair</h2>
            <ul>
              {([["A", view.a, analysis.a], ["B", view.b, analysis.b]] as const).map(([name, info, set]) => (
                <li key={name}>
                  <strong>{name}</strong>: <Link href={setHref(info.id)}>{setLabel(info)}</Link> — {set.runs} runs, mean {formatDecimal(set.mean, 2)}%, SD {formatDecimal(set.sd, 2)} points,{" "}
                  {formatCount(set.testImages)} test images
                </li>
              ))}
            </ul>
            {!analysis.sameTestSet ? <p className="notice">The two sets were not scored on the same test images (dataset or test size differ): their test luck is not shared.</p> : null}
            {view.a.label || view.b.label ? <p className="muted small">{[...new Set([view.a.label, view.b.label].filter(Boolean))].join(" ")}</p> : null}
          </section>

          <section aria-labelledby="better">
            <h2 id="better">Is A better than B?</h2>
            <OutperformingCard analysis={analysis} />
          </section>

          <section aria-labelledby="planner">
            <h2 id="planner">How many runs?</h2>
            <PlannerSection analysis={analysis} form={form} hidden={{ study: study.slug, a, b, criterion }} />
          </section>

          <section aria-labelledby="best-of-k">
            <h2 id="best-of-k">Seed picking: best of k runs</h2>
            <p className="muted">
              The expected best of k runs chosen from the n observed (without replacement) and how far it lies above the mean; 95% percentile bootstrap over runs
              ({analysis.a.bestOfK.ok ? formatCount(analysis.a.bestOfK.value.resamples) : "–"} resamples, seed {analysis.seed}). Reporting the best of k seeds overstates what the
              configuration does by this much (Picard 2021).
            </p>
            <BestOfKTable a={analysis.a} b={analysis.b} />
          </section>

          <section aria-labelledby="noise">
            <h2 id="noise">Test-set noise beside run-to-run spread</h2>
            <p className="muted">
              Noise SD = √(p(1 − p)/n): how much an accuracy p measured on n test images varies from the draw of images alone. Runs of one training procedure
              differ on a fixed test set roughly as independent per-image coin flips (Jordan, ICLR 2024), whose SD is at most this. A class is within noise unless
              its observed SD exceeds the noise bound, the SD that {analysis.a.runs} runs would exceed with only 5% probability if test luck were all there is
              (one-sided χ² test, α = 0.05).
            </p>
            <div className="noise-pair">
              <NoiseSection set={analysis.a} name="A" />
              <NoiseSection set={analysis.b} name="B" />
            </div>
          </section>

          <section aria-labelledby="disagreement">
            <h2 id="disagreement">Prediction disagreement</h2>
            <p className="muted">The share of test images two runs classify differently, averaged over all pairs of runs (Jordan, ICLR 2024): different models, or only different test luck?</p>
            <ul>
              <DisagreementLine set={analysis.a} name="A" />
              <DisagreementLine set={analysis.b} name="B" />
            </ul>
          </section>

          <section aria-labelledby="methods">
            <h2 id="methods">For the methods section</h2>
            <p className="card methods-text" data-testid="pair-methods">
              {view.methods}
            </p>
          </section>
        </>
      ) : !problem ? (
        <p className="muted">Choose two sets of this study to analyse.</p>
      ) : null}
    </>
  );
}
