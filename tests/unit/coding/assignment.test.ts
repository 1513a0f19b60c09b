import { describe, expect, it } from "vitest";
import { assignCoders, pickCalibrationPapers, type CoderAssignment } from "@/lib/coding/assignment";

const papers = Array.from({ length: 45 }, (_, index) => `p${index}`);
const mustAssign = (result: ReturnType<typeof assignCoders>): CoderAssignment[] => {
  if (!result.ok) throw new Error(result.error);
  return result.assignments;
};

describe("assignCoders", () => {
  it("gives every main-round paper k different coders and balances load within one paper", () => {
    const coders = ["ana", "ben", "chen", "dara"];
    const result = assignCoders({ paperKeys: papers, coderIds: coders, codersPerPaper: 2, seed: 1 });
    const assignments = mustAssign(result);
    for (const paper of papers) {
      const coderIds = assignments.filter((assignment) => assignment.paperKey === paper).map((assignment) => assignment.coderId);
      expect(coderIds).toHaveLength(2);
      expect(new Set(coderIds).size).toBe(2);
    }
    const loads = coders.map((coder) => assignments.filter((assignment) => assignment.coderId === coder).length);
    expect(loads.reduce((sum, load) => sum + load, 0)).toBe(90);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    if (result.ok) expect(result.loadByCoder).toEqual(Object.fromEntries(coders.map((coder, index) => [coder, loads[index]])));
  });

  it("spreads pairs so every pair of coders shares papers", () => {
    const coders = ["a", "b", "c", "d"];
    const assignments = mustAssign(assignCoders({ paperKeys: papers, coderIds: coders, codersPerPaper: 2, seed: 3 }));
    const pairCounts = new Map<string, number>();
    for (const paper of papers) {
      const pair = assignments.filter((assignment) => assignment.paperKey === paper).map((assignment) => assignment.coderId).sort().join("-");
      pairCounts.set(pair, (pairCounts.get(pair) ?? 0) + 1);
    }
    expect(pairCounts.size).toBe(6);
    expect(Math.min(...pairCounts.values())).toBeGreaterThanOrEqual(5);
  });

  it("gives calibration papers to every coder, then the main round, and is deterministic from the seed", () => {
    const options = { paperKeys: papers.slice(5), coderIds: ["x", "y", "z"], codersPerPaper: 2, calibrationPaperKeys: papers.slice(0, 5), seed: 42 };
    const assignments = mustAssign(assignCoders(options));
    const calibration = assignments.filter((assignment) => assignment.round === "calibration");
    expect(calibration).toHaveLength(15);
    expect(assignments.slice(0, 15)).toEqual(calibration);
    expect(mustAssign(assignCoders(options))).toEqual(assignments);
    expect(mustAssign(assignCoders({ ...options, seed: 43 }))).not.toEqual(assignments);
  });

  it("counts existing load so papers added later go to the coders with fewer papers", () => {
    const assignments = mustAssign(
      assignCoders({ paperKeys: ["n1", "n2"], coderIds: ["a", "b", "c"], codersPerPaper: 2, seed: 1, existingLoad: { a: 10, b: 5, c: 5 } }),
    );
    expect(assignments.filter((assignment) => assignment.coderId === "a")).toHaveLength(0);
  });

  it("refuses impossible assignments", () => {
    expect(assignCoders({ paperKeys: papers, coderIds: ["a"], codersPerPaper: 2, seed: 1 })).toMatchObject({ ok: false });
    expect(assignCoders({ paperKeys: papers, coderIds: ["a", "a"], codersPerPaper: 2, seed: 1 })).toEqual({ ok: false, error: 'coder "a" is listed twice' });
    expect(assignCoders({ paperKeys: ["p"], calibrationPaperKeys: ["p"], coderIds: ["a", "b"], codersPerPaper: 2, seed: 1 }).ok).toBe(false);
    expect(assignCoders({ paperKeys: ["p"], coderIds: ["a", "b"], codersPerPaper: 1, seed: 1 }).ok).toBe(false);
  });
});

describe("pickCalibrationPapers", () => {
  it("picks a reproducible subset independent of input order", () => {
    const picked = pickCalibrationPapers(papers, 5, 9);
    expect(picked).toHaveLength(5);
    expect(pickCalibrationPapers([...papers].reverse(), 5, 9)).toEqual(picked);
    expect(() => pickCalibrationPapers(papers, 46, 9)).toThrow(RangeError);
  });
});
