/** An estimate as the dashboard prints it: value, interval, n and method, with its caveat. */
import { type IntervalCaveat } from "@/lib/dashboard/intervals";
import { formatInterval, formatLevel, formatPercent } from "@/lib/format";
import type { Estimate } from "@/lib/dashboard/survey-results";

/** "83.8% [81.3%, 86.0%], n = 901" with the method named. */
export function EstimateText({ value, showMethod = true }: { value: Estimate; showMethod?: boolean }) {
  if (value.estimate === null) return <span className="muted">no answers (n = 0)</span>;
  return (
    <span className="estimate">
      <strong>{formatPercent(value.estimate)}</strong> {formatInterval(value.lower!, value.upper!)}
      <span className="muted">
        {" "}
        ({value.x} of n = {value.n}
        {showMethod ? `; ${value.method} ${formatLevel(value.level)} CI` : ""})
      </span>
      <CaveatNote caveat={value.caveat} />
    </span>
  );
}

/** The warning printed under an interval that must not be read as a result (lib/dashboard/intervals.ts). */
export function CaveatNote({ caveat }: { caveat: IntervalCaveat | null }) {
  if (!caveat) return null;
  return (
    <span className="interval-caveat" data-caveat={caveat.kind} role="note">
      {" "}
      ⚠ {caveat.message}
    </span>
  );
}

/** "[0.0%, 0.0%] ⚠" — an interval followed by a short flag when it is degenerate (the full caveat is in its title). */
export function IntervalCell({ lower, upper, caveat }: { lower: number; upper: number; caveat: IntervalCaveat | null }) {
  return (
    <>
      {formatInterval(lower, upper)}
      {caveat ? (
        <span className="interval-caveat" data-caveat={caveat.kind} title={caveat.message}>
          {" "}
          ⚠ {caveat.kind === "zero-width" ? "zero width" : caveat.kind === "approximation" ? "unreliable" : "few answers"}
        </span>
      ) : null}
    </>
  );
}
