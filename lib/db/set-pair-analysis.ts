/**
 * The Analysis of a pair of sets for the Experiments area: both sets must belong to the study the page is
 * showing; a set of another study is "not found", never analysed beside this study's.
 */
import type { Database } from "./engine/connection";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { pairAnalysisMethods } from "@/lib/dashboard/methods";
import type { SelectionCriterion } from "@/lib/runner/analysis";
import { analyzePair, type PairAnalysis, type PlannerInputs } from "@/lib/runner/pair-analysis";
import { runResultSchema, type RunResult } from "@/lib/runner/result-schema";

export type PairSetInfo = { id: string; preset: string; setting: string; label: string | null };

export type SetPairAnalysisView = { a: PairSetInfo; b: PairSetInfo; analysis: PairAnalysis; methods: string };

/**
 * Loads sets `a` and `b` of one study and analyses them.
 * @throws AppError NOT_FOUND when either set does not exist in that study (or has no runs);
 *   INVALID_INPUT when a and b are the same set.
 */
export async function getSetPairAnalysis(
  db: Database,
  actor: Actor,
  input: { studyId: string; a: string; b: string; criterion: SelectionCriterion; planner: PlannerInputs },
): Promise<SetPairAnalysisView> {
  assertCan(actor, "experiments.read");
  if (input.a === input.b) throw new AppError("INVALID_INPUT", "Choose two different sets to compare.");
  const stored = await db.prisma.experimentSet.findMany({
    where: { id: { in: [input.a, input.b] }, studyId: input.studyId },
    select: { id: true, preset: true, setting: true, runs: { select: { result: true } } },
  });
  const load = (id: string): { info: PairSetInfo; runs: RunResult[] } => {
    const set = stored.find((candidate) => candidate.id === id);
    if (!set || set.runs.length === 0) throw new AppError("NOT_FOUND", `There is no experiment set ${id} in this study.`);
    const runs = set.runs
      .map((row, index) => {
        const parsed = runResultSchema.safeParse(row.result);
        if (!parsed.success) throw new Error(`stored run ${index} of set ${set.id} no longer matches the result schema`);
        return parsed.data;
      })
      .sort((x, y) => x.runIndex - y.runIndex);
    return { info: { id: set.id, preset: set.preset, setting: set.setting, label: runs[0]?.label ?? null }, runs };
  };
  const a = load(input.a);
  const b = load(input.b);
  const analysis = analyzePair(a.runs, b.runs, { criterion: input.criterion, planner: input.planner });
  return { a: a.info, b: b.info, analysis, methods: pairAnalysisMethods(analysis) };
}

/** The sets of one study, for choosing a pair (id order within preset and setting). */
export async function listStudySets(db: Database, actor: Actor, studyId: string): Promise<Array<{ id: string; preset: string; setting: string }>> {
  assertCan(actor, "experiments.read");
  return db.prisma.experimentSet.findMany({ where: { studyId }, select: { id: true, preset: true, setting: true }, orderBy: [{ preset: "asc" }, { setting: "asc" }, { id: "asc" }] });
}
