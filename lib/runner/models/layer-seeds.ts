import { deriveSeed } from "../../stats/random";

/**
 * Hands out one seed per initializer or dropout layer, in build order.
 *
 * Why a counter and not the layer name: tfjs auto-names layers with a process-wide counter
 * ("conv2d_Conv2D7"), so the same architecture built twice in one worker gets different names.
 * Deriving from the position in the build order keeps a rebuilt model bit-identical.
 */
export type LayerSeeder = {
  /** Next seed for a weight initializer (kernel or bias). */
  next(label: string): number;
};

/**
 * Creates a seeder whose seeds depend only on `initSeed` and the order of `next` calls.
 * @param initSeed the run's weight-initialisation seed (non-negative integer).
 * @throws RangeError if initSeed is not an integer.
 */
export function createLayerSeeder(initSeed: number): LayerSeeder {
  if (!Number.isInteger(initSeed)) throw new RangeError(`init seed must be an integer, got ${initSeed}`);
  let position = 0;
  return {
    next(label: string): number {
      position += 1;
      // tfjs initializers accept any number as a seed; keep it within 31 bits so it is a safe positive int.
      return deriveSeed(initSeed, "layer", position, label) & 0x7fffffff;
    },
  };
}
