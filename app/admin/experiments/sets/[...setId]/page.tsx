import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { getExperimentSet, type ClassSpread } from "@/lib/db/experiments";
import { ClassBars } from "../../_components/class-bars";
import { setHref } from "../../_components/format";
import { DeleteSetButton, MoveSetForm } from "../../_components/job-forms";
import { listExperimentStudies } from "@/lib/db/experiment-studies";
import { StripPlot } from "../../_components/strip-plot";
import "../../experiments.css";
import { orNotFound } from "@/app/_lib/or-not-found";
import { formatCount, formatDateTime, formatDecimal, formatDuration, formatPercent } from "@/lib/format";

export const metadata: Metadata = { title: "Experiment set" };
export const dynamic = "force-dynamic";

const CRITERIA = [
  { key: "bestLoss", label: "Best validation loss" },
  { key: "bestAccuracy", label: "Best validation accuracy" },
] as const;

export default async function ExperimentSetPage({
  params,
  searchParams,
}: {
  params: Promise<{ setId: string[] }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { setId: segments } = await params;
  const setId = segments.map(decodeURIComponent).join("/");
  const actor = await requirePermissionForPage("experiments.read", setHref(setId));
  const excludeWeak = (await searchParams).weak === "exclude";
  const db = await getDatabase();
  const studies = await listExperimentStudies(db, actor);
  const set = await orNotFound(getExperimentSet(db, actor, { setId, excludeWeak }));
  const s = set.summary;
  const p = set.provenance;
  const weak = set.runs.filter((run) => run.weak);
  const classes: ClassSpread[] = set.perClass.bestLoss;
  const byClassAcc = new Map(set.perClass.bestAccuracy.map((c) => [c.classIndex, c]));

  return (
    <>
      <p>
        <Link href="/admin/experiments">← All experiments</Link>
      </p>
      <h1>
        {set.preset} <span className="badge">{set.setting}</span>
      </h1>
      <p className="lead">
        Set <code>{set.id}</code>: {set.runs.length} run(s){s && s.plannedRunCount !== set.runs.length ? ` of ${s.plannedRunCount} planned` : ""} of{" "}
        {p.architecture} ({formatCount(p.parameterCount)} trainable parameters) on {p.dataset.name}, imported {formatDateTime(set.importedAt, { zone: true })}.
        {s?.identicalFinalWeights ? " All runs ended with bit-identical weights." : ""}
      </p>
      {set.label ? (
        <p className="notice" role="note">
          {set.label}
        </p>
      ) : null}
      {s?.implementations ? (
        <section aria-labelledby="implementations">
          <h2 id="implementations">Implementations</h2>
          <p className="muted">
            The same configuration with the same fixed seeds on each implementation. Each implementation counts once in the figures below;
            its repeats are the determinism audit. {s.implementations.distinctFinalWeights} distinct final weights among{" "}
            {s.implementations.implementations.length} implementations; accuracy Diff between them {formatDecimal(s.implementations.accuracyDiff, 2)} points, largest
            per-class Diff {formatDecimal(s.implementations.perClassDiff.diff)} points (class {s.implementations.perClassDiff.classIndex}).
          </p>
          <div className="table-wrap">
            <table className="exp-table">
              <thead>
                <tr>
                  <th scope="col">Implementation</th>
                  <th scope="col">Runs</th>
                  <th scope="col" className="num">Test accuracy, best loss (%)</th>
                  <th scope="col" className="num">… best accuracy (%)</th>
                  <th scope="col">Final weights (SHA-256)</th>
                  <th scope="col">Repeats</th>
                </tr>
              </thead>
              <tbody>
                {s.implementations.implementations.map((row) => (
                  <tr key={row.implementation}>
                    <th scope="row">{row.implementation}</th>
                    <td>{row.runIndices.map((index) => `#${index + 1}`).join(" ")}</td>
                    <td className="num">{formatDecimal(row.bestLossAccuracy, 2)}</td>
                    <td className="num">{formatDecimal(row.bestAccuracyAccuracy, 2)}</td>
                    <td>
                      <code>{row.finalWeightsSha256.slice(0, 16)}</code>
                    </td>
                    <td>{row.repeatsIdentical === null ? "one run" : row.repeatsIdentical ? "bit-identical" : <strong>differ</strong>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="reproduce">
        <h2 id="reproduce">Reproduce this set</h2>
        <code className="command">{set.command}</code>
        <p className="small">
          <a href={`/api/experiments/export?set=${encodeURIComponent(set.id)}`} download>
            Download the runs (results.jsonl)
          </a>{" "}
          — the runner&apos;s own format; <code>npm run variance -- summarize &lt;dir&gt;</code> prints the same tables.
        </p>
        {set.study ? (
          <p className="small">
            <Link href={`/admin/experiments/analysis?study=${encodeURIComponent(set.study.slug)}&a=${encodeURIComponent(set.id)}`}>Compare this set with another set of the study</Link>{" "}
            (P(A &gt; B), runs needed, best-of-k, test-set noise).
          </p>
        ) : null}
      </section>

      <section aria-labelledby="summary">
        <h2 id="summary">Summary by checkpoint</h2>
        {weak.length > 0 ? (
          <p className="muted">
            {weak.length} weak model(s) (&lt; 20% accuracy): run {weak.map((run) => run.runIndex + 1).join(", ")}.{" "}
            {excludeWeak ? <Link href={setHref(set.id)}>Include them in the statistics</Link> : <Link href={`${setHref(set.id)}?weak=exclude`}>Exclude them from the statistics</Link>}
          </p>
        ) : null}
        {s ? (
          <div className="table-wrap">
            <table className="exp-table">
              <thead>
                <tr>
                  <th scope="col">Checkpoint</th>
                  <th scope="col" className="num">n</th>
                  <th scope="col" className="num">Mean acc. (%)</th>
                  <th scope="col" className="num">Diff (pts)</th>
                  <th scope="col" className="num">SD (pts) [90% CI]</th>
                  <th scope="col" className="num">Largest per-class Diff</th>
                  <th scope="col" className="num">Largest per-class SD</th>
                  <th scope="col" className="num">Time Diff (s)</th>
                  <th scope="col" className="num">RelDiff</th>
                  <th scope="col" className="num">RelSDev</th>
                  <th scope="col" className="num">Epochs</th>
                </tr>
              </thead>
              <tbody>
                {CRITERIA.map(({ key, label }) => {
                  const c = s.criteria[key];
                  return (
                    <tr key={key}>
                      <th scope="row">{label}</th>
                      <td className="num">{c.n}</td>
                      <td className="num">{formatDecimal(c.accuracy.mean, 2)}</td>
                      <td className="num">{formatDecimal(c.accuracy.diff, 2)}</td>
                      <td className="num">
                        {formatDecimal(c.accuracy.sd, 2)} <span className="muted">[{formatDecimal(c.accuracySdInterval.lower, 2)}, {formatDecimal(c.accuracySdInterval.upper, 2)}]</span>
                      </td>
                      <td className="num">
                        {formatDecimal(c.largestPerClassDiff.diff)} <span className="muted">(class {c.largestPerClassDiff.classIndex})</span>
                      </td>
                      <td className="num">
                        {formatDecimal(c.largestPerClassSd.sd)} <span className="muted">(class {c.largestPerClassSd.classIndex})</span>
                      </td>
                      <td className="num">{formatDecimal(c.time.diff, 2)}</td>
                      <td className="num">{formatPercent(c.time.relativeDiff)}</td>
                      <td className="num">{formatPercent(c.time.cv)}</td>
                      <td className="num">
                        {formatDecimal(c.epochs.mean)} <span className="muted">({c.epochs.min}–{c.epochs.max})</span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="notice">Not computed: {set.summaryError}</p>
        )}
        {set.reference ? (
          <p className="muted small">
            Study ({set.studyNetwork}, {set.setting}): overall Diff {formatDecimal(set.reference.accuracy.overallDiff)}, SD {set.reference.accuracy.sdBelow ? "<" : ""}
            {formatDecimal(set.reference.accuracy.overallSd)}, per-class Diff {formatDecimal(set.reference.accuracy.perClassDiff)}, per-class SD {formatDecimal(set.reference.accuracy.perClassSd)}; time
            RelDiff {formatDecimal(set.reference.time.lossRelDiffPercent)}% (loss) / {formatDecimal(set.reference.time.accRelDiffPercent)}% (acc).
          </p>
        ) : null}
      </section>

      {classes.length > 0 ? (
        <section aria-labelledby="per-class">
          <h2 id="per-class">Per-class differences</h2>
          <p className="muted">
            Max − min of each class&apos;s test accuracy over the runs. &ldquo;Test-set noise&rdquo; is twice the 95% Wilson half-width for one run on
            that many images: a Diff of that size can come from the small test sample alone, not only from training.
          </p>
          <div className="card">
            <ClassBars
              classes={classes.map((c) => `class ${c.classIndex}`)}
              series={[
                { name: "Diff, best-loss checkpoint", values: classes.map((c) => Number(c.diff.toFixed(2))), color: "#0b5cad" },
                { name: "Diff, best-accuracy checkpoint", values: classes.map((c) => Number((byClassAcc.get(c.classIndex)?.diff ?? 0).toFixed(2))), color: "#c2410c" },
                { name: "test-set noise (one run)", values: classes.map((c) => Number((2 * c.testNoiseHalfWidth).toFixed(2))), color: "#8c959f" },
              ]}
            />
          </div>
          <div className="table-wrap">
            <table className="exp-table">
              <thead>
                <tr>
                  <th scope="col">Class</th>
                  <th scope="col" className="num">Test images</th>
                  <th scope="col" className="num">Range, best loss (%)</th>
                  <th scope="col" className="num">Diff / SD, best loss</th>
                  <th scope="col" className="num">Range, best acc. (%)</th>
                  <th scope="col" className="num">Diff / SD, best acc.</th>
                  <th scope="col" className="num">Test-set noise (±)</th>
                </tr>
              </thead>
              <tbody>
                {classes.map((c) => {
                  const a = byClassAcc.get(c.classIndex);
                  return (
                    <tr key={c.classIndex}>
                      <th scope="row">{c.classIndex}</th>
                      <td className="num">{c.testImages}</td>
                      <td className="num">
                        {formatDecimal(c.min)}–{formatDecimal(c.max)}
                      </td>
                      <td className="num">
                        {formatDecimal(c.diff)} / {formatDecimal(c.sd)}
                      </td>
                      <td className="num">{a ? `${formatDecimal(a.min)}–${formatDecimal(a.max)}` : "–"}</td>
                      <td className="num">{a ? `${formatDecimal(a.diff)} / ${formatDecimal(a.sd)}` : "–"}</td>
                      <td className="num">±{formatDecimal(c.testNoiseHalfWidth)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="time">
        <h2 id="time">Training time to the checkpoint</h2>
        <div className="card">
          <StripPlot
            title="Strip plot of seconds to the selected checkpoint per run"
            unit="seconds"
            groups={[
              { label: "best loss", series: [{ name: "seconds to the checkpoint", values: set.runs.map((run) => ({ run: run.runIndex, value: run.bestLossSeconds })) }] },
              { label: "best accuracy", series: [{ name: "seconds to the checkpoint", values: set.runs.map((run) => ({ run: run.runIndex, value: run.bestAccSeconds })) }] },
            ]}
          />
        </div>
      </section>

      <section aria-labelledby="runs">
        <h2 id="runs">Runs</h2>
        <div className="table-wrap">
          <table className="exp-table">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col" className="num">Acc. best loss (%)</th>
                <th scope="col" className="num">Acc. best acc. (%)</th>
                <th scope="col" className="num">Epoch (loss / acc)</th>
                <th scope="col" className="num">Time to checkpoint (loss / acc)</th>
                <th scope="col" className="num">Training</th>
                <th scope="col">Seeds (master · init · order · dropout · augmentation)</th>
                <th scope="col">Final weights</th>
              </tr>
            </thead>
            <tbody>
              {set.runs.map((run) => (
                <tr key={run.runIndex}>
                  <th scope="row">
                    {run.runIndex + 1} {run.weak ? <span className="badge inactive">weak</span> : null}
                  </th>
                  <td className="num">{formatDecimal(run.bestLossAccuracy, 2)}</td>
                  <td className="num">{formatDecimal(run.bestAccAccuracy, 2)}</td>
                  <td className="num">
                    {run.bestLossEpoch} / {run.bestAccEpoch}
                  </td>
                  <td className="num">
                    {formatDecimal(run.bestLossSeconds, 1)} s / {formatDecimal(run.bestAccSeconds, 1)} s
                  </td>
                  <td className="num">{formatDuration(run.trainingSeconds)}</td>
                  <td>
                    <code>
                      {run.seeds.master} · {run.seeds.init} · {run.seeds.order} · {run.seeds.dropout} · {run.seeds.augmentation}
                    </code>
                    {run.oneBitFlip ? (
                      <div className="muted small">
                        bit {run.oneBitFlip.bit} of {run.oneBitFlip.weight}[{run.oneBitFlip.index}] flipped: {run.oneBitFlip.before} → {run.oneBitFlip.after}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <code title={run.finalWeightsSha256}>{run.finalWeightsSha256.slice(0, 12)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="provenance">
        <h2 id="provenance">Provenance</h2>
        <dl className="facts card">
          <dt>Backend</dt>
          <dd>
            {p.backends.join(", ")} ({p.backendDeterministic ? "deterministic" : "not deterministic"}), TensorFlow.js {p.tfjsVersions.join(", ")}
          </dd>
          <dt>Implementations</dt>
          <dd>{p.implementations.join("; ")}</dd>
          <dt>Versions</dt>
          <dd>
            Node {p.nodeVersions.join(", ")}; VarStudy {p.varstudyVersions.join(", ")}; commit {p.gitCommits.map((c) => c.slice(0, 12)).join(", ")}
          </dd>
          <dt>Machines</dt>
          <dd>{p.hosts.join("; ")}</dd>
          <dt>Dataset</dt>
          <dd>
            {p.dataset.name}, {p.dataset.numClasses} classes; train {formatCount(p.dataset.trainSize)} / validation{" "}
            {formatCount(p.dataset.validationSize)} / test {formatCount(p.dataset.testSize)}
            {p.dataset.split ? ` (${p.dataset.split})` : ""}; SHA-256 <code>{p.dataset.sha256}</code>
          </dd>
          <dt>Training</dt>
          <dd>
            {p.epochs} epochs, batch {p.batchSize}, optimizer <code>{JSON.stringify(p.optimizer)}</code>
          </dd>
          <dt>Master seeds</dt>
          <dd>
            {set.setting === "default"
              ? `${p.masterSeeds.length} different, one fresh per run (see the runs table)`
              : set.setting.startsWith("vary-")
                ? `${p.masterSeeds.join(", ")} for every run; the ${set.setting.slice("vary-".length)} seed alone differs per run, derived from it and the run index (see the runs table)`
                : set.setting === "one-bit"
                  ? `${p.masterSeeds.join(", ")} (the same for every run); each run flips one bit of one initial weight (see the runs table)`
                  : `${p.masterSeeds.join(", ")} (the same for every run)`}
          </dd>
          <dt>Trained</dt>
          <dd>
            {formatDateTime(p.firstStartedAt, { zone: true })} to {formatDateTime(p.lastFinishedAt, { zone: true })}
          </dd>
        </dl>
      </section>

      {can(actor, "experiments.manage") ? (
        <section aria-labelledby="manage">
          <h2 id="manage">Manage</h2>
          <p>Study: {set.study ? set.study.name : "none"}</p>
          <MoveSetForm setId={set.id} studies={studies} currentSlug={set.study?.slug ?? null} />
          <DeleteSetButton setId={set.id} />
        </section>
      ) : null}
    </>
  );
}
