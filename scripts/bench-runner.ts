/**
 * npm run bench:runner — training throughput of the variance runner, side by side in one invocation:
 * PyTorch CPU (the anchor, in a child Python process), the stock `cpu` backend, our `wasm` backend and the
 * native `tensorflow` backend on LeNet-5, LeNet-1 and ResNet-20 (batch 64, one core each, synthetic
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
import { spawnSync } from "node:child_process";
import { initBackend, isBackendAvailable, tensorflowInstallStatus, type BackendInfo } from "../lib/runner/backend";
import { measureTrainingThroughput } from "../lib/runner/backend/throughput";
import type { Architecture } from "../lib/runner/models";
import { formatCount, formatDecimal } from "../lib/format";

const HELP = `Usage: npm run bench:runner -- [options]

Measures training throughput (samples/s, batch 64, one core each) of LeNet-5, LeNet-1 and ResNet-20 in one
invocation, side by side: PyTorch CPU (the anchor, when python3 can import torch), the stock tfjs cpu backend,
our wasm backend and the native tensorflow backend (when npm run setup:tensorflow was run), and prints each as
a ratio to PyTorch. Every backend is measured --repeats times, interleaved (each repetition visits every
network and rotates the order of the backends), and the table shows medians: samples/s on the wall clock and
per CPU-second of the process that trained, and the median of the per-repetition ratios to PyTorch. Targets are
judged on the CPU-time ratios (the wall clock of a shared machine measures the other load). Then the speed-up of
a 16-run set from 1 worker to all cores, with the CPU time each set used. About 15-20 minutes on 2 cores;
--quick takes about 5-6 minutes (no stock cpu, no scaling set).

Options:
  --models <list>          comma-separated subset of lenet5,lenet1,resnet20 (default: all)
  --backends <list>        subset of pytorch,cpu,wasm,tensorflow (default: all that are available)
  --batch-size <n>         batch size (default 64)
  --seconds <n>            minimum timed seconds per measurement (default 10)
  --warmup-seconds <n>     untimed seconds of training before each measurement, for every backend and PyTorch
                           alike (default 3): JavaScript backends run slower while V8 is still optimizing
  --repeats <n>            interleaved repetitions of every measurement; medians are reported (default 3)
  --quick                  the ≤ 6-minute run (on a quiet machine) that judges the targets: --seconds 2, --warmup-seconds 2,
                           --repeats 3, backends pytorch,wasm,tensorflow, ResNet-20 with 1 warm-up and 2 timed
                           steps minimum and not on wasm (no target), no scaling set (explicit options given
                           after --quick override it)
  --cpu-seconds <n>        minimum timed seconds per stock-cpu measurement, at least one step (default 15)
  --cpu-models <list>      networks measured on the stock cpu backend (default lenet5,lenet1: ResNet-20 takes
                           minutes per step there)
  --threads <n>            intra-op threads of tensorflow and PyTorch (default 1: "per core")
  --onednn <on|off>        tensorflow's oneDNN kernels (default on)
  --python <cmd>           Python for the PyTorch anchor (default python3)
  --scaling-runs <n>       runs in the scaling set (default 16)
  --scaling-workers <n>    workers for the parallel set (default: all cores = ${os.availableParallelism()})
  --scaling-epochs <n>     epochs per run in the scaling set (default 2; preset lenet1-quick)
  --scaling-backend <b>    backend of the scaling set (default: tensorflow when installed, else wasm)
  --no-scaling             skip the worker-scaling measurement
  --scaling-only           only the worker-scaling measurement (no throughput table)
  --record                 add the results to docs/benchmarks.md (section "Runner throughput")
  --help                   show this help
`;

const MODEL_SETUPS: Record<"lenet5" | "lenet1" | "resnet20", { architecture: Architecture; inputShape: [number, number, number]; optimizer: "sgd" | "adam"; label: string }> = {
  lenet5: { architecture: "lenet5", inputShape: [28, 28, 1], optimizer: "sgd", label: "LeNet-5 (28×28×1, SGD)" },
  lenet1: { architecture: "lenet1", inputShape: [28, 28, 1], optimizer: "sgd", label: "LeNet-1 (28×28×1, SGD)" },
  resnet20: { architecture: "resnet20", inputShape: [32, 32, 3], optimizer: "adam", label: "ResNet-20 (32×32×3, Adam)" },
};
type ModelKey = keyof typeof MODEL_SETUPS;
const MODEL_KEYS = ["lenet5", "lenet1", "resnet20"] as const;
const BENCH_BACKENDS = ["pytorch", "cpu", "wasm", "tensorflow"] as const;
type BenchBackend = (typeof BENCH_BACKENDS)[number];

const positiveNumber = (name: string) =>
  z.coerce.number({ error: `${name} must be a number` }).positive({ error: `${name} must be positive` });
const positiveInt = (name: string) =>
  z.coerce.number({ error: `${name} must be a number` }).int({ error: `${name} must be an integer` }).positive({ error: `${name} must be positive` });
const listOf = <T extends string>(values: readonly T[], flag: string) =>
  z
    .string()
    .transform((text) => text.split(",").map((item) => item.trim()))
    .pipe(z.array(z.enum(values as unknown as [T, ...T[]], { error: `${flag} takes ${values.join(", ")}` })).min(1));

const argsSchema = z.object({
  models: listOf(MODEL_KEYS, "--models").default([...MODEL_KEYS]),
  backends: listOf(BENCH_BACKENDS, "--backends").optional(),
  batchSize: positiveInt("--batch-size").default(64),
  seconds: positiveNumber("--seconds").default(10),
  warmupSeconds: z.coerce.number({ error: "--warmup-seconds takes a number" }).min(0, { error: "--warmup-seconds takes a number of seconds, 0 or more" }).default(3),
  repeats: positiveInt("--repeats").default(3),
  quick: z.boolean().default(false),
  cpuSeconds: positiveNumber("--cpu-seconds").default(15),
  cpuModels: listOf(MODEL_KEYS, "--cpu-models").default(["lenet5", "lenet1"]),
  threads: positiveInt("--threads").default(1),
  onednn: z.enum(["on", "off"], { error: "--onednn takes on or off" }).default("on"),
  python: z.string().min(1).default("python3"),
  scalingRuns: positiveInt("--scaling-runs").default(16),
  scalingWorkers: positiveInt("--scaling-workers").default(os.availableParallelism()),
  scalingEpochs: positiveInt("--scaling-epochs").default(2),
  scalingBackend: z.enum(["wasm", "cpu", "tensorflow"], { error: "--scaling-backend takes wasm, cpu or tensorflow" }).optional(),
  scaling: z.boolean().default(true),
  throughput: z.boolean().default(true),
  record: z.boolean().default(false),
});
type BenchArgs = z.infer<typeof argsSchema>;

const VALUE_FLAGS: Record<string, keyof BenchArgs> = {
  "--models": "models",
  "--backends": "backends",
  "--batch-size": "batchSize",
  "--seconds": "seconds",
  "--warmup-seconds": "warmupSeconds",
  "--repeats": "repeats",
  "--cpu-seconds": "cpuSeconds",
  "--cpu-models": "cpuModels",
  "--threads": "threads",
  "--onednn": "onednn",
  "--python": "python",
  "--scaling-runs": "scalingRuns",
  "--scaling-workers": "scalingWorkers",
  "--scaling-epochs": "scalingEpochs",
  "--scaling-backend": "scalingBackend",
};

/** What --quick sets; options after it on the command line win. */
const QUICK_DEFAULTS = { seconds: "2", warmupSeconds: "2", repeats: "3", backends: "pytorch,wasm,tensorflow", scaling: false };

/** Parses argv; returns an error message instead of throwing so main can print one line. */
function parseArgs(argv: string[]): { ok: true; args: BenchArgs } | { ok: false; error: string } | { ok: "help" } {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--help" || flag === "-h") return { ok: "help" };
    if (flag === "--no-scaling") raw.scaling = false;
    else if (flag === "--scaling-only") raw.throughput = false;
    else if (flag === "--record") raw.record = true;
    else if (flag === "--quick") Object.assign(raw, QUICK_DEFAULTS, { quick: true });
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

/** One measurement: samples/s on the wall clock and per CPU-second of the process that trained. */
type Measurement = { samplesPerSecond: number; samplesPerCpuSecond: number; parameterCount: number; repetition: number };
type ModelRow = { key: ModelKey; results: Partial<Record<BenchBackend, Measurement[]>>; notes: string[] };
type ScalingRow = {
  workers: number;
  seconds: number;
  cpuSeconds: number;
  parentCpuSeconds: number;
  /** CPU time the rest of the machine used while the set ran (busy time of all cores, stolen time included, less the set's own). */
  otherCpuSeconds: number;
  runs: number;
  hashes: Map<number, string>;
};
type Environment = { wasm?: BackendInfo; tensorflow?: BackendInfo; torch?: string; pytorchUnavailable?: string; tensorflowUnavailable?: string };

function machineDescription() {
  return {
    date: new Date().toISOString(),
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    node: process.version,
    loadAverage: os.loadavg()[0]!.toFixed(2),
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

const PYTORCH_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "lib", "pytorch-anchor.py");

type Steps = { warmupSteps: number; warmupSeconds: number; minSteps: number };

/**
 * Untimed steps and seconds, and minimum timed steps, per measurement: the same for every backend and the PyTorch
 * anchor. ResNet-20 on wasm takes seconds per step, so --quick trims it; the stock cpu backend gets one step each.
 */
function stepsFor(args: BenchArgs, key: ModelKey, backend: BenchBackend): Steps {
  if (backend === "cpu") return { warmupSteps: 1, warmupSeconds: 0, minSteps: 1 };
  if (args.quick && key === "resnet20") return { warmupSteps: 1, warmupSeconds: args.warmupSeconds, minSteps: 2 };
  return { warmupSteps: 3, warmupSeconds: args.warmupSeconds, minSteps: 5 };
}

/** Times one network in PyTorch in a child Python process; an unavailable torch is reported, not thrown. */
function measurePytorch(
  args: BenchArgs,
  key: ModelKey,
  steps: Steps,
): { ok: true; result: Omit<Measurement, "repetition">; torch: string } | { ok: false; error: string } {
  const child = spawnSync(
    args.python,
    [
      PYTORCH_SCRIPT,
      ...["--models", key, "--batch-size", String(args.batchSize), "--seconds", String(args.seconds), "--threads", String(args.threads)],
      ...["--warmup", String(steps.warmupSteps), "--warmup-seconds", String(steps.warmupSeconds), "--min-steps", String(steps.minSteps)],
    ],
    { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: String(args.threads), MKL_NUM_THREADS: String(args.threads) } },
  );
  if (child.error) return { ok: false, error: `${args.python} did not run: ${child.error.message}` };
  const lines = (child.stdout ?? "").trim().split("\n").filter(Boolean);
  try {
    const parsed = JSON.parse(lines.at(-1) ?? "{}") as { error?: string; samplesPerSecond?: number; samplesPerCpuSecond?: number; parameterCount?: number; torch?: string };
    if (parsed.error !== undefined || parsed.samplesPerSecond === undefined) {
      return { ok: false, error: parsed.error ?? (child.stderr ?? "").trim().split("\n").at(-1) ?? "no result" };
    }
    return {
      ok: true,
      torch: parsed.torch ?? "unknown",
      result: { samplesPerSecond: parsed.samplesPerSecond, samplesPerCpuSecond: parsed.samplesPerCpuSecond ?? Number.NaN, parameterCount: parsed.parameterCount ?? 0 },
    };
  } catch {
    return { ok: false, error: `unexpected output from ${PYTORCH_SCRIPT}: ${(child.stderr ?? "").trim().split("\n").at(-1) ?? ""}` };
  }
}

/** `list` rotated left by `by` places: repetition r starts with a different backend, so no backend always goes first. */
function rotated<T>(list: readonly T[], by: number): T[] {
  if (list.length === 0) return [];
  const shift = by % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}

async function measureModels(args: BenchArgs): Promise<{ rows: ModelRow[]; environment: Environment }> {
  const wanted = new Set<BenchBackend>(args.backends ?? BENCH_BACKENDS);
  const environment: Environment = {};
  if (wanted.has("tensorflow") && !(await isBackendAvailable("tensorflow"))) {
    environment.tensorflowUnavailable = tensorflowInstallStatus().installed ? "unavailable" : (tensorflowInstallStatus() as { reason: string }).reason;
    wanted.delete("tensorflow");
    log(`tensorflow: not measured (${environment.tensorflowUnavailable})`);
  }
  const tensorflowSpec = { backend: "tensorflow" as const, threads: args.threads, onednn: args.onednn === "on" };
  const rows: ModelRow[] = args.models.map((key) => ({ key, results: {}, notes: [] }));
  // --quick leaves out ResNet-20 on wasm: seconds per step, and no target asks for it.
  const skipped = (key: ModelKey, backend: BenchBackend) => args.quick && key === "resnet20" && backend === "wasm";
  for (const row of rows) {
    if (wanted.has("cpu") && !args.cpuModels.includes(row.key)) row.notes.push("stock cpu not measured (--cpu-models)");
    if (wanted.has("wasm") && skipped(row.key, "wasm")) row.notes.push("wasm not measured in --quick (no target; seconds per step)");
  }
  // Interleaved: every repetition visits every network and every backend, in a rotated order, so that a change
  // in the machine's load touches every backend alike and no backend always runs first (or right after PyTorch).
  for (let repetition = 0; repetition < args.repeats; repetition++) {
    for (const row of rows) {
      const key = row.key;
      const setup = MODEL_SETUPS[key];
      const common = { ...setup, batchSize: args.batchSize, seed: 20_201_111 };
      log(`${setup.label}, repetition ${repetition + 1} of ${args.repeats}`);
      const add = (backend: BenchBackend, m: Omit<Measurement, "repetition">) => {
        (row.results[backend] ??= []).push({ ...m, repetition });
        log(`  ${backend}: ${m.samplesPerSecond.toFixed(1)} samples/s (${m.samplesPerCpuSecond.toFixed(1)} per CPU-second)`);
      };
      // The stock cpu backend takes minutes per measurement: once, in the first repetition.
      const order = rotated(
        (["pytorch", "wasm", "tensorflow", "cpu"] as const).filter((b) => wanted.has(b) && !skipped(key, b) && (b !== "cpu" || (repetition === 0 && args.cpuModels.includes(key)))),
        repetition,
      );
      for (const backend of order) {
        const steps = stepsFor(args, key, backend);
        if (backend === "pytorch") {
          const pytorch = measurePytorch(args, key, steps);
          if (pytorch.ok) {
            environment.torch = pytorch.torch;
            add("pytorch", pytorch.result);
          } else {
            environment.pytorchUnavailable = pytorch.error;
            wanted.delete("pytorch");
            log(`  pytorch: not measured (${pytorch.error})`);
          }
        } else if (backend === "wasm") {
          environment.wasm = await initBackend("wasm");
          add("wasm", await measureTrainingThroughput({ ...common, ...steps, minSeconds: args.seconds }));
        } else if (backend === "tensorflow") {
          environment.tensorflow = await initBackend(tensorflowSpec);
          add("tensorflow", await measureTrainingThroughput({ ...common, ...steps, minSeconds: args.seconds }));
        } else {
          await initBackend("cpu");
          add("cpu", await measureTrainingThroughput({ ...common, ...steps, minSeconds: args.cpuSeconds }));
        }
      }
    }
  }
  return { rows, environment };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

type Clock = "wall" | "cpu";
const valueOf = (m: Measurement, clock: Clock) => (clock === "wall" ? m.samplesPerSecond : m.samplesPerCpuSecond);

/**
 * Ratios of `backend` to PyTorch, one per repetition that measured both (neighbours in time, so they shared the
 * machine's load): their median, smallest and largest.
 */
function ratioToPytorch(row: ModelRow, backend: BenchBackend, clock: Clock): { median: number; min: number; max: number; count: number } | undefined {
  const anchors = new Map((row.results.pytorch ?? []).map((m) => [m.repetition, valueOf(m, clock)]));
  const ratios = (row.results[backend] ?? []).flatMap((m) => {
    const anchor = anchors.get(m.repetition);
    return anchor === undefined || !(anchor > 0) ? [] : [valueOf(m, clock) / anchor];
  });
  if (ratios.length === 0) return undefined;
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), count: ratios.length };
}

/** Ratios that moved by more than this factor between repetitions say the machine changed under the run. */
const MAX_RATIO_SPREAD = 1.5;

/** Children's CPU seconds (user + system) that this process has waited for, from /proc (Linux); undefined elsewhere. */
async function childrenCpuSeconds(): Promise<number | undefined> {
  try {
    const stat = await readFile("/proc/self/stat", "utf8");
    // Fields after the command name (which may contain spaces) start at field 3; cutime and cstime are 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticksPerSecond = 100; // USER_HZ, 100 on every Linux architecture Node supports
    return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** Busy CPU seconds of the whole machine since boot, all cores, time stolen by the hypervisor included (Linux); undefined elsewhere. */
async function machineBusyCpuSeconds(): Promise<number | undefined> {
  try {
    const stat = await readFile("/proc/stat", "utf8");
    // "cpu  user nice system idle iowait irq softirq steal …", in USER_HZ ticks.
    const [user, nice, system, , , irq, softirq, steal] = stat.split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
  } catch {
    return undefined;
  }
}

/** Waits (up to 30 s) until no child process of this one is left, so that their CPU time has been counted. */
async function waitForChildrenToExit(): Promise<void> {
  const { readdir } = await import("node:fs/promises");
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const entries = await readdir("/proc").catch(() => [] as string[]);
    let children = 0;
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === process.pid) children += 1;
    }
    if (children === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs one set through the runner's process pool and returns wall time and per-run weight hashes. */
async function timeSet(args: BenchArgs, workers: number, backend: "wasm" | "cpu" | "tensorflow"): Promise<ScalingRow> {
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
      backend,
      ...(backend === "tensorflow" ? { threads: args.threads, onednn: args.onednn === "on" } : {}),
      overrides: { epochs: args.scalingEpochs },
    });
    log(`scaling (${backend}): ${args.scalingRuns} runs with ${workers} worker(s)…`);
    await waitForChildrenToExit();
    const childrenBefore = await childrenCpuSeconds();
    const machineBefore = await machineBusyCpuSeconds();
    const parentBefore = process.cpuUsage();
    const started = performance.now();
    const summary = await executeRequest(request, { mode: "processes" });
    const seconds = (performance.now() - started) / 1000;
    const parentUsage = process.cpuUsage(parentBefore);
    const parentCpuSeconds = (parentUsage.user + parentUsage.system) / 1e6;
    // The pool resolves before its workers have exited; their CPU time counts once they have.
    await waitForChildrenToExit();
    const childrenAfter = await childrenCpuSeconds();
    const machineAfter = await machineBusyCpuSeconds();
    const cpuSeconds = childrenBefore === undefined || childrenAfter === undefined ? Number.NaN : childrenAfter - childrenBefore + parentCpuSeconds;
    const otherCpuSeconds = machineBefore === undefined || machineAfter === undefined ? Number.NaN : Math.max(0, machineAfter - machineBefore - cpuSeconds);
    if (summary.failed.length > 0) throw new Error(`scaling set had failed runs: ${summary.failed[0]!.error}`);
    const results = await readResultsDirectory(outDir);
    log(`  ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} CPU-seconds (${parentCpuSeconds.toFixed(1)} in this process; ${otherCpuSeconds.toFixed(1)} by other processes)`);
    return {
      workers,
      seconds,
      cpuSeconds,
      parentCpuSeconds,
      otherCpuSeconds,
      runs: results.runs.length,
      hashes: new Map(results.runs.map((run) => [run.runIndex, run.finalWeightsSha256])),
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}


const COLUMN_LABELS: Record<BenchBackend, string> = { pytorch: "PyTorch CPU", cpu: "stock cpu", wasm: "wasm, ours", tensorflow: "tensorflow" };

function renderReport(input: {
  machine: ReturnType<typeof machineDescription>;
  args: BenchArgs;
  rows: ModelRow[];
  environment: Environment;
  scaling: { backend: string; rows: [ScalingRow, ScalingRow] } | null;
}): string {
  const { machine, args, rows, environment, scaling } = input;
  const lines: string[] = [];
  const columns = BENCH_BACKENDS.filter((backend) => rows.some((row) => row.results[backend]?.length));
  const versions = [
    `Node ${machine.node}`,
    `tfjs ${environment.wasm?.tfjsVersion ?? environment.tensorflow?.tfjsVersion ?? "?"}`,
    environment.wasm ? `wasm SIMD ${environment.wasm.simd ? "on" : "off"}, ${environment.wasm.threads} thread` : null,
    environment.tensorflow
      ? `tensorflow: TensorFlow ${environment.tensorflow.nativeVersions?.tensorflow} C library via tfjs-node ${environment.tensorflow.nativeVersions?.tfjsNode}, ${environment.tensorflow.threads} intra-op thread(s), oneDNN ${environment.tensorflow.onednn ? "on" : "off"}`
      : `tensorflow: not measured (${environment.tensorflowUnavailable ?? "not asked for"})`,
    environment.torch ? `PyTorch ${environment.torch} CPU, ${args.threads} thread(s)` : `PyTorch: not measured (${environment.pytorchUnavailable ?? "not asked for"})`,
  ].filter(Boolean);
  const endLoad = os.loadavg()[0]!.toFixed(2);
  lines.push(`### ${machine.date.slice(0, 10)} — ${machine.cpuModel}, ${machine.cores} cores`);
  lines.push("");
  const command = `\`npm run bench:runner -- ${process.argv.slice(2).join(" ")}\``.replace(" -- `", "`");
  const measured =
    rows.length > 0
      ? ` ${versions.join("; ")}. Batch ${args.batchSize}; ${args.repeats} interleaved repetition(s) of at least ${args.seconds} s per measurement, each after ${args.warmupSeconds} s of untimed warm-up.`
      : ` Node ${machine.node}.`;
  lines.push(
    `${command}.${measured} 1-minute load average ${machine.loadAverage} at the start and ${endLoad} at the end ` +
      `(${machine.cores} cores). Measured ${machine.date}.`,
  );
  lines.push("");
  const cell = (row: ModelRow, column: BenchBackend, clock: Clock) => {
    const measurements = row.results[column];
    if (!measurements?.length) return "—";
    const value = formatDecimal(median(measurements.map((m) => valueOf(m, clock))));
    const ratio = column === "pytorch" ? undefined : ratioToPytorch(row, column, clock);
    if (!ratio) return value;
    const range = ratio.count > 1 ? ` ${formatDecimal(ratio.min, 2)}–${formatDecimal(ratio.max, 2)}` : "";
    return `${value} (${formatDecimal(ratio.median, 2)}×${range})`;
  };
  if (rows.length > 0) {
    lines.push(
      `Per CPU-second of the process that trained (user + system time of the whole process, all its threads), median over ` +
        `the repetitions; in brackets the median ratio to PyTorch of the same repetition and its range. This is the measure ` +
        `the targets are judged on: it does not count time the process waited for a core.`,
    );
    lines.push("");
    lines.push(`| network | params | ${columns.map((c) => COLUMN_LABELS[c]).join(" | ")} |`);
    lines.push(`|---|---:|${columns.map(() => "---:").join("|")}|`);
    for (const row of rows) {
      const params = Object.values(row.results).find((list) => list?.length)?.[0]?.parameterCount ?? 0;
      lines.push(`| ${MODEL_SETUPS[row.key].label} | ${formatCount(params)} | ${columns.map((c) => cell(row, c, "cpu")).join(" | ")} |`);
    }
    lines.push("");
    lines.push(`Wall clock, samples/s (medians; on a shared machine this mostly measures the other load):`);
    lines.push("");
    lines.push(`| network | ${columns.map((c) => COLUMN_LABELS[c]).join(" | ")} |`);
    lines.push(`|---|${columns.map(() => "---:").join("|")}|`);
    for (const row of rows) lines.push(`| ${MODEL_SETUPS[row.key].label} | ${columns.map((c) => cell(row, c, "wall")).join(" | ")} |`);
    lines.push("");
  }
  const notes = rows.flatMap((row) => row.notes.map((note) => `${MODEL_SETUPS[row.key].label}: ${note}`));
  if (notes.length > 0) lines.push(`Not measured: ${notes.join("; ")}.`, "");
  if (rows.some((row) => row.results.cpu?.length)) lines.push("The stock cpu backend is measured once (first repetition): minutes per measurement.", "");

  // Judged on the CPU-time ratio. It is not judged from a single repetition, nor when the ratio moved by more than
  // MAX_RATIO_SPREAD between repetitions (the machine changed under the run: caches, frequency, other load).
  const verdicts: string[] = [];
  const verdict = (label: string, row: ModelRow | undefined, backends: readonly BenchBackend[], target: number) => {
    if (!row) return;
    const candidates = backends.flatMap((backend) => {
      const ratio = ratioToPytorch(row, backend, "cpu");
      return ratio ? [{ backend, ...ratio }] : [];
    });
    if (candidates.length === 0) {
      verdicts.push(`${label}: not measured`);
      return;
    }
    const best = candidates.reduce((a, b) => (b.median > a.median ? b : a));
    const spread = best.min > 0 ? best.max / best.min : Number.POSITIVE_INFINITY;
    const shown = `${formatDecimal(best.median, 2)}×${backends.length > 1 ? ` on ${best.backend}` : ""}, wall ${formatDecimal(ratioToPytorch(row, best.backend, "wall")?.median ?? Number.NaN, 2)}×`;
    if (best.count < 2) verdicts.push(`${label}: not judged, one repetition (${shown})`);
    else if (spread > MAX_RATIO_SPREAD) verdicts.push(`${label}: not judged, ratio moved ${formatDecimal(best.min, 2)}–${formatDecimal(best.max, 2)} (${shown})`);
    else verdicts.push(`${label}: ${best.median >= target ? "met" : "**missed**"} (${shown})`);
  };
  for (const key of ["lenet5", "lenet1"] as const) {
    const row = rows.find((r) => r.key === key);
    const name = MODEL_SETUPS[key].label.split(" ")[0];
    verdict(`${name} ≥ 1.0× PyTorch on the fastest backend`, row, ["wasm", "tensorflow"], 1.0);
    verdict(`${name} wasm ≥ 0.7× PyTorch`, row, ["wasm"], 0.7);
  }
  verdict("ResNet-20 tensorflow ≥ 1.0× PyTorch", rows.find((r) => r.key === "resnet20"), ["tensorflow"], 1.0);
  if (scaling) {
    const [one, many] = scaling.rows;
    const speedUp = one.seconds / many.seconds;
    const identical = [...one.hashes].filter(([index, hash]) => many.hashes.get(index) === hash).length;
    // Amdahl's estimate of what free cores would give, from the parallel set's own CPU time: the workers' share
    // divides by the worker count (16 equal runs split evenly), this process's share (planning, dispatch, collecting
    // results) does not. Taken from one set, so that CPU cost moving with the machine's load between the two sets
    // (caches, frequency) does not enter it.
    const workerCpu = many.cpuSeconds - many.parentCpuSeconds;
    const estimate = many.cpuSeconds / (workerCpu / many.workers + many.parentCpuSeconds);
    lines.push(`| ${one.runs}-run set (lenet1-quick, ${args.scalingEpochs} epochs, fixed-seed, ${scaling.backend}) | wall time | speed-up | CPU-seconds |`);
    lines.push("|---|---:|---:|---:|");
    lines.push(`| 1 worker | ${formatDecimal(one.seconds)} s | 1.0× | ${formatDecimal(one.cpuSeconds)} |`);
    lines.push(`| ${many.workers} workers | ${formatDecimal(many.seconds)} s | ${formatDecimal(speedUp, 2)}× | ${formatDecimal(many.cpuSeconds)} |`);
    lines.push("");
    lines.push(
      `Final weights identical between the two sets: ${identical} of ${one.hashes.size} runs. One run used ${formatDecimal(one.cpuSeconds / one.runs)} CPU-seconds ` +
        `(the target speaks of one-minute runs). CPU-time (Amdahl) estimate for ${many.workers} free cores, from the ${many.workers}-worker set (workers' CPU time split evenly, ` +
        `this process's ${formatDecimal(many.parentCpuSeconds)} s not): ${formatDecimal(estimate, 2)}×; the ${many.workers}-worker set used ${formatDecimal(many.cpuSeconds / one.cpuSeconds, 2)}× ` +
        `the CPU time of the 1-worker set (more would mean parallel overhead; less, that CPU cost moved with the load).`,
    );
    lines.push("");
    // The load average cannot tell: at the end it counts the set's own workers. What other processes used while
    // each set ran can: judged when it stayed under a tenth of a core.
    const otherCores = (row: ScalingRow) => row.otherCpuSeconds / row.seconds;
    const busiest = Math.max(otherCores(one), otherCores(many));
    lines.push(
      `Other processes used ${formatDecimal(otherCores(one), 2)} and ${formatDecimal(otherCores(many), 2)} of a core on average while the two sets ran ` +
        `(busy time of the machine from /proc/stat, stolen time included, less the sets' own CPU time).`,
    );
    lines.push("");
    const overloadedForWall = !(busiest < 0.1);
    verdicts.push(
      `2 workers ≥ 1.9× one: ${
        many.workers < 2
          ? "not measurable (1 core)"
          : overloadedForWall
            ? `not judged, the cores were not free (wall ${formatDecimal(speedUp, 2)}×, CPU-time estimate ${formatDecimal(estimate, 2)}×)`
            : `${speedUp >= 1.9 ? "met" : "**missed**"} (wall ${formatDecimal(speedUp, 2)}×, CPU-time estimate ${formatDecimal(estimate, 2)}×)`
      }`,
    );
  }
  lines.push(`Targets (${rows.length > 0 ? `per CPU-second, median of ${args.repeats} repetition(s); ` : ""}load average ${machine.loadAverage}–${endLoad} on ${machine.cores} cores): ${verdicts.join("; ")}.`);
  lines.push("");
  return lines.join("\n");
}

const SECTION_HEADING = "## Runner throughput";
const SECTION_INTRO = `${SECTION_HEADING}

Recorded by \`npm run bench:runner -- --record\` (scripts/bench-runner.ts); newest first. Throughput is
whole training steps (forward, backward, optimizer update, loss and accuracy read back) of a freshly
built network on seeded synthetic data, batch 64, one core per backend; every backend is measured in the
same invocation, --repeats times, interleaved (medians shown; targets judged per CPU-second). The PyTorch anchor (scripts/lib/pytorch-anchor.py) builds
the same layers and optimizer in PyTorch and times it the same way. The scaling set runs through the
runner's own process pool (lib/runner/pool.ts), so its wall time includes starting the worker processes,
loading data and evaluating each run.

What "ours" is (lib/runner/backend): tfjs-backend-wasm 4.22 (XNNPACK, SIMD, one thread per run: the
package disables wasm threads in Node) plus Conv2DBackpropFilter, which it lacks, and replacements
for four shipped kernels: BatchMatMul with transposed operands, Conv2DBackpropInput and Tile (slow
loops that dominated profiles) and MaxPoolGrad (wrong: it drops the gradient of all-negative
windows). Each is checked against the cpu backend on random shapes in tests/unit/runner/backend.
"tensorflow" is @tensorflow/tfjs-node 4.22 built against TensorFlow 2.21's C library by
\`npm run setup:tensorflow\`.
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
  const machine = machineDescription();
  const { rows, environment } = args.throughput ? await measureModels(args) : { rows: [], environment: {} };
  let scaling: { backend: string; rows: [ScalingRow, ScalingRow] } | null = null;
  if (args.scaling) {
    const backend = args.scalingBackend ?? ((await isBackendAvailable("tensorflow")) ? "tensorflow" : "wasm");
    const one = await timeSet(args, 1, backend);
    const many = await timeSet(args, args.scalingWorkers, backend);
    scaling = { backend, rows: [one, many] };
  }
  const report = renderReport({ machine, args, rows, environment, scaling });
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
