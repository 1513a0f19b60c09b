/**
 * Reproducible random samples of a paper population, simple or stratified.
 *
 * The draw is sequential: for each stratum (or the whole population, for a simple sample) the
 * population's keys are sorted, then shuffled by a generator seeded from the recorded seed and the
 * stratum id, and the sample is a prefix of that order. The same seed and the same population
 * snapshot therefore give the same sample on any machine, and adding k papers later takes the next k
 * of the order without touching those already drawn.
 */
import { createRng, deriveSeed, shuffled } from "@/lib/stats/random";
import { sampleSize as requiredSampleSize, type SampleSizeResult } from "@/lib/stats/sample-size";

export type SamplingUnit = { key: string; stratumId: string };

export type SampleDesign =
  | { kind: "simple"; n: number }
  /** n split over strata in proportion to their sizes (largest remainders, so the parts add up to n). */
  | { kind: "stratified-proportional"; n: number }
  /** A chosen n per stratum, e.g. from {@link sampleSizesPerStratum}. */
  | { kind: "stratified-fixed"; perStratum: Readonly<Record<string, number>> };

export type SampledPaper = { key: string; stratumId: string; /** 0-based position in its stratum's draw order */ drawIndex: number };

export type SampleDraw = {
  seed: number;
  design: SampleDesign;
  /** Identifies the population snapshot the draw is reproducible from (see {@link populationFingerprint}). */
  populationFingerprint: string;
  papers: SampledPaper[];
  strata: { stratumId: string; populationSize: number; sampleSize: number }[];
};

export type SampleResult = { ok: true; draw: SampleDraw } | { ok: false; error: string };

const SIMPLE_STRATUM = "__all__";

/**
 * A short fingerprint of a population: its sorted keys with their strata. Equal fingerprints mean the
 * draw order is the same; not a security hash.
 */
export function populationFingerprint(population: readonly SamplingUnit[]): string {
  const sorted = [...population].sort((a, b) => compareKeys(a.key, b.key));
  const text = sorted.map((unit) => `${unit.stratumId}\u0001${unit.key}`);
  const first = deriveSeed(0x5eed, ...text).toString(16).padStart(8, "0");
  const second = deriveSeed(0xfeed, ...text).toString(16).padStart(8, "0");
  return `${population.length}-${first}${second}`;
}

// Code-unit order, independent of the locale of the machine that draws.
const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The full draw order of one stratum (or of the whole population for a simple design).
 * @param stratumId the stratum, or undefined for a simple sample over all units.
 */
export function drawOrder(population: readonly SamplingUnit[], seed: number, stratumId?: string): SamplingUnit[] {
  const units = (stratumId === undefined ? [...population] : population.filter((unit) => unit.stratumId === stratumId)).sort((a, b) =>
    compareKeys(a.key, b.key),
  );
  return shuffled(units, createRng(deriveSeed(seed, "sample", stratumId ?? SIMPLE_STRATUM)));
}

/**
 * Draws a sample.
 * @param population units with unique keys; order does not matter.
 * @param seed an integer recorded with the sample.
 * @returns the draw, or an error for duplicate keys, a non-integer seed, sizes below 0 or above the
 *   population, or unknown strata in a fixed design.
 */
export function drawSample(population: readonly SamplingUnit[], design: SampleDesign, seed: number): SampleResult {
  const problem = checkPopulation(population, seed);
  if (problem) return { ok: false, error: problem };
  const sizes = stratumSizes(population);
  const targets = targetSizes(design, sizes);
  if (!targets.ok) return targets;
  return { ok: true, draw: buildDraw(population, { design, seed, targets: targets.sizes, alreadySampled: new Set() }) };
}

/**
 * Adds papers to an existing sample without redrawing it: the new papers are the next ones of each
 * stratum's draw order that are not yet sampled. With an unchanged population this equals drawing the
 * larger sample from scratch; if papers were added to the population since, the earlier ones stay and
 * the new ones come from the order over the current population.
 * @param previous the recorded draw.
 * @param additional how many more, in total (simple) or per stratum id (stratified).
 * @returns the extended draw (previous papers first, unchanged), or an error.
 */
export function extendSample(
  population: readonly SamplingUnit[],
  previous: SampleDraw,
  additional: number | Readonly<Record<string, number>>,
): SampleResult {
  const problem = checkPopulation(population, previous.seed);
  if (problem) return { ok: false, error: problem };
  const isSimple = previous.design.kind === "simple";
  if (isSimple !== (typeof additional === "number")) {
    return { ok: false, error: isSimple ? "a simple sample is extended by a total number" : "a stratified sample is extended per stratum" };
  }
  const keys = new Set(population.map((unit) => unit.key));
  const lost = previous.papers.filter((paper) => !keys.has(paper.key));
  if (lost.length > 0) return { ok: false, error: `${lost.length} sampled papers are no longer in the population (e.g. ${lost[0]!.key})` };

  const sizes = stratumSizes(population);
  const already = new Set(previous.papers.map((paper) => paper.key));
  const targets = new Map<string, number>();
  if (typeof additional === "number") {
    targets.set(SIMPLE_STRATUM, previous.papers.length + additional);
  } else {
    for (const [stratumId, extra] of Object.entries(additional)) {
      if (!sizes.has(stratumId)) return { ok: false, error: `unknown stratum "${stratumId}"` };
      targets.set(stratumId, previous.papers.filter((paper) => paper.stratumId === stratumId).length + extra);
    }
    for (const stratumId of sizes.keys()) {
      if (!targets.has(stratumId)) targets.set(stratumId, previous.papers.filter((paper) => paper.stratumId === stratumId).length);
    }
  }
  for (const [stratumId, target] of targets) {
    const available = stratumId === SIMPLE_STRATUM ? population.length : sizes.get(stratumId) ?? 0;
    const extra = typeof additional === "number" ? additional : additional[stratumId] ?? 0;
    if (!Number.isInteger(extra) || extra < 0) return { ok: false, error: `additional papers must be a whole number ≥ 0, got ${extra}` };
    if (target > available) return { ok: false, error: `${describeStratum(stratumId)} has ${available} papers; cannot sample ${target}` };
  }
  // The recorded design states the sizes now in force; drawing it from scratch on an unchanged
  // population gives the same papers (the order is a prefix), so the record stays reproducible.
  const design: SampleDesign =
    typeof additional === "number"
      ? { kind: "simple", n: targets.get(SIMPLE_STRATUM) ?? 0 }
      : { kind: "stratified-fixed", perStratum: Object.fromEntries(targets) };
  const extended = buildDraw(population, { design, seed: previous.seed, targets, alreadySampled: already });
  const previousKeys = new Set(previous.papers.map((paper) => paper.key));
  const added = extended.papers.filter((paper) => !previousKeys.has(paper.key));
  return { ok: true, draw: { ...extended, papers: [...previous.papers, ...added] } };
}

function buildDraw(
  population: readonly SamplingUnit[],
  draw: { design: SampleDesign; seed: number; targets: ReadonlyMap<string, number>; alreadySampled: ReadonlySet<string> },
): SampleDraw {
  const { design, seed, targets, alreadySampled } = draw;
  const papers: SampledPaper[] = [];
  const strata: SampleDraw["strata"] = [];
  for (const [stratumId, target] of targets) {
    const order = drawOrder(population, seed, stratumId === SIMPLE_STRATUM ? undefined : stratumId);
    const kept = order.filter((unit) => alreadySampled.has(unit.key)).length;
    let needed = target - kept;
    order.forEach((unit, drawIndex) => {
      if (alreadySampled.has(unit.key) || needed <= 0) return;
      papers.push({ key: unit.key, stratumId: unit.stratumId, drawIndex });
      needed--;
    });
    if (stratumId !== SIMPLE_STRATUM) strata.push({ stratumId, populationSize: order.length, sampleSize: target });
  }
  if (design.kind === "simple") {
    // A simple sample still reports how it fell over the strata, for the results table.
    const sampledPerStratum = new Map<string, number>();
    for (const unit of population) {
      if (alreadySampled.has(unit.key)) sampledPerStratum.set(unit.stratumId, (sampledPerStratum.get(unit.stratumId) ?? 0) + 1);
    }
    for (const paper of papers) sampledPerStratum.set(paper.stratumId, (sampledPerStratum.get(paper.stratumId) ?? 0) + 1);
    for (const [stratumId, size] of stratumSizes(population)) {
      strata.push({ stratumId, populationSize: size, sampleSize: sampledPerStratum.get(stratumId) ?? 0 });
    }
  }
  return { seed, design, populationFingerprint: populationFingerprint(population), papers, strata };
}

function checkPopulation(population: readonly SamplingUnit[], seed: number): string | null {
  if (!Number.isInteger(seed)) return `the seed must be a whole number, got ${seed}`;
  const keys = new Set<string>();
  for (const unit of population) {
    if (keys.has(unit.key)) return `paper key "${unit.key}" appears twice in the population`;
    keys.add(unit.key);
  }
  return null;
}

function stratumSizes(population: readonly SamplingUnit[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const unit of [...population].sort((a, b) => compareKeys(a.stratumId, b.stratumId))) {
    sizes.set(unit.stratumId, (sizes.get(unit.stratumId) ?? 0) + 1);
  }
  return sizes;
}

const describeStratum = (stratumId: string): string => (stratumId === SIMPLE_STRATUM ? "the population" : `stratum "${stratumId}"`);

function targetSizes(design: SampleDesign, sizes: ReadonlyMap<string, number>): { ok: true; sizes: Map<string, number> } | { ok: false; error: string } {
  const total = [...sizes.values()].reduce((sum, size) => sum + size, 0);
  const checkN = (n: number, available: number, where: string): string | null => {
    if (!Number.isInteger(n) || n < 0) return `the sample size for ${where} must be a whole number ≥ 0, got ${n}`;
    if (n > available) return `${where} has ${available} papers; cannot sample ${n}`;
    return null;
  };
  if (design.kind === "simple") {
    const problem = checkN(design.n, total, "the population");
    return problem ? { ok: false, error: problem } : { ok: true, sizes: new Map([[SIMPLE_STRATUM, design.n]]) };
  }
  if (design.kind === "stratified-fixed") {
    const result = new Map<string, number>();
    for (const stratumId of Object.keys(design.perStratum)) {
      if (!sizes.has(stratumId)) return { ok: false, error: `unknown stratum "${stratumId}"` };
    }
    for (const [stratumId, size] of sizes) {
      const n = design.perStratum[stratumId] ?? 0;
      const problem = checkN(n, size, `stratum "${stratumId}"`);
      if (problem) return { ok: false, error: problem };
      result.set(stratumId, n);
    }
    return { ok: true, sizes: result };
  }
  const problem = checkN(design.n, total, "the population");
  if (problem) return { ok: false, error: problem };
  return { ok: true, sizes: proportionalAllocation(design.n, sizes) };
}

/**
 * Splits n over strata in proportion to their sizes by the largest-remainder method (ties go to the
 * larger stratum, then the stratum id), so the parts are whole numbers that add up to n.
 * @param n total sample size, 0 ≤ n ≤ Σ sizes.
 */
export function proportionalAllocation(n: number, sizes: ReadonlyMap<string, number>): Map<string, number> {
  const total = [...sizes.values()].reduce((sum, size) => sum + size, 0);
  const shares = [...sizes].map(([stratumId, size]) => {
    const exact = total === 0 ? 0 : (n * size) / total;
    return { stratumId, size, base: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = n - shares.reduce((sum, share) => sum + share.base, 0);
  const byRemainder = [...shares].sort((a, b) => b.remainder - a.remainder || b.size - a.size || compareKeys(a.stratumId, b.stratumId));
  for (const share of byRemainder) {
    if (left <= 0) break;
    if (share.base < share.size) {
      share.base++;
      left--;
    }
  }
  return new Map(shares.map((share) => [share.stratumId, share.base]));
}

export type StratumSampleSize = { stratumId: string; populationSize: number; sampleSize: SampleSizeResult };

/**
 * The sample size each stratum needs to estimate its own proportion to a margin, with the finite
 * population correction (the reference study sized SE-systems and AI this way: 95%, ±5 points, p = 0.5).
 * @param strata stratum ids with population sizes (whole numbers ≥ 1).
 * @param options.margin half-width in (0, 1); options.level default 0.95; options.p expected proportion, default 0.5.
 * @throws StatsInputError from lib/stats for invalid margin, level, p or sizes.
 */
export function sampleSizesPerStratum(
  strata: readonly { stratumId: string; populationSize: number }[],
  options: { margin: number; level?: number; p?: number },
): StratumSampleSize[] {
  return strata.map((stratum) => ({
    stratumId: stratum.stratumId,
    populationSize: stratum.populationSize,
    sampleSize: requiredSampleSize({ margin: options.margin, level: options.level, p: options.p, populationSize: stratum.populationSize }),
  }));
}

export type PrecisionShortfall = { stratumId: string; sampled: number; needed: number };

/**
 * Strata drawn below the sample size their stated precision needs (from {@link sampleSizesPerStratum}): their
 * intervals will be wider than the margin the sample was planned for, which the admin should see before coding.
 * @param sampled papers drawn per stratum.
 */
export function precisionShortfalls(sampled: readonly { stratumId: string; sampled: number }[], needed: readonly StratumSampleSize[]): PrecisionShortfall[] {
  return sampled.flatMap((row) => {
    const need = needed.find((item) => item.stratumId === row.stratumId)?.sampleSize.n;
    return need !== undefined && row.sampled < need ? [{ stratumId: row.stratumId, sampled: row.sampled, needed: need }] : [];
  });
}
