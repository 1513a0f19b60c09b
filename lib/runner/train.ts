import { createHash } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import { createAdam } from "./flat-adam";
import { createRng, deriveSeed, shuffled } from "../stats/random";
import { gatherBatch } from "./augment";
import type { DatasetSplits } from "./data/types";
import { evaluateModel, type Evaluation } from "./evaluate";
import { buildModel, countTrainableParameters } from "./models";
import { flipOneInitialBit, type OneBitFlip } from "./one-bit";
import { learningRateForEpoch, type OptimizerConfig, type TrainingConfig } from "./presets";
import type { RunSeeds } from "./seeds";

/** Images per forward pass when evaluating; bounds memory only, never changes results. */
const EVALUATION_BATCH = 256;

export type EpochRecord = {
  epoch: number;
  learningRate: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number;
  validationAccuracy: number;
  /** Wall time of this epoch: training steps plus validation (s). */
  seconds: number;
  /** Wall time from the start of training to the end of this epoch (s). */
  cumulativeSeconds: number;
};

export type CheckpointRecord = {
  epoch: number;
  /** Time to checkpoint: cumulative training time at the end of that epoch (s). */
  seconds: number;
  validationLoss: number;
  validationAccuracy: number;
  test: Evaluation;
};

export type TrainingProgress = { epoch: number; epochs: number; step: number; steps: number; samplesPerSecond: number };

export type RunMeasurements = {
  parameterCount: number;
  /** The one-bit set's perturbation of the initial weights, when asked for (see one-bit.ts). */
  oneBitFlip?: OneBitFlip;
  initialWeightsSha256: string;
  finalWeightsSha256: string;
  epochs: EpochRecord[];
  checkpoints: { bestLoss: CheckpointRecord; bestAccuracy: CheckpointRecord };
  trainingSeconds: number;
};

/** Thrown when `shouldStop` asks a run to end early (interrupt); the run is then not recorded. */
export class RunInterruptedError extends Error {
  constructor() {
    super("run interrupted");
    this.name = "RunInterruptedError";
  }
}

function createOptimizer(config: OptimizerConfig): tf.Optimizer {
  if (config.type === "adam") return createAdam(config.learningRate);
  if (config.momentum > 0) return tf.train.momentum(config.learningRate, config.momentum, config.nesterov);
  return tf.train.sgd(config.learningRate);
}

function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // SGD and momentum cache -lr in a scalar tensor, so they need setLearningRate; Adam reads the
  // learningRate field on every step (tfjs-core 4.22 adam_optimizer.js), which is protected in the types.
  if (optimizer instanceof tf.SGDOptimizer) optimizer.setLearningRate(learningRate);
  else (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}

/**
 * SHA-256 over every weight (trainable or not, in model order): shape, then float32 bytes.
 * Bit-identical weights give the same hash; any difference in any bit changes it.
 */
export async function hashModelWeights(model: tf.LayersModel): Promise<string> {
  const hash = createHash("sha256");
  for (const weight of model.weights) {
    const values = (await weight.read().data()) as Float32Array;
    hash.update(`${weight.originalName}:${weight.shape.join("x")};`);
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return hash.digest("hex");
}

/** Copies all weights so they survive later training steps; the caller disposes the copy. */
const snapshotWeights = (model: tf.LayersModel): tf.Tensor[] => model.getWeights().map((weight) => tf.clone(weight));

/**
 * Trains one network once and measures it.
 *
 * Determinism: initial weights come from `seeds.init`, the batch order of every epoch from
 * `seeds.order`, augmentation from `seeds.augmentation` and dropout masks from `seeds.dropout`.
 * Batches are built here and fed to `trainOnBatch`, so tfjs never shuffles (its fit() shuffles with
 * Math.random). The last batch of an epoch may be smaller, as in Keras.
 *
 * Checkpoints: the epoch with the lowest validation loss ("best-loss") and the one with the highest
 * validation accuracy ("best-acc"), earliest epoch on ties. Instead of evaluating the test set after
 * every epoch we keep a copy of the weights whenever a criterion improves and evaluate the test set
 * once per checkpoint at the end: at most two test evaluations per run, at the cost of two copies of
 * the weights in memory (cheaper for every preset, since the test set is as large as a third of an
 * epoch's validation work and epochs number 50–200).
 *
 * Memory: every tensor created here is disposed before returning (tested: tf.memory().numTensors
 * returns to its value before the call), also when training throws.
 *
 * @param options.training the resolved training configuration.
 * @param options.seeds the run's seeds.
 * @param options.dataset loaded splits (must match the architecture's input shape).
 * @param options.oneBitSeed the one-bit set's choice of which initial weight to perturb (absent otherwise).
 * @param options.onProgress called after every training step.
 * @param options.shouldStop polled after every step; returning true aborts with RunInterruptedError.
 * @throws RunInterruptedError when stopped; any tfjs error from training.
 */
export async function trainRun(options: {
  training: TrainingConfig;
  seeds: RunSeeds;
  dataset: DatasetSplits;
  /** When given, one bit of one initial kernel weight (chosen by this seed) is flipped before training. */
  oneBitSeed?: number;
  onProgress?: (progress: TrainingProgress) => void;
  shouldStop?: () => boolean;
}): Promise<RunMeasurements> {
  const { training, seeds, dataset } = options;
  const { shape, numClasses } = dataset;
  const model = buildModel({
    architecture: training.architecture,
    inputShape: [shape.height, shape.width, shape.channels],
    numClasses,
    initSeed: seeds.init,
    dropoutSeed: seeds.dropout,
    dropoutRate: training.dropoutRate,
  });
  const optimizer = createOptimizer(training.optimizer);
  let bestLoss: { epoch: number; weights: tf.Tensor[]; record: EpochRecord } | undefined;
  let bestAccuracy: { epoch: number; weights: tf.Tensor[]; record: EpochRecord } | undefined;
  const disposeSnapshot = (snapshot: { weights: tf.Tensor[] } | undefined) => snapshot?.weights.forEach((weight) => weight.dispose());
  try {
    model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    const parameterCount = countTrainableParameters(model);
    const oneBitFlip = options.oneBitSeed === undefined ? undefined : flipOneInitialBit(model, options.oneBitSeed);
    const initialWeightsSha256 = await hashModelWeights(model);
    const trainIndices = Array.from({ length: dataset.train.count }, (_, i) => i);
    const steps = Math.ceil(dataset.train.count / training.batchSize);
    const epochs: EpochRecord[] = [];
    let cumulativeSeconds = 0;

    for (let epoch = 1; epoch <= training.epochs; epoch++) {
      const learningRate = learningRateForEpoch(training, epoch);
      setLearningRate(optimizer, learningRate);
      const order = shuffled(trainIndices, createRng(deriveSeed(seeds.order, "epoch", epoch)));
      const epochStart = performance.now();
      let lossSum = 0;
      let accuracySum = 0;
      for (let step = 0; step < steps; step++) {
        const indices = order.slice(step * training.batchSize, (step + 1) * training.batchSize);
        const pixels = gatherBatch(dataset.train.images, indices, shape, training.augmentation, deriveSeed(seeds.augmentation, epoch, step));
        const [xs, ys] = tf.tidy(() => [
          tf.tensor4d(pixels, [indices.length, shape.height, shape.width, shape.channels]),
          tf.oneHot(tf.tensor1d(indices.map((i) => dataset.train.labels[i]!), "int32"), numClasses),
        ]);
        let stepResult: number | number[];
        try {
          stepResult = await model.trainOnBatch(xs!, ys!);
        } finally {
          xs!.dispose();
          ys!.dispose();
        }
        const [loss, accuracy] = stepResult as number[];
        lossSum += loss! * indices.length;
        accuracySum += accuracy! * indices.length;
        const elapsed = (performance.now() - epochStart) / 1000;
        options.onProgress?.({
          epoch,
          epochs: training.epochs,
          step: step + 1,
          steps,
          samplesPerSecond: elapsed > 0 ? Math.min(dataset.train.count, (step + 1) * training.batchSize) / elapsed : 0,
        });
        if (options.shouldStop?.()) throw new RunInterruptedError();
      }
      const validation = await evaluateModel(model, dataset.validation, shape, numClasses, EVALUATION_BATCH);
      const seconds = (performance.now() - epochStart) / 1000;
      cumulativeSeconds += seconds;
      const record: EpochRecord = {
        epoch,
        learningRate,
        trainLoss: lossSum / dataset.train.count,
        trainAccuracy: accuracySum / dataset.train.count,
        validationLoss: validation.loss,
        validationAccuracy: validation.accuracy,
        seconds,
        cumulativeSeconds,
      };
      epochs.push(record);
      if (!bestLoss || validation.loss < bestLoss.record.validationLoss) {
        disposeSnapshot(bestLoss);
        bestLoss = { epoch, weights: snapshotWeights(model), record };
      }
      if (!bestAccuracy || validation.accuracy > bestAccuracy.record.validationAccuracy) {
        disposeSnapshot(bestAccuracy);
        bestAccuracy = { epoch, weights: snapshotWeights(model), record };
      }
    }
    const finalWeightsSha256 = await hashModelWeights(model);
    const checkpoint = async (best: { weights: tf.Tensor[]; record: EpochRecord }): Promise<CheckpointRecord> => {
      model.setWeights(best.weights);
      return {
        epoch: best.record.epoch,
        seconds: best.record.cumulativeSeconds,
        validationLoss: best.record.validationLoss,
        validationAccuracy: best.record.validationAccuracy,
        test: await evaluateModel(model, dataset.test, shape, numClasses, EVALUATION_BATCH),
      };
    };
    // epochs >= 1 is guaranteed by the schema, so both checkpoints exist here.
    const bestLossCheckpoint = await checkpoint(bestLoss!);
    const bestAccuracyCheckpoint =
      bestAccuracy!.epoch === bestLoss!.epoch ? { ...bestLossCheckpoint } : await checkpoint(bestAccuracy!);
    return {
      parameterCount,
      ...(oneBitFlip ? { oneBitFlip } : {}),
      initialWeightsSha256,
      finalWeightsSha256,
      epochs,
      checkpoints: { bestLoss: bestLossCheckpoint, bestAccuracy: bestAccuracyCheckpoint },
      trainingSeconds: cumulativeSeconds,
    };
  } finally {
    disposeSnapshot(bestLoss);
    disposeSnapshot(bestAccuracy);
    optimizer.dispose();
    model.dispose();
  }
}
