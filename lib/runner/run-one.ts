import * as tf from "@tensorflow/tfjs";
import { initBackend, type BackendInfo, type ResolvedBackendSpec } from "./backend";
import { implementationKey } from "./implementation";
import { loadDataset } from "./data/load";
import type { DatasetSplits } from "./data/types";
import { resultLineIdentity, type RunSpec } from "./plan";
import { describeEnvironment } from "./provenance";
import type { RunResult } from "./result-schema";
import { chooseRunSeeds } from "./seeds";
import { deriveSeed } from "../stats/random";
import { trainRun, type RunMeasurements, type TrainingProgress } from "./train";
import type { Evaluation } from "./evaluate";

/**
 * Per-process caches: a worker performs many runs of the same set, so it initialises the backend and
 * loads the dataset once. Both are pure functions of their keys, so caching cannot change results.
 */
const backendCache = new Map<string, Promise<BackendInfo>>();
const datasetCache = new Map<string, Promise<DatasetSplits>>();

function cachedBackend(spec: ResolvedBackendSpec): Promise<BackendInfo> {
  const key = implementationKey(spec);
  let pending = backendCache.get(key);
  if (!pending) {
    pending = initBackend(spec);
    backendCache.set(key, pending);
    pending.catch(() => backendCache.delete(key));
  }
  // Another run in this process may have switched the active backend since (in-process mode).
  return pending.then(async (info) => (tf.getBackend() === info.name ? info : initBackend(spec)));
}

function cachedDataset(spec: RunSpec): Promise<DatasetSplits> {
  const { dataset, sizes, dataSeed } = spec.training;
  const key = JSON.stringify({ dataset, sizes, dataSeed, dataDir: spec.dataDir });
  let pending = datasetCache.get(key);
  if (!pending) {
    // Keep at most one dataset per process: a worker serves one preset at a time.
    datasetCache.clear();
    pending = loadDataset({ name: dataset, dataDir: spec.dataDir, sizes, dataSeed });
    datasetCache.set(key, pending);
    pending.catch(() => datasetCache.delete(key));
  }
  return pending;
}

const toTestResult = (evaluation: Evaluation): RunResult["checkpoints"]["bestLoss"]["test"] => ({
  accuracy: evaluation.accuracy,
  loss: evaluation.loss,
  perClass: evaluation.perClass.map((bucket, classIndex) => ({
    classIndex,
    correct: bucket.correct,
    total: bucket.total,
    accuracy: bucket.total === 0 ? null : bucket.correct / bucket.total,
  })),
  predictions: evaluation.predictions,
});

const toCheckpoint = (checkpoint: RunMeasurements["checkpoints"]["bestLoss"]): RunResult["checkpoints"]["bestLoss"] => ({
  epoch: checkpoint.epoch,
  seconds: checkpoint.seconds,
  validationLoss: checkpoint.validationLoss,
  validationAccuracy: checkpoint.validationAccuracy,
  test: toTestResult(checkpoint.test),
});

/**
 * Performs one planned run in this process and returns its complete, schema-shaped record.
 * Chooses the seeds for the spec's setting (fresh for default, derived for fixed-seed), initialises the
 * backend and loads the dataset (both cached per process), trains and measures.
 * @param spec the planned run.
 * @param hooks.onProgress forwarded from training (after each step).
 * @param hooks.shouldStop polled after each step; true aborts with RunInterruptedError.
 * @throws the backend's, the loader's or training's error; the caller records it as a failed run.
 */
export async function executeRun(
  spec: RunSpec,
  hooks: { onProgress?: (progress: TrainingProgress) => void; shouldStop?: () => boolean } = {},
): Promise<RunResult> {
  const backend = await cachedBackend(spec.backend);
  const dataset = await cachedDataset(spec);
  const seeds = chooseRunSeeds(spec.setting, spec.masterSeed, spec.runIndex);
  // one-bit: which scalar is flipped depends on the run index only, so the set replays exactly.
  const oneBitSeed = spec.setting === "one-bit" ? deriveSeed(spec.masterSeed, "one-bit", spec.runIndex) : undefined;
  const startedAt = new Date().toISOString();
  const measurements = await trainRun({ training: spec.training, seeds, dataset, oneBitSeed, ...hooks });
  const { training } = spec;
  return {
    schemaVersion: 1,
    kind: "run",
    ...resultLineIdentity(spec),
    ...(spec.family ? { family: spec.family } : {}),
    training: {
      architecture: training.architecture,
      dataset: training.dataset,
      epochs: training.epochs,
      batchSize: training.batchSize,
      optimizer: { ...training.optimizer },
      learningRateSchedule: training.learningRateSchedule,
      augmentation: training.augmentation,
      dropoutRate: training.dropoutRate,
    },
    seeds,
    environment: describeEnvironment(backend, implementationKey(spec.backend)),
    dataset: {
      name: dataset.name,
      sha256: dataset.checksum,
      ...(dataset.split ? { split: dataset.split } : {}),
      trainSize: dataset.train.count,
      validationSize: dataset.validation.count,
      testSize: dataset.test.count,
      numClasses: dataset.numClasses,
    },
    parameterCount: measurements.parameterCount,
    epochs: measurements.epochs,
    checkpoints: {
      bestLoss: toCheckpoint(measurements.checkpoints.bestLoss),
      bestAccuracy: toCheckpoint(measurements.checkpoints.bestAccuracy),
    },
    ...(measurements.oneBitFlip ? { oneBitFlip: measurements.oneBitFlip } : {}),
    initialWeightsSha256: measurements.initialWeightsSha256,
    finalWeightsSha256: measurements.finalWeightsSha256,
    trainingSeconds: measurements.trainingSeconds,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}
