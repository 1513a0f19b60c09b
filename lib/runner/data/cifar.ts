import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { splitOfficialSets } from "./split";
import type { DatasetSplits, ImageSet, SplitSizes } from "./types";

export type CifarVariant = "cifar10" | "cifar100";

const PIXELS = 32 * 32;

/** Where the official binary archives unpack to, and their files in the order they are read. */
export const CIFAR_LAYOUT: Record<CifarVariant, { folder: string; train: string[]; test: string[]; labelBytes: number; numClasses: number }> = {
  cifar10: {
    folder: "cifar-10-batches-bin",
    train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
    test: ["test_batch.bin"],
    labelBytes: 1,
    numClasses: 10,
  },
  // CIFAR-100 records carry a coarse (20-class) and a fine (100-class) label; the study uses the fine one.
  cifar100: { folder: "cifar-100-binary", train: ["train.bin"], test: ["test.bin"], labelBytes: 2, numClasses: 100 },
};

/**
 * Parses CIFAR binary records: label byte(s) then 3,072 bytes (1,024 red, 1,024 green, 1,024 blue,
 * each a row-major 32×32 plane), converted to channels-last floats in [0, 1].
 * @param bytes concatenated records.
 * @param variant decides the label bytes per record (1 for CIFAR-10; 2 for CIFAR-100, fine label second).
 * @throws Error when the length is not a whole number of records or a label is out of range.
 */
export function parseCifarRecords(bytes: Uint8Array, variant: CifarVariant): ImageSet {
  const { labelBytes, numClasses } = CIFAR_LAYOUT[variant];
  const recordLength = labelBytes + 3 * PIXELS;
  if (bytes.length % recordLength !== 0) {
    throw new Error(`CIFAR file length ${bytes.length} is not a multiple of the ${recordLength}-byte record`);
  }
  const count = bytes.length / recordLength;
  const images = new Float32Array(count * 3 * PIXELS);
  const labels = new Uint8Array(count);
  for (let record = 0; record < count; record++) {
    const start = record * recordLength;
    const label = bytes[start + labelBytes - 1]!;
    if (label >= numClasses) throw new Error(`record ${record}: label ${label} is outside 0..${numClasses - 1}`);
    labels[record] = label;
    const pixelsStart = start + labelBytes;
    for (let pixel = 0; pixel < PIXELS; pixel++) {
      for (let channel = 0; channel < 3; channel++) {
        images[(record * PIXELS + pixel) * 3 + channel] = bytes[pixelsStart + channel * PIXELS + pixel]! / 255;
      }
    }
  }
  return { images, labels, count };
}

async function readConcatenated(directory: string, files: string[], hash: ReturnType<typeof createHash>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (const file of files) {
    const full = path.join(directory, file);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(full));
    } catch {
      throw new Error(`CIFAR file ${full} not found (run: npm run variance -- fetch-data <cifar10|cifar100>)`);
    }
    hash.update(bytes);
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}

/**
 * Loads CIFAR-10 or CIFAR-100 (binary version) from `<dataDir>/<cifar-10-batches-bin|cifar-100-binary>`
 * and applies the study's 7,500/2,500 split of the official test set. Pixels are scaled to [0, 1];
 * no mean subtraction (documented in docs/runner.md).
 * @param dataDir the directory holding the unpacked archive folder.
 * @param variant which dataset.
 * @param sizes requested split sizes (default 50,000 / 7,500 / 2,500).
 * @throws Error naming a missing or malformed file.
 */
export async function loadCifar(dataDir: string, variant: CifarVariant, sizes: SplitSizes = {}): Promise<DatasetSplits> {
  const layout = CIFAR_LAYOUT[variant];
  const directory = path.join(dataDir, layout.folder);
  const hash = createHash("sha256");
  const train = parseCifarRecords(await readConcatenated(directory, layout.train, hash), variant);
  const test = parseCifarRecords(await readConcatenated(directory, layout.test, hash), variant);
  const shape = { height: 32, width: 32, channels: 3 };
  return {
    name: variant,
    checksum: hash.digest("hex"),
    shape,
    numClasses: layout.numClasses,
    ...splitOfficialSets({ train, test }, shape, sizes),
  };
}
