import { DataTable, outcomeColumns } from "@/app/_components/data-table";
import type { PairAnalysis } from "@/lib/runner/pair-analysis";
import type { PlannerForm } from "./planner-inputs";
import { formatCount, formatDecimal } from "@/lib/format";

/** The set with the lower observed mean, which a wrong comparison would crown. */
const wrongLoser = (analysis: PairAnalysis) => (analysis.a.mean < analysis.b.mean ? "A" : "B");

/**
 * The runs-needed planner: a GET form (so the numbers can be bookmarked and what was typed stays in the
 * fields), its answer, and how often comparisons of a few runs pick the wrong winner.
 */
export function PlannerSection({ analysis, form, hidden }: { analysis: PairAnalysis | null; form: PlannerForm; hidden: Record<string, string> }) {
  const plan = form.inputs ? analysis?.planner : undefined;
  const field = (name: keyof PlannerForm["values"], label: string, hint: string) => (
    <div className="field">
      <label htmlFor={`planner-${name}`}>{label}</label>
      <input
        id={`planner-${name}`}
        type="text"
        name={name}
        defaultValue={form.values[name]}
        inputMode="decimal"
        aria-invalid={form.errors[name] ? true : undefined}
        aria-describedby={form.errors[name] ? `planner-${name}-error` : `planner-${name}-hint`}
      />
      {form.errors[name] ? (
        <span className="field-error" id={`planner-${name}-error`}>
          {form.errors[name]}
        </span>
      ) : (
        <span className="hint" id={`planner-${name}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
  return (
    <>
      <form method="get" className="card planner-form" aria-label="Runs-needed planner">
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <div className="planner-fields">
          {field("d", "Difference to detect (points)", "difference of mean test accuracy")}
          {field("power", "Power", "e.g. 0.8")}
          {field("alpha", "Level α (two-sided)", "e.g. 0.05")}
          {field("sd", "Guessed SD (points, optional)", "empty: the observed SDs")}
        </div>
        <button type="submit">Plan</button>
      </form>
      {!form.inputs ? (
        <p className="notice error" role="alert">
          Not computed: correct the fields marked above.
        </p>
      ) : plan ? (
        <p data-testid="runs-needed">
          {plan.result.ok ? (
            plan.result.value.runs === null ? (
              <>More than {formatCount(100_000)} runs per configuration (power {formatDecimal(plan.result.value.achievedPower, 3)} there).</>
            ) : (
              <>
                <strong>{plan.result.value.runs} runs per configuration</strong> detect a {plan.inputs.difference}-point difference with power{" "}
                {formatDecimal(plan.result.value.achievedPower, 3)} (target {plan.inputs.power}) at α = {plan.inputs.alpha}, for SDs {formatDecimal(plan.sdA, 2)} and {formatDecimal(plan.sdB, 2)} points (
                {plan.inputs.guessedSd === null ? "observed" : "guessed"}).{" "}
                <span className="muted small">
                  Two-sided two-sample t test, Welch df {formatDecimal(plan.result.value.df, 1)}, power from the noncentral t; the normal approximation would say{" "}
                  {plan.result.value.normalApproximation}.
                </span>
              </>
            )
          ) : (
            <span className="muted">not defined: {plan.result.reason}</span>
          )}
        </p>
      ) : null}
      {analysis ? (
        <>
        <p className="muted">
          Each simulated comparison draws the given number of runs of each set from the observed runs (with replacement) and compares their means; it
          picks the wrong winner when the set with the lower observed mean ({wrongLoser(analysis)}) comes out ahead, ties counting half. The interval is the
          simulation&apos;s own error: the observed runs ({analysis.a.runs} vs {analysis.b.runs}) stand in for the truth.
        </p>
        <DataTable
          className="exp-table"
          caption="How often a comparison picks the wrong winner"
          rows={analysis.wrongWinner}
          rowKey={(row) => String(row.runsPerSide)}
          columns={[
            { label: "Runs per configuration", rowHeader: true, cell: (row) => row.runsPerSide },
            ...outcomeColumns((row: PairAnalysis["wrongWinner"][number]) => row.result, [
              { label: "Wrong winner", numeric: true, cell: (result) => `${formatDecimal(result.rate * 100, 1)}%` },
              {
                label: "95% interval (simulation error)",
                cell: (result) => (
                  <>
                    {formatDecimal(result.lower * 100, 1)}–{formatDecimal(result.upper * 100, 1)}%
                    {result.exactSingleRun !== null ? <span className="muted small"> (exact on these runs: {formatDecimal(result.exactSingleRun * 100, 1)}%)</span> : null}
                  </>
                ),
              },
              { label: "Method", className: "small", cell: (result) => `${formatCount(result.simulations)} comparisons, seed ${result.seed}` },
            ]),
          ]}
        />
        </>
      ) : null}
    </>
  );
}
