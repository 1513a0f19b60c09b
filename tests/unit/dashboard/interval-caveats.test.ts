import { describe, expect, it } from "vitest";
import { kappaIntervalCaveat, proportionIntervalCaveat, zeroWidthCaveat } from "@/lib/dashboard/intervals";
import { estimate } from "@/lib/dashboard/survey-results";
import { cohenKappa } from "@/lib/stats/cohen-kappa";
import { proportionCI } from "@/lib/stats/proportion-ci";

const caveatOf = (x: number, n: number, method: Parameters<typeof proportionCI>[0]["method"] & string) => {
  const ci = proportionCI({ x, n, method });
  return proportionIntervalCaveat({ x, n, method, lower: ci.lower, upper: ci.upper });
};

describe("degenerate proportion intervals", () => {
  it("flags Wald's zero-width [0.0%, 0.0%] at 0/2 and [100%, 100%] at 2/2, and names methods that work there", () => {
    expect(proportionCI({ x: 0, n: 2, method: "wald" })).toMatchObject({ lower: 0, upper: 0 });
    for (const [x, n] of [[0, 2], [2, 2], [0, 500]] as const) {
      const caveat = caveatOf(x, n, "wald");
      expect(caveat?.kind).toBe("zero-width");
      expect(caveat?.message).toMatch(/Wilson score or Clopper–Pearson exact/);
    }
  });

  it("flags Wald with fewer than 5 on one side even when the interval has width", () => {
    expect(caveatOf(2, 100, "wald")?.kind).toBe("approximation");
    expect(caveatOf(97, 100, "wald-cc")?.kind).toBe("approximation");
    expect(caveatOf(30, 100, "wald")).toBeNull();
  });

  it("leaves Wilson and Clopper–Pearson at the edges alone unless n is tiny", () => {
    expect(caveatOf(0, 50, "wilson")).toBeNull();
    expect(caveatOf(50, 50, "clopper-pearson")).toBeNull();
    expect(caveatOf(0, 2, "wilson")?.kind).toBe("tiny-n");
    expect(caveatOf(0, 2, "clopper-pearson")?.kind).toBe("tiny-n");
  });

  it("gives no caveat without answers (n = 0 is shown as 'no answers')", () => {
    expect(proportionIntervalCaveat({ x: 0, n: 0, method: "wald", lower: null, upper: null })).toBeNull();
  });

  it("is attached to every dashboard estimate", () => {
    expect(estimate(0, 2, "wald", 0.95).caveat?.kind).toBe("zero-width");
    expect(estimate(450, 901, "wilson", 0.95).caveat).toBeNull();
  });
});

describe("degenerate kappa intervals", () => {
  it("flags a zero-width interval at n = 3 (perfect agreement: SE = 0)", () => {
    const result = cohenKappa({ rater1: ["a", "b", "a"], rater2: ["a", "b", "a"] });
    expect(result.upper - result.lower).toBeLessThan(1e-12);
    const caveat = kappaIntervalCaveat({ n: 3, value: result.kappa, lower: result.lower, upper: result.upper });
    expect(caveat?.kind).toBe("zero-width");
    expect(caveat?.message).toMatch(/percent agreement .*Wilson score or Clopper–Pearson/);
  });

  it("flags an undefined kappa, kappa at a bound, and too few papers", () => {
    expect(kappaIntervalCaveat({ n: 5, value: null, reason: "both coders used one category" })?.kind).toBe("undefined");
    expect(kappaIntervalCaveat({ n: 40, value: 1, lower: 0.9, upper: 1 })?.kind).toBe("at-bound");
    expect(kappaIntervalCaveat({ n: 6, value: 0.5, lower: 0.1, upper: 0.9 })?.kind).toBe("tiny-n");
    expect(kappaIntervalCaveat({ n: 80, value: 0.62, lower: 0.45, upper: 0.79 })).toBeNull();
  });
});

describe("zero-width shares from any method (literature estimates)", () => {
  it("flags a stratified estimate of [0.0%, 0.0%] with answers, and not one with width or without answers", () => {
    expect(zeroWidthCaveat({ x: 0, n: 4, lower: 0, upper: 0, methodName: "stratified Wald with finite population correction" })?.message).toMatch(
      /stratified Wald with finite population correction interval has zero width at x = 0 of n = 4.*Wilson score or Clopper–Pearson exact/,
    );
    expect(zeroWidthCaveat({ x: 0, n: 4, lower: 0, upper: 0.49, methodName: "Wilson score" })).toBeNull();
    expect(zeroWidthCaveat({ x: 0, n: 0, lower: 0, upper: 0, methodName: "Wilson score" })).toBeNull();
  });
});
