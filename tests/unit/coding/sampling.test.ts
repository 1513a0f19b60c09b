import { describe, expect, it } from "vitest";
import {
  drawSample,
  extendSample,
  populationFingerprint,
  precisionShortfalls,
  proportionalAllocation,
  sampleSizesPerStratum,
  type SampleDraw,
  type SamplingUnit,
} from "@/lib/coding/sampling";

// A population shaped like the reference study's: two strata whose sizes add up to 1,152.
const population: SamplingUnit[] = [
  ...Array.from({ length: 423 }, (_, index) => ({ key: `se-${String(index).padStart(4, "0")}`, stratumId: "se-systems" })),
  ...Array.from({ length: 729 }, (_, index) => ({ key: `ai-${String(index).padStart(4, "0")}`, stratumId: "ai" })),
];

const mustDraw = (result: ReturnType<typeof drawSample>): SampleDraw => {
  if (!result.ok) throw new Error(result.error);
  return result.draw;
};
const keysOf = (draw: SampleDraw) => draw.papers.map((paper) => paper.key);

describe("sampleSizesPerStratum", () => {
  it("sizes each stratum for 95%, ±5 points, p = 0.5 with the finite population correction (202 and 252 for 423 and 729)", () => {
    const sizes = sampleSizesPerStratum(
      [
        { stratumId: "se-systems", populationSize: 423 },
        { stratumId: "ai", populationSize: 729 },
      ],
      { margin: 0.05 },
    );
    expect(sizes.map((size) => [size.stratumId, size.sampleSize.n])).toEqual([
      ["se-systems", 202],
      ["ai", 252],
    ]);
  });
});

describe("drawSample", () => {
  const design = { kind: "stratified-fixed", perStratum: { "se-systems": 202, ai: 252 } } as const;

  it("draws the requested number per stratum, without repeats", () => {
    const draw = mustDraw(drawSample(population, design, 20200901));
    expect(draw.strata).toEqual([
      { stratumId: "ai", populationSize: 729, sampleSize: 252 },
      { stratumId: "se-systems", populationSize: 423, sampleSize: 202 },
    ]);
    expect(new Set(keysOf(draw)).size).toBe(454);
    expect(draw.papers.filter((paper) => paper.stratumId === "se-systems")).toHaveLength(202);
    expect(draw.papers.every((paper) => paper.key.startsWith(paper.stratumId === "ai" ? "ai-" : "se-"))).toBe(true);
  });

  it("is reproducible from the seed and the population snapshot, whatever the input order", () => {
    const first = mustDraw(drawSample(population, design, 7));
    const reordered = [...population].reverse();
    const second = mustDraw(drawSample(reordered, design, 7));
    expect(keysOf(second)).toEqual(keysOf(first));
    expect(second.populationFingerprint).toBe(first.populationFingerprint);
    const otherSeed = mustDraw(drawSample(population, design, 8));
    expect(keysOf(otherSeed)).not.toEqual(keysOf(first));
  });

  it("changes the fingerprint when the population changes", () => {
    expect(populationFingerprint(population.slice(1))).not.toBe(populationFingerprint(population));
    expect(populationFingerprint(population.map((unit, index) => (index === 0 ? { ...unit, stratumId: "ai" } : unit)))).not.toBe(
      populationFingerprint(population),
    );
  });

  it("draws a simple sample over all strata and reports how it fell", () => {
    const draw = mustDraw(drawSample(population, { kind: "simple", n: 100 }, 3));
    expect(draw.papers).toHaveLength(100);
    const counted = draw.strata.reduce((sum, stratum) => sum + stratum.sampleSize, 0);
    expect(counted).toBe(100);
    expect(draw.strata.find((stratum) => stratum.stratumId === "ai")?.sampleSize).toBe(draw.papers.filter((paper) => paper.stratumId === "ai").length);
  });

  it("allocates a proportional stratified sample by largest remainders", () => {
    const draw = mustDraw(drawSample(population, { kind: "stratified-proportional", n: 454 }, 1));
    // 454·423/1152 = 166.7 → 167, 454·729/1152 = 287.3 → 287
    expect(Object.fromEntries(draw.strata.map((stratum) => [stratum.stratumId, stratum.sampleSize]))).toEqual({ ai: 287, "se-systems": 167 });
    expect(proportionalAllocation(7, new Map([["b", 3], ["a", 3], ["c", 3]]))).toEqual(new Map([["b", 2], ["a", 3], ["c", 2]]));
  });

  it("returns errors for impossible requests instead of drawing", () => {
    expect(drawSample(population, { kind: "simple", n: 2000 }, 1)).toEqual({ ok: false, error: "the population has 1152 papers; cannot sample 2000" });
    expect(drawSample(population, { kind: "stratified-fixed", perStratum: { nope: 1 } }, 1)).toEqual({ ok: false, error: 'unknown stratum "nope"' });
    expect(drawSample([...population, population[0]!], { kind: "simple", n: 1 }, 1).ok).toBe(false);
    expect(drawSample(population, { kind: "simple", n: 1 }, 1.5).ok).toBe(false);
  });
});

describe("extendSample", () => {
  const design = { kind: "stratified-fixed", perStratum: { "se-systems": 20, ai: 30 } } as const;

  it("adds papers without redrawing: the result equals drawing the larger sample from scratch", () => {
    const small = mustDraw(drawSample(population, design, 99));
    const extended = mustDraw(extendSample(population, small, { "se-systems": 5 }));
    expect(keysOf(extended).slice(0, 50)).toEqual(keysOf(small));
    expect(extended.papers).toHaveLength(55);
    const large = mustDraw(drawSample(population, { kind: "stratified-fixed", perStratum: { "se-systems": 25, ai: 30 } }, 99));
    expect(new Set(keysOf(extended))).toEqual(new Set(keysOf(large)));
    expect(extended.design).toEqual({ kind: "stratified-fixed", perStratum: { ai: 30, "se-systems": 25 } });
    expect(new Set(keysOf(mustDraw(drawSample(population, extended.design, extended.seed))))).toEqual(new Set(keysOf(extended)));
  });

  it("keeps the earlier papers when the population has grown since the draw", () => {
    const small = mustDraw(drawSample(population, design, 5));
    const grown = [...population, ...Array.from({ length: 50 }, (_, index) => ({ key: `late-${index}`, stratumId: "ai" }))];
    const extended = mustDraw(extendSample(grown, small, { ai: 10 }));
    expect(keysOf(extended).slice(0, 50)).toEqual(keysOf(small));
    expect(extended.papers.filter((paper) => paper.stratumId === "ai")).toHaveLength(40);
    expect(new Set(keysOf(extended)).size).toBe(60);
  });

  it("extends a simple sample by a total and refuses mismatched or impossible extensions", () => {
    const simple = mustDraw(drawSample(population, { kind: "simple", n: 10 }, 11));
    const extended = mustDraw(extendSample(population, simple, 5));
    expect(keysOf(mustDraw(drawSample(population, { kind: "simple", n: 15 }, 11)))).toEqual(keysOf(extended));
    expect(extendSample(population, simple, { ai: 1 }).ok).toBe(false);
    expect(extendSample(population, simple, 5000).ok).toBe(false);
    expect(extendSample(population.slice(0, 400), mustDraw(drawSample(population, design, 5)), { ai: 1 })).toMatchObject({ ok: false });
  });
});

describe("precisionShortfalls", () => {
  it("names each stratum drawn below the size its stated precision needs, and only those", () => {
    const needed = sampleSizesPerStratum(
      [
        { stratumId: "se", populationSize: 300 },
        { stratumId: "ai", populationSize: 2000 },
      ],
      { margin: 0.05 },
    );
    const seNeed = needed.find((row) => row.stratumId === "se")!.sampleSize.n;
    const shortfalls = precisionShortfalls(
      [
        { stratumId: "se", sampled: seNeed },
        { stratumId: "ai", sampled: 40 },
      ],
      needed,
    );
    expect(shortfalls).toEqual([{ stratumId: "ai", sampled: 40, needed: needed.find((row) => row.stratumId === "ai")!.sampleSize.n }]);
    expect(shortfalls[0]!.needed).toBeGreaterThan(300);
  });
});
