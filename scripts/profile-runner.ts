/**
 * npm run profile:runner — where a training step's time goes, per kernel, on one backend: runs seeded training
 * steps the way the runner does (trainOnBatch, loss and accuracy read back) under tf.profile and adds up each
 * kernel's time; what the kernels do not account for is framework overhead (tfjs-layers, the autodiff tape,
 * tensor bookkeeping, reading results back). Not a test; numbers depend on the machine and its load.
 */
import { z } from "zod";
import * as tf from "@tensorflow/tfjs";
import { initBackend, resolveBackendSpec, type BackendSpec } from "../lib/runner/backend";
import { buildModel, type Architecture } from "../lib/runner/models";
import { createRng, deriveSeed } from "../lib/stats/random";
import { createAdam } from "../lib/runner/flat-adam";

const HELP = `Usage: npm run profile:runner -- [options]

Profiles training steps per kernel on one backend and prints a table: kernel, calls per step, ms per step, share.

Options:
  --model <m>        lenet1 | lenet5 | resnet20 (default lenet5)
  --backend <b>      wasm | cpu | tensorflow (default wasm)
  --threads <n>      tensorflow: intra-op threads (default 1)
  --onednn <on|off>  tensorflow: oneDNN kernels (default on)
  --batch-size <n>   batch size (default 64)
  --steps <n>        profiled steps after 3 warm-up steps (default 20)
  --top <n>          kernels listed (default 15)
  --help             show this help
`;

const SETUPS: Record<string, { architecture: Architecture; inputShape: [number, number, number]; optimizer: "sgd" | "adam" }> = {
  lenet1: { architecture: "lenet1", inputShape: [28, 28, 1], optimizer: "sgd" },
  lenet5: { architecture: "lenet5", inputShape: [28, 28, 1], optimizer: "sgd" },
  resnet20: { architecture: "resnet20", inputShape: [32, 32, 3], optimizer: "adam" },
};

const argsSchema = z.object({
  model: z.enum(["lenet1", "lenet5", "resnet20"], { error: "--model takes lenet1, lenet5 or resnet20" }).default("lenet5"),
  backend: z.enum(["wasm", "cpu", "tensorflow"], { error: "--backend takes wasm, cpu or tensorflow" }).default("wasm"),
  threads: z.coerce.number().int().positive().optional(),
  onednn: z.enum(["on", "off"], { error: "--onednn takes on or off" }).optional(),
  batchSize: z.coerce.number().int().positive().default(64),
  steps: z.coerce.number().int().positive().default(20),
  top: z.coerce.number().int().positive().default(15),
});

function parse(argv: string[]): z.infer<typeof argsSchema> | "help" {
  const flags: Record<string, string> = { "--model": "model", "--backend": "backend", "--threads": "threads", "--onednn": "onednn", "--batch-size": "batchSize", "--steps": "steps", "--top": "top" };
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--help" || flag === "-h") return "help";
    const key = flags[flag];
    const value = argv[i + 1];
    if (!key) throw new Error(`unknown option ${flag} (see --help)`);
    if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
    raw[key] = value;
    i += 1;
  }
  const parsed = argsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "invalid arguments");
  return parsed.data;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (args === "help") return void process.stdout.write(HELP);
  const spec: BackendSpec = { backend: args.backend, threads: args.threads, onednn: args.onednn === undefined ? undefined : args.onednn === "on" };
  const resolved = resolveBackendSpec(spec);
  if (!resolved.ok) throw new Error(resolved.error);
  const info = await initBackend(resolved.spec);
  const setup = SETUPS[args.model]!;
  const [height, width, channels] = setup.inputShape;
  const model = buildModel({ architecture: setup.architecture, inputShape: setup.inputShape, numClasses: 10, initSeed: 1, dropoutSeed: 2 });
  const optimizer = setup.optimizer === "adam" ? createAdam(1e-3) : tf.train.sgd(0.01);
  model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const rng = createRng(deriveSeed(3, "profile"));
  const images = new Float32Array(args.batchSize * height * width * channels).map(() => rng());
  const labels = Int32Array.from({ length: args.batchSize }, () => Math.floor(rng() * 10));
  const xs = tf.tensor4d(images, [args.batchSize, height, width, channels]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 10));
  for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys);

  // Unprofiled steps first: profiling itself slows every kernel call a little.
  let started = performance.now();
  for (let i = 0; i < args.steps; i++) await model.trainOnBatch(xs, ys);
  const plainMs = (performance.now() - started) / args.steps;

  const perKernel = new Map<string, { calls: number; ms: number }>();
  started = performance.now();
  for (let i = 0; i < args.steps; i++) {
    const profile = await tf.profile(async () => {
      await model.trainOnBatch(xs, ys);
    });
    for (const kernel of profile.kernels) {
      const ms = typeof kernel.kernelTimeMs === "number" ? kernel.kernelTimeMs : 0;
      const entry = perKernel.get(kernel.name) ?? { calls: 0, ms: 0 };
      entry.calls += 1;
      entry.ms += ms;
      perKernel.set(kernel.name, entry);
    }
  }
  const profiledMs = (performance.now() - started) / args.steps;
  const kernelMs = [...perKernel.values()].reduce((sum, entry) => sum + entry.ms, 0) / args.steps;
  const rows = [...perKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const label = `${args.model} on ${info.name}${info.name === "tensorflow" ? ` (${info.threads} thread(s), oneDNN ${info.onednn ? "on" : "off"})` : ""}, batch ${args.batchSize}`;
  console.log(`${label}: ${plainMs.toFixed(2)} ms per step unprofiled (${((args.batchSize * 1000) / plainMs).toFixed(0)} samples/s); profiled ${profiledMs.toFixed(2)} ms, of which kernels ${kernelMs.toFixed(2)} ms (${((100 * kernelMs) / profiledMs).toFixed(0)} %)`);
  console.log("| kernel | calls/step | ms/step | share of kernel time |");
  console.log("|---|---:|---:|---:|");
  for (const [name, entry] of rows.slice(0, args.top)) {
    console.log(`| ${name} | ${(entry.calls / args.steps).toFixed(0)} | ${(entry.ms / args.steps).toFixed(3)} | ${((100 * entry.ms) / args.steps / kernelMs).toFixed(1)} % |`);
  }
  const rest = rows.slice(args.top);
  if (rest.length > 0) {
    const restMs = rest.reduce((sum, [, entry]) => sum + entry.ms, 0) / args.steps;
    console.log(`| ${rest.length} other kernels | ${(rest.reduce((sum, [, e]) => sum + e.calls, 0) / args.steps).toFixed(0)} | ${restMs.toFixed(3)} | ${((100 * restMs) / kernelMs).toFixed(1)} % |`);
  }
  tf.dispose([xs, ys]);
  model.dispose();
  optimizer.dispose();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`profile:runner: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
