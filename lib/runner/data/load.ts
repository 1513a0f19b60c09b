import { z } from "zod";
import { loadCifar } from "./cifar";
import { loadMnist } from "./mnist";
import { createSyntheticDataset } from "./synthetic";
import type { DatasetSplits } from "./types";

export const datasetNameSchema = z.enum(["mnist", "cifar10", "cifar100", "synthetic-mnist", "synthetic-cifar"]);
export type DatasetName = z.infer<typeof datasetNameSchema>;

/** Datasets the project generates itself (no files needed). */
export const isSyntheticDataset = (name: DatasetName): name is "synthetic-mnist" | "synthetic-cifar" => name.startsWith("synthetic-");

/**
 * Loads a dataset by name with the requested split sizes.
 * @param options.name dataset name.
 * @param options.dataDir directory of real datasets (MNIST files directly inside `<dataDir>/mnist`,
 *   CIFAR archives unpacked inside `<dataDir>`); unused for synthetic data.
 * @param options.sizes split sizes; required for synthetic data, optional (official sizes) for real data.
 * @param options.dataSeed seed of synthetic data (part of its identity).
 * @throws Error with a one-line message when files are missing or malformed, or sizes are invalid.
 */
export async function loadDataset(options: {
  name: DatasetName;
  dataDir: string;
  sizes: { train?: number; validation?: number; test?: number };
  dataSeed: number;
}): Promise<DatasetSplits> {
  const { name, sizes } = options;
  switch (name) {
    case "mnist":
      return loadMnist(`${options.dataDir}/mnist`, sizes);
    case "cifar10":
    case "cifar100":
      return loadCifar(options.dataDir, name, sizes);
    case "synthetic-mnist":
    case "synthetic-cifar": {
      const { train, validation, test } = sizes;
      if (train === undefined || validation === undefined || test === undefined) {
        throw new Error(`${name} needs explicit train, validation and test sizes`);
      }
      return createSyntheticDataset({ kind: name, sizes: { train, validation, test }, dataSeed: options.dataSeed });
    }
  }
}
