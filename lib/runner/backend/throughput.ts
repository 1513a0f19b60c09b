/**
 * Measuring training throughput (samples per second) of one network on the active backend, the way
 * the runner trains: seeded batches fed to `trainOnBatch` with the accuracy metric compiled in.
 * Used by scripts/bench-runner.ts; not a test (timings depend on the machine and its load).
 */
import * as tf from "@tensorflow/tfjs";
import { buildModel, countTrainableParameters, type Architecture } from "../models";
import { createRng, deriveSeed } from "../../stats/random";
import { createAdam } from "../flat-adam";

export type ThroughputOptions = {
  architecture: Architecture;
  /** [height, width, channels] of one synthetic image. */
  inputShape: [number, number, number];
  batchSize: number;
  optimizer: "sgd" | "adam";
  /** Untimed steps first (kernel setup, XNNPACK operator creation, JIT warm-up). */
  warmupSteps: number;
  /**
   * Keep warming up until this many seconds have passed too (default 0). A JavaScript backend needs seconds, not
   * steps: V8 optimizes tfjs's code while it runs (on other threads, so that CPU time would count against the
   * timed steps), and the first seconds of a process ran LeNet-5 on tensorflow a quarter slower than later ones.
   */
  warmupSeconds?: number;
  /** Keep timing until both this many steps and `minSeconds` have passed. */
  minSteps: number;
  minSeconds: number;
  seed: number;
};

export type ThroughputResult = {
  backend: string;
  architecture: Architecture;
  batchSize: number;
  timedSteps: number;
  seconds: number;
  samplesPerSecond: number;
  /**
   * Samples per second of CPU time this process used while timing. On a busy machine the wall-clock
   * figure mostly measures the other load; for a single-threaded backend this one approximates what
   * an idle core would give (it still includes garbage collection threads and cache contention).
   */
  samplesPerCpuSecond: number;
  parameterCount: number;
};

/** Distinct seeded batches cycled during timing, so no step sees cached identical inputs. */
const DISTINCT_BATCHES = 4;

/** User plus system time of a process.cpuUsage() delta, in seconds. */
function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

/**
 * Trains a freshly built model on synthetic batches on the current tf backend and times it.
 * The clock covers whole steps including reading the loss back, which is what a run pays.
 * @returns throughput over the timed steps; all tensors are disposed.
 * @throws RangeError on non-positive batch size, steps or seconds.
 */
export async function measureTrainingThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  if (!(options.batchSize > 0 && options.minSteps > 0 && options.minSeconds >= 0 && options.warmupSteps >= 0)) {
    throw new RangeError("batchSize and minSteps must be positive, minSeconds and warmupSteps non-negative.");
  }
  const [height, width, channels] = options.inputShape;
  const model = buildModel({
    architecture: options.architecture,
    inputShape: options.inputShape,
    numClasses: 10,
    initSeed: deriveSeed(options.seed, "init"),
    dropoutSeed: deriveSeed(options.seed, "dropout"),
  });
  const optimizer = options.optimizer === "adam" ? createAdam(1e-3) : tf.train.sgd(0.01);
  model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const batches = Array.from({ length: DISTINCT_BATCHES }, (_, index) => {
    const rng = createRng(deriveSeed(options.seed, "batch", index));
    const images = new Float32Array(options.batchSize * height * width * channels);
    for (let i = 0; i < images.length; i++) images[i] = rng();
    const labels = Int32Array.from({ length: options.batchSize }, () => Math.floor(rng() * 10));
    return {
      xs: tf.tensor4d(images, [options.batchSize, height, width, channels]),
      ys: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 10)),
    };
  });
  try {
    let step = 0;
    const runStep = async () => {
      const batch = batches[step % DISTINCT_BATCHES]!;
      step += 1;
      await model.trainOnBatch(batch.xs, batch.ys);
    };
    const warmupStarted = performance.now();
    for (let i = 0; i < options.warmupSteps || performance.now() - warmupStarted < 1000 * (options.warmupSeconds ?? 0); i++) await runStep();
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    let timedSteps = 0;
    let seconds = 0;
    while (timedSteps < options.minSteps || seconds < options.minSeconds) {
      await runStep();
      timedSteps += 1;
      seconds = (performance.now() - started) / 1000;
    }
    return {
      backend: tf.getBackend(),
      architecture: options.architecture,
      batchSize: options.batchSize,
      timedSteps,
      seconds,
      samplesPerSecond: (timedSteps * options.batchSize) / seconds,
      samplesPerCpuSecond: (timedSteps * options.batchSize) / cpuSeconds(process.cpuUsage(cpuAtStart)),
      parameterCount: countTrainableParameters(model),
    };
  } finally {
    for (const batch of batches) tf.dispose([batch.xs, batch.ys]);
    model.dispose();
    optimizer.dispose();
  }
}
