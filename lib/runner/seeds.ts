import { randomInt as cryptoRandomInt } from "node:crypto";
import { z } from "zod";
import { deriveSeed } from "../stats/random";
import { RUN_SETTINGS, SOURCE_SETTINGS } from "./result-schema";

export { SOURCE_SETTINGS };

/**
 * default: fresh randomness per run; fixed-seed: every algorithmic seed fixed; cross-implementation: fixed
 * seeds as well, each run on one of several implementations (backend, threads, oneDNN).
 * The source settings of a variance-by-source family (lib/runner/source-family.ts) hold every seed at the
 * fixed-seed values except one: vary-init (weight initialisation), vary-order (batch order), vary-dropout
 * (dropout masks), vary-augmentation (augmentation draws); one-bit keeps every seed fixed and flips one bit
 * of one initial weight (Summers & Dinneen, ICML 2021).
 */
export const settingSchema = z.enum(RUN_SETTINGS);
export type Setting = z.infer<typeof settingSchema>;
export type SourceSetting = (typeof SOURCE_SETTINGS)[number];

/** The seed a vary-* setting draws afresh for each run; the other three stay at the fixed-seed values. */
export const VARIED_SEED: Record<Exclude<SourceSetting, "one-bit">, Exclude<keyof RunSeeds, "master">> = {
  "vary-init": "init",
  "vary-order": "order",
  "vary-dropout": "dropout",
  "vary-augmentation": "augmentation",
};

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
 * - fixed-seed, cross-implementation and one-bit: derived from the set's master seed, identical for every run.
 * - vary-init, -order, -dropout, -augmentation: the fixed-seed seeds, except the varied one, which is derived
 *   from the master seed, the setting and the run index. Deriving rather than drawing from the OS makes the
 *   whole set replayable (a resumed or re-run set trains exactly the same runs) while every run's varied seed
 *   is distinct; the seeds used are recorded in each result line like any other.
 * - default: a fresh master seed from the operating system's CSPRNG for every call, so runs differ as
 *   they would with nothing controlled, yet the seeds actually used are still recorded.
 * @param setting the set's setting.
 * @param masterSeed the set's master seed (unused by default).
 * @param runIndex the run's index in its set (used by the vary-* settings only).
 */
export function chooseRunSeeds(setting: Setting, masterSeed: number, runIndex = 0): RunSeeds {
  if (setting === "default") return deriveRunSeeds(cryptoRandomInt(0, 2 ** 32 - 1));
  const fixed = deriveRunSeeds(masterSeed);
  if (setting in VARIED_SEED) {
    const varied = VARIED_SEED[setting as keyof typeof VARIED_SEED];
    return { ...fixed, [varied]: deriveSeed(masterSeed, setting, runIndex) };
  }
  return fixed;
}
