/**
 * Who codes which paper. Every paper of the main round goes to k different coders; loads are balanced
 * (no coder has more than one paper more than another, counting papers already assigned) and, among
 * equally loaded coders, pairs that have shared fewer papers are preferred, so that every pair has
 * enough papers in common for a pairwise kappa. A calibration round, coded before the main round, gives
 * a shared subset to every coder. Deterministic from the seed.
 */
import { createRng, deriveSeed, shuffled } from "@/lib/stats/random";

export type AssignmentRound = "calibration" | "main";
export type CoderAssignment = { paperKey: string; coderId: string; round: AssignmentRound };

export type AssignmentOptions = {
  /** Papers of the main round (the sample, less the calibration papers). */
  paperKeys: readonly string[];
  coderIds: readonly string[];
  /** Coders per main-round paper, 2 ≤ k ≤ number of coders. */
  codersPerPaper: number;
  /** Papers every coder codes first, to calibrate; they must not also be in paperKeys. */
  calibrationPaperKeys?: readonly string[];
  seed: number;
  /** Main-round papers each coder already has (when papers are added to a running survey). */
  existingLoad?: Readonly<Record<string, number>>;
};

export type AssignmentResult =
  | { ok: true; assignments: CoderAssignment[]; loadByCoder: Record<string, number> }
  | { ok: false; error: string };

/**
 * Assigns papers to coders.
 * @returns assignments (calibration first, then main round in a seeded random order) and the main-round
 *   load per coder including existingLoad; or an error for too few coders, repeated ids, k out of range,
 *   or a paper in both rounds.
 */
export function assignCoders(options: AssignmentOptions): AssignmentResult {
  const { paperKeys, coderIds, codersPerPaper, calibrationPaperKeys = [], seed, existingLoad = {} } = options;
  if (!Number.isInteger(seed)) return { ok: false, error: `the seed must be a whole number, got ${seed}` };
  const repeatedCoder = coderIds.find((id, index) => coderIds.indexOf(id) !== index);
  if (repeatedCoder) return { ok: false, error: `coder "${repeatedCoder}" is listed twice` };
  if (!Number.isInteger(codersPerPaper) || codersPerPaper < 2) return { ok: false, error: `coders per paper must be a whole number ≥ 2, got ${codersPerPaper}` };
  if (codersPerPaper > coderIds.length) {
    return { ok: false, error: `${codersPerPaper} coders per paper need at least ${codersPerPaper} coders; there are ${coderIds.length}` };
  }
  const allPapers = [...calibrationPaperKeys, ...paperKeys];
  const repeatedPaper = allPapers.find((key, index) => allPapers.indexOf(key) !== index);
  if (repeatedPaper) return { ok: false, error: `paper "${repeatedPaper}" is listed twice (or in both rounds)` };

  const assignments: CoderAssignment[] = [];
  for (const paperKey of calibrationPaperKeys) {
    for (const coderId of coderIds) assignments.push({ paperKey, coderId, round: "calibration" });
  }

  const load = new Map(coderIds.map((id) => [id, existingLoad[id] ?? 0]));
  const shared = new Map<string, number>();
  const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  const rng = createRng(deriveSeed(seed, "assignment"));
  // Random paper order, so which papers end up with which pair carries no pattern from the input order.
  for (const paperKey of shuffled(paperKeys, rng)) {
    const chosen: string[] = [];
    // A fresh random coder order per paper breaks ties without favouring the first-listed coder.
    const candidates = shuffled(coderIds, rng);
    while (chosen.length < codersPerPaper) {
      let best: string | undefined;
      let bestScore: [number, number] = [Infinity, Infinity];
      for (const coderId of candidates) {
        if (chosen.includes(coderId)) continue;
        const overlap = chosen.reduce((sum, other) => sum + (shared.get(pairKey(coderId, other)) ?? 0), 0);
        const score: [number, number] = [load.get(coderId)!, overlap];
        if (score[0] < bestScore[0] || (score[0] === bestScore[0] && score[1] < bestScore[1])) {
          best = coderId;
          bestScore = score;
        }
      }
      chosen.push(best!);
    }
    for (const coderId of chosen) {
      load.set(coderId, load.get(coderId)! + 1);
      assignments.push({ paperKey, coderId, round: "main" });
    }
    for (let i = 0; i < chosen.length; i++) {
      for (let j = i + 1; j < chosen.length; j++) {
        const key = pairKey(chosen[i]!, chosen[j]!);
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }
  return { ok: true, assignments, loadByCoder: Object.fromEntries(load) };
}

/**
 * Picks a calibration subset from a sample: n papers in a seeded random order, so the subset is
 * reproducible and not biased toward the start of an import.
 * @param n 0 ≤ n ≤ number of papers.
 * @throws RangeError for n out of range or a non-integer seed.
 */
export function pickCalibrationPapers(paperKeys: readonly string[], n: number, seed: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n > paperKeys.length) {
    throw new RangeError(`calibration size must be a whole number between 0 and ${paperKeys.length}, got ${n}`);
  }
  const sorted = [...paperKeys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return shuffled(sorted, createRng(deriveSeed(seed, "calibration"))).slice(0, n);
}
