import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import os from "node:os";
import { can } from "@/lib/auth/permissions";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listExperimentStudies } from "@/lib/db/experiment-studies";
import { getExperimentOverview, type ExperimentSetView, type PairComparison } from "@/lib/db/experiments";
import { listRunnerJobs, type RunnerJobView } from "@/lib/db/runner-jobs";
import { getSourceFamilies } from "@/lib/db/source-families";
import { PRESETS } from "@/lib/runner/presets";
import { AutoRefresh } from "./_components/auto-refresh";
import { setHref, setLabel } from "./_components/format";
import { CancelJobButton, StartJobForm } from "./_components/job-forms";
import { SourceFamilyPanel } from "./_components/source-family-panel";
import { StripPlot } from "./_components/strip-plot";
import { UploadResultsForm } from "./_components/upload-form";
import "./experiments.css";
import { formatCount, formatDateTime, formatDecimal, formatDuration, formatP, formatPercent } from "@/lib/format";

export const metadata: Metadata = { title: "Experiments" };
export const dynamic = "force-dynamic";

function Study({ value, suffix = "" }: { value: number | undefined; suffix?: string }) {
  if (value === undefined) return null;
  return <span className="study-value">study {formatDecimal(value)}{suffix}</span>;
}

/** The criterion (best-loss or best-acc) with the larger SD, whose interval goes with the reported SD. */
function sdInterval(set: ExperimentSetView) {
  const s = set.summary!;
  const c = s.criteria.bestLoss.accuracy.sd >= s.criteria.bestAccuracy.accuracy.sd ? s.criteria.bestLoss : s.criteria.bestAccuracy;
  return c.accuracySdInterval;
}

function Table2({ sets }: { sets: ExperimentSetView[] }) {
  return (
    <div className="table-wrap">
      <table className="exp-table">
        <caption className="sr-only">Accuracy differences per set, with the study&apos;s values for the same network and setting</caption>
        <thead>
          <tr>
            <th scope="col">Set</th>
            <th scope="col" className="num">Runs</th>
            <th scope="col" className="num">Overall Diff (pts)</th>
            <th scope="col" className="num">Overall SD (pts) [90% CI]</th>
            <th scope="col" className="num">Per-class Diff (pts)</th>
            <th scope="col" className="num">Per-class SD (pts)</th>
            <th scope="col">Weak models (&lt; 20%)</th>
          </tr>
        </thead>
        <tbody>
          {sets.map((set) => {
            const s = set.summary;
            const ref = set.reference?.accuracy;
            const weak = set.runs.filter((run) => run.weak).length;
            return (
              <tr key={set.id}>
                <th scope="row">
                  <Link href={setHref(set.id)}>{set.preset}</Link> <span className="badge">{set.setting}</span>
                  {set.label ? <span className="badge demo-badge" title={set.label}>{set.label.startsWith("Demo") ? "demo, computed ahead" : "labelled"}</span> : null}
                  <div className="muted small">
                    {set.setup ? `${set.setup.epochs} epochs, ${formatCount(set.setup.trainSize)} train / ${formatCount(set.setup.testSize)} test · ` : ""}
                    {s?.implementations
                      ? `${s.implementations.implementations.map((row) => row.implementation).join(" vs ")} (${s.implementations.distinctFinalWeights} distinct weights)`
                      : set.backend}{" "}
                    · <code>{set.id.split("/").at(-1)?.slice(0, 8)}</code>
                    <br />
                    {set.studyNetwork && set.reference ? `study row: ${set.studyNetwork}${set.setting === "cross-implementation" ? " fixed-seed" : ""}` : "no study row"}
                  </div>
                </th>
                <td className="num">
                  {set.runs.length}
                  {s && s.runCount !== s.plannedRunCount ? <div className="muted small">of {s.plannedRunCount} planned</div> : null}
                </td>
                {s ? (
                  <>
                    <td className="num">
                      {formatDecimal(s.largest.overallDiff)}
                      {set.setting === "cross-implementation" ? <div className="muted small">between implementations</div> : null}
                      <Study value={ref?.overallDiff} />
                    </td>
                    <td className="num">
                      {formatDecimal(s.largest.overallSd)} <span className="muted">[{formatDecimal(sdInterval(set).lower)}, {formatDecimal(sdInterval(set).upper)}]</span>
                      {ref ? <span className="study-value">study {ref.sdBelow ? "<" : ""}{formatDecimal(ref.overallSd)}</span> : null}
                    </td>
                    <td className="num">
                      {formatDecimal(s.largest.perClassDiff)}
                      <Study value={ref?.perClassDiff} />
                    </td>
                    <td className="num">
                      {formatDecimal(s.largest.perClassSd)}
                      <Study value={ref?.perClassSd} />
                    </td>
                  </>
                ) : (
                  <td colSpan={4}>Not computed: {set.summaryError}</td>
                )}
                <td>
                  {weak === 0 ? "none" : `${weak}/${set.runs.length}${set.weakExcluded ? " (excluded)" : ""}`}
                  {ref?.weakModels ? <span className="study-value">study {ref.weakModels}</span> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Table3({ sets }: { sets: ExperimentSetView[] }) {
  return (
    <div className="table-wrap">
      <table className="exp-table">
        <caption className="sr-only">Time to the selected checkpoint per set, with the study&apos;s values</caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>Set</th>
            <th scope="colgroup" colSpan={4} className="num">Best validation loss</th>
            <th scope="colgroup" colSpan={4} className="num">Best validation accuracy</th>
          </tr>
          <tr>
            {["loss", "acc"].flatMap((c) => [
              <th key={`${c}-d`} scope="col" className="num">Diff (s)</th>,
              <th key={`${c}-r`} scope="col" className="num">RelDiff</th>,
              <th key={`${c}-s`} scope="col" className="num">RelSDev</th>,
              <th key={`${c}-e`} scope="col" className="num">Epochs (mean, range)</th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {sets.map((set) => {
            const s = set.summary;
            const ref = set.reference?.time;
            return (
              <tr key={set.id}>
                <th scope="row">
                  <Link href={setHref(set.id)}>{set.preset}</Link> <span className="badge">{set.setting}</span>{" "}
                  <code className="small">{set.id.split("/").at(-1)?.slice(0, 8)}</code>
                </th>
                {s ? (
                  (["bestLoss", "bestAccuracy"] as const).map((criterion) => {
                    const c = s.criteria[criterion];
                    const study = ref
                      ? criterion === "bestLoss"
                        ? { d: ref.lossDiffSeconds, r: ref.lossRelDiffPercent, s: ref.lossRelSdPercent }
                        : { d: ref.accDiffSeconds, r: ref.accRelDiffPercent, s: ref.accRelSdPercent }
                      : null;
                    return [
                      <td key={`${criterion}-d`} className="num">
                        {formatDecimal(c.time.diff, 2)}
                        {study ? <span className="study-value">study {formatDecimal(study.d, 0)}</span> : null}
                      </td>,
                      <td key={`${criterion}-r`} className="num">
                        {formatPercent(c.time.relativeDiff)}
                        {study ? <span className="study-value">study {formatDecimal(study.r)}%</span> : null}
                      </td>,
                      <td key={`${criterion}-s`} className="num">
                        {formatPercent(c.time.cv)}
                        {study ? <span className="study-value">study {formatDecimal(study.s)}%</span> : null}
                      </td>,
                      <td key={`${criterion}-e`} className="num">
                        {formatDecimal(c.epochs.mean)} <span className="muted">({c.epochs.min}–{c.epochs.max})</span>
                      </td>,
                    ];
                  })
                ) : (
                  <td colSpan={8}>Not computed: {set.summaryError}</td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Comparisons({ comparisons, sets }: { comparisons: PairComparison[]; sets: ExperimentSetView[] }) {
  const label = (id: string) => {
    const set = sets.find((candidate) => candidate.id === id);
    return set ? setLabel(set) : id;
  };
  return (
    <div className="table-wrap">
      <table className="exp-table">
        <caption className="sr-only">Tests between the default and fixed-seed sets of the same training setup</caption>
        <thead>
          <tr>
            <th scope="col">Default vs fixed-seed</th>
            <th scope="col">Checkpoint</th>
            <th scope="col">Levene (Brown–Forsythe): equal variances?</th>
            <th scope="col">Mann–Whitney U (two-sided)</th>
            <th scope="col" className="num">Cohen&apos;s d</th>
          </tr>
        </thead>
        <tbody>
          {comparisons.flatMap((pair) =>
            pair.byCriterion.map((c, index) => (
              <tr key={`${pair.defaultSetId}-${pair.fixedSeedSetId}-${c.criterion}`}>
                {index === 0 ? (
                  <th scope="rowgroup" rowSpan={pair.byCriterion.length}>
                    {label(pair.defaultSetId)}
                    <div className="muted small">vs {label(pair.fixedSeedSetId)}</div>
                  </th>
                ) : null}
                <td>{c.criterion === "bestLoss" ? "best loss" : "best accuracy"}</td>
                <td>
                  {c.levene.ok ? (
                    <>
                      W = {formatDecimal(c.levene.value.statistic, 2)}, p = {formatP(c.levene.value.pValue)} {c.levene.value.pValue < 0.05 ? <strong>(variances differ)</strong> : null}
                    </>
                  ) : (
                    <span className="muted">not defined: {c.levene.reason}</span>
                  )}
                </td>
                <td>
                  {c.mannWhitney.ok ? (
                    <>
                      U = {formatDecimal(c.mannWhitney.value.u, 1)}, p = {formatP(c.mannWhitney.value.pValue)} {c.mannWhitney.value.pValue < 0.05 ? <strong>(accuracies differ)</strong> : null}
                    </>
                  ) : (
                    <span className="muted">not defined: {c.mannWhitney.reason}</span>
                  )}
                </td>
                <td className="num">{c.cohensD.ok ? formatDecimal(c.cohensD.value, 2) : <span className="muted">not defined: {c.cohensD.reason}</span>}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}

function JobList({ jobs, canManage }: { jobs: RunnerJobView[]; canManage: boolean }) {
  if (jobs.length === 0) return <p className="muted">No jobs yet.</p>;
  return (
    <ul className="job-list">
      {jobs.map((job) => {
        const snapshot = job.progress?.snapshot;
        const done = snapshot ? snapshot.done + snapshot.skipped : 0;
        const running = job.status === "RUNNING" || job.status === "QUEUED";
        const title = `${job.preset} · ${job.setting} · ${job.runs} runs`;
        return (
          <li key={job.id} className="card job" aria-label={`Job ${title}`}>
            <div className="job-head">
              <strong>{title}</strong> <span className={`badge status-${job.status.toLowerCase()}`}>{job.status.toLowerCase()}</span>
              {canManage && running ? <CancelJobButton jobId={job.id} label={title} /> : null}
            </div>
            {snapshot ? (
              <div className="job-progress">
                <progress value={done} max={snapshot.total} aria-label={`Runs done of ${title}`} />
                <span>
                  {done}/{snapshot.total} runs
                  {running ? ` · ${formatCount(Math.round(snapshot.samplesPerSecond))} images/s · ${snapshot.secondsLeft === null ? "estimating time left" : `${formatDuration(snapshot.secondsLeft)} left`}` : ""}
                  {snapshot.failed ? ` · ${snapshot.failed} failed` : ""}
                </span>
                {running && snapshot.active.length > 0 ? (
                  <div className="muted small">
                    {snapshot.active.map((run) => (run.epoch === 0 ? `${run.label} starting` : `${run.label}: epoch ${run.epoch}/${run.epochs}, step ${run.step}/${run.steps}`)).join(" · ")}
                  </div>
                ) : null}
              </div>
            ) : running ? (
              <p className="muted small">Starting (loading TensorFlow.js and the data)…</p>
            ) : null}
            {job.message ? <p className="small">{job.message}</p> : null}
            {job.importedSets.length > 0 ? (
              <p className="small">
                Sets:{" "}
                {job.importedSets.map((id, index) => (
                  <span key={id}>
                    {index > 0 ? ", " : ""}
                    <Link href={setHref(id)}>{id}</Link>
                  </span>
                ))}
              </p>
            ) : null}
            <p className="muted small">
              Started {formatDateTime(job.createdAt, { zone: true })}
              {job.createdByEmail ? ` by ${job.createdByEmail}` : ""}
              {job.finishedAt ? ` · ended ${formatDateTime(job.finishedAt, { zone: true })}` : ""}. Same on a terminal: <code>{job.command}</code>
            </p>
          </li>
        );
      })}
    </ul>
  );
}

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
  const anyRunning = jobs.some((job) => job.status === "RUNNING" || job.status === "QUEUED");
  const weakTotal = sets.reduce((sum, set) => sum + set.runs.filter((run) => run.weak).length, 0);
  const stripGroups = sets.map((set) => ({
    label: `${set.preset} ${set.setting === "fixed-seed" ? "fixed" : set.setting === "cross-implementation" ? "cross-impl" : set.setting} ${set.id.split("/").at(-1)?.slice(0, 6) ?? ""}`,
    series: [
      { name: "best-loss checkpoint", values: set.runs.map((run) => ({ run: run.runIndex, value: run.bestLossAccuracy })) },
      { name: "best-accuracy checkpoint", values: set.runs.map((run) => ({ run: run.runIndex, value: run.bestAccAccuracy })) },
    ],
  }));

  return (
    <>
      <AutoRefresh active={anyRunning} />
      <h1>Experiments</h1>
      <p className="lead">
        Sets of identical training runs and how much their results differ, laid out like Tables 2 and 3 of Pham et al. (ASE 2020),
        with the study&apos;s own figures beside ours (<span className="study-value inline">study …</span>). The study&apos;s values are
        the largest over its environments and both checkpoint criteria; ours are the larger over the two criteria.
      </p>
      <nav aria-label="Studies" className="no-print">
        <p>
          {current ? (
            <>
              Study: <strong>{current.name}</strong>
              {studies.length > 1 ? " · other studies: " : ""}
            </>
          ) : (
            "Choose a study: "
          )}
          {studies
            .filter((study) => study.id !== current?.id)
            .map((study, index) => (
              <span key={study.slug}>
                {index > 0 ? " · " : ""}
                <Link href={`/admin/experiments?study=${encodeURIComponent(study.slug)}`}>
                  {study.name} ({study.sets} set{study.sets === 1 ? "" : "s"})
                </Link>
              </span>
            ))}
        </p>
      </nav>
      {sets.some((set) => set.label) ? (
        <p className="notice" role="note">
          {[...new Set(sets.flatMap((set) => (set.label ? [set.label] : [])))].join(" ")}
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
            <Table2 sets={sets} />
          </section>

          <section aria-labelledby="table3">
            <h2 id="table3">Training-time spread (Table 3)</h2>
            <p className="muted">Time from the start of training to the selected checkpoint. RelDiff = (max − min) / min; RelSDev = SD / mean.</p>
            <Table3 sets={sets} />
          </section>

          <section aria-labelledby="plot">
            <h2 id="plot">Accuracy of every run</h2>
            <div className="card">
              <StripPlot groups={stripGroups} unit="% test accuracy" title="Strip plot of test accuracy per run, one column per set" />
            </div>
            <details>
              <summary>The numbers in the plot</summary>
              <div className="table-wrap">
                <table className="exp-table">
                  <thead>
                    <tr>
                      <th scope="col">Set</th>
                      <th scope="col">Test accuracy per run at the best-loss checkpoint (%)</th>
                      <th scope="col">… at the best-accuracy checkpoint (%)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {sets.map((set) => (
                      <tr key={set.id}>
                        <th scope="row">{setLabel(set)}</th>
                        <td>{set.runs.map((run) => formatDecimal(run.bestLossAccuracy, 2)).join(", ")}</td>
                        <td>{set.runs.map((run) => formatDecimal(run.bestAccAccuracy, 2)).join(", ")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
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
                <Comparisons comparisons={comparisons} sets={sets} />
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

      {canManage ? (
        <div className="grid">
          <section className="card" aria-labelledby="upload">
            <h2 id="upload">Import a results file</h2>
            <UploadResultsForm studies={studies} selectedStudy={current?.slug} />
          </section>
          <section className="card" aria-labelledby="start">
            <h2 id="start">Start a preset</h2>
            <p className="muted">
              Runs on this server as a separate background process; you can leave the page. Results are imported when it ends, also when
              cancelled. A job still running when the server stops is marked failed at the next start (its finished runs are imported).
            </p>
            <StartJobForm
              studies={studies}
              selectedStudy={current?.slug}
              presets={PRESETS.map(({ name, description, isStudyPreset }) => ({ name, description, isStudyPreset }))}
              defaultWorkers={Math.max(1, Math.min(2, os.availableParallelism() - 1))}
            />
          </section>
        </div>
      ) : null}

      <section aria-labelledby="jobs">
        <h2 id="jobs">Jobs</h2>
        <JobList jobs={jobs} canManage={canManage} />
      </section>
    </>
  );
}
