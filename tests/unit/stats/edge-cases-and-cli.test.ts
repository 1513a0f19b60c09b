/**
 * Edge cases decided once (docs/statistics.md) and the CLI contract: bad input exits 1 with one JSON
 * error sentence on stderr, good input prints one JSON object.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  StatsInputError,
  cohenKappa,
  cohensD,
  fleissKappa,
  krippendorffAlpha,
  leveneTest,
  mannWhitneyU,
  percentAgreement,
  proportionCI,
  runStatsCommand,
  sampleStdDev,
  sdConfidenceInterval,
  varianceSummary,
} from "@/lib/stats";

const repositoryRoot = path.resolve(import.meta.dirname, "../../..");

function rejection(command: string, input: unknown): string {
  try {
    runStatsCommand(command, input);
  } catch (error) {
    expect(error).toBeInstanceOf(StatsInputError);
    return (error as Error).message;
  }
  throw new Error(`${command} accepted ${JSON.stringify(input)}`);
}

describe("invalid input is rejected with one clear sentence", () => {
  test.each([
    ["proportion-ci", { x: 5, n: 3 }, /x \(5\) cannot exceed n \(3\)/],
    ["proportion-ci", { x: 0, n: 0 }, /n must be a positive whole number/],
    ["proportion-ci", { x: -1, n: 10 }, /x must be a non-negative whole number/],
    ["proportion-ci", { x: 1.5, n: 10 }, /x must be a non-negative whole number/],
    ["proportion-ci", { x: 1, n: 10, level: 95 }, /level must be strictly between 0 and 1/],
    ["proportion-ci", { x: 1, n: 10, method: "exact" }, /Unknown method "exact"; use one of: wald/],
    ["proportion-ci", { x: 1, n: 10, method: "wilson", populationSize: 100 }, /applies only to the methods wald, agresti-coull, plus-four/],
    ["proportion-ci", { x: 1, n: 10, method: "wald", populationSize: 5 }, /populationSize \(5\) cannot be smaller than n/],
    ["proportion-ci", { x: 1, n: 10, alternative: "two.sided" }, /Unknown alternative/],
    ["proportion-ci", { x: "1", n: 10 }, /Invalid x for proportion-ci/],
    ["proportion-ci", { x: 1, n: 10, levle: 0.9 }, /Unknown field "levle"/],
    ["proportion-diff-ci", { x1: 1, n1: 10, x2: 11, n2: 10 }, /x2 \(11\) cannot exceed n2/],
    ["sample-size", { margin: 5 }, /margin must be strictly between 0 and 1/],
    ["cohen-kappa", { table: [[1, 2], [3]] }, /table must be square/],
    ["cohen-kappa", { table: [[1, 2], [3, 0.5]] }, /must be a non-negative whole number/],
    ["cohen-kappa", { rater1: ["a", "b"], rater2: ["a"] }, /same length/],
    ["cohen-kappa", { rater1: ["a", "a"], rater2: ["a", "a"] }, /single category/],
    ["cohen-kappa", { rater1: ["a", "b"], rater2: ["a", "b"], categories: ["a"] }, /not among the given categories/],
    ["fleiss-kappa", { counts: [[1, 2], [3]] }, /Row 1 has 1 categories/],
    ["fleiss-kappa", { counts: [[1, 2], [1, 1]] }, /same number per subject/],
    ["fleiss-kappa", { ratings: [["a", null], ["a", "b"]] }, /use krippendorff-alpha for missing data/],
    ["krippendorff-alpha", { data: [[1, 2, 3], [1, 2]] }, /Every coder row must have 3 units/],
    ["krippendorff-alpha", { data: [["a", "b"], ["a", "b"]], level: "interval" }, /must be a number at the interval level/],
    ["sd-ci", { sd: 1, n: 1 }, /n must be at least 2/],
    ["levene", { groups: [[1, 2, 3]] }, /at least 2 groups/],
    ["mann-whitney", { x: [1, 2, 2], y: [2, 3], method: "exact" }, /assumes no ties/],
    ["variance-summary", { values: [1] }, /at least 2 values/],
    ["bootstrap-ci", { values: [1, 2, 3], resamples: 5 }, /resamples must be a whole number between 100/],
    ["p-adjust", { pValues: [0.5, 1.2], method: "holm" }, /pValues\[1\] must be a probability/],
    ["p-adjust", { pValues: [0.5], method: "fdr" }, /Unknown method "fdr"/],
    ["nonsense", {}, /Unknown command "nonsense"/],
  ])("%s %j", (command, input, message) => {
    const text = rejection(command, input);
    expect(text).toMatch(message);
    expect(text.trim().endsWith(".")).toBe(true);
  });
});

describe("edge cases decided once", () => {
  test("x = 0 and x = n pin the interval to the observed end for every exact/score method", () => {
    for (const method of ["wilson", "clopper-pearson", "jeffreys", "mid-p", "likelihood-ratio", "agresti-coull"] as const) {
      expect(proportionCI({ x: 0, n: 12, method }).lower).toBe(0);
      expect(proportionCI({ x: 12, n: 12, method }).upper).toBe(1);
    }
  });

  test("n = 1 is allowed and gives a wide interval", () => {
    const { lower, upper } = proportionCI({ x: 1, n: 1, method: "clopper-pearson" });
    expect(upper).toBe(1);
    expect(lower).toBeCloseTo(0.025, 12); // Beta(1, 1) quantile at 0.025
  });

  test("all raters agree on every item: kappa 1 with at least two categories, percent agreement 1", () => {
    expect(cohenKappa({ table: [[5, 0], [0, 7]] }).kappa).toBe(1);
    expect(percentAgreement(["x", "y", null], ["x", "y", "z"])).toBe(1);
  });

  test("a single category is undefined for kappa and alpha, not a silent 0 or 1", () => {
    expect(() => fleissKappa({ counts: [[3, 0], [3, 0]] })).toThrow(/every rating is the same category/);
    expect(() => krippendorffAlpha({ data: [[1, 1, 1], [1, 1, 1]] })).toThrow(/all pairable values are identical/);
  });

  test("missing ratings: Cohen drops incomplete pairs, Krippendorff drops units coded once", () => {
    const withMissing = cohenKappa({ rater1: ["a", "b", null, "a"], rater2: ["a", "b", "b", "b"] });
    expect(withMissing.n).toBe(3);
    const alpha = krippendorffAlpha({ data: [[1, 2, 3, null], [1, 2, 3, 4]] });
    expect(alpha.pairableUnits).toBe(3);
    expect(alpha.alpha).toBe(1);
  });

  test("all values tied", () => {
    expect(sampleStdDev([3, 3, 3])).toBe(0);
    expect(sdConfidenceInterval({ values: [3, 3, 3] })).toMatchObject({ sd: 0, lower: 0, upper: 0 });
    expect(varianceSummary([3, 3, 3])).toMatchObject({ diff: 0, relativeDiff: 0, cv: 0 });
    expect(varianceSummary([0, 1])).toMatchObject({ relativeDiff: null });
    expect(mannWhitneyU([2, 2], [2, 2, 2])).toMatchObject({ u: 3, pValue: 1, method: "asymptotic" });
    expect(() => leveneTest([[1, 1], [2, 2]])).toThrow(/undefined/);
    // Deviations equal up to rounding (a 2-run default set against a bit-identical fixed-seed set): undefined, not W ≈ 1e27.
    expect(() => leveneTest([[0.784, 0.7892], [0.7876, 0.7876]])).toThrow(/undefined/);
    expect(leveneTest([[0.784, 0.7892, 0.79], [0.7876, 0.7876, 0.7877]]).statistic).toBeLessThan(100);
    expect(() => cohensD([1, 1], [2, 2])).toThrow(/zero spread/);
  });
});

describe("scripts/stats.ts", () => {
  const runCli = (args: string[], stdin: string) =>
    spawnSync("npx", ["tsx", "scripts/stats.ts", ...args], { cwd: repositoryRoot, input: stdin, encoding: "utf8" });

  test("prints one JSON object with the contract's fields", () => {
    const result = runCli(["proportion-ci"], '{"x":755,"n":901}');
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({ x: 755, n: 901, method: "wilson", level: 0.95, alternative: "two-sided" });
    expect(output.estimate).toBe(755 / 901);
  });

  test("bad input exits 1 with {error} on stderr and nothing on stdout", () => {
    const result = runCli(["proportion-ci"], '{"x":9,"n":5}');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(JSON.parse(result.stderr)).toEqual({ error: "x (9) cannot exceed n (5)." });
    const notJson = runCli(["levene"], "{groups:");
    expect(notJson.status).toBe(1);
    expect(JSON.parse(notJson.stderr).error).toMatch(/not valid JSON/);
  });

  test("--help lists every command", () => {
    const result = runCli(["--help"], "");
    expect(result.status).toBe(0);
    for (const command of ["proportion-ci", "cohen-kappa", "krippendorff-alpha", "bootstrap-ci", "p-adjust"]) {
      expect(result.stdout).toContain(command);
    }
  });
});
