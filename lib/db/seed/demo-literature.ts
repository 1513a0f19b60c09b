/**
 * Demo content of the literature survey: an invented paper population of the reference study's venues
 * (data/demo/pham2020-demo-population.bib, clearly marked as demo data), a stratified sample with a recorded
 * seed, a calibration subset, ada and grace assigned to every paper, and some codes — with one disagreement —
 * so that every page (queue, coding screen, conflicts, agreement, results) has something to show.
 * Idempotent: each step runs only when its data is missing. Goes through lib/db like the app does.
 */
import fs from "node:fs";
import path from "node:path";
import type { Database } from "../engine/connection";
import type { DemoContext } from "./context";
import { getStudyCodebook } from "../codebooks";
import { saveCoding } from "../coding";
import { importPapers } from "../papers";
import { assignSampleCoders, drawStudySample } from "../samples";
import type { Actor } from "@/lib/auth/permissions";

export const DEMO_BIBTEX_FILE = "data/demo/pham2020-demo-population.bib";
const DEMO_SEED = 20200901;

/** Seeds the literature survey demo; returns report lines. */
export async function seedLiteratureDemo(db: Database, context: DemoContext): Promise<string[]> {
  const report: string[] = [];
  const admin: Actor = { id: context.adminId, role: "ADMIN", canAdjudicate: true };
  await getStudyCodebook(db, context.studyId);

  if ((await db.prisma.paper.count({ where: { studyId: context.studyId } })) === 0) {
    const bytes = fs.readFileSync(path.join(process.cwd(), DEMO_BIBTEX_FILE));
    const outcome = await importPapers(db, admin, { studyId: context.studyId, fileName: path.basename(DEMO_BIBTEX_FILE), bytes });
    if (!outcome.ok) throw new Error(`demo BibTeX did not import: ${outcome.errors.join("; ")}`);
    const { counts, population } = outcome.report;
    report.push(`literature: imported ${counts.new} demo papers (${counts.mergedDuplicates} duplicate merged); population ${population.members}, ${population.excluded} excluded.`);
  } else {
    report.push("literature: papers already imported.");
  }

  if (!(await db.prisma.sampleDraw.findFirst({ where: { studyId: context.studyId } }))) {
    const draw = await drawStudySample(db, admin, { studyId: context.studyId, design: { kind: "stratified-fixed", perStratum: { "se-systems": 8, ai: 8 } }, seed: DEMO_SEED });
    report.push(`literature: drew a stratified sample of ${draw.size} papers (seed ${DEMO_SEED}).`);
  }

  const [ada, grace] = await db.prisma.user.findMany({ where: { id: { in: context.annotatorIds } }, orderBy: { email: "asc" }, select: { id: true, canAdjudicate: true } });
  if (!ada || !grace) return [...report, "literature: demo annotators missing; no assignments made."];
  if ((await db.prisma.assignment.count({ where: { paper: { studyId: context.studyId } } })) === 0) {
    const assigned = await assignSampleCoders(db, admin, { studyId: context.studyId, coderIds: [ada.id, grace.id], codersPerPaper: 2, calibrationSize: 2, seed: DEMO_SEED });
    report.push(`literature: assigned ada and grace (${assigned.calibration} calibration papers, ${assigned.main} main-round papers, 2 coders each).`);
  }

  if ((await db.prisma.coding.count({ where: { assignment: { paper: { studyId: context.studyId } } } })) === 0) {
    const coders: Actor[] = [
      { id: ada.id, role: "ANNOTATOR", canAdjudicate: ada.canAdjudicate },
      { id: grace.id, role: "ANNOTATOR", canAdjudicate: grace.canAdjudicate },
    ];
    let coded = 0;
    for (const [coderIndex, coder] of coders.entries()) {
      const assignments = await db.prisma.assignment.findMany({
        where: { coderId: coder.id, paper: { studyId: context.studyId } },
        include: { paper: { select: { stratum: true, sampleItem: { select: { drawIndex: true } } } } },
        orderBy: [{ round: "asc" }, { paper: { title: "asc" } }],
      });
      // Calibration papers and two main-round papers of each stratum; the rest stays in the queues.
      const main = assignments.filter((item) => item.round === "MAIN");
      const toCode = [
        ...assignments.filter((item) => item.round === "CALIBRATION"),
        ...main.filter((item) => item.paper.stratum === "ai").slice(0, 2),
        ...main.filter((item) => item.paper.stratum !== "ai").slice(0, 2),
      ];
      for (const [index, assignment] of toCode.entries()) {
        const isAi = assignment.paper.stratum === "ai";
        const answers: Record<string, unknown> = isAi
          ? { trainsDL: "yes", multipleRuns: index % 3 === 0 ? "yes" : "no", seedsReported: "no", networks: index % 2 === 0 ? ["resnet"] : ["other"] }
          : { trainsDL: "no" };
        if (answers.multipleRuns === "yes") Object.assign(answers, { runCount: 5, varianceReported: ["sd"] });
        // The one disagreement of the demo: on the last coded paper (SE-systems) grace reads the paper as training a network.
        const isConflict = coderIndex === 1 && index === toCode.length - 1;
        if (isConflict) Object.assign(answers, isAi ? { multipleRuns: answers.multipleRuns === "yes" ? "no" : "yes", runCount: 3, varianceReported: ["min-max"] } : { trainsDL: "yes", multipleRuns: "no", seedsReported: "unsure", networks: ["lenet"] });
        const saved = await saveCoding(db, coder, { assignmentId: assignment.id, answers, note: isConflict ? "Demo: the evaluation section is ambiguous." : "", intent: "submit" });
        if (!saved.ok) throw new Error(`demo coding failed: ${saved.message} ${JSON.stringify(saved.errors)}`);
        coded++;
      }
    }
    report.push(`literature: ${coded} demo codings saved (one paper with a disagreement to adjudicate).`);
  }
  return report;
}
