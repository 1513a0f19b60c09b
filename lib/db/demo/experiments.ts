import path from "node:path";
import type { Database } from "../connection";
import type { DemoContext } from "../demo-seed";
import { COMMAND_LINE_IMPORTER, importRunResults } from "../runs";
import { readResultsDirectory } from "@/lib/runner/results-io";

/** Real runner output kept with the tests: one default and one fixed-seed set of three tiny LeNet1 runs. */
export const DEMO_RESULTS_DIR = path.join(process.cwd(), "tests", "fixtures", "runner", "lenet1-quick-tiny");

/**
 * Demo content of the Experiments area: imports the fixture results (idempotent: a second seed finds them
 * present and changes nothing). The runs are deliberately undertrained, so every one is a "weak model".
 */
export async function seedExperimentsDemo(db: Database, context: DemoContext): Promise<string[]> {
  const read = await readResultsDirectory(DEMO_RESULTS_DIR);
  if (read.runs.length === 0) return [`experiments: no runs found in ${DEMO_RESULTS_DIR}; nothing seeded.`];
  const outcome = await importRunResults(db, COMMAND_LINE_IMPORTER, { runs: read.runs, studyId: context.studyId, source: "demo seed" });
  return [
    outcome.imported > 0
      ? `experiments: imported ${outcome.imported} demo run(s) in ${outcome.sets.length} set(s) (tiny LeNet1 runs; see /admin/experiments).`
      : "experiments: demo runs already imported.",
  ];
}
