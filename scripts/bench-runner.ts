/**
 * npm run bench:runner — training throughput of the variance runner, side by side in one process:
 * stock `cpu` backend vs our `wasm` backend on LeNet-5, LeNet-1 and ResNet-20 (batch 64, synthetic
 * MNIST- and CIFAR-shaped data), then the wall time of a 16-run set with 1 worker vs all cores
 * through the runner's own process pool, checking the two sets' final weights are bit-identical.
 *
 * A benchmark, not a test: it reports numbers and whether the issue's targets were met; with
 * --record it adds them, with machine, load and date, to docs/benchmarks.md.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { initBackend, type BackendInfo } from "../lib/runner/backend";
import { measureTrainingThroughput, type ThroughputResult } from "../lib/runner/backend/throughput";
import type { Architecture } from "../lib/runner/models";

const HELP = `Usage: npm run bench:runner -- [options]

Measures training throughput (samples/s, batch 64) on the stock cpu backend and on the wasm
backend for LeNet-5, LeNet-1 and ResNet-20, then the speed-up of a 16-run set from 1 worker to
all cores. Takes about 5-10 minutes on 2 cores.

Options:
  --models <list>        comma-separated subset of lenet5,lenet1,resnet20 (default: all)
  --seconds <n>          minimum timed seconds per wasm measurement (default 10)
  --cpu-seconds <n>      minimum timed seconds per cpu measurement, at least one step (default 15)
  --scaling-runs <n>     runs in the scaling set (default 16)
  --scaling-workers <n>  workers for the parallel set (default: all cores = ${os.availableParallelism()})
  --scaling-epochs <n>   epochs per run in the scaling set (default 2; preset lenet1-quick)
  --no-scaling           skip the worker-scaling measurement
  --record               add the results to docs/benchmarks.md (section "Runner throughput")
  --help                 show this help
`;

const MODEL_SETUPS: Record<"lenet5" | "lenet1" | "resnet20", { architecture: Architecture; inputShape: [number, number, number]; optimizer: "sgd" | "adam"; label: string }> = {
  lenet5: { architecture: "lenet5", inputShape: [28, 28, 1], optimizer: "sgd", label: "LeNet-5 (28×28×1, SGD)" },
  lenet1: { architecture: "lenet1", inputShape: [28, 28, 1], optimizer: "sgd", label: "LeNet-1 (28×28×1, SGD)" },
  resnet20: { architecture: "resnet20", inputShape: [32, 32, 3], optimizer: "adam", label: "ResNet-20 (32×32×3, Adam)" },
};
type ModelKey = keyof typeof MODEL_SETUPS;

const positiveNumber = (name: string) =>
  z.coerce.number({ error: `${name} must be a number` }).positive({ error: `${name} must be positive` });
const positiveInt = (name: string) =>
  z.coerce.number({ error: `${name} must be a number` }).int({ error: `${name} must be an integer` }).positive({ error: `${name} must be positive` });

const argsSchema = z.object({
  models: z
    .string()
    .default("lenet5,lenet1,resnet20")
    .transform((text) => text.split(",").map((item) => item.trim()))
    .pipe(z.array(z.enum(["lenet5", "lenet1", "resnet20"], { error: "--models takes lenet5, lenet1, resnet20" })).min(1)),
  seconds: positiveNumber("--seconds").default(10),
  cpuSeconds: positiveNumber("--cpu-seconds").default(15),
  scalingRuns: positiveInt("--scaling-runs").default(16),
  scalingWorkers: positiveInt("--scaling-workers").default(os.availableParallelism()),
  scalingEpochs: positiveInt("--scaling-epochs").default(2),
  scaling: z.boolean().default(true),
  record: z.boolean().default(false),
});
type BenchArgs = z.infer<typeof argsSchema>;

const VALUE_FLAGS: Record<string, keyof BenchArgs> = {
  "--models": "models",
  "--seconds": "seconds",
  "--cpu-seconds": "cpuSeconds",
  "--scaling-runs": "scalingRuns",
  "--scaling-workers": "scalingWorkers",
  "--scaling-epochs": "scalingEpochs",
};

/** Parses argv; returns an error message instead of throwing so main can print one line. */
function parseArgs(argv: string[]): { ok: true; args: BenchArgs } | { ok: false; error: string } | { ok: "help" } {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--help" || flag === "-h") return { ok: "help" };
    if (flag === "--no-scaling") raw.scaling = false;
    else if (flag === "--record") raw.record = true;
    else if (flag in VALUE_FLAGS) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) return { ok: false, error: `${flag} needs a value` };
      raw[VALUE_FLAGS[flag]!] = value;
      i += 1;
    } else return { ok: false, error: `unknown option ${flag} (see --help)` };
  }
  const parsed = argsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "invalid arguments" };
  return { ok: true, args: parsed.data };
}

type ModelRow = { key: ModelKey; cpu: ThroughputResult; wasm: ThroughputResult };
type ScalingRow = { workers: number; seconds: number; runs: number; hashes: Map<number, string> };

function machineDescription(wasm: BackendInfo | undefined) {
  return {
    date: new Date().toISOString(),
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    node: process.version,
    tfjs: wasm?.tfjsVersion ?? "unknown",
    simd: wasm?.simd ?? false,
    loadAverage: os.loadavg()[0]!.toFixed(2),
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function measureModels(args: BenchArgs): Promise<{ rows: ModelRow[]; wasmInfo: BackendInfo }> {
  const rows: ModelRow[] = [];
  let wasmInfo: BackendInfo | undefined;
  for (const key of args.models as ModelKey[]) {
    const setup = MODEL_SETUPS[key];
    const common = { ...setup, batchSize: 64, seed: 20_201_111 };
    wasmInfo = await initBackend("wasm");
    log(`${setup.label}: wasm…`);
    const wasm = await measureTrainingThroughput({ ...common, warmupSteps: 3, minSteps: 5, minSeconds: args.seconds });
    log(`  ${wasm.samplesPerSecond.toFixed(1)} samples/s (${wasm.samplesPerCpuSecond.toFixed(1)} per CPU-second)`);
    await initBackend("cpu");
    log(`${setup.label}: cpu…`);
    const cpu = await measureTrainingThroughput({ ...common, warmupSteps: 1, minSteps: 1, minSeconds: args.cpuSeconds });
    log(`  ${cpu.samplesPerSecond.toFixed(1)} samples/s (${cpu.samplesPerCpuSecond.toFixed(1)} per CPU-second)`);
    rows.push({ key, cpu, wasm });
  }
  if (wasmInfo === undefined) wasmInfo = await initBackend("wasm");
  return { rows, wasmInfo };
}

/** Runs one set through the runner's process pool and returns wall time and per-run weight hashes. */
async function timeSet(args: BenchArgs, workers: number): Promise<ScalingRow> {
  // Imported lazily: the pool belongs to the runner, and --no-scaling should not need it.
  const { runRequestSchema } = await import("../lib/runner/plan");
  const { executeRequest } = await import("../lib/runner/execute");
  const { readResultsDirectory } = await import("../lib/runner/results-io");
  const outDir = await mkdtemp(path.join(os.tmpdir(), "varstudy-bench-"));
  try {
    const request = runRequestSchema.parse({
      preset: "lenet1-quick",
      settings: ["fixed-seed"],
      runs: args.scalingRuns,
      outDir,
      workers,
      backend: "wasm",
      overrides: { epochs: args.scalingEpochs },
    });
    log(`scaling: ${args.scalingRuns} runs with ${workers} worker(s)…`);
    const started = performance.now();
    const summary = await executeRequest(request, { mode: "processes" });
    const seconds = (performance.now() - started) / 1000;
    if (summary.failed.length > 0) throw new Error(`scaling set had failed runs: ${summary.failed[0]!.error}`);
    const results = await readResultsDirectory(outDir);
    log(`  ${seconds.toFixed(1)} s`);
    return { workers, seconds, runs: results.runs.length, hashes: new Map(results.runs.map((run) => [run.runIndex, run.finalWeightsSha256])) };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

const fmt = (value: number, digits = 1) => value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function renderReport(
  machine: ReturnType<typeof machineDescription>,
  rows: ModelRow[],
  scaling: [ScalingRow, ScalingRow] | null,
  wasmInfo: BackendInfo,
): string {
  const lines: string[] = [];
  lines.push(`### ${machine.date.slice(0, 10)} — ${machine.cpuModel}, ${machine.cores} cores`);
  lines.push("");
  lines.push(
    `Node ${machine.node}, tfjs ${machine.tfjs}, wasm SIMD ${machine.simd ? "on" : "off"}, ${wasmInfo.threads} thread per run; ` +
      `1-minute load average ${machine.loadAverage} at the start (other work on the machine slows every number). Measured ${machine.date}.`,
  );
  lines.push("");
  lines.push("| network | params | stock cpu (samples/s) | wasm, ours (samples/s) | speed-up | per CPU-second: cpu / wasm |");
  lines.push("|---|---:|---:|---:|---:|---:|");
  for (const row of rows) {
    lines.push(
      `| ${MODEL_SETUPS[row.key].label} | ${row.wasm.parameterCount.toLocaleString("en-US")} | ${fmt(row.cpu.samplesPerSecond)} | ${fmt(row.wasm.samplesPerSecond)} | ${fmt(row.wasm.samplesPerSecond / row.cpu.samplesPerSecond)}× | ${fmt(row.cpu.samplesPerCpuSecond)} / ${fmt(row.wasm.samplesPerCpuSecond)} |`,
    );
  }
  lines.push("");
  lines.push("Wall-clock samples/s are the measurement; samples per CPU-second of this process are shown beside them because they are less sensitive to other load on the machine.");
  lines.push("");
  const lenet5 = rows.find((row) => row.key === "lenet5");
  const verdicts: string[] = [];
  if (lenet5) {
    const perWorker = lenet5.wasm.samplesPerSecond;
    const ratio = perWorker / lenet5.cpu.samplesPerSecond;
    verdicts.push(`LeNet-5 ≥ 1,000 samples/s per worker: ${perWorker >= 1000 ? "met" : "**missed**"} (${fmt(perWorker)})`);
    verdicts.push(`LeNet-5 ≥ 60× stock cpu: ${ratio >= 60 ? "met" : "**missed**"} (${fmt(ratio)}×)`);
  }
  if (scaling) {
    const [one, many] = scaling;
    const speedUp = one.seconds / many.seconds;
    const identical = [...one.hashes].filter(([index, hash]) => many.hashes.get(index) === hash).length;
    lines.push(`| ${one.runs}-run set (lenet1-quick, fixed-seed) | wall time | speed-up |`);
    lines.push("|---|---:|---:|");
    lines.push(`| 1 worker | ${fmt(one.seconds)} s | 1.0× |`);
    lines.push(`| ${many.workers} workers | ${fmt(many.seconds)} s | ${fmt(speedUp, 2)}× |`);
    lines.push("");
    lines.push(`Final weights identical between the two sets: ${identical} of ${one.hashes.size} runs.`);
    lines.push("");
    verdicts.push(`≥ 1.7× from 1 to 2 workers: ${many.workers < 2 ? "not measurable (1 core)" : speedUp >= 1.7 ? "met" : "**missed**"} (${fmt(speedUp, 2)}× with ${many.workers})`);
  }
  lines.push(`Targets: ${verdicts.join("; ")}.`);
  lines.push("");
  return lines.join("\n");
}

const SECTION_HEADING = "## Runner throughput";
const SECTION_INTRO = `${SECTION_HEADING}

Recorded by \`npm run bench:runner -- --record\` (scripts/bench-runner.ts); newest first. Throughput is
whole training steps (forward, backward, optimizer update, loss and accuracy read back) of a freshly
built network on seeded synthetic data, batch 64, in one process; cpu and wasm are measured in the same
invocation. The scaling set runs through the runner's own process pool (lib/runner/pool.ts), so its
wall time includes starting the worker processes, loading data and evaluating each run.

What "ours" is (lib/runner/backend): tfjs-backend-wasm 4.22 (XNNPACK, SIMD, one thread per run: the
package disables wasm threads in Node) plus Conv2DBackpropFilter, which it lacks, and replacements
for four shipped kernels: BatchMatMul with transposed operands, Conv2DBackpropInput and Tile (slow
loops that dominated profiles) and MaxPoolGrad (wrong: it drops the gradient of all-negative
windows). Each is checked against the cpu backend on random shapes in tests/unit/runner/backend.
`;

/** Inserts a report at the top of the Runner throughput section, creating file or section as needed. */
async function recordReport(report: string): Promise<string> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const file = path.join(root, "docs", "benchmarks.md");
  await mkdir(path.dirname(file), { recursive: true });
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch {
    text = "# Benchmarks\n\nMeasured results with the machine and date they were measured on. Each section belongs to one script.\n\n";
  }
  const start = text.indexOf(SECTION_HEADING);
  if (start === -1) {
    text = `${text.trimEnd()}\n\n${SECTION_INTRO}\n${report}`;
  } else {
    const introEnd = text.indexOf("\n### ", start);
    const nextSection = text.indexOf("\n## ", start + SECTION_HEADING.length);
    const insertAt = introEnd !== -1 && (nextSection === -1 || introEnd < nextSection) ? introEnd + 1 : nextSection === -1 ? text.length : nextSection + 1;
    text = `${text.slice(0, insertAt)}${insertAt === text.length ? "\n" : ""}${report}\n${text.slice(insertAt)}`;
  }
  await writeFile(file, `${text.trimEnd()}\n`);
  return file;
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed.ok === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  if (!parsed.ok) {
    process.stderr.write(`bench:runner: ${parsed.error}\n`);
    return 2;
  }
  const args = parsed.args;
  const machineAtStart = machineDescription(undefined);
  const { rows, wasmInfo } = await measureModels(args);
  let scaling: [ScalingRow, ScalingRow] | null = null;
  if (args.scaling) {
    const one = await timeSet(args, 1);
    const many = await timeSet(args, args.scalingWorkers);
    scaling = [one, many];
  }
  const machine = { ...machineDescription(wasmInfo), date: machineAtStart.date, loadAverage: machineAtStart.loadAverage };
  const report = renderReport(machine, rows, scaling, wasmInfo);
  process.stdout.write(`${report}\n`);
  if (args.record) log(`recorded in ${await recordReport(report)}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:runner: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
