/**
 * Seeded pseudo-random numbers. Every random choice in VarStudy (bootstrap resamples, sample draws,
 * option shuffles, weight initialisation seeds, batch order) comes from a generator made here from a
 * recorded seed, so that any result can be reproduced from its provenance.
 */

/** A function returning uniformly distributed numbers in [0, 1). */
export type Rng = () => number;

/**
 * Creates a deterministic generator (mulberry32: 32-bit state, period 2^32) from an integer seed.
 * @param seed any integer; only its low 32 bits are used.
 */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Derives an independent 32-bit seed from a master seed and labels, e.g.
 * `deriveSeed(master, "init", runIndex)`. Uses FNV-1a over the labels followed by a murmur3
 * finaliser, so neighbouring labels give unrelated seeds. Result is a non-negative integer < 2^32.
 */
export function deriveSeed(master: number, ...labels: Array<string | number>): number {
  if (!Number.isInteger(master)) throw new RangeError(`master seed must be an integer, got ${master}`);
  let hash = 0x811c9dc5 ^ (master >>> 0);
  const text = labels.map(String).join("\u0000");
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A uniformly random integer in [0, maxExclusive). */
export function randomInt(rng: Rng, maxExclusive: number): number {
  if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
    throw new RangeError(`maxExclusive must be a positive integer, got ${maxExclusive}`);
  }
  return Math.floor(rng() * maxExclusive);
}

/** Returns a shuffled copy (Fisher–Yates); the input is not changed. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
