import Link from "next/link";
import type { Outcome } from "@/app/_components/data-table";
import type { ExperimentSetView } from "@/lib/db/experiments";
import type { SetSummary } from "@/lib/runner/analysis";
import { setHref } from "./format";

/** The set a row of the Experiments tables is about: its preset (linking to the set's page) and setting. */
export function SetName({ set }: { set: Pick<ExperimentSetView, "id" | "preset" | "setting"> }) {
  return (
    <>
      <Link href={setHref(set.id)}>{set.preset}</Link> <span className="badge">{set.setting}</span>
    </>
  );
}

/** The first 8 characters of a set id's hash: enough to tell sets of one preset apart. */
export const shortSetId = (id: string) => id.split("/").at(-1)?.slice(0, 8);

/** The runner's summary of a set as an outcome: the summary, or why it could not be computed (fewer than two runs). */
export const summaryOf = (set: ExperimentSetView): Outcome<SetSummary> =>
  set.summary ? { ok: true, value: set.summary } : { ok: false, reason: set.summaryError ?? "no summary" };

export const notComputed = (reason: string) => `Not computed: ${reason}`;
