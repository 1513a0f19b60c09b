import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { sha256Hex } from "./files";

/** A file to download and the SHA-256 it must have; `unpack: "tar.gz"` archives are extracted after verification. */
export type DownloadSource = { url: string; fileName: string; sha256: string; unpack?: "tar.gz" };

const MNIST_MIRROR = "https://storage.googleapis.com/cvdf-datasets/mnist";

/**
 * Public sources and their published SHA-256 sums. The MNIST files come from the mirror TensorFlow uses
 * (the original host often refuses downloads); CIFAR from the authors' page (binary versions).
 */
export const DATASET_SOURCES: Record<"mnist" | "cifar10" | "cifar100", { subdirectory: string; files: DownloadSource[] }> = {
  mnist: {
    subdirectory: "mnist",
    files: [
      { fileName: "train-images-idx3-ubyte.gz", sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609" },
      { fileName: "train-labels-idx1-ubyte.gz", sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c" },
      { fileName: "t10k-images-idx3-ubyte.gz", sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6" },
      { fileName: "t10k-labels-idx1-ubyte.gz", sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6" },
    ].map((file) => ({ ...file, url: `${MNIST_MIRROR}/${file.fileName}` })),
  },
  cifar10: {
    subdirectory: ".",
    files: [
      {
        url: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
        fileName: "cifar-10-binary.tar.gz",
        sha256: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
        unpack: "tar.gz",
      },
    ],
  },
  cifar100: {
    subdirectory: ".",
    files: [
      {
        url: "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz",
        fileName: "cifar-100-binary.tar.gz",
        sha256: "58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec",
        unpack: "tar.gz",
      },
    ],
  },
};

/** Outcome of checking bytes against an expected digest. */
export type ChecksumCheck = { ok: true; sha256: string } | { ok: false; sha256: string; error: string };

/**
 * Compares the SHA-256 of `bytes` with `expected` (hex, case-insensitive).
 * @returns ok, or a one-line error naming both digests.
 */
export function verifySha256(bytes: Uint8Array, expected: string, label: string): ChecksumCheck {
  const actual = sha256Hex(bytes);
  if (actual === expected.toLowerCase()) return { ok: true, sha256: actual };
  return { ok: false, sha256: actual, error: `${label}: SHA-256 mismatch (expected ${expected}, got ${actual}); file not kept` };
}

/**
 * Extracts the regular files of a gzip-compressed ustar/GNU tar archive under `destination`.
 * Entries that would escape the destination (absolute paths, "..") are rejected.
 * @returns the relative paths written.
 * @throws Error on a corrupt archive or an unsafe path.
 */
export async function extractTarGz(archive: Uint8Array, destination: string): Promise<string[]> {
  const tar = gunzipSync(archive);
  const written: string[] = [];
  const decoder = new TextDecoder();
  const field = (start: number, length: number) => decoder.decode(tar.subarray(start, start + length)).replace(/\0.*$/s, "");
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    if (tar.subarray(offset, offset + 512).every((byte) => byte === 0)) break;
    const size = parseInt(field(offset + 124, 12).trim() || "0", 8);
    if (!Number.isFinite(size)) throw new Error("corrupt tar header (size)");
    const type = String.fromCharCode(tar[offset + 156] ?? 0);
    const prefix = field(offset + 345, 155);
    const shortName = field(offset, 100);
    const name = longName ?? (prefix ? `${prefix}/${shortName}` : shortName);
    const dataStart = offset + 512;
    const data = tar.subarray(dataStart, dataStart + size);
    longName = undefined;
    if (type === "L") {
      longName = decoder.decode(data).replace(/\0.*$/s, "");
    } else if (type === "0" || type === "\0") {
      const normalised = path.posix.normalize(name);
      if (path.posix.isAbsolute(normalised) || normalised.startsWith("..")) throw new Error(`unsafe path in archive: ${name}`);
      const target = path.join(destination, normalised);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, data);
      written.push(normalised);
    }
    offset = dataStart + Math.ceil(size / 512) * 512;
  }
  return written;
}

export type FetchResult = { ok: true; files: string[] } | { ok: false; error: string };

/**
 * Downloads a dataset into `dataDir`, verifying each file's SHA-256 before it is kept (written to a
 * temporary name, renamed after the check). Archives are unpacked after verification.
 * @param options.fetchImpl injectable fetch (tests); defaults to the global fetch.
 * @returns the written files, or a one-line error (network failure, HTTP status, checksum mismatch).
 */
export async function fetchDataset(options: {
  dataset: keyof typeof DATASET_SOURCES;
  dataDir: string;
  fetchImpl?: typeof fetch;
  onProgress?: (message: string) => void;
}): Promise<FetchResult> {
  const source = DATASET_SOURCES[options.dataset];
  const directory = path.join(options.dataDir, source.subdirectory);
  const fetchImpl = options.fetchImpl ?? fetch;
  await mkdir(directory, { recursive: true });
  const files: string[] = [];
  for (const file of source.files) {
    options.onProgress?.(`downloading ${file.url}`);
    let bytes: Uint8Array;
    try {
      const response = await fetchImpl(file.url);
      if (!response.ok) return { ok: false, error: `download of ${file.url} failed: HTTP ${response.status}` };
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return { ok: false, error: `cannot download ${file.url} (${cause}); are you online?` };
    }
    const check = verifySha256(bytes, file.sha256, file.fileName);
    if (!check.ok) return { ok: false, error: check.error };
    const target = path.join(directory, file.fileName);
    await writeFile(`${target}.partial`, bytes);
    await rename(`${target}.partial`, target);
    files.push(target);
    if (file.unpack === "tar.gz") {
      options.onProgress?.(`unpacking ${file.fileName}`);
      for (const extracted of await extractTarGz(bytes, directory)) files.push(path.join(directory, extracted));
    }
  }
  return { ok: true, files };
}
