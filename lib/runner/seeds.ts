import { randomInt as cryptoRandomInt } from "node:crypto";
import { z } from "zod";
import { deriveSeed } from "../stats/random";

/**
 * default: fresh randomness per run; fixed-seed: every algorithmic seed fixed; cross-implementation: fixed
 * seeds as well, each run on one of several implementations (backend, threads, oneDNN).
 */
export const settingSchema = z.enum(["default", "fixed-seed", "cross-implementation"]);
export type Setting = z.infer<typeof settingSchema>;

/** Every seed a run uses; all are recorded so any run's algorithmic randomness can be replayed. */
export const runSeedsSchema = z.object({
  master: z.number().int().nonnegative(),
  init: z.number().int().nonnegative(),
  order: z.number().int().nonnegative(),
  dropout: z.number().int().nonnegative(),
  augmentation: z.number().int().nonnegative(),
});
export type RunSeeds = z.infer<typeof runSeedsSchema>;

/**
 * Derives the four per-source seeds from one master seed. They do not depend on the run index: in the
 * fixed-seed setting every run of a set must start from exactly the same algorithmic randomness.
 */
export function deriveRunSeeds(master: number): RunSeeds {
  return {
    master,
    init: deriveSeed(master, "init"),
    order: deriveSeed(master, "order"),
    dropout: deriveSeed(master, "dropout"),
    augmentation: deriveSeed(master, "augmentation"),
  };
}

/**
 * Chooses a run's seeds for a setting.
 * - fixed-seed and cross-implementation: derived from the set's master seed, identical for every run.
 * - default: a fresh master seed from the operating system's CSPRNG for every call, so runs differ as
 *   they would with nothing controlled, yet the seeds actually used are still recorded.
 * @param setting the set's setting.
 * @param masterSeed the set's master seed (used only for fixed-seed).
 */
export function chooseRunSeeds(setting: Setting, masterSeed: number): RunSeeds {
  if (setting !== "default") return deriveRunSeeds(masterSeed);
  return deriveRunSeeds(cryptoRandomInt(0, 2 ** 32 - 1));
}
