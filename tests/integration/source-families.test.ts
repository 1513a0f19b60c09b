/**
 * A variance-by-source family through the app's storage: importing keeps every test image's prediction (the
 * field the disagreement statistic reads), the Experiments area decomposes a study's family with the same
 * function the CLI prints, and a family never shows in, nor borrows sets from, another study.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { moveExperimentSet } from "@/lib/db/experiment-studies";
import { exportExperimentSetLines } from "@/lib/db/experiments";
import { importResultsUpload, importRunResults } from "@/lib/db/runs";
import { getSourceFamilies } from "@/lib/db/source-families";
import { runResultSchema, type RunResult } from "@/lib/runner/result-schema";
import { readResultsDirectory } from "@/lib/runner/results-io";
import { decomposeFamily, familiesIn } from "@/lib/runner/source-family";
import { firstAdmin } from "./accounts";
import { freshDatabase, MODES } from "./database-modes";

process.env.VARSTUDY_BCRYPT_COST = "4";
const FIXTURE = path.join(import.meta.dirname, "../fixtures/runner/lenet1-quick-family");

describe.each(MODES)("source families in the app (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Actor;
  let alpha: { id: string; slug: string };
  let beta: { id: string; slug: string };
  let runs: RunResult[];

  beforeAll(async () => {
    db = await freshDatabase(mode);
    admin = await firstAdmin(db);
    alpha = await db.prisma.study.create({ data: { slug: "alpha", name: "Alpha" }, select: { id: true, slug: true } });
    beta = await db.prisma.study.create({ data: { slug: "beta", name: "Beta" }, select: { id: true, slug: true } });
    runs = (await readResultsDirectory(FIXTURE)).runs;
    expect(runs.every((run) => run.checkpoints.bestLoss.test.predictions?.length === run.dataset.testSize)).toBe(true);
  });
  afterAll(async () => db.drop());

  it("an uploaded family keeps every prediction, in order, in storage and in the export", async () => {
    const text = runs.map((run) => JSON.stringify(run)).join("\n");
    const upload = await importResultsUpload(db, admin, { text, fileName: "results.jsonl", importValidDespiteErrors: false, studyId: alpha.id });
    expect(upload.ok).toBe(true);
    const stored = await db.prisma.experimentRun.findMany({ select: { setId: true, runIndex: true, result: true } });
    expect(stored).toHaveLength(runs.length);
    for (const row of stored) {
      const original = runs.find((run) => run.setId === row.setId && run.runIndex === row.runIndex)!;
      const parsed = runResultSchema.parse(row.result);
      expect(parsed.checkpoints.bestLoss.test.predictions).toEqual(original.checkpoints.bestLoss.test.predictions);
      expect(parsed.checkpoints.bestAccuracy.test.predictions).toEqual(original.checkpoints.bestAccuracy.test.predictions);
      expect(parsed.family).toEqual(original.family);
      expect(parsed.oneBitFlip).toEqual(original.oneBitFlip);
    }
    const oneSet = runs[0]!.setId;
    const exported = (await exportExperimentSetLines(db, admin, { setId: oneSet })).trim().split("\n").map((line) => runResultSchema.parse(JSON.parse(line)));
    expect(exported.map((run) => run.checkpoints.bestLoss.test.predictions)).toEqual(
      runs.filter((run) => run.setId === oneSet).sort((a, b) => a.runIndex - b.runIndex).map((run) => run.checkpoints.bestLoss.test.predictions),
    );
  });

  it("the study's family is decomposed exactly as the CLI does it; the other study shows none", async () => {
    const families = await getSourceFamilies(db, admin, { studyId: alpha.id });
    expect(families).toHaveLength(1);
    const direct = decomposeFamily([...familiesIn(runs).values()][0]!);
    expect(families[0]).toEqual(direct);
    expect(await getSourceFamilies(db, admin, { studyId: beta.id })).toEqual([]);
    const annotator: Actor = { id: "nobody", role: "ANNOTATOR", canAdjudicate: false };
    await expect(getSourceFamilies(db, annotator, { studyId: alpha.id })).rejects.toThrow();
  });

  it("a family's default set moved to another study is missing from the family, not borrowed across studies", async () => {
    const defaultSetId = runs.find((run) => run.setting === "default")!.setId;
    await moveExperimentSet(db, admin, { setId: defaultSetId, studySlug: beta.slug, reason: "test" });
    const [family] = await getSourceFamilies(db, admin, { studyId: alpha.id });
    expect(family!.rows.find((row) => row.source === "all")).toMatchObject({ status: "missing", setId: null });
    expect(family!.rows.every((row) => row.share === null)).toBe(true);
    // Beta holds only the default set, which carries the family mark: a family with one set, still only beta's own.
    const betaFamilies = await getSourceFamilies(db, admin, { studyId: beta.id });
    for (const other of betaFamilies) expect(other.rows.filter((row) => row.setId !== null).map((row) => row.setId)).toEqual([defaultSetId]);
    // Importing the same runs again into alpha changes nothing and never pulls the moved set back.
    await expect(importRunResults(db, admin, { runs: runs.filter((run) => run.setId !== defaultSetId), studyId: alpha.id })).resolves.toMatchObject({ imported: 0 });
  });
});
