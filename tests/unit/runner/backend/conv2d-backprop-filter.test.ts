import { expect, it } from "vitest";
import {
  absolute,
  convGradient,
  convOutputShape,
  describeOnBackends,
  expectWithinTolerance,
  randomConvCase,
  randomHostTensor,
  runOn,
  testRng,
  type BackendUnderTest,
  type ConvCase,
  type HostTensor,
} from "./compare-backends";

const backpropFilter = (c: ConvCase) => convGradient("Conv2DBackpropFilter", c);

async function compare(backend: BackendUnderTest, c: ConvCase, x: HostTensor, dy: HostTensor, label: string): Promise<number> {
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
      const c = randomConvCase(rng, index, 2);
      const x = randomHostTensor(rng, c.inputShape);
      const dy = randomHostTensor(rng, convOutputShape(c));
      // tfjs-node accepts only 'valid' and 'same' pads and NHWC on a CPU (what tfjs-layers uses); the rest is wasm's.
      if (backend === "tensorflow" && (typeof c.pad !== "string" || c.dataFormat !== "NHWC")) continue;
      worst = Math.max(worst, await compare(backend, c, x, dy, `case ${index} ${JSON.stringify(c)}`));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("on LeNet- and ResNet-shaped layers (batch 4)", async () => {
    const rng = testRng("conv2d-backprop-filter-layers");
    const layers: ConvCase[] = [
      { inputShape: [4, 28, 28, 1], filterShape: [5, 5, 1, 6], strides: [1, 1], pad: "same", dataFormat: "NHWC" },
      { inputShape: [4, 14, 14, 6], filterShape: [5, 5, 6, 16], strides: [1, 1], pad: "same", dataFormat: "NHWC" },
      { inputShape: [4, 16, 16, 16], filterShape: [3, 3, 16, 32], strides: [2, 2], pad: "same", dataFormat: "NHWC" },
      { inputShape: [4, 16, 16, 16], filterShape: [1, 1, 16, 32], strides: [2, 2], pad: "same", dataFormat: "NHWC" },
    ];
    for (const [index, c] of layers.entries()) {
      await compare(backend, c, randomHostTensor(rng, c.inputShape), randomHostTensor(rng, convOutputShape(c)), `layer ${index}`);
    }
  });

  // That the check can fail is a property of the check, shown once (tfjs-node has no explicit padding).
  if (backend === "wasm") it("the tolerance rejects a gradient computed with the wrong padding (the check can fail)", async () => {
    const rng = testRng("conv2d-backprop-filter-negative");
    const same: ConvCase = { inputShape: [2, 6, 6, 2], filterShape: [3, 3, 2, 3], strides: [1, 1], pad: "same", dataFormat: "NHWC" };
    const explicit: ConvCase = { ...same, pad: [[0, 0], [2, 0], [0, 2], [0, 0]] };
    const x = randomHostTensor(rng, same.inputShape);
    const dy = randomHostTensor(rng, convOutputShape(same));
    const expected = await runOn("cpu", [x, dy], backpropFilter(same));
    const scale = await runOn("cpu", [absolute(x), absolute(dy)], backpropFilter(same));
    const wrong = await runOn(backend, [x, dy], backpropFilter(explicit));
    expect(() => expectWithinTolerance(wrong, expected, scale, "wrong padding")).toThrow();
  });

  // Our kernel's own argument check; TensorFlow's kernel has its own message.
  if (backend === "wasm") it("rejects dy whose spatial shape does not match the forward output", async () => {
    const c: ConvCase = { inputShape: [1, 6, 6, 1], filterShape: [3, 3, 1, 1], strides: [1, 1], pad: "valid", dataFormat: "NHWC" };
    const rng = testRng("conv2d-backprop-filter-bad-dy");
    await expect(runOn(backend, [randomHostTensor(rng, c.inputShape), randomHostTensor(rng, [1, 6, 6, 1])], backpropFilter(c))).rejects.toThrow(
      /does not match the forward output/,
    );
  });
});
