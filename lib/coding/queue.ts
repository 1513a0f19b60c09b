/**
 * An annotator's work queue and what they may see. Blind coding means a coder sees only their own
 * codes until the paper is opened for adjudication; these pure rules are what the data layer applies
 * to every read (lib/db filters rows with them, the page only renders what it was given).
 */
import type { AssignmentRound } from "./assignment";
import type { PaperCoding } from "./conflicts";

export type QueueAssignment = { paperKey: string; round: AssignmentRound };
export type CodingProgress = { paperKey: string; isComplete: boolean; isSkipped: boolean };

export type CoderQueue = {
  /** Papers still to code, in working order: calibration first, then main; skipped papers last. */
  remaining: { paperKey: string; round: AssignmentRound; isSkipped: boolean; hasDraft: boolean }[];
  /** The paper to show next (first of remaining), or null when done. */
  next: string | null;
  progress: { done: number; total: number; calibrationDone: number; calibrationTotal: number };
  /** True while calibration papers remain: the main round waits for calibration to finish. */
  isInCalibration: boolean;
};

/**
 * Builds a coder's queue from their assignments (in assignment order) and their saved codings.
 * Skipped-for-later papers move to the end but stay in the queue until complete.
 * @param assignments this coder's assignments only.
 * @param progress this coder's saved codings (drafts and complete ones).
 */
export function buildCoderQueue(assignments: readonly QueueAssignment[], progress: readonly CodingProgress[]): CoderQueue {
  const state = new Map(progress.map((item) => [item.paperKey, item]));
  const ordered = [...assignments.filter((item) => item.round === "calibration"), ...assignments.filter((item) => item.round === "main")];
  const open = ordered
    .filter((item) => !state.get(item.paperKey)?.isComplete)
    .map((item) => ({ paperKey: item.paperKey, round: item.round, isSkipped: state.get(item.paperKey)?.isSkipped ?? false, hasDraft: state.has(item.paperKey) }));
  const calibrationOpen = open.filter((item) => item.round === "calibration");
  // Calibration is finished before the main round starts, so its agreement is measured on untrained codes.
  const workable = calibrationOpen.length > 0 ? calibrationOpen : open;
  const remaining = [...workable.filter((item) => !item.isSkipped), ...workable.filter((item) => item.isSkipped)];
  const calibrationTotal = ordered.filter((item) => item.round === "calibration").length;
  return {
    remaining,
    next: remaining[0]?.paperKey ?? null,
    progress: {
      done: ordered.length - open.length,
      total: ordered.length,
      calibrationDone: calibrationTotal - calibrationOpen.length,
      calibrationTotal,
    },
    isInCalibration: calibrationOpen.length > 0,
  };
}

export type CodingViewer = { userId: string; canAdjudicate: boolean };

/**
 * The codings a viewer may read for a paper: a coder sees only their own; an adjudicator sees all
 * codings of a paper once it is open for adjudication (both coders finished), never before, so that
 * an adjudicator who also codes stays blind on papers still being coded.
 * @param codings all codings of the paper.
 * @param isOpenForAdjudication whether every assigned coder has completed the paper.
 */
export function visibleCodings<T extends Pick<PaperCoding, "coderId">>(viewer: CodingViewer, codings: readonly T[], isOpenForAdjudication: boolean): T[] {
  if (viewer.canAdjudicate && isOpenForAdjudication) return [...codings];
  return codings.filter((coding) => coding.coderId === viewer.userId);
}
