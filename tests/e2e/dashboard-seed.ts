/**
 * Extra data for the dashboard's end-to-end server (run by start-server.sh through E2E_EXTRA_SEED, after the
 * demo seed and before the server owns the database): 901 completed responses to the demo study's reference
 * questionnaire whose determinism answers follow the study (Q20 287/196/418, Q26 571/184/146 → 755/901 =
 * 83.8%), and one default and one fixed-seed experiment set for "expected vs measured".
 * Beside it, a second study ("Beta replication") whose two questionnaires use the SAME question ids with other
 * answers and other headlines, so the two-studies spec can check that no page shows the other study's numbers.
 */
import { openDatabase } from "@/lib/db/engine/connection";
import { databaseTargetFromEnv } from "@/lib/db/engine/target";
import { DEMO_STUDY_SLUG } from "@/lib/db/seed/demo";
import { questionnaireDefinitionSchema } from "@/lib/survey/definition";
import { createQuestionnaire, generateResponses, insertExperimentSet, insertResponses, PHAM_901_COUNTS } from "@/lib/db/seed/synthetic";
import { EMPTY_HEADLINES, withHeadline } from "@/lib/dashboard/headlines";
import { DEMO_RESULTS_DIR } from "@/lib/db/seed/demo-experiments";
import { COMMAND_LINE_IMPORTER, importRunResults } from "@/lib/db/runs";
import { readResultsDirectory } from "@/lib/runner/results-io";
import { BETA } from "./two-studies-data";

const db = await openDatabase(databaseTargetFromEnv());
try {
  const study = await db.prisma.study.findUniqueOrThrow({ where: { slug: DEMO_STUDY_SLUG } });
  const questionnaire = await db.prisma.questionnaire.findFirstOrThrow({ where: { studyId: study.id }, include: { currentVersion: true } });
  const version = questionnaire.currentVersion!;
  const definition = questionnaireDefinitionSchema.parse(version.definition);
  // Earlier demo responses would change the counts the spec checks; the spec's server starts empty of them.
  await db.prisma.response.deleteMany({ where: { questionnaireId: questionnaire.id } });
  const responses = generateResponses(definition, { count: 901, seed: 2020, fixed: PHAM_901_COUNTS, completedShare: 1 });
  await insertResponses(db, questionnaire.id, version.id, responses);
  // A few unfinished responses for the drop-off table (they are not counted in completed-only results).
  const partial = generateResponses(definition, { count: 40, seed: 99, completedShare: 0 });
  await insertResponses(db, questionnaire.id, version.id, partial);
  if (!(await db.prisma.experimentSet.findUnique({ where: { id: "e2e-default" } }))) {
    await insertExperimentSet(db, { studyId: study.id, id: "e2e-default", preset: "lenet1", setting: "default", accuracies: [0.978, 0.986, 0.981, 0.975, 0.983], seconds: [100, 110, 105, 120, 101] });
    await insertExperimentSet(db, { studyId: study.id, id: "e2e-fixed", preset: "lenet1", setting: "fixed-seed", accuracies: [0.9851, 0.9853, 0.9852, 0.9851], seconds: [100, 104, 103, 101] });
  }
  if (!(await db.prisma.study.findUnique({ where: { slug: BETA.slug } }))) {
    const beta = await db.prisma.study.create({ data: { slug: BETA.slug, name: BETA.name, description: "A second study with the same question ids (end-to-end test data)." } });
    const headlines = withHeadline(EMPTY_HEADLINES, BETA.headline);
    const main = await createQuestionnaire(db, beta.id, definition, BETA.questionnaire, headlines);
    await insertResponses(db, main.questionnaireId, main.versionId, generateResponses(definition, { count: BETA.completed, seed: 7, fixed: BETA.counts, completedShare: 1 }));
    const pilot = await createQuestionnaire(db, beta.id, definition, BETA.pilot);
    await insertResponses(db, pilot.questionnaireId, pilot.versionId, generateResponses(definition, { count: 2, seed: 8, fixed: BETA.pilotCounts, completedShare: 1 }));
    // Beta's own experiment set (four of the demo's LeNet-5 runs under another set id), so that the Analysis of a pair
    // can be shown to refuse a set of the other study.
    const demoRuns = (await readResultsDirectory(DEMO_RESULTS_DIR)).runs.filter((run) => run.setId.startsWith("lenet5-digits/default/")).slice(0, 4);
    await importRunResults(db, COMMAND_LINE_IMPORTER, { runs: demoRuns.map((run) => ({ ...run, setId: BETA.experimentSet })), studyId: beta.id, source: "dashboard e2e seed" });
  }
  console.log(`dashboard e2e seed: ${responses.length} completed and ${partial.length} unfinished responses, 2 experiment sets.`);
} finally {
  await db.close();
}
