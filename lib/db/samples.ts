/**
 * The sample of a study's paper population and who codes it: a seeded simple or stratified draw (recorded
 * with its seed, design and population fingerprint, so it can be reproduced), extending it later without
 * redrawing, a calibration subset every coder codes first, and balanced assignment of each main-round
 * paper to k different coders.
 */
import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { assignCoders, pickCalibrationPapers } from "@/lib/coding/assignment";
import { drawSample, extendSample, populationFingerprint, type SampleDesign, type SamplingUnit } from "@/lib/coding/sampling";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

export type SampleOverview = {
  population: { stratumId: string; size: number }[];
  populationFingerprint: string;
  draw: null | {
    id: string;
    seed: number;
    design: SampleDesign;
    recordedFingerprint: string;
    /** The population changed since the draw (papers imported or re-sorted): the draw is reproducible from the recorded snapshot only. */
    populationChanged: boolean;
    createdAt: Date;
    perStratum: { stratumId: string; sampled: number; calibration: number; assigned: number }[];
    total: number;
    unassigned: number;
  };
  coders: { id: string; name: string; email: string; role: string }[];
  progress: { coderId: string; name: string; round: "CALIBRATION" | "MAIN"; total: number; done: number; skipped: number }[];
};

async function populationUnits(db: Pick<Database["prisma"], "paper">, studyId: string): Promise<SamplingUnit[]> {
  const papers = await db.paper.findMany({ where: { studyId, stratum: { not: null } }, select: { id: true, stratum: true } });
  return papers.map((paper) => ({ key: paper.id, stratumId: paper.stratum! }));
}

/**
 * Everything the sample page shows: population sizes, the recorded draw, coders and coding progress.
 * @throws AppError FORBIDDEN without papers.manage.
 */
export async function getSampleOverview(db: Database, actor: Actor, studyId: string): Promise<SampleOverview> {
  assertCan(actor, "papers.manage");
  const units = await populationUnits(db.prisma, studyId);
  const sizes = new Map<string, number>();
  for (const unit of units) sizes.set(unit.stratumId, (sizes.get(unit.stratumId) ?? 0) + 1);
  const draw = await db.prisma.sampleDraw.findFirst({
    where: { studyId },
    orderBy: { createdAt: "asc" },
    include: { items: { select: { stratum: true, round: true, paper: { select: { _count: { select: { assignments: true } } } } } } },
  });
  const coders = await db.prisma.user.findMany({ where: { isActive: true }, select: { id: true, name: true, email: true, role: true }, orderBy: { email: "asc" } });
  const fingerprint = populationFingerprint(units);
  let drawView: SampleOverview["draw"] = null;
  if (draw) {
    const perStratum = new Map<string, { stratumId: string; sampled: number; calibration: number; assigned: number }>();
    for (const item of draw.items) {
      const stratumId = item.stratum ?? "(none)";
      const entry = perStratum.get(stratumId) ?? { stratumId, sampled: 0, calibration: 0, assigned: 0 };
      entry.sampled++;
      if (item.round === "CALIBRATION") entry.calibration++;
      if (item.paper._count.assignments > 0) entry.assigned++;
      perStratum.set(stratumId, entry);
    }
    drawView = {
      id: draw.id,
      seed: draw.seed,
      design: draw.design as unknown as SampleDesign,
      recordedFingerprint: draw.populationSnapshot,
      populationChanged: draw.populationSnapshot !== fingerprint,
      createdAt: draw.createdAt,
      perStratum: [...perStratum.values()].sort((a, b) => a.stratumId.localeCompare(b.stratumId)),
      total: draw.items.length,
      unassigned: draw.items.filter((item) => item.paper._count.assignments === 0).length,
    };
  }
  const grouped = await db.prisma.assignment.groupBy({ by: ["coderId", "round", "status"], where: { paper: { studyId } }, _count: { _all: true } });
  const names = new Map(coders.map((coder) => [coder.id, coder.name]));
  const progress = new Map<string, SampleOverview["progress"][number]>();
  for (const row of grouped) {
    const key = `${row.coderId}\u0000${row.round}`;
    const entry = progress.get(key) ?? { coderId: row.coderId, name: names.get(row.coderId) ?? "(deactivated user)", round: row.round, total: 0, done: 0, skipped: 0 };
    entry.total += row._count._all;
    if (row.status === "DONE") entry.done += row._count._all;
    if (row.status === "SKIPPED") entry.skipped += row._count._all;
    progress.set(key, entry);
  }
  return {
    population: [...sizes].map(([stratumId, size]) => ({ stratumId, size })).sort((a, b) => a.stratumId.localeCompare(b.stratumId)),
    populationFingerprint: fingerprint,
    draw: drawView,
    coders,
    progress: [...progress.values()].sort((a, b) => a.round.localeCompare(b.round) || a.name.localeCompare(b.name)),
  };
}

/**
 * Draws the study's sample from the current population and records seed, design and population fingerprint.
 * A study has one sample; to make it larger, extend it.
 * @throws AppError CONFLICT when a sample exists, INVALID_INPUT for a design the population cannot satisfy.
 */
export async function drawStudySample(db: Database, actor: Actor, input: { studyId: string; design: SampleDesign; seed: number }): Promise<{ drawId: string; size: number }> {
  assertCan(actor, "papers.manage");
  return db.prisma.$transaction(
    async (tx) => {
      if (await tx.sampleDraw.findFirst({ where: { studyId: input.studyId } })) {
        throw new AppError("CONFLICT", "This study already has a sample. Extend it instead of drawing again, so coded papers stay in it.");
      }
      const units = await populationUnits(tx, input.studyId);
      if (units.length === 0) throw new AppError("INVALID_INPUT", "The population is empty: import papers and check the strata first.");
      const result = drawSample(units, input.design, input.seed);
      if (!result.ok) throw new AppError("INVALID_INPUT", `Cannot draw this sample: ${result.error}.`);
      const draw = await tx.sampleDraw.create({
        data: {
          studyId: input.studyId,
          seed: input.seed,
          design: input.design as unknown as Prisma.InputJsonValue,
          populationSnapshot: result.draw.populationFingerprint,
          createdById: actor.id,
        },
      });
      await tx.sampleItem.createMany({ data: result.draw.papers.map((paper) => ({ drawId: draw.id, paperId: paper.key, stratum: paper.stratumId, drawIndex: paper.drawIndex })) });
      await recordAudit(tx, actor, "sample.draw", input.studyId, { seed: input.seed, design: input.design as unknown as Prisma.InputJsonValue, size: result.draw.papers.length });
      return { drawId: draw.id, size: result.draw.papers.length };
    },
    { timeout: 60_000 },
  );
}

/**
 * Adds papers to the sample without redrawing: the next papers of each stratum's seeded order. The record's
 * design is updated to the sizes now in force, so drawing it from scratch gives the same sample.
 * @param input.additional a total (simple design) or a number per stratum id.
 * @returns how many papers were added.
 */
export async function extendStudySample(
  db: Database,
  actor: Actor,
  input: { studyId: string; additional: number | Record<string, number> },
): Promise<{ added: number }> {
  assertCan(actor, "papers.manage");
  return db.prisma.$transaction(
    async (tx) => {
      const draw = await tx.sampleDraw.findFirst({ where: { studyId: input.studyId }, include: { items: true } });
      if (!draw) throw new AppError("NOT_FOUND", "This study has no sample yet; draw one first.");
      const units = await populationUnits(tx, input.studyId);
      const previous = {
        seed: draw.seed,
        design: draw.design as unknown as SampleDesign,
        populationFingerprint: draw.populationSnapshot,
        papers: draw.items.map((item) => ({ key: item.paperId, stratumId: item.stratum ?? "", drawIndex: item.drawIndex })),
        strata: [],
      };
      const result = extendSample(units, previous, input.additional);
      if (!result.ok) throw new AppError("INVALID_INPUT", `Cannot extend the sample: ${result.error}.`);
      const known = new Set(draw.items.map((item) => item.paperId));
      const added = result.draw.papers.filter((paper) => !known.has(paper.key));
      await tx.sampleItem.createMany({ data: added.map((paper) => ({ drawId: draw.id, paperId: paper.key, stratum: paper.stratumId, drawIndex: paper.drawIndex })) });
      await tx.sampleDraw.update({
        where: { id: draw.id },
        data: { design: result.draw.design as unknown as Prisma.InputJsonValue, populationSnapshot: result.draw.populationFingerprint },
      });
      await recordAudit(tx, actor, "sample.extend", input.studyId, { added: added.length, design: result.draw.design as unknown as Prisma.InputJsonValue });
      return { added: added.length };
    },
    { timeout: 60_000 },
  );
}

/**
 * Assigns the sample's unassigned papers to coders. The first assignment may set a calibration subset
 * (seeded pick) that every chosen coder codes before the main round; the rest go to k different coders each,
 * loads balanced with what coders already have (so papers added by extending the sample spread evenly).
 * @throws AppError INVALID_INPUT for too few coders, k out of range, inactive coders, or nothing to assign;
 *   CONFLICT for a calibration subset when calibration was already set up.
 */
export async function assignSampleCoders(
  db: Database,
  actor: Actor,
  input: { studyId: string; coderIds: string[]; codersPerPaper: number; calibrationSize: number; seed: number },
): Promise<{ calibration: number; main: number; assignments: number }> {
  assertCan(actor, "papers.manage");
  return db.prisma.$transaction(
    async (tx) => {
      const draw = await tx.sampleDraw.findFirst({ where: { studyId: input.studyId }, include: { items: { include: { paper: { select: { _count: { select: { assignments: true } } } } } } } });
      if (!draw) throw new AppError("NOT_FOUND", "Draw a sample before assigning coders.");
      const coders = await tx.user.findMany({ where: { id: { in: input.coderIds }, isActive: true }, select: { id: true } });
      if (coders.length !== new Set(input.coderIds).size) throw new AppError("INVALID_INPUT", "Some chosen coders do not exist or are deactivated.");
      const unassigned = draw.items.filter((item) => item.paper._count.assignments === 0);
      if (unassigned.length === 0) throw new AppError("INVALID_INPUT", "Every sampled paper is assigned already. Extend the sample to add papers.");
      const hasCalibration = draw.items.some((item) => item.round === "CALIBRATION");
      if (input.calibrationSize > 0 && hasCalibration) throw new AppError("CONFLICT", "The calibration round is set up already; assign the new papers with a calibration size of 0.");
      if (input.calibrationSize > unassigned.length) throw new AppError("INVALID_INPUT", `The calibration subset cannot be larger than the ${unassigned.length} unassigned papers.`);
      const calibrationKeys = input.calibrationSize > 0 ? pickCalibrationPapers(unassigned.map((item) => item.paperId), input.calibrationSize, input.seed) : [];
      const calibrationSet = new Set(calibrationKeys);
      const existing = await tx.assignment.groupBy({ by: ["coderId"], where: { paper: { studyId: input.studyId }, round: "MAIN" }, _count: { _all: true } });
      const result = assignCoders({
        paperKeys: unassigned.filter((item) => !calibrationSet.has(item.paperId)).map((item) => item.paperId),
        calibrationPaperKeys: calibrationKeys,
        coderIds: input.coderIds,
        codersPerPaper: input.codersPerPaper,
        seed: input.seed,
        existingLoad: Object.fromEntries(existing.map((row) => [row.coderId, row._count._all])),
      });
      if (!result.ok) throw new AppError("INVALID_INPUT", `Cannot assign: ${result.error}.`);
      if (calibrationKeys.length > 0) await tx.sampleItem.updateMany({ where: { drawId: draw.id, paperId: { in: calibrationKeys } }, data: { round: "CALIBRATION" } });
      await tx.assignment.createMany({
        data: result.assignments.map((assignment) => ({ paperId: assignment.paperKey, coderId: assignment.coderId, round: assignment.round === "calibration" ? "CALIBRATION" : "MAIN" })),
      });
      await recordAudit(tx, actor, "coding.assign", input.studyId, {
        coders: input.coderIds.length,
        codersPerPaper: input.codersPerPaper,
        calibration: calibrationKeys.length,
        seed: input.seed,
        assignments: result.assignments.length,
      });
      return { calibration: calibrationKeys.length, main: unassigned.length - calibrationKeys.length, assignments: result.assignments.length };
    },
    { timeout: 60_000 },
  );
}
