import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../scratch-dir";
import { loadCifar, parseCifarRecords } from "@/lib/runner/data/cifar";
import { extractTarGz, fetchDataset, verifySha256 } from "@/lib/runner/data/fetch";
import { sha256Hex } from "@/lib/runner/data/files";
import { loadMnist, parseIdxUbyte } from "@/lib/runner/data/mnist";
import { createSyntheticDataset, generateSyntheticSet } from "@/lib/runner/data/synthetic";

/** Writes an IDX unsigned-byte file: 0 0 8 <dims> then big-endian uint32 sizes, then data. */
function idx(dimensions: number[], data: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dimensions.length);
  header.writeUInt8(8, 2);
  header.writeUInt8(dimensions.length, 3);
  dimensions.forEach((size, i) => header.writeUInt32BE(size, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

/** Image i has every pixel equal to (i * 7) % 256, label i % 10, so values can be checked after parsing. */
function mnistLike(count: number) {
  const pixels = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) pixels.fill((i * 7) % 256, i * 784, (i + 1) * 784);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return { images: idx([count, 28, 28], pixels), labels: idx([count], labels) };
}

const directory = scratchDir("varstudy-data-");

describe("MNIST IDX loader", () => {
  it("reads gzip and plain files, scales pixels and applies the positional validation/test split", async () => {
    const mnist = path.join(directory, "mnist");
    await mkdir(mnist, { recursive: true });
    const train = mnistLike(30);
    const test = mnistLike(20);
    // Mixed on purpose: two files gzip-compressed, two plain.
    await writeFile(path.join(mnist, "train-images-idx3-ubyte.gz"), gzipSync(train.images));
    await writeFile(path.join(mnist, "train-labels-idx1-ubyte"), train.labels);
    await writeFile(path.join(mnist, "t10k-images-idx3-ubyte"), test.images);
    await writeFile(path.join(mnist, "t10k-labels-idx1-ubyte.gz"), gzipSync(test.labels));

    const data = await loadMnist(mnist, { train: 12, validation: 5, test: 4 });
    expect(data.train.count).toBe(12);
    expect(data.train.images[3 * 784 + 100]).toBeCloseTo(21 / 255, 6);
    expect(Array.from(data.train.labels.slice(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    // 20 test images: validation pool = first 15, test pool = last 5.
    expect(Array.from(data.validation.labels)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(data.test.labels)).toEqual([5, 6, 7, 8]);
    expect(data.test.images[0]).toBeCloseTo(((15 * 7) % 256) / 255, 6);
    expect(data.checksum).toMatch(/^[0-9a-f]{64}$/);
    await expect(loadMnist(mnist, { validation: 16 })).rejects.toThrow(/validation pool of 15/);
  });

  it("rejects a wrong magic number and truncated data with clear messages", () => {
    expect(() => parseIdxUbyte(Uint8Array.from([0, 0, 9, 1, 0, 0, 0, 1, 5]), 1)).toThrow(/magic/);
    expect(() => parseIdxUbyte(idx([3], Uint8Array.from([1, 2])), 1)).toThrow(/truncated/);
    expect(() => parseIdxUbyte(idx([1], Uint8Array.from([1])), 3)).toThrow(/3 IDX dimensions/);
  });

  it("names the missing file", async () => {
    await expect(loadMnist(path.join(directory, "nowhere"))).rejects.toThrow(/train-images-idx3-ubyte/);
  });
});

/** CIFAR record: label byte(s), then R, G, B planes. Pixel (y, x) of channel c holds (c * 50 + y + x) % 256. */
function cifarRecords(labels: number[][], labelBytes: number): Uint8Array {
  const out = new Uint8Array(labels.length * (labelBytes + 3072));
  labels.forEach((recordLabels, r) => {
    const start = r * (labelBytes + 3072);
    recordLabels.forEach((value, i) => (out[start + i] = value));
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[start + labelBytes + c * 1024 + y * 32 + x] = (c * 50 + y + x) % 256;
  });
  return out;
}

describe("CIFAR binary loader", () => {
  it("converts channel planes to channels-last and reads CIFAR-100's fine label", () => {
    const set = parseCifarRecords(cifarRecords([[3, 77]], 2), "cifar100");
    expect(set.labels[0]).toBe(77);
    // pixel (y=2, x=5): channel values 7, 57, 107
    const offset = (2 * 32 + 5) * 3;
    expect(Array.from(set.images.slice(offset, offset + 3)).map((v) => Math.round(v * 255))).toEqual([7, 57, 107]);
    expect(() => parseCifarRecords(new Uint8Array(3000), "cifar10")).toThrow(/multiple of the 3073-byte record/);
  });

  it("loads the five CIFAR-10 training batches and the test batch from the official folder layout", async () => {
    const folder = path.join(directory, "cifar-10-batches-bin");
    await mkdir(folder, { recursive: true });
    for (let batch = 1; batch <= 5; batch++) {
      await writeFile(path.join(folder, `data_batch_${batch}.bin`), cifarRecords([[batch], [batch]], 1));
    }
    await writeFile(path.join(folder, "test_batch.bin"), cifarRecords([[0], [1], [2], [3], [4], [5], [6], [7]], 1));
    const data = await loadCifar(directory, "cifar10");
    expect(data.train.count).toBe(10);
    expect(Array.from(data.train.labels)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(Array.from(data.validation.labels)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(data.test.labels)).toEqual([6, 7]);
    expect(data.shape).toEqual({ height: 32, width: 32, channels: 3 });
  });
});

describe("synthetic datasets", () => {
  it("are deterministic from the seed, prefix-stable and differ between seeds", () => {
    const a = generateSyntheticSet("synthetic-mnist", 20, 5);
    const b = generateSyntheticSet("synthetic-mnist", 10, 5);
    const c = generateSyntheticSet("synthetic-mnist", 20, 6);
    expect(Array.from(a.images.slice(0, 10 * 784))).toEqual(Array.from(b.images));
    expect(Array.from(c.images)).not.toEqual(Array.from(a.images));
    const full = createSyntheticDataset({ kind: "synthetic-cifar", sizes: { train: 8, validation: 4, test: 4 }, dataSeed: 1 });
    const again = createSyntheticDataset({ kind: "synthetic-cifar", sizes: { train: 8, validation: 4, test: 4 }, dataSeed: 1 });
    expect(again.checksum).toBe(full.checksum);
    expect(full.train.images.length).toBe(8 * 32 * 32 * 3);
  });

  it("draws class-dependent strokes: mean images of two digits differ far more than noise", () => {
    const set = generateSyntheticSet("synthetic-mnist", 400, 9);
    const meanImage = (label: number) => {
      const sum = new Float64Array(784);
      let n = 0;
      for (let i = 0; i < set.count; i++) {
        if (set.labels[i] !== label) continue;
        n += 1;
        for (let p = 0; p < 784; p++) sum[p]! += set.images[i * 784 + p]!;
      }
      return Array.from(sum, (v) => v / n);
    };
    const one = meanImage(1);
    const eight = meanImage(8);
    const inkOne = one.reduce((a, b) => a + b, 0);
    const inkEight = eight.reduce((a, b) => a + b, 0);
    // "8" lights all seven segments, "1" only two.
    expect(inkEight).toBeGreaterThan(2 * inkOne);
  });
});

describe("dataset download", () => {
  it("verifies SHA-256 of a local file and reports a mismatch with both digests", async () => {
    const file = path.join(directory, "blob.bin");
    await writeFile(file, "hello variance");
    const bytes = new Uint8Array(await readFile(file));
    const good = sha256Hex(bytes);
    expect(verifySha256(bytes, good.toUpperCase(), "blob.bin")).toEqual({ ok: true, sha256: good });
    const bad = verifySha256(bytes, "0".repeat(64), "blob.bin");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain(good);
  });

  it("turns a network failure into one clear line and writes nothing", async () => {
    const failing: typeof fetch = async () => {
      throw new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND storage.googleapis.com") });
    };
    const target = path.join(directory, "offline");
    const result = await fetchDataset({ dataset: "mnist", dataDir: target, fetchImpl: failing });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^cannot download https:\/\/\S+ \(getaddrinfo ENOTFOUND [^)]+\); are you online\?$/) });
  });

  it("refuses a download whose checksum does not match", async () => {
    const wrongBytes: typeof fetch = async () => new Response("not mnist");
    const result = await fetchDataset({ dataset: "mnist", dataDir: path.join(directory, "wrong"), fetchImpl: wrongBytes });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/SHA-256 mismatch/);
  });

  it("extracts a tar.gz archive made by the system tar", async () => {
    const source = path.join(directory, "tar-src");
    await mkdir(path.join(source, "cifar-10-batches-bin"), { recursive: true });
    await writeFile(path.join(source, "cifar-10-batches-bin", "test_batch.bin"), Buffer.from([1, 2, 3]));
    const archive = path.join(directory, "archive.tar.gz");
    execFileSync("tar", ["czf", archive, "-C", source, "cifar-10-batches-bin"]);
    const destination = path.join(directory, "tar-out");
    const written = await extractTarGz(new Uint8Array(await readFile(archive)), destination);
    expect(written).toContain("cifar-10-batches-bin/test_batch.bin");
    expect(Array.from(await readFile(path.join(destination, "cifar-10-batches-bin", "test_batch.bin")))).toEqual([1, 2, 3]);
  });
});
