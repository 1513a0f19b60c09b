import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import os from "node:os";
import { can } from "@/lib/auth/permissions";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listExperimentStudies } from "@/lib/db/experiment-studies";
import { getExperimentOverview } from "@/lib/db/experiments";
import { listRunnerJobs } from "@/lib/db/runner-jobs";
import { getSourceFamilies } from "@/lib/db/source-families";
import { AccuracyTable } from "./_components/accuracy-table";
import { AutoRefresh } from "./_components/auto-refresh";
import { ComparisonsTable } from "./_components/comparisons-table";
import { isJobRunning, JobList } from "./_components/job-list";
import { ManagePanels } from "./_components/manage-panels";
import { RunAccuracies } from "./_components/run-accuracies";
import { SourceFamilyPanel } from "./_components/source-family-panel";
import { StudyNav } from "./_components/study-nav";
import { TimeTable } from "./_components/time-table";
import "./experiments.css";

export const metadata: Metadata = { title: "Experiments" };
export const dynamic = "force-dynamic";

export default async function ExperimentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermissionForPage("experiments.read", "/admin/experiments");
  const params = await searchParams;
  const excludeWeak = params.weak === "exclude";
  const db = await getDatabase();
  // Jobs whose server process stopped were marked failed when this server started (instrumentation.ts), or
  // are when a job is started or cancelled: rendering only reads.
  const studies = await listExperimentStudies(db, actor);
  const studySlug = typeof params.study === "string" ? params.study : undefined;
  // No study named: the only one, or a chooser; an unknown one is "not found", never another study's sets.
  const current = studySlug ? studies.find((study) => study.slug === studySlug) : studies.length === 1 ? studies[0] : undefined;
  if (studySlug && !current) notFound();
  const [{ sets, comparisons }, jobs, families] = await Promise.all([
    current ? getExperimentOverview(db, actor, { excludeWeak, studyId: current.id }) : { sets: [], comparisons: [] },
    current ? listRunnerJobs(db, actor, { studyId: current.id }) : [],
    current ? getSourceFamilies(db, actor, { studyId: current.id }) : [],
  ]);
  const canManage = can(actor, "experiments.manage");
  const weakTotal = sets.reduce((sum, set) => sum + set.runs.filter((run) => run.weak).length, 0);
  const labels = [...new Set(sets.flatMap((set) => (set.label ? [set.label] : [])))];

  return (
    <>
      <AutoRefresh active={jobs.some(isJobRunning)} />
      <h1>Experiments</h1>
      <p className="lead">
        Sets of identical training runs and how much their results differ, laid out like Tables 2 and 3 of Pham et al. (ASE 2020),
        with the study&apos;s own figures beside ours (<span className="study-value inline">study …</span>). The study&apos;s values are
        the largest over its environments and both checkpoint criteria; ours are the larger over the two criteria.
      </p>
      <StudyNav studies={studies} current={current} />
      {labels.length > 0 ? (
        <p className="notice" role="note">
          {labels.join(" ")}
        </p>
      ) : null}
      {params.deleted ? (
        <p className="notice success" role="status">
          The set was deleted.
        </p>
      ) : null}

      {sets.length === 0 ? (
        <p className="notice">No results imported yet. Import a results file below, start a preset, or run <code>npm run variance -- import &lt;dir&gt;</code> while the app is stopped.</p>
      ) : (
        <>
          <section aria-labelledby="table2">
            <h2 id="table2">Accuracy differences (Table 2)</h2>
            <p className="muted">
              Test accuracy in percentage points. Diff = max − min over the runs; SD with its 90% chi-square interval; per-class: the class with the
              largest Diff and largest SD. A cross-implementation set trains one fixed-seed configuration on several implementations (backend,
              threads, oneDNN); its Diff is between implementations and sits beside the study&apos;s fixed-seed value.{" "}
              {weakTotal > 0 ? (
                excludeWeak ? (
                  <Link href="/admin/experiments">Include the {weakTotal} weak model(s) again</Link>
                ) : (
                  <Link href="/admin/experiments?weak=exclude">Exclude the {weakTotal} weak model(s) (&lt; 20% accuracy) from the statistics</Link>
                )
              ) : null}
            </p>
            <AccuracyTable sets={sets} />
          </section>

          <section aria-labelledby="table3">
            <h2 id="table3">Training-time spread (Table 3)</h2>
            <p className="muted">Time from the start of training to the selected checkpoint. RelDiff = (max − min) / min; RelSDev = SD / mean.</p>
            <TimeTable sets={sets} />
          </section>

          <section aria-labelledby="plot">
            <h2 id="plot">Accuracy of every run</h2>
            <RunAccuracies sets={sets} />
          </section>

          {families.length > 0 ? (
            <section aria-labelledby="sources">
              <h2 id="sources">Variance by source</h2>
              <p className="muted">
                Families made by <code>npm run variance -- run --sources …</code>: sets of the same training that each vary exactly one source of
                randomness, beside the default setting (everything varies) and the all-fixed control (Bouthillier et al., MLSys 2021).
              </p>
              {families.map((family) => (
                <SourceFamilyPanel key={family.familyId} family={family} />
              ))}
            </section>
          ) : null}

          <section aria-labelledby="tests">
            <h2 id="tests">Default vs fixed-seed</h2>
            {comparisons.length === 0 ? (
              <p className="muted">No default and fixed-seed sets of the same training setup with at least two runs each.</p>
            ) : (
              <>
                <p className="muted">Test accuracy of the default set against the fixed-seed set of the same setup; p &lt; 0.05 is marked.</p>
                <ComparisonsTable comparisons={comparisons} sets={sets} />
              </>
            )}
          </section>

          <section aria-labelledby="pair-analysis">
            <h2 id="pair-analysis">Compare any two sets</h2>
            <p>
              <Link href={`/admin/experiments/analysis?study=${encodeURIComponent(current!.slug)}`}>Analysis of a pair of sets</Link>: P(A &gt; B) with its interval and
              verdict, the runs needed to detect a difference, how often single runs pick the wrong winner, best-of-k inflation and per-class test-set noise.
            </p>
          </section>
        </>
      )}

      {canManage ? <ManagePanels studies={studies} selectedStudy={current?.slug} defaultWorkers={Math.max(1, Math.min(2, os.availableParallelism() - 1))} /> : null}

      <section aria-labelledby="jobs">
        <h2 id="jobs">Jobs</h2>
        <JobList jobs={jobs} canManage={canManage} />
      </section>
    </>
  );
}
