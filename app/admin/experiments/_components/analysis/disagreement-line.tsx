import type { SetAnalysis } from "@/lib/runner/pair-analysis";
import { formatCount, formatDecimal } from "@/lib/format";

/** Jordan's prediction disagreement of one set, or that the runs did not record predictions. */
export function DisagreementLine({ set, name }: { set: SetAnalysis; name: string }) {
  const d = set.disagreement;
  return (
    <li>
      <strong>{name}</strong> ({set.preset}, {set.setting}):{" "}
      {d.ok ? (
        <>
          {formatDecimal(d.value.meanRate * 100, 2)}% of test images predicted differently by two runs, on average{" "}
          <span className="muted">
            [{formatDecimal(d.value.lower * 100, 2)}, {formatDecimal(d.value.upper * 100, 2)}] {Math.round(d.value.level * 100)}% {d.value.method}, {formatCount(d.value.resamples)} resamples, seed {d.value.seed}; {d.value.pairs} pairs of {d.value.runs} runs on {formatCount(d.value.images)} images; pairs range {formatDecimal(d.value.minPairRate * 100, 2)}–{formatDecimal(d.value.maxPairRate * 100, 2)}%
          </span>
        </>
      ) : (
        <span className="muted">{d.reason}.</span>
      )}
    </li>
  );
}
