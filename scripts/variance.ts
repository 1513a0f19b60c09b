/**
 * Training-variance runner CLI: `npm run variance -- <command> [options]`.
 * Argument parsing, validation and printing only; the work is in lib/runner.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import { compareSets, groupRunsBySet, summarizeSet, type SetComparison } from "../lib/runner/analysis";
import { DATASET_SOURCES, fetchDataset } from "../lib/runner/data/fetch";
import { executeRequest } from "../lib/runner/execute";
import { availableImplementations, parseImplementations } from "../lib/runner/implementation";
import { SOURCE_SETTINGS } from "../lib/runner/result-schema";
import { planFamily, runRequestSchema } from "../lib/runner/plan";
import { commonRunRequest, integerOption, requestProblem, RUN_VALUE_OPTIONS, RunArgumentError, runRequestFromOptions, textOption } from "../lib/runner/run-arguments";
import { decomposeFamily, familiesIn, VARIABLE_SOURCES, type VariableSource } from "../lib/runner/source-family";
import { PRESETS } from "../lib/runner/presets";
import { formatProgressLine, ProgressTracker } from "../lib/runner/progress";
import { formatDuration } from "../lib/format";
import { formatComparisons, formatFamilyDecomposition, formatPairAnalysis, formatSetSummary } from "../lib/runner/report";
import { analyzePair, DEFAULT_PLANNER_INPUTS } from "../lib/runner/pair-analysis";
import type { RunResult } from "../lib/runner/result-schema";
import { pairAnalysisMethods } from "../lib/dashboard/methods";
import { mergeResultDirectories, readResultsDirectory, selectRunsToImport } from "../lib/runner/results-io";

/** An expected failure: printed as one line, exit code 1 (2 for usage errors). */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const HELP: Record<string, string> = {
  main: `Usage: npm run variance -- <command> [options]

Commands:
  presets               list the experiment presets
  run                   run sets of identical trainings (resumable, parallel, shardable)
  summarize <dir>       print per-set tables (like the study's Tables 2 and 3) and between-set tests
  compare <dirA> [<dirB>] --a <set> --b <set>   P(A > B), runs needed, wrong-winner rate, best-of-k, test-set noise
  merge <dir...> --out <dir>   merge result directories (e.g. shards) idempotently
  import <dir>          validate a results directory and load it into the app's database
  fetch-data <dataset>  download mnist, cifar10 or cifar100 with SHA-256 verification

Run "npm run variance -- <command> --help" for a command's options.`,
  presets: `Usage: npm run variance -- presets [--verbose]
Lists the presets: the study's six experiments and quick ones. --verbose adds hyper-parameters and assumptions.`,
  run: `Usage: npm run variance -- run --preset <name> --out <dir> [options]

  --preset <name>         preset to run (see "presets")
  --setting <s>           default | fixed-seed | both | cross-implementation   (default: both)
  --runs <n>              runs per set (default 16)
  --implementations <l>   cross-implementation only: comma-separated backend[:threads=N][:onednn=on|off]
                          (default: wasm,cpu and, where npm run setup:tensorflow installed it, tensorflow with 1
                          and all threads, oneDNN off and on)
  --repeats <n>           cross-implementation only: runs per implementation (default 2; 2+ audits determinism;
                          1 in a --sources family, whose control audits the family's own implementation)
  --sources <list>        variance by source: init,order,dropout,augment,implementation,one-bit. Runs one set per
                          source that varies it alone (every other seed fixed at --seed), plus the all-fixed control
                          (fixed-seed) and the default setting when absent; --runs per set (the implementation set:
                          one run per implementation in --implementations, default: all available but cpu).
                          A source the preset does not use (LeNets: dropout, augmentation) is skipped with a note.
  --label <text>          one sentence saying what these sets are, kept in every result line and shown in the app
  --out <dir>             results directory (JSON Lines); re-running resumes: finished runs are never redone
  --seed <n>              master seed of the fixed-seed setting (default 42)
  --backend <b>           wasm | cpu | tensorflow (default wasm; tensorflow needs npm run setup:tensorflow)
  --threads <n>           tensorflow: intra-op threads per run (default 1); recorded, part of the set's identity
  --onednn <on|off>       tensorflow: TensorFlow's oneDNN kernels (default on); recorded, part of the set's identity
  --workers <n>           parallel worker processes, one run each (default: ${os.availableParallelism()} = cores)
  --shard <i/N>           run only the i-th of N disjoint slices of the runs (for Slurm arrays, k8s indexed Jobs)
  --epochs <n>  --batch-size <n>  --train-size <n>  --val-size <n>  --test-size <n>   override the preset
  --data-dir <dir>        where real datasets live (default data/datasets)
  --in-process            run sequentially in this process (debugging)
  --verbose               print stack traces on errors

Ctrl-C stops after recording the finished runs; run the same command again to resume.
A crashed run is recorded as a failure, the others go on, and it is retried on the next invocation.`,
  summarize: `Usage: npm run variance -- summarize <dir> [--exclude-weak]
Prints, per set: accuracy Diff, SD with 90% interval, largest per-class Diff and SD, weak models,
time-to-checkpoint Diff/RelDiff/RelSDev and epochs, for both selection criteria, with the study's values
beside them; then Levene, Mann–Whitney U and Cohen's d between sets of the same preset; then, for each
variance-by-source family (run --sources), its decomposition table: per source, SD with 90% interval, share
of the default setting's variance, per-class Diff and SD, the control's zero-spread check and a methods paragraph.
  --exclude-weak   leave runs below 20% accuracy out of the statistics (they are still listed)`,
  compare: `Usage: npm run variance -- compare <dirA> [<dirB>] [--a <set>] [--b <set>] [options]
Compares two sets of runs (the dashboard's Analysis panel, same numbers): P(A > B) with its bootstrap interval and
Bouthillier et al.'s verdict, Mann–Whitney U and Cohen's d, the runs needed to detect a difference, how often
comparisons of 1, 2, 3, 5, 10 runs pick the wrong winner, best-of-k inflation, and per class the run-to-run SD
beside the SD test-set sampling implies (and the runs' prediction disagreement when predictions are recorded).
  --a <set>, --b <set>   set id or a unique prefix of it (e.g. lenet1-digits/default); needed when a directory
                         holds more than one set. Without <dirB>, both sets come from <dirA>.
  --criterion <c>        bestLoss (default) | bestAccuracy: the checkpoint whose test accuracy is compared
  --difference <pts>     planner: difference of mean accuracy to detect, in points (default 0.5)
  --power <p>            planner: power (default 0.8)
  --alpha <a>            planner: two-sided significance level (default 0.05)
  --sd <pts>             planner: a guessed SD for both configurations instead of the observed ones
Example: npm run variance -- compare data/demo/runner --a lenet1-digits/default/0feb --b lenet5-digits/default`,
  merge: `Usage: npm run variance -- merge <dir...> --out <dir>
Copies the runs of the input directories into <out>/results.jsonl, once per run: merging again, or after a
failed shard was re-run, adds only runs not yet there.`,
  import: `Usage: npm run variance -- import <dir> [--study <slug>] [--skip-invalid]
Validates every line of the results directory and imports it into the study given by --study (which may be
left out only when the database holds exactly one study). A broken line or an unknown schemaVersion stops the import
with a clear message unless --skip-invalid is given, which imports the valid runs only. Importing the same
runs twice changes nothing.`,
  "fetch-data": `Usage: npm run variance -- fetch-data <mnist|cifar10|cifar100> [--data-dir <dir>]
Downloads the dataset from its public source into --data-dir (default data/datasets), checking SHA-256
before keeping any file. Needs internet access; training itself never downloads.`,
};

type ParsedArgs = { values: Record<string, string | boolean | undefined>; positionals: string[] };
type OptionValues = ParsedArgs["values"];

/** Options that take a value, for parseArgs. */
const valueOptions = (...names: string[]): ParseArgsConfig["options"] => Object.fromEntries(names.map((name) => [name, { type: "string" as const }]));

/** --name as a finite number, or undefined when it was not given. */
const numberOption = (values: OptionValues, name: string): number | undefined => {
  const value = textOption(values, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number)) throw new CliError(`--${name} must be a number, got '${value}'`, 2);
  return number;
};

function parse(command: string, args: string[], options: ParseArgsConfig["options"]): ParsedArgs {
  try {
    return parseArgs({ args, options: { help: { type: "boolean" }, verbose: { type: "boolean" }, ...options }, allowPositionals: true, strict: true }) as ParsedArgs;
  } catch (error) {
    throw new CliError(`${(error as Error).message.split("\n")[0]} (see: npm run variance -- ${command} --help)`, 2);
  }
}

async function commandPresets(args: string[]): Promise<void> {
  const { values } = parse("presets", args, {});
  if (values.help) return void console.log(HELP.presets);
  for (const preset of PRESETS) {
    const t = preset.training;
    console.log(`${preset.name.padEnd(20)} ${preset.isStudyPreset ? "[study]" : "[quick]"} ${preset.description}`);
    if (values.verbose) {
      const sizes = `train ${t.sizes.train ?? "all"} / val ${t.sizes.validation ?? 7500} / test ${t.sizes.test ?? 2500}`;
      console.log(`    ${t.architecture} on ${t.dataset} (${sizes}); ${t.epochs} epochs, batch ${t.batchSize}, ${JSON.stringify(t.optimizer)}`);
      for (const assumption of preset.assumptions) console.log(`    - ${assumption}`);
    }
  }
}

async function commandRun(args: string[]): Promise<void> {
  const { values } = parse("run", args, { ...valueOptions(...RUN_VALUE_OPTIONS), "in-process": { type: "boolean" } });
  if (values.help) return void console.log(HELP.run);
  if (values.sources !== undefined) return commandRunFamily(values);
  await execute(await runRequestFromOptions(values), values["in-process"] === true);
}

/** Parses --sources: a comma-separated list of VARIABLE_SOURCES ("augment" is accepted for augmentation). */
function parseSources(text: string): VariableSource[] {
  const sources: VariableSource[] = [];
  for (const item of text.split(",").map((part) => part.trim()).filter(Boolean)) {
    const name = item === "augment" ? "augmentation" : item;
    if (!(VARIABLE_SOURCES as readonly string[]).includes(name)) throw new CliError(`--sources: unknown source '${item}' (known: init, order, dropout, augment, implementation, one-bit)`, 2);
    if (!sources.includes(name as VariableSource)) sources.push(name as VariableSource);
  }
  if (sources.length === 0) throw new CliError("--sources needs at least one source (init, order, dropout, augment, implementation, one-bit)", 2);
  return sources;
}

/** `run --sources`: a variance-by-source family, then its decomposition and the control's check. */
async function commandRunFamily(values: OptionValues): Promise<void> {
  if (values.setting !== undefined) throw new CliError("--sources plans its own sets (default, the fixed-seed control and one per source); leave --setting out", 2);
  const sources = parseSources(values.sources as string);
  const common = commonRunRequest(values);
  let implementations: Array<{ backend: "wasm" | "cpu" | "tensorflow"; threads?: number; onednn?: boolean }> = [];
  if (sources.includes("implementation")) {
    if (values.implementations !== undefined) {
      const parsed = parseImplementations(values.implementations as string);
      if (!parsed.ok) throw new CliError(parsed.error, 2);
      implementations = parsed.implementations;
    } else {
      // cpu is tfjs's pure-JavaScript reference backend, some 100 times slower than wasm: name it to include it.
      implementations = (await availableImplementations()).filter((implementation) => implementation.backend !== "cpu");
    }
  } else if (values.implementations !== undefined) throw new CliError("--implementations applies to the implementation source only (add it to --sources)", 2);
  const request = runRequestSchema.safeParse({ ...common, sources, implementations, repeats: integerOption(values, "repeats") ?? 1 });
  if (!request.success) throw new CliError(requestProblem(request.error), 2);
  const plan = planFamily(request.data);
  console.log(`Family ${plan.id}: ${plan.members.map((member) => `${member.source} (${member.setting})`).join(", ")}.`);
  for (const skipped of plan.skipped) console.log(`Skipped source '${skipped.source}': ${skipped.reason}.`);
  await execute(request.data, values["in-process"] === true);
  const read = await readResultsDirectory(request.data.outDir);
  const family = familiesIn(read.runs).get(plan.id);
  if (family) {
    const decomposition = decomposeFamily(family);
    console.log("");
    console.log(formatFamilyDecomposition(decomposition));
    if (decomposition.control.warning) throw new CliError(decomposition.control.warning);
  }
}

async function execute(request: z.infer<typeof runRequestSchema>, inProcess: boolean): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  process.on("SIGINT", () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write("\nStopping: finished runs are saved; run the same command again to resume. (Ctrl-C again to quit now)\n");
    controller.abort();
  });

  const isTty = process.stderr.isTTY === true;
  let tracker: ProgressTracker | undefined;
  let lastDraw = 0;
  const draw = (force: boolean) => {
    if (!tracker) return;
    const now = Date.now();
    if (!force && now - lastDraw < (isTty ? 250 : 10_000)) return;
    lastDraw = now;
    const line = formatProgressLine(tracker.snapshot(now));
    if (isTty) process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 160) - 1)}`);
    else process.stderr.write(`${line}\n`);
  };
  const summary = await executeRequest(request, {
    mode: inProcess ? "in-process" : "processes",
    signal: controller.signal,
    onPlanned: ({ total, skipped }) => {
      tracker = new ProgressTracker(total, skipped, Date.now());
      process.stderr.write(`${total} run(s) in this ${request.shard.count > 1 ? `shard (${request.shard.index}/${request.shard.count})` : "invocation"}; ${skipped} already done in ${request.outDir}.\n`);
    },
    onEvent: (event) => {
      tracker?.record(event);
      if (event.type === "failed") {
        if (isTty) process.stderr.write("\n");
        process.stderr.write(`run ${event.spec.setting} #${event.spec.runIndex + 1} failed: ${event.error}\n`);
      }
      draw(event.type !== "progress");
    },
  });
  if (isTty) process.stderr.write("\n");
  const elapsed = tracker ? formatDuration(tracker.snapshot(Date.now()).elapsedSeconds) : "0s";
  console.log(
    `${summary.completed} run(s) completed, ${summary.skipped} resumed, ${summary.failed.length} failed in ${elapsed}; results in ${summary.resultsFile}`,
  );
  if (summary.interrupted) throw new CliError("interrupted; run the same command again to resume", 130);
  if (summary.failed.length > 0) throw new CliError(`${summary.failed.length} run(s) failed (recorded; they are retried when you run the command again)`);
}

async function readDirectoryOrFail(directory: string | undefined, command: string) {
  if (!directory) throw new CliError(`a results directory is required (see: npm run variance -- ${command} --help)`, 2);
  if (!existsSync(directory)) throw new CliError(`results directory not found: ${directory}`, 2);
  return readResultsDirectory(directory);
}

async function commandSummarize(args: string[]): Promise<void> {
  const { values, positionals } = parse("summarize", args, { "exclude-weak": { type: "boolean" } });
  if (values.help) return void console.log(HELP.summarize);
  const read = await readDirectoryOrFail(positionals[0], "summarize");
  for (const error of read.errors) console.error(`skipped ${path.basename(error.file)}:${error.line}: ${error.message}`);
  if (read.runs.length === 0) throw new CliError(`no valid runs in ${positionals[0]}`);
  const sets = groupRunsBySet(read.runs);
  for (const [setId, runs] of sets) {
    const result = summarizeSet(runs, { excludeWeak: values["exclude-weak"] === true });
    console.log(result.ok ? formatSetSummary(result.summary) : `Set ${setId}: ${result.error}`);
    console.log("");
  }
  const comparisons: SetComparison[] = [];
  const entries = [...sets.entries()];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [, a] = entries[i]!;
      const [, b] = entries[j]!;
      if (a[0]!.preset !== b[0]!.preset || a.length < 2 || b.length < 2) continue;
      // Sets of a source family are compared in its decomposition table instead.
      if (isSourceSetting(a[0]!.setting) || isSourceSetting(b[0]!.setting)) continue;
      comparisons.push(compareSets(a, b, "bestLoss"), compareSets(a, b, "bestAccuracy"));
    }
  }
  if (comparisons.length > 0) {
    console.log("Between sets (test accuracy, %)");
    console.log(formatComparisons(comparisons));
  }
  for (const family of familiesIn(read.runs).values()) {
    console.log("");
    console.log(formatFamilyDecomposition(decomposeFamily(family)));
  }
  if (read.failures.length > 0) console.log(`\n${read.failures.length} run(s) failed and have not been redone yet.`);
}

/** A set of a results directory by exact id or unique prefix; the only set when none is named. */
function pickSet(sets: Map<string, RunResult[]>, wanted: string | undefined, flag: string, directory: string): RunResult[] {
  const ids = [...sets.keys()];
  if (wanted === undefined) {
    if (ids.length === 1) return sets.get(ids[0]!)!;
    throw new CliError(`${directory} holds ${ids.length} sets; name one with ${flag} (${ids.join(", ")})`, 2);
  }
  const exact = sets.get(wanted);
  if (exact) return exact;
  const matches = ids.filter((id) => id.startsWith(wanted));
  if (matches.length === 1) return sets.get(matches[0]!)!;
  throw new CliError(matches.length === 0 ? `no set matching ${flag} '${wanted}' in ${directory} (sets: ${ids.join(", ")})` : `${flag} '${wanted}' matches ${matches.length} sets (${matches.join(", ")}); give more of the id`, 2);
}

async function commandCompare(args: string[]): Promise<void> {
  const { values, positionals } = parse("compare", args, { ...valueOptions("a", "b", "criterion", "difference", "power", "alpha", "sd") });
  if (values.help) return void console.log(HELP.compare);
  if (positionals.length < 1 || positionals.length > 2) throw new CliError("usage: compare <dirA> [<dirB>] [--a <set>] [--b <set>]", 2);
  const [dirA, dirB = positionals[0]!] = positionals as [string, string?];
  const criterion = textOption(values, "criterion") ?? "bestLoss";
  if (criterion !== "bestLoss" && criterion !== "bestAccuracy") throw new CliError(`--criterion must be bestLoss or bestAccuracy, got '${criterion}'`, 2);
  const readA = await readDirectoryOrFail(dirA, "compare");
  const readB = dirB === dirA ? readA : await readDirectoryOrFail(dirB, "compare");
  for (const error of [...readA.errors, ...(readB === readA ? [] : readB.errors)]) console.error(`skipped ${path.basename(error.file)}:${error.line}: ${error.message}`);
  const a = pickSet(groupRunsBySet(readA.runs), textOption(values, "a"), "--a", dirA);
  const b = pickSet(groupRunsBySet(readB.runs), textOption(values, "b"), "--b", dirB);
  if (a[0]!.setId === b[0]!.setId) throw new CliError("--a and --b name the same set; compare two different sets", 2);
  const planner = {
    difference: numberOption(values, "difference") ?? DEFAULT_PLANNER_INPUTS.difference,
    power: numberOption(values, "power") ?? DEFAULT_PLANNER_INPUTS.power,
    alpha: numberOption(values, "alpha") ?? DEFAULT_PLANNER_INPUTS.alpha,
    guessedSd: numberOption(values, "sd") ?? null,
  };
  const analysis = analyzePair(a, b, { criterion, planner });
  console.log(formatPairAnalysis(analysis, pairAnalysisMethods(analysis)));
}
const isSourceSetting = (setting: string) => (SOURCE_SETTINGS as readonly string[]).includes(setting);

async function commandMerge(args: string[]): Promise<void> {
  const { values, positionals } = parse("merge", args, { out: { type: "string" } });
  if (values.help) return void console.log(HELP.merge);
  if (positionals.length === 0 || values.out === undefined) throw new CliError("usage: merge <dir...> --out <dir>", 2);
  for (const input of positionals) if (!existsSync(input)) throw new CliError(`results directory not found: ${input}`, 2);
  const result = await mergeResultDirectories({ inputs: positionals, outputFile: path.join(values.out as string, "results.jsonl") });
  for (const error of result.errors) console.error(`skipped ${path.basename(error.file)}:${error.line}: ${error.message}`);
  for (const key of result.conflicts) console.error(`warning: run ${key} appears with different weights in different files; kept the first`);
  console.log(`${result.written} run(s) added, ${result.alreadyPresent} already present.`);
}

async function commandImport(args: string[]): Promise<void> {
  const { values, positionals } = parse("import", args, { "skip-invalid": { type: "boolean" }, study: { type: "string" } });
  if (values.help) return void console.log(HELP.import);
  const read = await readDirectoryOrFail(positionals[0], "import");
  const selection = selectRunsToImport(read, { importValidDespiteErrors: values["skip-invalid"] === true });
  if (!selection.ok) throw new CliError(`${selection.error} (use --skip-invalid)`);
  console.log(`${selection.runs.length} valid run(s) in ${groupRunsBySet(selection.runs).size} set(s)${selection.skippedLines ? `, ${selection.skippedLines} line(s) skipped` : ""}.`);
  // Loaded only here: the other commands never touch the database (or need its client generated).
  const runs = await import("../lib/db/runs");
  const studySlug = textOption(values, "study");
  if (studySlug !== undefined && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(studySlug)) throw new CliError(`--study must be a study's short name (lower-case letters, digits, hyphens), got '${studySlug}'`, 2);
  const outcome = await runs.importRunsFromCommandLine({ runs: selection.runs, directory: positionals[0]!, studySlug });
  console.log(`${outcome.imported} run(s) imported into study "${outcome.study}", ${outcome.alreadyPresent} already present (${outcome.target}).`);
}

async function commandFetchData(args: string[]): Promise<void> {
  const { values, positionals } = parse("fetch-data", args, { "data-dir": { type: "string" } });
  if (values.help) return void console.log(HELP["fetch-data"]);
  const dataset = z.enum(Object.keys(DATASET_SOURCES) as ["mnist", "cifar10", "cifar100"]).safeParse(positionals[0]);
  if (!dataset.success) throw new CliError(`fetch-data needs one of: ${Object.keys(DATASET_SOURCES).join(", ")}`, 2);
  const result = await fetchDataset({
    dataset: dataset.data,
    dataDir: (textOption(values, "data-dir")) ?? "data/datasets",
    onProgress: (message) => console.error(message),
  });
  if (!result.ok) throw new CliError(result.error);
  console.log(`${dataset.data}: ${result.files.length} file(s) verified and written.`);
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  presets: commandPresets,
  run: commandRun,
  summarize: commandSummarize,
  compare: commandCompare,
  merge: commandMerge,
  import: commandImport,
  "fetch-data": commandFetchData,
};

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") return void console.log(HELP.main);
  const handler = COMMANDS[command];
  if (!handler) throw new CliError(`unknown command '${command}' (commands: ${Object.keys(COMMANDS).join(", ")})`, 2);
  await handler(rest);
}

const verbose = process.argv.includes("--verbose");
main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof CliError || error instanceof RunArgumentError) {
      console.error(`error: ${error.message}`);
      process.exit(error instanceof CliError ? error.exitCode : 2);
    }
    console.error(`error: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    if (verbose && error instanceof Error) console.error(error.stack);
    process.exit(1);
  },
);
