import type { Database } from "./engine/connection";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { runResultSchema, type RunResult } from "@/lib/runner/result-schema";
import { decomposeFamily, familiesIn, type FamilyDecomposition } from "@/lib/runner/source-family";

/**
 * The variance-by-source families of one study, decomposed by lib/runner/source-family.ts (the same function the
 * CLI's `summarize` prints). Only the study's own sets are read: a family's default or control set filed under
 * another study counts as missing here, never borrowed.
 */
export async function getSourceFamilies(db: Database, actor: Actor, input: { studyId: string }): Promise<FamilyDecomposition[]> {
  assertCan(actor, "experiments.read");
  const stored = await db.prisma.experimentSet.findMany({ where: { studyId: input.studyId }, include: { runs: { select: { result: true } } } });
  const runs: RunResult[] = stored.flatMap((set) =>
    set.runs.map((row, index) => {
      const parsed = runResultSchema.safeParse(row.result);
      if (!parsed.success) throw new Error(`stored run ${index} of set ${set.id} no longer matches the result schema`);
      return parsed.data;
    }),
  );
  return [...familiesIn(runs).values()].map((family) => decomposeFamily(family)).sort((a, b) => (a.familyId < b.familyId ? -1 : 1));
}
