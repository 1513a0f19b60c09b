/**
 * Synthetic study data for the dashboard's tests, its end-to-end seed and its benchmark: completed
 * responses to a questionnaire definition with exact determinism-answer counts, double-coded papers and
 * experiment runs. Rows are written with a few bulk INSERT … SELECT FROM unnest(…) statements (thousands of
 * rows per statement), so 10,000 responses take seconds, not minutes. Seeded: the same seed gives the same
 * data. Not for production data: it bypasses the questionnaire's own write path on purpose (speed), but
 * fills the typed answer columns exactly as lib/survey/answer-columns.ts typedAnswerColumns does.
 */
import { randomUUID } from "node:crypto";
import type { Database } from "@/lib/db/engine/connection";
import type { HeadlineConfig } from "@/lib/dashboard/headlines";
import { createRng, randomInt, shuffled, type Rng } from "@/lib/stats/random";
import { OTHER_OPTION_ID, type Question, type QuestionnaireDefinition } from "@/lib/survey/definition";
import type { AnswerValue } from "@/lib/survey/answer-types";
import { evaluateCondition, indexQuestions } from "@/lib/survey/conditions";
import { RESULT_SCHEMA_VERSION, runResultSchema } from "@/lib/runner/result-schema";
import { COMMAND_LINE_IMPORTER, importRunResults } from "../runs";

export type SyntheticResponse = { id: string; completed: boolean; section: string | null; startedAt: Date; answers: Record<string, AnswerValue> };

/** Exact answer counts for some single-choice questions, e.g. { Q26: { yes: 571, maybe: 184, no: 146 } }. */
export type FixedCounts = Record<string, Record<string, number>>;

/** Q20 and Q26 counts of the reference study's 901 valid responses (31.9/21.8/46.4% and 63.4/20.4/16.2%). */
export const PHAM_901_COUNTS: FixedCounts = {
  Q20: { yes: 287, maybe: 196, no: 418 },
  Q26: { yes: 571, maybe: 184, no: 146 },
};

/** Scales fixed counts to another total, keeping the proportions (largest-remainder rounding). */
export function scaleCounts(counts: FixedCounts, total: number): FixedCounts {
  const scaled: FixedCounts = {};
  for (const [question, byOption] of Object.entries(counts)) {
    const sum = Object.values(byOption).reduce((a, b) => a + b, 0);
    const raw = Object.entries(byOption).map(([id, count]) => ({ id, exact: (count * total) / sum }));
    const floors = raw.map((item) => ({ ...item, value: Math.floor(item.exact) }));
    let left = total - floors.reduce((a, b) => a + b.value, 0);
    for (const item of [...floors].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)))) {
      if (left <= 0) break;
      item.value += 1;
      left -= 1;
    }
    scaled[question] = Object.fromEntries(floors.map((item) => [item.id, item.value]));
  }
  return scaled;
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[randomInt(rng, items.length)]!;

function randomAnswer(question: Question, rng: Rng): AnswerValue | undefined {
  switch (question.type) {
    case "single_choice":
    case "binned_estimate": {
      const options = question.type === "binned_estimate" ? question.bins : question.options;
      if (question.other && rng() < 0.04) return { choice: OTHER_OPTION_ID, otherText: pick(rng, ["it depends on the model", "no idea", "varies by GPU 50%", "about 3 points"]) };
      // Skewed towards the first options, so distributions are not flat.
      const index = Math.min(options.length - 1, Math.floor(options.length * rng() * rng() * 1.6));
      return { choice: options[index]!.id };
    }
    case "multiple_choice": {
      const plain = question.options.filter((option) => !option.exclusive);
      const chosen = plain.filter(() => rng() < 0.4).map((option) => option.id);
      return { choices: chosen.length > 0 ? chosen : [plain[0]!.id] };
    }
    case "likert":
      return 1 + randomInt(rng, question.points);
    case "numeric": {
      const max = question.max ?? 100;
      const value = Math.min(max, Math.round(-Math.log(1 - rng() * 0.999) * 5 * 10) / 10);
      return question.integer ? Math.round(value) : value;
    }
    case "short_text":
    case "long_text":
      return rng() < 0.15 ? pick(rng, ["Seeds are not enough on GPUs.", "We always run five seeds.", "cuDNN autotuning surprised us", "More runs cost too much."]) : undefined;
    case "matrix":
      return Object.fromEntries(question.rows.map((row) => [row.id, pick(rng, question.columns).id]));
  }
}

/**
 * Generates responses in memory. Questions in `fixed` get exactly the given counts (shuffled over
 * respondents); others are random; skip rules (showIf) of the definition are respected.
 * @param completedShare share of responses that are completed; the rest stop on a random page.
 */
export function generateResponses(definition: QuestionnaireDefinition, options: { count: number; seed: number; fixed?: FixedCounts; completedShare?: number; start?: Date }): SyntheticResponse[] {
  const rng = createRng(options.seed);
  const questionsById = indexQuestions(definition);
  const fixedOrder = new Map<string, string[]>();
  for (const [question, counts] of Object.entries(options.fixed ?? {})) {
    const list = Object.entries(counts).flatMap(([id, count]) => Array<string>(count).fill(id));
    if (list.length !== options.count) throw new Error(`fixed counts of ${question} add up to ${list.length}, not ${options.count}`);
    fixedOrder.set(question, shuffled(list, rng));
  }
  const start = options.start ?? new Date("2020-02-03T08:00:00Z");
  const completedShare = options.completedShare ?? 1;
  const responses: SyntheticResponse[] = [];
  for (let index = 0; index < options.count; index++) {
    const completed = rng() < completedShare;
    const stopAt = completed ? definition.sections.length : randomInt(rng, definition.sections.length);
    const answers: Record<string, AnswerValue> = {};
    definition.sections.forEach((section, sectionIndex) => {
      if (sectionIndex >= stopAt) return;
      for (const question of section.questions) {
        if (question.showIf && !evaluateCondition(question.showIf, answers, questionsById)) continue;
        const fixed = fixedOrder.get(question.id);
        const value = fixed ? { choice: fixed[index]! } : randomAnswer(question, rng);
        if (value !== undefined) answers[question.id] = value;
      }
    });
    responses.push({
      id: randomUUID(),
      completed,
      section: completed ? null : (definition.sections[stopAt]?.id ?? null),
      // Two weeks of responses, as the reference study's survey ran.
      startedAt: new Date(start.getTime() + Math.floor(rng() * 14 * 24 * 3600 * 1000)),
      answers,
    });
  }
  return responses;
}

/** The typed columns of an answer, as lib/db/responses.ts fills them. */
export function typedColumns(value: AnswerValue): { choiceIds: string[]; numberValue: number | null; textValue: string | null } {
  if (typeof value === "number") return { choiceIds: [], numberValue: value, textValue: null };
  if (typeof value === "string") return { choiceIds: [], numberValue: null, textValue: value };
  if ("choice" in value && typeof value.choice === "string") return { choiceIds: [value.choice], numberValue: null, textValue: (value.otherText as string | undefined) ?? null };
  if ("choices" in value && Array.isArray(value.choices)) return { choiceIds: value.choices as string[], numberValue: null, textValue: (value.otherText as string | undefined) ?? null };
  return { choiceIds: Object.entries(value).map(([row, column]) => `${row}:${column}`), numberValue: null, textValue: null };
}

const CHUNK = 5000;

/**
 * Writes generated responses and their answers with bulk inserts.
 * @param importId the ResponseImport the responses belong to (none by default).
 */
export async function insertResponses(db: Database, questionnaireId: string, versionId: string, responses: readonly SyntheticResponse[], importId: string | null = null): Promise<void> {
  for (let offset = 0; offset < responses.length; offset += CHUNK) {
    const chunk = responses.slice(offset, offset + CHUNK);
    await db.sql.query(
      `INSERT INTO "Response" ("id", "questionnaireId", "versionId", "status", "source", "currentSection", "startedAt", "updatedAt", "completedAt", "importId")
       SELECT id, $1, $2, status::"ResponseStatus", 'IMPORT'::"ResponseSource", section, started::timestamp, started::timestamp, completed::timestamp, $8
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(id, status, section, started, completed)`,
      [
        questionnaireId,
        versionId,
        chunk.map((r) => r.id),
        chunk.map((r) => (r.completed ? "COMPLETED" : "IN_PROGRESS")),
        chunk.map((r) => r.section),
        chunk.map((r) => r.startedAt.toISOString()),
        chunk.map((r) => (r.completed ? new Date(r.startedAt.getTime() + 10 * 60 * 1000).toISOString() : null)),
        importId,
      ],
    );
  }
  const answers = responses.flatMap((response) =>
    Object.entries(response.answers).map(([questionId, value]) => ({ responseId: response.id, questionId, value, ...typedColumns(value) })),
  );
  for (let offset = 0; offset < answers.length; offset += CHUNK * 4) {
    const chunk = answers.slice(offset, offset + CHUNK * 4);
    // text[][] cannot carry ragged arrays, so choice ids travel joined by a separator ids cannot contain.
    await db.sql.query(
      `INSERT INTO "Answer" ("id", "responseId", "questionId", "value", "choiceIds", "numberValue", "textValue", "updatedAt")
       SELECT gen_random_uuid()::text, rid, qid, val::jsonb, CASE WHEN choices = '' THEN '{}'::text[] ELSE string_to_array(choices, '|') END, num, txt, now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[]) AS t(rid, qid, val, choices, num, txt)`,
      [
        chunk.map((a) => a.responseId),
        chunk.map((a) => a.questionId),
        chunk.map((a) => JSON.stringify(a.value)),
        chunk.map((a) => a.choiceIds.join("|")),
        chunk.map((a) => a.numberValue),
        chunk.map((a) => a.textValue),
      ],
    );
  }
  // Fresh planner statistics after a bulk load: embedded PGlite runs no autovacuum, and without them the
  // planner picks nested loops over the answer table (measured: several times slower dashboard queries).
  await db.sql.exec(`ANALYZE "Response"; ANALYZE "Answer";`);
}

/** Creates a questionnaire with one published version of the definition in the study. */
export async function createQuestionnaire(
  db: Database,
  studyId: string,
  definition: QuestionnaireDefinition,
  slug = `${definition.id}-${randomUUID().slice(0, 8)}`,
  headlineConfig?: HeadlineConfig,
) {
  const questionnaire = await db.prisma.questionnaire.create({ data: { slug, title: definition.title, studyId, status: "OPEN", headlineConfig: headlineConfig as object | undefined } });
  const version = await db.prisma.questionnaireVersion.create({
    data: { questionnaireId: questionnaire.id, version: definition.version, definition: definition as object, sourceText: "# synthetic", publishedAt: new Date() },
  });
  await db.prisma.questionnaire.update({ where: { id: questionnaire.id }, data: { currentVersionId: version.id } });
  return { questionnaireId: questionnaire.id, versionId: version.id };
}

export type SyntheticPaper = { stratum: string; coder1: Record<string, unknown>; coder2: Record<string, unknown>; final: Record<string, unknown>; disagree: boolean };

/** A complete coding of the reference codebook (every asked question answered), as the coding screen would submit it. */
function completeCoding(trains: "yes" | "no", multiple: "yes" | "no"): Record<string, unknown> {
  if (trains === "no") return { trainsDL: "no" };
  return { trainsDL: "yes", multipleRuns: multiple, seedsReported: "no", networks: ["other"], ...(multiple === "yes" ? { varianceReported: ["none"] } : {}) };
}

/**
 * Double-coded papers in two strata, written as the app writes them: two complete codings per paper; where
 * the coders disagree (about 10% of relevance codes), an adjudicated final code that sides with coder 1.
 * Agreed papers get no FinalCode row, as in production (lib/db/literature-results.ts derives them).
 * Writes Paper, SampleDraw/SampleItem, Assignment, Coding and FinalCode rows with bulk inserts.
 * @param populationExtra papers in the population beyond the sample, per stratum.
 * @param adjudicatorId who adjudicated the disagreements (default: none recorded, shown as a removed user).
 */
export async function insertLiterature(
  db: Database,
  options: {
    studyId: string;
    coderIds: [string, string];
    perStratum: Record<string, number>;
    populationExtra?: Record<string, number>;
    seed: number;
    codebookVersion?: number;
    adjudicatorId?: string;
  },
): Promise<SyntheticPaper[]> {
  const rng = createRng(options.seed);
  const papers: Array<SyntheticPaper & { id: string; sampled: boolean }> = [];
  for (const [stratum, count] of Object.entries(options.perStratum)) {
    const relevantShare = stratum === "ai" ? 0.78 : 0.14;
    for (let i = 0; i < count; i++) {
      const trains = rng() < relevantShare ? "yes" : "no";
      const multiple = rng() < 0.2 ? "yes" : "no";
      const coder1 = completeCoding(trains, multiple);
      // The second coder disagrees on about 10% of the relevance codes (the study's 89.3% raw agreement).
      const disagree = rng() < 0.1;
      const coder2 = disagree ? completeCoding(trains === "yes" ? "no" : "yes", "no") : coder1;
      papers.push({ id: randomUUID(), stratum, coder1, coder2, final: coder1, disagree, sampled: true });
    }
    for (let i = 0; i < (options.populationExtra?.[stratum] ?? 0); i++) papers.push({ id: randomUUID(), stratum, coder1: {}, coder2: {}, final: {}, disagree: false, sampled: false });
  }
  const drawId = randomUUID();
  await db.sql.query(`INSERT INTO "SampleDraw" ("id", "studyId", "seed", "design", "populationSnapshot") VALUES ($1, $2, $3, '{"kind":"synthetic"}'::jsonb, 'synthetic')`, [drawId, options.studyId, options.seed]);
  for (let offset = 0; offset < papers.length; offset += CHUNK) {
    const chunk = papers.slice(offset, offset + CHUNK);
    await db.sql.query(
      `INSERT INTO "Paper" ("id", "studyId", "title", "normalizedTitle", "authors", "stratum")
       SELECT id, $1, 'Synthetic paper ' || id, 'synthetic paper ' || id, '{}'::text[], stratum FROM unnest($2::text[], $3::text[]) AS t(id, stratum)`,
      [options.studyId, chunk.map((p) => p.id), chunk.map((p) => p.stratum)],
    );
    const sampled = chunk.filter((p) => p.sampled);
    if (sampled.length === 0) continue;
    await db.sql.query(
      `INSERT INTO "SampleItem" ("id", "drawId", "paperId", "stratum", "drawIndex")
       SELECT gen_random_uuid()::text, $1, id, stratum, ord::int FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(id, stratum, ord)`,
      [drawId, sampled.map((p) => p.id), sampled.map((p) => p.stratum)],
    );
    for (const [coderIndex, coderId] of options.coderIds.entries()) {
      await db.sql.query(
        `WITH a AS (
           INSERT INTO "Assignment" ("id", "paperId", "coderId", "round", "status")
           SELECT gen_random_uuid()::text, id, $1, 'MAIN', 'DONE' FROM unnest($2::text[]) AS t(id) RETURNING "id", "paperId")
         INSERT INTO "Coding" ("id", "assignmentId", "answers", "codebookVersion", "updatedAt", "submittedAt")
         SELECT gen_random_uuid()::text, a."id", t.answers::jsonb, $4, now(), now() FROM a JOIN unnest($2::text[], $3::text[]) AS t(id, answers) ON t.id = a."paperId"`,
        [coderId, sampled.map((p) => p.id), sampled.map((p) => JSON.stringify(coderIndex === 0 ? p.coder1 : p.coder2)), options.codebookVersion ?? 1],
      );
    }
    const adjudicated = sampled.filter((p) => p.disagree);
    if (adjudicated.length > 0) {
      await db.sql.query(
        `INSERT INTO "FinalCode" ("id", "paperId", "answers", "source", "adjudicatorId", "reason", "updatedAt")
         SELECT gen_random_uuid()::text, id, answers::jsonb, 'ADJUDICATED', $3, 'synthetic: resolved towards coder 1', now() FROM unnest($1::text[], $2::text[]) AS t(id, answers)`,
        [adjudicated.map((p) => p.id), adjudicated.map((p) => JSON.stringify(p.final)), options.adjudicatorId ?? null],
      );
    }
  }
  await db.sql.exec(`ANALYZE "Paper"; ANALYZE "SampleItem"; ANALYZE "Assignment"; ANALYZE "Coding"; ANALYZE "FinalCode";`);
  return papers.filter((p) => p.sampled);
}

const SYNTHETIC_CLASSES = 10;
const SYNTHETIC_IMAGES_PER_CLASS = 100;

/** A test result at one checkpoint: every class at the given accuracy (as near as its 100 images allow). */
function syntheticTest(accuracy: number) {
  const correct = Math.round(accuracy * SYNTHETIC_IMAGES_PER_CLASS);
  return {
    accuracy,
    loss: 1 - accuracy,
    perClass: Array.from({ length: SYNTHETIC_CLASSES }, (_, classIndex) => ({ classIndex, correct, total: SYNTHETIC_IMAGES_PER_CLASS, accuracy: correct / SYNTHETIC_IMAGES_PER_CLASS })),
  };
}

/**
 * An experiment set written through the runner's importer (lib/db/runs.ts), as result lines that pass the
 * result schema, so every reader (the Experiments area, the study overview) sees a real set.
 * @param options.accuracies test accuracy (fraction) per run at the best-loss checkpoint, and at the
 *   best-accuracy checkpoint unless `bestAccuracyAccuracies` gives those.
 * @param options.seconds seconds to the checkpoint per run (both checkpoints).
 */
export async function insertExperimentSet(
  db: Database,
  options: { studyId: string; id: string; preset: string; setting: string; accuracies: number[]; bestAccuracyAccuracies?: number[]; seconds: number[] },
) {
  const runs = options.accuracies.map((accuracy, runIndex) => {
    const seconds = options.seconds[runIndex] ?? 1;
    const checkpoint = (test: number) => ({ epoch: 1, seconds, validationLoss: 1 - test, validationAccuracy: test, test: syntheticTest(test) });
    return runResultSchema.parse({
      schemaVersion: RESULT_SCHEMA_VERSION,
      setId: options.id,
      preset: options.preset,
      setting: options.setting,
      runIndex,
      runCount: options.accuracies.length,
      command: `npm run variance -- run --preset ${options.preset} --setting ${options.setting}`,
      label: "Synthetic test data",
      kind: "run",
      training: { architecture: options.preset, dataset: "synthetic", epochs: 1, batchSize: 32, optimizer: { type: "sgd" }, learningRateSchedule: [], augmentation: null, dropoutRate: 0 },
      seeds: { master: runIndex, init: runIndex, order: runIndex, dropout: runIndex, augmentation: runIndex },
      environment: {
        backend: "cpu",
        tfjsVersion: "synthetic",
        backendThreads: 1,
        simd: false,
        backendDeterministic: true,
        addedKernels: [],
        nodeVersion: "synthetic",
        varstudyVersion: "synthetic",
        gitCommit: null,
        platform: "synthetic",
        arch: "synthetic",
        cpuModel: "synthetic",
        hostname: "synthetic",
      },
      dataset: { name: "synthetic", sha256: "0".repeat(64), trainSize: 1000, validationSize: 100, testSize: SYNTHETIC_CLASSES * SYNTHETIC_IMAGES_PER_CLASS, numClasses: SYNTHETIC_CLASSES },
      parameterCount: 1,
      epochs: [{ epoch: 1, learningRate: 0.01, trainLoss: 1, trainAccuracy: accuracy, validationLoss: 1 - accuracy, validationAccuracy: accuracy, seconds, cumulativeSeconds: seconds }],
      checkpoints: { bestLoss: checkpoint(accuracy), bestAccuracy: checkpoint(options.bestAccuracyAccuracies?.[runIndex] ?? accuracy) },
      initialWeightsSha256: "0".repeat(64),
      finalWeightsSha256: runIndex.toString(16).padStart(64, "0"),
      trainingSeconds: seconds,
      startedAt: new Date(Date.UTC(2026, 0, 1, 0, runIndex)).toISOString(),
      finishedAt: new Date(Date.UTC(2026, 0, 1, 0, runIndex, seconds)).toISOString(),
    });
  });
  await importRunResults(db, COMMAND_LINE_IMPORTER, { runs, studyId: options.studyId, source: "synthetic test data" });
}
