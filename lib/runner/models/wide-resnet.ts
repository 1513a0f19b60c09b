import * as tf from "@tensorflow/tfjs";
import { batchNormalization } from "./batch-norm";
import type { LayerSeeder } from "./layer-seeds";
import { classifierHead } from "./resnet";
import { SeededDropout } from "./seeded-dropout";

/**
 * Wide ResNet (Zagoruyko & Komodakis 2016) in the common pre-activation form: 3x3 stem with 16
 * filters, three groups of (depth-4)/6 blocks with 16k/32k/64k filters, BN-ReLU-conv ordering,
 * bias-free convolutions, 1x1 projection shortcuts where the width changes, final BN-ReLU, 8x8
 * average pooling and a dense classifier. WRN-28-10 on CIFAR-100 has 36,536,884 trainable
 * parameters, the study's figure.
 * @param options.depth 6n + 4 (28 for WRN-28-10).
 * @param options.widenFactor k (10 for WRN-28-10).
 * @param options.dropoutRate dropout between the two convolutions of a block (0 disables it).
 * @param options.nextDropoutSeed seed stream for SeededDropout (needed only when dropoutRate > 0).
 * @throws RangeError if depth is not 6n + 4.
 */
export function buildWideResNet(options: {
  depth: number;
  widenFactor: number;
  dropoutRate: number;
  inputShape: [number, number, number];
  numClasses: number;
  seeder: LayerSeeder;
  nextDropoutSeed: () => number;
}): tf.LayersModel {
  const { depth, widenFactor, seeder } = options;
  if (!Number.isInteger(depth) || depth < 10 || (depth - 4) % 6 !== 0) {
    throw new RangeError(`Wide ResNet depth must be 6n+4 (e.g. 28), got ${depth}`);
  }
  const blocksPerGroup = (depth - 4) / 6;
  let layerIndex = 0;
  const nextName = (kind: string) => `${kind}_${++layerIndex}`;
  const conv = (input: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number) => {
    const name = nextName("conv");
    return tf.layers
      .conv2d({
        name,
        filters,
        kernelSize,
        strides,
        padding: "same",
        useBias: false,
        kernelInitializer: tf.initializers.heNormal({ seed: seeder.next(name) }),
        kernelRegularizer: tf.regularizers.l2({ l2: 5e-4 }),
      })
      .apply(input) as tf.SymbolicTensor;
  };
  const bnRelu = (input: tf.SymbolicTensor) => {
    const normalised = batchNormalization({ name: nextName("bn") }).apply(input) as tf.SymbolicTensor;
    return tf.layers.activation({ name: nextName("relu"), activation: "relu" }).apply(normalised) as tf.SymbolicTensor;
  };

  const inputs = tf.input({ shape: options.inputShape, name: "image" });
  let x = conv(inputs, 16, 3, 1);
  let inputWidth = 16;
  [16, 32, 64].forEach((baseWidth, group) => {
    const width = baseWidth * widenFactor;
    for (let block = 0; block < blocksPerGroup; block++) {
      const strides = group > 0 && block === 0 ? 2 : 1;
      const preActivated = bnRelu(x);
      let y = conv(preActivated, width, 3, strides);
      y = bnRelu(y);
      if (options.dropoutRate > 0) {
        y = new SeededDropout({ rate: options.dropoutRate, nextSeed: options.nextDropoutSeed, name: nextName("dropout") }).apply(
          y,
        ) as tf.SymbolicTensor;
      }
      y = conv(y, width, 3, 1);
      // As in the reference implementation, a projection shortcut starts from the pre-activated input.
      const shortcut = inputWidth === width && strides === 1 ? x : conv(preActivated, width, 1, strides);
      x = tf.layers.add({ name: nextName("add") }).apply([shortcut, y]) as tf.SymbolicTensor;
      inputWidth = width;
    }
  });
  x = bnRelu(x);
  const outputs = classifierHead(x, { numClasses: options.numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: seeder.next("predictions") }) });
  return tf.model({ inputs, outputs, name: `wrn_${depth}_${widenFactor}` });
}
