/**
 * The scriptable face of the statistics engine: one named command takes one JSON object and returns one
 * JSON object. scripts/stats.ts wires it to stdin/stdout; anything else (tests, server actions, a future
 * HTTP endpoint) can call {@link runStatsCommand} directly. Input is validated with zod here (shape and
 * types) and by the library functions (ranges, methods), so every rejection is one clear sentence.
 */
import { z } from "zod";
import { StatsInputError } from "./errors";
import { bootstrapCI } from "./bootstrap";
import { cohenKappa, type CohenKappaInput } from "./cohen-kappa";
import { fleissKappa, type FleissKappaInput } from "./fleiss-kappa";
import { krippendorffAlpha, type KrippendorffLevel } from "./krippendorff-alpha";
import { leveneTest, type LeveneCenter } from "./levene";
import { mannWhitneyU, type MannWhitneyMethod } from "./mann-whitney";
import { pAdjust, type PAdjustMethod } from "./p-adjust";
import { proportionCI, type Alternative, type ProportionCIMethod } from "./proportion-ci";
import { proportionDiffCI, type ProportionDiffCIMethod } from "./proportion-diff-ci";
import { sampleSize, type SampleSizeRounding } from "./sample-size";
import { cohensD, sdConfidenceInterval, varianceSummary } from "./variance";
import type { KappaWeights } from "./cohen-kappa";
import type { BootstrapMethod, BootstrapStatistic } from "./bootstrap";
import { bestOfKInflation } from "./best-of-k";
import { noncentralTCdf } from "./noncentral-t";
import { predictionDisagreement } from "./prediction-disagreement";
import { probabilityOfOutperforming } from "./probability-of-outperforming";
import { runsNeeded, twoSampleTPower } from "./runs-needed";
import { testSetNoise } from "./test-set-noise";
import { wrongWinnerRate } from "./wrong-winner";

const count = z.number();
const numbers = z.array(z.number());
const label = z.union([z.string(), z.number()]);
const maybeLabel = z.union([z.string(), z.number(), z.null()]);

type CommandSpec = {
  summary: string;
  input: string;
  output: string;
  schema: z.ZodType;
  run: (input: never) => unknown;
};

const defineCommand = <S extends z.ZodType>(spec: {
  summary: string;
  input: string;
  output: string;
  schema: S;
  run: (input: z.infer<S>) => unknown;
}): CommandSpec => spec as unknown as CommandSpec;

/** Every command of the CLI contract, with its help text. */
export const STATS_COMMANDS = {
  "proportion-ci": defineCommand({
    summary: "Confidence interval for a proportion x/n.",
    input: 'x, n, level (0.95), method (wilson | wald | wald-cc | wilson-cc | agresti-coull | plus-four | clopper-pearson | jeffreys | mid-p | likelihood-ratio), alternative (two-sided | less | greater), populationSize (optional; wald, agresti-coull, plus-four)',
    output: "estimate, lower, upper, method, level, x, n, alternative, populationSize",
    schema: z.strictObject({
      x: count,
      n: count,
      level: z.number().optional(),
      method: z.string().optional(),
      alternative: z.string().optional(),
      populationSize: z.number().optional(),
    }),
    run: (input) =>
      proportionCI({ ...input, method: input.method as ProportionCIMethod, alternative: input.alternative as Alternative }),
  }),
  "proportion-diff-ci": defineCommand({
    summary: "Confidence interval for p1 − p2 of two independent proportions.",
    input: "x1, n1, x2, n2, level (0.95), method (newcombe | newcombe-cc | wald | wald-cc | agresti-caffo | miettinen-nurminen | mee)",
    output: "difference, lower, upper, method, level, x1, n1, x2, n2",
    schema: z.strictObject({
      x1: count,
      n1: count,
      x2: count,
      n2: count,
      level: z.number().optional(),
      method: z.string().optional(),
    }),
    run: (input) => proportionDiffCI({ ...input, method: input.method as ProportionDiffCIMethod }),
  }),
  "sample-size": defineCommand({
    summary: "Sample size to estimate a proportion within ±margin.",
    input: "margin, level (0.95), p (0.5), populationSize (optional), rounding (up | nearest)",
    output: "n, n0 (unrounded, infinite population), margin, level, p, populationSize, rounding",
    schema: z.strictObject({
      margin: z.number(),
      level: z.number().optional(),
      p: z.number().optional(),
      populationSize: z.number().optional(),
      rounding: z.string().optional(),
    }),
    run: (input) => sampleSize({ ...input, rounding: input.rounding as SampleSizeRounding }),
  }),
  "cohen-kappa": defineCommand({
    summary: "Cohen's kappa for two raters, with SE, interval and z test.",
    input: "table (k × k counts, rows = rater A) or rater1 + rater2 (equal-length label arrays, null = missing), weights (none | linear | quadratic), categories (optional order), level (0.95)",
    output: "kappa, se, seNull, lower, upper, z, pValue, observedAgreement, expectedAgreement, n, categories, weights, level",
    schema: z.strictObject({
      table: z.array(z.array(z.number())).optional(),
      rater1: z.array(maybeLabel).optional(),
      rater2: z.array(maybeLabel).optional(),
      weights: z.string().optional(),
      categories: z.array(label).optional(),
      level: z.number().optional(),
    }),
    run: (input) => {
      const options = { weights: input.weights as KappaWeights | undefined, categories: input.categories, level: input.level };
      if (input.table !== undefined) {
        if (input.rater1 !== undefined || input.rater2 !== undefined) {
          throw new StatsInputError("Give either table or rater1 and rater2, not both.");
        }
        return cohenKappa({ table: input.table } as CohenKappaInput, options);
      }
      if (input.rater1 === undefined || input.rater2 === undefined) {
        throw new StatsInputError("cohen-kappa needs either table or both rater1 and rater2.");
      }
      return cohenKappa({ rater1: input.rater1, rater2: input.rater2 }, options);
    },
  }),
  "fleiss-kappa": defineCommand({
    summary: "Fleiss' kappa for a fixed number of raters per subject.",
    input: "ratings (subjects × raters labels) or counts (subjects × categories)",
    output: "kappa, z, pValue, seNull, subjects, raters, categories",
    schema: z.strictObject({
      ratings: z.array(z.array(maybeLabel)).optional(),
      counts: z.array(z.array(z.number())).optional(),
    }),
    run: (input) => {
      if ((input.ratings === undefined) === (input.counts === undefined)) {
        throw new StatsInputError("fleiss-kappa needs exactly one of ratings or counts.");
      }
      return fleissKappa(input as FleissKappaInput);
    },
  }),
  "krippendorff-alpha": defineCommand({
    summary: "Krippendorff's alpha with missing data.",
    input: "data (coders × units, null = missing), level (nominal | ordinal | interval | ratio)",
    output: "alpha, level, pairableValues, pairableUnits, observedDisagreement, expectedDisagreement",
    schema: z.strictObject({ data: z.array(z.array(maybeLabel)), level: z.string().optional() }),
    run: (input) => krippendorffAlpha({ data: input.data, level: input.level as KrippendorffLevel | undefined }),
  }),
  "sd-ci": defineCommand({
    summary: "Chi-square confidence interval for a standard deviation.",
    input: "values, or sd and n; level (0.90, as in the reference study)",
    output: "sd, lower, upper, n, level",
    schema: z.strictObject({
      values: numbers.optional(),
      sd: z.number().optional(),
      n: z.number().optional(),
      level: z.number().optional(),
    }),
    run: (input) => {
      if (input.values !== undefined) {
        if (input.sd !== undefined || input.n !== undefined) throw new StatsInputError("Give either values or sd and n, not both.");
        return sdConfidenceInterval({ values: input.values, level: input.level });
      }
      if (input.sd === undefined || input.n === undefined) throw new StatsInputError("sd-ci needs values, or both sd and n.");
      return sdConfidenceInterval({ sd: input.sd, n: input.n, level: input.level });
    },
  }),
  levene: defineCommand({
    summary: "Levene / Brown–Forsythe test of equal variances.",
    input: "groups (array of arrays), center (median = Brown–Forsythe | mean = Levene)",
    output: "statistic, pValue, df1, df2, center",
    schema: z.strictObject({ groups: z.array(numbers), center: z.string().optional() }),
    run: (input) => leveneTest(input.groups, { center: input.center as LeveneCenter | undefined }),
  }),
  "mann-whitney": defineCommand({
    summary: "Mann–Whitney U test of x against y.",
    input: "x, y, alternative (two-sided | less | greater), method (auto | exact | asymptotic), continuity (true)",
    output: "u (statistic for x), pValue, method, alternative",
    schema: z.strictObject({
      x: numbers,
      y: numbers,
      alternative: z.string().optional(),
      method: z.string().optional(),
      continuity: z.boolean().optional(),
    }),
    run: (input) =>
      mannWhitneyU(input.x, input.y, {
        alternative: input.alternative as Alternative | undefined,
        method: input.method as MannWhitneyMethod | undefined,
        continuity: input.continuity,
      }),
  }),
  "cohens-d": defineCommand({
    summary: "Cohen's d with the pooled SD (n − 1).",
    input: "x, y",
    output: "d",
    schema: z.strictObject({ x: numbers, y: numbers }),
    run: (input) => ({ d: cohensD(input.x, input.y) }),
  }),
  "variance-summary": defineCommand({
    summary: "Summary of a set of runs: mean, SD, range, relative difference, CV.",
    input: "values",
    output: "n, mean, sd, min, max, diff, relativeDiff ((max − min)/min, null if min ≤ 0), cv (sd/mean, null if mean ≤ 0)",
    schema: z.strictObject({ values: numbers }),
    run: (input) => varianceSummary(input.values),
  }),
  "bootstrap-ci": defineCommand({
    summary: "Seeded bootstrap interval for a mean or median.",
    input: "values, statistic (mean | median), level (0.95), resamples (9999), seed (1), method (percentile | bca)",
    output: "estimate, lower, upper, statistic, method, level, resamples, seed",
    schema: z.strictObject({
      values: numbers,
      statistic: z.string().optional(),
      level: z.number().optional(),
      resamples: z.number().optional(),
      seed: z.number().optional(),
      method: z.string().optional(),
    }),
    run: (input) =>
      bootstrapCI({
        ...input,
        seed: input.seed ?? 1,
        statistic: input.statistic as BootstrapStatistic | undefined,
        method: input.method as BootstrapMethod | undefined,
      }),
  }),
  "p-adjust": defineCommand({
    summary: "Multiple-comparison adjusted p-values.",
    input: "pValues, method (bonferroni | holm | bh)",
    output: "adjusted, method",
    schema: z.strictObject({ pValues: numbers, method: z.string() }),
    run: (input) => ({ adjusted: pAdjust(input.pValues, input.method as PAdjustMethod), method: input.method }),
  }),
  "test-set-noise": defineCommand({
    summary: "Run-to-run SD of an accuracy beside the SD binomial sampling of the test images implies.",
    input: "accuracies (one proportion per run), testImages, alpha (0.05), level (0.90, for the observed SD's interval)",
    output: "runs, testImages, meanAccuracy, observedSd, observedSdLower, observedSdUpper, observedDiff, noiseSd, noiseSdUpperBound, ratio, chiSquare, df, pValue, alpha, withinNoise",
    schema: z.strictObject({ accuracies: numbers, testImages: count, alpha: z.number().optional(), level: z.number().optional() }),
    run: (input) => {
      const { observedSdInterval, ...rest } = testSetNoise(input);
      return { ...rest, observedSdLower: observedSdInterval.lower, observedSdUpper: observedSdInterval.upper, level: observedSdInterval.level };
    },
  }),
  "prediction-disagreement": defineCommand({
    summary: "Mean pairwise disagreement of runs' predicted classes on the same test images, bootstrap over images.",
    input: "predictions (runs × images class indices), level (0.95), resamples (2000), seed (1)",
    output: "runs, images, pairs, meanRate, lower, upper, minPairRate, maxPairRate, method, level, resamples, seed",
    schema: z.strictObject({ predictions: z.array(numbers), level: z.number().optional(), resamples: z.number().optional(), seed: z.number().optional() }),
    run: (input) => predictionDisagreement({ ...input, seed: input.seed ?? 1 }),
  }),
  "p-a-beats-b": defineCommand({
    summary: "P(A > B) of two sets of runs (ties half) with a percentile bootstrap interval and Bouthillier et al.'s verdict.",
    input: "a, b, level (0.95), threshold (0.75), resamples (9999), seed (1)",
    output: "estimate, lower, upper, u, nA, nB, level, threshold, resamples, seed, method, significant, meaningful, verdict",
    schema: z.strictObject({ a: numbers, b: numbers, level: z.number().optional(), threshold: z.number().optional(), resamples: z.number().optional(), seed: z.number().optional() }),
    run: (input) => probabilityOfOutperforming({ ...input, seed: input.seed ?? 1 }),
  }),
  "noncentral-t-cdf": defineCommand({
    summary: "CDF of the noncentral t distribution (Lenth's AS 243).",
    input: "t, df, delta",
    output: "cdf",
    schema: z.strictObject({ t: z.number(), df: z.number(), delta: z.number() }),
    run: (input) => ({ cdf: noncentralTCdf(input.t, input.df, input.delta) }),
  }),
  "t-power": defineCommand({
    summary: "Power of the two-sided two-sample t test with n runs per configuration (Welch df).",
    input: "runs, sdA, sdB, difference, alpha (0.05)",
    output: "power",
    schema: z.strictObject({ runs: count, sdA: z.number(), sdB: z.number(), difference: z.number(), alpha: z.number().optional() }),
    run: (input) => ({ power: twoSampleTPower(input) }),
  }),
  "runs-needed": defineCommand({
    summary: "Runs per configuration to detect a difference of means with the given power (noncentral t).",
    input: "sdA, sdB, difference, power (0.8), alpha (0.05), maxRuns (100000)",
    output: "runs (null when maxRuns is not enough), achievedPower, df, normalApproximation, sdA, sdB, difference, power, alpha, method",
    schema: z.strictObject({ sdA: z.number(), sdB: z.number(), difference: z.number(), power: z.number().optional(), alpha: z.number().optional(), maxRuns: z.number().optional() }),
    run: (input) => runsNeeded(input),
  }),
  "wrong-winner": defineCommand({
    summary: "How often comparing k runs per configuration picks the configuration with the lower mean, by resampling the runs.",
    input: "a, b, runsPerSide (1), simulations (20000), seed (1)",
    output: "rate, lower, upper (simulation error only), better, runsPerSide, simulations, seed, nA, nB, method",
    schema: z.strictObject({ a: numbers, b: numbers, runsPerSide: z.number().optional(), simulations: z.number().optional(), seed: z.number().optional() }),
    run: (input) => wrongWinnerRate({ ...input, seed: input.seed ?? 1 }),
  }),
  "best-of-k": defineCommand({
    summary: "Expected best of k runs minus the mean, k = 1..n, with percentile bootstrap intervals.",
    input: "values, level (0.95), resamples (2000), seed (1)",
    output: "n, mean, k[], expectedBest[], inflation[], lower[], upper[], level, resamples, seed, method",
    schema: z.strictObject({ values: numbers, level: z.number().optional(), resamples: z.number().optional(), seed: z.number().optional() }),
    run: (input) => {
      const { rows, ...rest } = bestOfKInflation({ ...input, seed: input.seed ?? 1 });
      return {
        ...rest,
        k: rows.map((row) => row.k),
        expectedBest: rows.map((row) => row.expectedBest),
        inflation: rows.map((row) => row.inflation),
        lower: rows.map((row) => row.lower),
        upper: rows.map((row) => row.upper),
      };
    },
  }),
} satisfies Record<string, CommandSpec>;

export type StatsCommandName = keyof typeof STATS_COMMANDS;

/** True when `name` is one of the CLI commands. */
export const isStatsCommand = (name: string): name is StatsCommandName => Object.hasOwn(STATS_COMMANDS, name);

/** Turns the first zod issue into one sentence naming the field. */
function describeIssue(command: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `Invalid input for ${command}.`;
  if (issue.code === "unrecognized_keys") {
    return `Unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")} for ${command}; see --help.`;
  }
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "input";
  return `Invalid ${field} for ${command}: ${issue.message.replace(/^Invalid input: /, "")}.`;
}

/**
 * Runs one CLI command on an already-parsed JSON value.
 * @param command one of {@link STATS_COMMANDS}.
 * @param input the parsed JSON input (must be an object).
 * @returns the command's result object (plain JSON data).
 * @throws StatsInputError for an unknown command, a malformed input object, or invalid values.
 */
export function runStatsCommand(command: string, input: unknown): unknown {
  if (!isStatsCommand(command)) {
    throw new StatsInputError(`Unknown command "${command}"; use one of: ${Object.keys(STATS_COMMANDS).join(", ")}.`);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new StatsInputError(`${command} reads one JSON object, e.g. {"x": 755, "n": 901}.`);
  }
  const spec: CommandSpec = STATS_COMMANDS[command];
  const parsed = spec.schema.safeParse(input);
  if (!parsed.success) throw new StatsInputError(describeIssue(command, parsed.error));
  return spec.run(parsed.data as never);
}

/** The --help text: usage, then every command with its input and output fields. */
export function statsHelpText(): string {
  const lines = [
    "Usage: npx tsx scripts/stats.ts <command> < input.json",
    "Reads one JSON object on stdin and writes one JSON object on stdout (numbers unrounded).",
    'Invalid input exits 1 with {"error": "<sentence>"} on stderr. Proportions are on the 0–1 scale.',
    "",
    "Commands:",
  ];
  for (const [name, spec] of Object.entries(STATS_COMMANDS)) {
    lines.push(`  ${name}`, `      ${spec.summary}`, `      input:  ${spec.input}`, `      output: ${spec.output}`);
  }
  lines.push("", "Example: echo '{\"x\":755,\"n\":901}' | npx tsx scripts/stats.ts proportion-ci");
  return lines.join("\n");
}
