import { access } from "node:fs/promises";
import path from "node:path";
import { createHash } from "node:crypto";
import { readMaybeGzip } from "./files";
import { splitOfficialSets } from "./split";
import type { DatasetSplits, ImageSet, SplitSizes } from "./types";

/** The four official MNIST files; each may be stored plain or with a `.gz` suffix. */
export const MNIST_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

const IDX_UBYTE = 0x08;

/**
 * Parses an IDX file of unsigned bytes (the MNIST format: 2 zero bytes, type 0x08, number of
 * dimensions, big-endian uint32 sizes, then the data).
 * @param bytes decompressed file content.
 * @param expectedDimensions 3 for images, 1 for labels.
 * @throws Error naming the problem for a wrong magic number, dimension count or truncated data.
 */
export function parseIdxUbyte(bytes: Uint8Array, expectedDimensions: number): { dimensions: number[]; data: Uint8Array } {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== IDX_UBYTE) {
    throw new Error("not an IDX unsigned-byte file (bad magic number)");
  }
  const dimensionCount = bytes[3]!;
  if (dimensionCount !== expectedDimensions) throw new Error(`expected ${expectedDimensions} IDX dimensions, found ${dimensionCount}`);
  const headerLength = 4 + 4 * dimensionCount;
  if (bytes.length < headerLength) throw new Error("IDX header is truncated");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dimensions = Array.from({ length: dimensionCount }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expectedLength = dimensions.reduce((a, b) => a * b, 1);
  if (bytes.length - headerLength < expectedLength) {
    throw new Error(`IDX data is truncated: header promises ${expectedLength} bytes, file has ${bytes.length - headerLength}`);
  }
  return { dimensions, data: bytes.subarray(headerLength, headerLength + expectedLength) };
}

async function resolveFile(directory: string, baseName: string, datasetName: string): Promise<string> {
  for (const candidate of [baseName, `${baseName}.gz`]) {
    const full = path.join(directory, candidate);
    try {
      await access(full);
      return full;
    } catch {
      // try the next spelling
    }
  }
  throw new Error(`${datasetName} file ${baseName}(.gz) not found in ${directory}${datasetName === "mnist" ? " (run: npm run variance -- fetch-data mnist)" : ""}`);
}

async function readPair(directory: string, imagesName: string, labelsName: string, hash: ReturnType<typeof createHash>, datasetName: string): Promise<ImageSet> {
  const imagesFile = await readMaybeGzip(await resolveFile(directory, imagesName, datasetName));
  const labelsFile = await readMaybeGzip(await resolveFile(directory, labelsName, datasetName));
  hash.update(imagesFile.raw).update(labelsFile.raw);
  const images = parseIdxUbyte(imagesFile.bytes, 3);
  const labels = parseIdxUbyte(labelsFile.bytes, 1);
  const [count, height, width] = images.dimensions as [number, number, number];
  if (height !== 28 || width !== 28) throw new Error(`${imagesName}: expected 28×28 images, found ${height}×${width}`);
  if (labels.dimensions[0] !== count) throw new Error(`${labelsName}: ${labels.dimensions[0]} labels for ${count} images`);
  const floats = new Float32Array(images.data.length);
  for (let i = 0; i < floats.length; i++) floats[i] = images.data[i]! / 255;
  const labelCopy = Uint8Array.from(labels.data);
  if (labelCopy.some((label) => label > 9)) throw new Error(`${labelsName}: labels must be 0..9`);
  return { images: floats, labels: labelCopy, count };
}

/**
 * Whether a directory holds the four IDX files (each plain or gzip-compressed), without reading them.
 */
export async function hasMnistFiles(directory: string): Promise<boolean> {
  for (const baseName of Object.values(MNIST_FILES)) {
    try {
      await resolveFile(directory, baseName, "");
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Loads MNIST, or a dataset in MNIST's format (Fashion-MNIST uses the same four IDX file names), from a
 * directory holding the four IDX files (gzip or not), scaled to [0, 1], and applies the study's
 * validation/test split of the official test set.
 * @param directory folder with the files.
 * @param sizes requested split sizes (default: 60,000 / 7,500 / 2,500).
 * @param name the dataset's name in provenance and messages ("mnist" or "fashion-mnist").
 * @returns splits; the checksum is SHA-256 over the four files' bytes as stored, in a fixed order.
 * @throws Error naming the missing or malformed file.
 */
export async function loadMnist(directory: string, sizes: SplitSizes = {}, name: "mnist" | "fashion-mnist" = "mnist"): Promise<DatasetSplits> {
  const hash = createHash("sha256");
  const train = await readPair(directory, MNIST_FILES.trainImages, MNIST_FILES.trainLabels, hash, name);
  const test = await readPair(directory, MNIST_FILES.testImages, MNIST_FILES.testLabels, hash, name);
  const shape = { height: 28, width: 28, channels: 1 };
  return { name, checksum: hash.digest("hex"), shape, numClasses: 10, ...splitOfficialSets({ train, test }, shape, sizes) };
}
