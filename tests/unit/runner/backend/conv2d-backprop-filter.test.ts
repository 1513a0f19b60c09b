import * as tf from "@tensorflow/tfjs";
import { expect, it } from "vitest";
import {
  absolute,
  describeOnBackends,
  expectWithinTolerance,
  intBetween,
  randomHostTensor,
  runOn,
  testRng,
  type BackendUnderTest,
  type HostTensor,
} from "./compare-backends";

type Pad = tf.Conv2DBackpropFilterAttrs["pad"];
type Case = {
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
};

/** Forward output shape of a case, in the case's data format. */
function outputShape(c: Case): [number, number, number, number] {
  const format = c.dataFormat === "NHWC" ? "channelsLast" : "channelsFirst";
  const info = tf.backend_util.computeConv2DInfo(c.xShape, c.filterShape, c.strides, 1, c.pad, c.dimRoundingMode, false, format);
  return info.outShape;
}

function randomCase(rng: () => number, index: number): Case {
  const batch = intBetween(rng, 1, 3);
  const height = intBetween(rng, 3, 11);
  const width = intBetween(rng, 3, 11);
  const inChannels = intBetween(rng, 1, 4);
  const outChannels = intBetween(rng, 1, 5);
  const kh = intBetween(rng, 1, Math.min(5, height));
  const kw = intBetween(rng, 1, Math.min(5, width));
  const strides: [number, number] = [intBetween(rng, 1, 3), intBetween(rng, 1, 3)];
  const padKinds = ["valid", "same", "number", "explicit"] as const;
  const kind = padKinds[index % padKinds.length]!;
  let pad: Pad = kind === "valid" || kind === "same" ? kind : intBetween(rng, 0, 2);
  if (kind === "explicit") {
    pad = [
      [0, 0],
      [intBetween(rng, 0, 2), intBetween(rng, 0, 3)],
      [intBetween(rng, 0, 3), intBetween(rng, 0, 2)],
      [0, 0],
    ];
  }
  const dataFormat = index % 5 === 4 ? "NCHW" : "NHWC";
  const xShape: Case["xShape"] =
    dataFormat === "NHWC" ? [batch, height, width, inChannels] : [batch, inChannels, height, width];
  if (dataFormat === "NCHW" && Array.isArray(pad)) {
    // Explicit padding is given in data-format order: [N, C, H, W].
    pad = [pad[0]!, pad[3]!, pad[1]!, pad[2]!] as Pad;
  }
  const dimRoundingMode = kind === "number" && index % 3 === 0 ? (["floor", "round", "ceil"] as const)[Math.floor((index % 9) / 3)] : undefined;
  return { xShape, filterShape: [kh, kw, inChannels, outChannels], strides, pad, dataFormat, ...(dimRoundingMode ? { dimRoundingMode } : {}) };
}

function backpropFilter(c: Case) {
  return ([x, dy]: tf.Tensor[]) =>
    tf.engine().runKernel("Conv2DBackpropFilter", { x: x!, dy: dy! }, {
      strides: c.strides,
      pad: c.pad,
      dataFormat: c.dataFormat,
      dimRoundingMode: c.dimRoundingMode,
      filterShape: c.filterShape,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

async function compare(backend: BackendUnderTest, c: Case, x: HostTensor, dy: HostTensor, label: string): Promise<number> {
  const expected = await runOn("cpu", [x, dy], backpropFilter(c));
  const scale = await runOn("cpu", [absolute(x), absolute(dy)], backpropFilter(c));
  const actual = await runOn(backend, [x, dy], backpropFilter(c));
  return expectWithinTolerance(actual, expected, scale, label);
}

describeOnBackends((backend) => `${backend} Conv2DBackpropFilter matches the cpu backend`, (backend) => {
  it("on 40 random shapes, strides, paddings (valid/same/number/explicit) and data formats", async () => {
    const rng = testRng("conv2d-backprop-filter");
    let worst = 0;
    for (let index = 0; index < 40; index++) {
      const c = randomCase(rng, index);
      const x = randomHostTensor(rng, c.xShape);
      const dy = randomHostTensor(rng, outputShape(c));
      // tfjs-node accepts only 'valid' and 'same' pads and NHWC on a CPU (what tfjs-layers uses); the rest is wasm's.
      if (backend === "tensorflow" && (typeof c.pad !== "string" || c.dataFormat !== "NHWC")) continue;
      worst = Math.max(worst, await compare(backend, c, x, dy, `case ${index} ${JSON.stringify(c)}`));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("on LeNet- and ResNet-shaped layers (batch 4)", async () => {
    const rng = testRng("conv2d-backprop-filter-layers");
    const layers: Case[] = [
      { xShape: [4, 28, 28, 1], filterShape: [5, 5, 1, 6], strides: [1, 1], pad: "same", dataFormat: "NHWC" },
      { xShape: [4, 14, 14, 6], filterShape: [5, 5, 6, 16], strides: [1, 1], pad: "same", dataFormat: "NHWC" },
      { xShape: [4, 16, 16, 16], filterShape: [3, 3, 16, 32], strides: [2, 2], pad: "same", dataFormat: "NHWC" },
      { xShape: [4, 16, 16, 16], filterShape: [1, 1, 16, 32], strides: [2, 2], pad: "same", dataFormat: "NHWC" },
    ];
    for (const [index, c] of layers.entries()) {
      await compare(backend, c, randomHostTensor(rng, c.xShape), randomHostTensor(rng, outputShape(c)), `layer ${index}`);
    }
  });

  // That the check can fail is a property of the check, shown once (tfjs-node has no explicit padding).
  if (backend === "wasm") it("the tolerance rejects a gradient computed with the wrong padding (the check can fail)", async () => {
    const rng = testRng("conv2d-backprop-filter-negative");
    const same: Case = { xShape: [2, 6, 6, 2], filterShape: [3, 3, 2, 3], strides: [1, 1], pad: "same", dataFormat: "NHWC" };
    const explicit: Case = { ...same, pad: [[0, 0], [2, 0], [0, 2], [0, 0]] };
    const x = randomHostTensor(rng, same.xShape);
    const dy = randomHostTensor(rng, outputShape(same));
    const expected = await runOn("cpu", [x, dy], backpropFilter(same));
    const scale = await runOn("cpu", [absolute(x), absolute(dy)], backpropFilter(same));
    const wrong = await runOn(backend, [x, dy], backpropFilter(explicit));
    expect(() => expectWithinTolerance(wrong, expected, scale, "wrong padding")).toThrow();
  });

  // Our kernel's own argument check; TensorFlow's kernel has its own message.
  if (backend === "wasm") it("rejects dy whose spatial shape does not match the forward output", async () => {
    const c: Case = { xShape: [1, 6, 6, 1], filterShape: [3, 3, 1, 1], strides: [1, 1], pad: "valid", dataFormat: "NHWC" };
    const rng = testRng("conv2d-backprop-filter-bad-dy");
    await expect(runOn(backend, [randomHostTensor(rng, c.xShape), randomHostTensor(rng, [1, 6, 6, 1])], backpropFilter(c))).rejects.toThrow(
      /does not match the forward output/,
    );
  });
});
