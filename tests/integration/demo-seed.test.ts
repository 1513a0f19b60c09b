/**
 * The quickstart's demo seed (lib/db/seed/demo.ts with demoResponses) in both database modes: the reference
 * questionnaire gets 901 completed and 120 unfinished synthetic responses in one labelled import, the overview
 * computes the reference study's headline from them (755/901 unaware or unsure), and a second seed adds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { seedDemo, DEMO_ADMIN_EMAIL, DEMO_STUDY_SLUG } from "@/lib/db/seed/demo";
import { DEMO_RESPONSES_LABEL } from "@/lib/db/seed/demo-survey";
import { surveyFilterParamsSchema } from "@/lib/db/dashboard/filters";
import { loadStudyResults } from "@/lib/db/dashboard/results";
import { intervalSettingsFrom } from "@/lib/dashboard/intervals";
import { freshDatabase, MODES } from "./database-modes";
import { DEMO_RESULTS_DIR, DEMO_RUNS_LABEL } from "@/lib/db/seed/demo-experiments";
import { getExperimentOverview } from "@/lib/db/experiments";
import { readResultsDirectory } from "@/lib/runner/results-io";

describe.each(MODES)("demo seed with synthetic responses (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let firstReport: string[];

  beforeAll(async () => {
    db = await freshDatabase(mode);
    process.env.VARSTUDY_BCRYPT_COST = "4";
    firstReport = await seedDemo(db, { adminPassword: "demo-password-1", demoResponses: true });
  }, 120_000);
  afterAll(async () => db?.drop());

  const counts = async () => {
    const rows = await db.sql.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM "Response" GROUP BY status ORDER BY status`);
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  };

  it("adds 901 completed and 120 unfinished responses in one labelled import", async () => {
    expect(await counts()).toEqual({ COMPLETED: 901, IN_PROGRESS: 120 });
    const imports = await db.prisma.responseImport.findMany({ include: { _count: { select: { responses: true } } } });
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({ fileName: DEMO_RESPONSES_LABEL, format: "synthetic", rowCount: 1021, _count: { responses: 1021 } });
    expect(firstReport.join("\n")).toMatch(/901 completed and 120 unfinished synthetic responses/);
  });

  it("gives the overview the reference study's headline, computed from the rows", async () => {
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN_EMAIL } });
    const admin: Actor = { id: user.id, role: user.role, canAdjudicate: user.canAdjudicate };
    const results = await loadStudyResults(db, admin, DEMO_STUDY_SLUG, { settings: intervalSettingsFrom({}), filterParams: surveyFilterParamsSchema.parse({}), scope: "overview" });
    const survey = results.survey!;
    expect(survey.funnel).toMatchObject({ started: 1021, completed: 901 });
    const unaware = survey.headlines.find((headline) => headline.questionId === "Q26");
    expect(unaware).toMatchObject({ x: 755, n: 901 });
    expect(unaware!.lower).toBeCloseTo(0.812, 3);
    expect(unaware!.upper).toBeCloseTo(0.861, 3);
  });

  it("imports the shipped real-digit runner results, every set labelled as the demo computed ahead", async () => {
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN_EMAIL } });
    const admin: Actor = { id: user.id, role: user.role, canAdjudicate: user.canAdjudicate };
    const shipped = await readResultsDirectory(DEMO_RESULTS_DIR);
    const study = await db.prisma.study.findUniqueOrThrow({ where: { slug: DEMO_STUDY_SLUG } });
    const { sets } = await getExperimentOverview(db, admin, { studyId: study.id });
    expect(sets.map((set) => set.id).sort()).toEqual([...new Set(shipped.runs.map((run) => run.setId))].sort());
    expect(sets.every((set) => set.label === DEMO_RUNS_LABEL)).toBe(true);
    expect(sets.reduce((sum, set) => sum + set.runs.length, 0)).toBe(shipped.runs.length);
    // The LeNet-1 variance-by-source family (lenet1-sources.jsonl) is imported too; the sets of results.jsonl are
    // LeNet-1, -4 and -5 in both settings, and the two cross-implementation sets (wasm vs cpu; wasm vs native tensorflow).
    const familySetIds = new Set(shipped.runs.filter((run) => run.family).map((run) => run.setId));
    expect(familySetIds.size).toBeGreaterThan(0);
    const resultsSets = sets.filter((set) => !familySetIds.has(set.id));
    const shape = resultsSets.map((set) => `${set.preset} ${set.setting} ${set.runs.length}`).sort();
    expect(shape).toEqual(
      [
        "lenet1-digits cross-implementation 5",
        "lenet1-digits cross-implementation 4",
        "lenet1-digits default 16",
        "lenet1-digits fixed-seed 4",
        "lenet4-digits default 16",
        "lenet4-digits fixed-seed 4",
        "lenet5-digits default 16",
        "lenet5-digits fixed-seed 4",
      ].sort(),
    );
    for (const network of ["lenet1-digits", "lenet4-digits", "lenet5-digits"]) {
      const of = (setting: string) => resultsSets.find((set) => set.preset === network && set.setting === setting)!.summary!;
      // Realistic accuracy: far above chance, as LeNets reach on 8,000 real digits.
      expect(of("default").criteria.bestLoss.accuracy.mean).toBeGreaterThan(95);
      // The study's contrast, visible: default runs spread, fixed-seed runs on one implementation do not.
      expect(of("default").largest.overallDiff).toBeGreaterThan(1);
      expect(of("fixed-seed").largest.overallDiff).toBe(0);
    }
  });

  it("adds nothing when run again", async () => {
    const report = await seedDemo(db, { adminPassword: "demo-password-2", demoResponses: true });
    expect(report.join("\n")).toMatch(/synthetic demo responses already present \(1021\)/);
    expect(await counts()).toEqual({ COMPLETED: 901, IN_PROGRESS: 120 });
  });
});
