import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { getExperimentSet } from "@/lib/db/experiments";
import { ClassBars } from "../../_components/class-bars";
import { setHref } from "../../_components/format";
import { DeleteSetButton, MoveSetForm } from "../../_components/job-forms";
import { listExperimentStudies } from "@/lib/db/experiment-studies";
import { ClassSpreadTable, CriteriaTable, ImplementationsTable, RunsTable } from "../../_components/set-tables";
import { StripPlot } from "../../_components/strip-plot";
import "../../experiments.css";
import { orNotFound } from "@/app/_lib/or-not-found";
import { formatCount, formatDateTime, formatDecimal } from "@/lib/format";

export const metadata: Metadata = { title: "Experiment set" };
export const dynamic = "force-dynamic";

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
  const classes = set.perClass.bestLoss;
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
          <ImplementationsTable rows={s.implementations.implementations} />
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
          <CriteriaTable summary={s} />
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
          <ClassSpreadTable perClass={set.perClass} />
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
        <RunsTable runs={set.runs} />
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
