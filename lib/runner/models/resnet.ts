import * as tf from "@tensorflow/tfjs";
import { batchNormalization } from "./batch-norm";
import type { LayerSeeder } from "./layer-seeds";

/**
 * Keras `cifar10_resnet.py` ResNet v1 (the study's ResNet38 and ResNet56): depth = 6n + 2,
 * three stacks of n basic blocks with 16/32/64 filters, he_normal kernels with L2(1e-4), batch norm,
 * 1x1 projection shortcuts (no batch norm) where the shape changes, 8x8 average pooling, softmax.
 * @param options.depth 6n + 2 (20, 32, 38, 44, 56, 110, ...).
 * @param options.inputShape [32, 32, 3] for CIFAR.
 * @param options.numClasses 10 for CIFAR-10.
 * @param options.seeder per-layer seed source; consumed in build order.
 * @throws RangeError if depth is not of the form 6n + 2 with n >= 1.
 */
export function buildResNetV1(options: {
  depth: number;
  inputShape: [number, number, number];
  numClasses: number;
  seeder: LayerSeeder;
}): tf.LayersModel {
  const { depth, seeder } = options;
  if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
    throw new RangeError(`ResNet v1 depth must be 6n+2 (e.g. 38, 56), got ${depth}`);
  }
  const blocksPerStack = (depth - 2) / 6;
  let layerIndex = 0;
  const nextName = (kind: string) => `${kind}_${++layerIndex}`;

  const resnetLayer = (
    input: tf.SymbolicTensor,
    layer: { filters: number; kernelSize?: number; strides?: number; activation?: "relu" | null; batchNorm?: boolean },
  ): tf.SymbolicTensor => {
    const convName = nextName("conv");
    let x = tf.layers
      .conv2d({
        name: convName,
        filters: layer.filters,
        kernelSize: layer.kernelSize ?? 3,
        strides: layer.strides ?? 1,
        padding: "same",
        kernelInitializer: tf.initializers.heNormal({ seed: seeder.next(convName) }),
        kernelRegularizer: tf.regularizers.l2({ l2: 1e-4 }),
      })
      .apply(input) as tf.SymbolicTensor;
    if (layer.batchNorm ?? true) x = batchNormalization({ name: nextName("bn") }).apply(x) as tf.SymbolicTensor;
    const activation = layer.activation === undefined ? "relu" : layer.activation;
    if (activation) x = tf.layers.activation({ name: nextName("relu"), activation }).apply(x) as tf.SymbolicTensor;
    return x;
  };

  const inputs = tf.input({ shape: options.inputShape, name: "image" });
  let x = resnetLayer(inputs, { filters: 16 });
  let filters = 16;
  for (let stack = 0; stack < 3; stack++) {
    for (let block = 0; block < blocksPerStack; block++) {
      const strides = stack > 0 && block === 0 ? 2 : 1;
      let y = resnetLayer(x, { filters, strides });
      y = resnetLayer(y, { filters, activation: null });
      if (strides === 2) x = resnetLayer(x, { filters, kernelSize: 1, strides, activation: null, batchNorm: false });
      x = tf.layers.add({ name: nextName("add") }).apply([x, y]) as tf.SymbolicTensor;
      x = tf.layers.activation({ name: nextName("relu"), activation: "relu" }).apply(x) as tf.SymbolicTensor;
    }
    filters *= 2;
  }
  const outputs = classifierHead(x, { numClasses: options.numClasses, kernelInitializer: tf.initializers.heNormal({ seed: seeder.next("predictions") }) });
  return tf.model({ inputs, outputs, name: `resnet${depth}_v1` });
}

/**
 * The CIFAR ResNets' head (He et al. 2016, and the wide ResNets after them): 8×8 average pooling of the last
 * stage, then a softmax layer. The layer names are part of the weights' identity (their seeds derive from them).
 */
export function classifierHead(x: tf.SymbolicTensor, options: { numClasses: number; kernelInitializer: ReturnType<typeof tf.initializers.heNormal> }): tf.SymbolicTensor {
  const pooled = tf.layers.averagePooling2d({ name: "avg_pool", poolSize: 8 }).apply(x) as tf.SymbolicTensor;
  const flat = tf.layers.flatten({ name: "flatten" }).apply(pooled) as tf.SymbolicTensor;
  return tf.layers.dense({ name: "predictions", units: options.numClasses, activation: "softmax", kernelInitializer: options.kernelInitializer }).apply(flat) as tf.SymbolicTensor;
}
