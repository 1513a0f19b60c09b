import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { binOf } from "@/lib/dashboard/expectations";
import { EMPTY_HEADLINES, headlineConfigToYaml, parseHeadlineConfig, storedHeadlineConfig, withHeadline, withoutHeadline } from "@/lib/dashboard/headlines";
import { intervalSettingsFrom } from "@/lib/dashboard/intervals";
import { formatInterval } from "@/lib/format";
import { buildBreakdown, correlationFromMoments, estimate, headlineResults, histogramBins, histogramLabels, meanInterval, optionRows, twoProportionPValue } from "@/lib/dashboard/survey-results";
import { scaleCounts, PHAM_901_COUNTS } from "@/lib/db/seed/synthetic";
import { findPreset } from "@/lib/runner/presets";
import { parseDefinitionFile } from "@/lib/io/definition-file";
import { pearsonCorrelation } from "@/lib/stats/correlation";
import { pAdjust } from "@/lib/stats/p-adjust";
import { proportionCI } from "@/lib/stats/proportion-ci";
import { proportionDiffCI } from "@/lib/stats/proportion-diff-ci";
import { findQuestion, questionnaireDefinitionSchema } from "@/lib/survey/definition";

const parsed = parseDefinitionFile(readFileSync("data/questionnaires/pham2020.yaml", "utf8"), questionnaireDefinitionSchema);
if (!parsed.ok) throw new Error("reference questionnaire does not parse");
const definition = parsed.value;

describe("headlines", () => {
  it("reads the reference headlines file and computes 755/901 = 83.8% with a Wilson interval", () => {
    const config = parseHeadlineConfig(readFileSync("data/questionnaires/pham2020-headlines.yaml", "utf8"));
    const chosen = new Map([["Q26", new Map([["yes", 571], ["maybe", 184], ["no", 146]])]]);
    const [headline] = headlineResults(definition, config, { answered: new Map([["Q26", 901]]), chosen }, { method: "wilson", level: 0.95 });
    const ci = proportionCI({ x: 755, n: 901, method: "wilson" });
    expect(headline).toMatchObject({ id: "unaware_impl_variance", x: 755, n: 901, method: "Wilson score", level: 0.95, optionLabels: ["Yes", "Maybe"] });
    expect(headline!.estimate).toBeCloseTo(0.838, 3);
    expect([headline!.lower, headline!.upper]).toEqual([ci.lower, ci.upper]);
  });

  it("reports a broken headlines file with its path", () => {
    expect(() => parseHeadlineConfig("questionnaire: x\nheadlines:\n  - { id: a, label: A, question: Q1, anyOf: [] }\n", "x.yaml")).toThrow(/x\.yaml: headlines\.0\.anyOf/);
    expect(() => parseHeadlineConfig("headlines: [ {", "y.yaml")).toThrow(/y\.yaml: not valid YAML/);
    expect(() => parseHeadlineConfig("headlines:\n  - { id: a, label: A, question: Q1, anyOf: [x] }\n  - { id: a, label: B, question: Q1, anyOf: [y] }\n", "z.yaml")).toThrow(/z\.yaml: headlines\.1\.id: "a" is used twice/);
    expect(storedHeadlineConfig(null)).toEqual(EMPTY_HEADLINES);
  });

  it("uses a headline's own method and level, whatever the page's settings", () => {
    const config = withHeadline(EMPTY_HEADLINES, { id: "unsure", label: "Unsure", question: "Q26", anyOf: ["yes", "maybe"], method: "clopper-pearson", level: 0.99 });
    const chosen = new Map([["Q26", new Map([["yes", 5], ["maybe", 1], ["no", 4]])]]);
    const [headline] = headlineResults(definition, config, { answered: new Map([["Q26", 10]]), chosen }, { method: "wald", level: 0.9 });
    const ci = proportionCI({ x: 6, n: 10, method: "clopper-pearson", level: 0.99 });
    expect(headline).toMatchObject({ x: 6, n: 10, method: "Clopper–Pearson exact", level: 0.99, lower: ci.lower, upper: ci.upper });
  });

  it("round-trips the headlines through their YAML export, and edits one headline at a time", () => {
    const reference = parseHeadlineConfig(readFileSync("data/questionnaires/pham2020-headlines.yaml", "utf8"));
    const text = headlineConfigToYaml(reference, "pham2020");
    expect(parseHeadlineConfig(text)).toEqual({ ...reference, questionnaire: "pham2020" });
    const replaced = withHeadline(reference, { ...reference.headlines[0]!, label: "Changed" });
    expect(replaced.headlines).toHaveLength(reference.headlines.length);
    expect(replaced.headlines[0]!.label).toBe("Changed");
    expect(withoutHeadline(reference, reference.headlines[0]!.id).headlines.map((h) => h.id)).not.toContain(reference.headlines[0]!.id);
  });

  it("lib/dashboard/headlines.ts reads no file (pure)", () => {
    const source = readFileSync("lib/dashboard/headlines.ts", "utf8");
    expect(source).not.toMatch(/node:fs|from "fs"|readFileSync|process\.cwd/);
  });
});

describe("option rows and estimates", () => {
  it("gives every option (Other last) an interval over the respondents who answered", () => {
    const question = findQuestion(definition, "Q21")!;
    const rows = optionRows(question, { answered: 50, chosen: new Map([["none", 10], ["other", 2]]) }, { method: "wilson", level: 0.9 });
    expect(rows.map((row) => row.optionId)).toEqual(["none", "upto1", "upto2", "upto5", "upto10", "upto20", "over20", "other"]);
    expect(rows[0]).toMatchObject({ x: 10, n: 50, level: 0.9 });
    expect(rows[0]!.lower).toBe(proportionCI({ x: 10, n: 50, level: 0.9 }).lower);
    expect(rows[1]!.estimate).toBe(0);
  });

  it("shows no estimate at n = 0 instead of 0%", () => {
    expect(estimate(0, 0, "wilson", 0.95)).toMatchObject({ estimate: null, lower: null, upper: null });
  });
});

describe("breakdowns", () => {
  it("compares every pair of groups with Newcombe intervals and corrects p over the family", () => {
    const position = findQuestion(definition, "position")!;
    const q26 = findQuestion(definition, "Q26")!;
    const tab = {
      groupN: new Map([["industry", 472], ["academia", 342], ["other", 0]]),
      counts: new Map([
        ["industry", new Map([["yes", 300], ["maybe", 100], ["no", 72]])],
        ["academia", new Map([["yes", 210], ["maybe", 70], ["no", 62]])],
      ]),
    };
    const breakdown = buildBreakdown(position, q26, tab, { method: "wilson", level: 0.95, adjust: "holm" });
    // "other" has no respondents: shown, not compared. 3 answers × 1 pair.
    expect(breakdown.family).toBe(3);
    const yes = breakdown.comparisons.find((c) => c.optionId === "yes")!;
    const diff = proportionDiffCI({ x1: 300, n1: 472, x2: 210, n2: 342, method: "newcombe" });
    expect([yes.difference, yes.lower, yes.upper]).toEqual([diff.difference, diff.lower, diff.upper]);
    const raw = breakdown.comparisons.map((c) => c.pValue);
    expect(breakdown.comparisons.map((c) => c.pAdjusted)).toEqual(pAdjust(raw, "holm"));
    expect(breakdown.rows.find((row) => row.optionId === "no")!.byGroup[2]!.estimate).toBeNull();
  });

  it("z test p-value matches the chi-square test without continuity correction", () => {
    // prop.test(c(30, 20), c(100, 100), correct = FALSE): X-squared = 2.6667, p = 0.1025
    expect(twoProportionPValue(30, 100, 20, 100)).toBeCloseTo(0.1025, 4);
    expect(twoProportionPValue(0, 10, 0, 12)).toBe(1);
  });
});

describe("correlation from moments", () => {
  it("equals lib/stats Pearson on the raw pairs", () => {
    const x = [1, 2, 3, 1, 2, 3, 3, 2, 1, 1];
    const y = [4, 6, 5, 2, 8, 9, 7, 3, 1, 5];
    const mx = x.reduce((a, b) => a + b) / x.length;
    const my = y.reduce((a, b) => a + b) / y.length;
    const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
    const syy = y.reduce((s, v) => s + (v - my) ** 2, 0);
    const sxy = x.reduce((s, v, i) => s + (v - mx) * (y[i]! - my), 0);
    const result = correlationFromMoments({ n: x.length, sxx, syy, sxy }, 0.95);
    const brute = pearsonCorrelation(x, y);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.r).toBeCloseTo(brute.r, 12);
    expect(result.lower).toBeCloseTo(brute.lower, 12);
    expect(result.upper).toBeCloseTo(brute.upper, 12);
    expect(result.pValue).toBeCloseTo(brute.pValue, 12);
  });

  it("explains why r is missing", () => {
    expect(correlationFromMoments({ n: 3, sxx: 1, syy: 1, sxy: 0 }, 0.95)).toMatchObject({ ok: false, reason: expect.stringMatching(/at least 4/) });
    expect(correlationFromMoments({ n: 10, sxx: 0, syy: 1, sxy: 0 }, 0.95)).toMatchObject({ ok: false, reason: expect.stringMatching(/same for everyone/) });
  });
});

describe("histograms and numeric summaries", () => {
  it("uses nice bins that contain the minimum and maximum", () => {
    const bins = histogramBins(0, 37.5, 10);
    expect(bins).toMatchObject({ lower: 0, width: 5, count: 8 });
    expect(bins.upper).toBeGreaterThan(37.5);
    const exact = histogramBins(0, 40, 10);
    expect(exact.lower + exact.count * exact.width).toBeGreaterThan(40);
    expect(histogramLabels(histogramBins(0, 2, 2)).at(-1)).toMatch(/\]$/);
    expect(histogramBins(3, 3)).toMatchObject({ count: 1, width: 0 });
    expect(histogramBins(0, 3, 10, true).width).toBe(1);
  });

  it("gives the mean a Student t interval", () => {
    // mean 10, sd 2, n = 16: t(0.975, 15) = 2.13145 → ±1.0657
    const interval = meanInterval(10, 2, 16, 0.95)!;
    expect(interval.upper - 10).toBeCloseTo(1.06572, 4);
    expect(meanInterval(1, 0, 1, 0.95)).toBeNull();
  });
});

describe("expectations, experiments, settings and CSV", () => {
  it("places a measured difference in its left-open bin", () => {
    const bounds = { none: 0, upto1: 1, upto2: 2, upto5: 5, over20: null };
    const ids = ["none", "upto1", "upto2", "upto5", "over20"];
    expect(binOf(0, bounds, ids)).toBe("none");
    expect(binOf(1, bounds, ids)).toBe("upto1");
    expect(binOf(1.0001, bounds, ids)).toBe("upto2");
    expect(binOf(40, bounds, ids)).toBe("over20");
  });

  it("maps presets to the study's networks", () => {
    // The one mapping every view reads (lib/db/experiments.ts): the preset's own studyNetwork.
    const studyNetworkOf = (preset: string) => findPreset(preset)?.studyNetwork ?? null;
    expect(studyNetworkOf("lenet5")).toBe("LeNet5");
    expect(studyNetworkOf("wrn-28-10")).toBe("WRN-28-10");
    expect(studyNetworkOf("tiny-mlp")).toBeNull();
  });

  it("falls back to Wilson 95% and Holm on unknown parameters", () => {
    expect(intervalSettingsFrom({ method: "magic", level: "0.5", adjust: "x" })).toEqual({ method: "wilson", level: 0.95, adjust: "holm" });
    expect(intervalSettingsFrom({ method: ["jeffreys"], level: "0.9", adjust: "bh" })).toEqual({ method: "jeffreys", level: 0.9, adjust: "bh" });
    expect(formatInterval(0.81234, 0.86)).toBe("[81.2%, 86.0%]");
  });

  it("scales the reference counts to another total keeping the shares", () => {
    const scaled = scaleCounts(PHAM_901_COUNTS, 10_000);
    expect(Object.values(scaled.Q26!).reduce((a, b) => a + b)).toBe(10_000);
    expect((scaled.Q26!.yes! + scaled.Q26!.maybe!) / 10_000).toBeCloseTo(755 / 901, 3);
  });
});
