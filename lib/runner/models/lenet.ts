import * as tf from "@tensorflow/tfjs";
import type { LayerSeeder } from "./layer-seeds";

/** The three MNIST LeNets of the study (DeepXplore's Model1/2/3). */
export type LeNetVariant = "lenet1" | "lenet4" | "lenet5";

/**
 * Dense layer sizes between the flattened feature map and the 10-way classifier.
 * These, with 'same' padding in both convolutions, reproduce DeepXplore's parameter counts exactly
 * (7,206 / 69,362 / 107,786); 'valid' padding would give LeNet1 only 3,246.
 */
const LENET_SHAPES: Record<LeNetVariant, { convFilters: [number, number]; hiddenUnits: number[] }> = {
  lenet1: { convFilters: [4, 12], hiddenUnits: [] },
  lenet4: { convFilters: [6, 16], hiddenUnits: [84] },
  lenet5: { convFilters: [6, 16], hiddenUnits: [120, 84] },
};

/**
 * Builds an (uncompiled) LeNet with seeded Glorot-uniform kernels and zero biases (Keras defaults,
 * which DeepXplore used).
 * @param options.variant which LeNet.
 * @param options.inputShape [height, width, channels]; MNIST is [28, 28, 1].
 * @param options.numClasses output classes (10 for MNIST).
 * @param options.seeder per-layer seed source; consumed in build order.
 */
export function buildLeNet(options: {
  variant: LeNetVariant;
  inputShape: [number, number, number];
  numClasses: number;
  seeder: LayerSeeder;
}): tf.LayersModel {
  const { convFilters, hiddenUnits } = LENET_SHAPES[options.variant];
  const kernel = (label: string) => tf.initializers.glorotUniform({ seed: options.seeder.next(label) });
  const model = tf.sequential({ name: options.variant });
  convFilters.forEach((filters, index) => {
    model.add(
      tf.layers.conv2d({
        name: `conv${index + 1}`,
        ...(index === 0 ? { inputShape: options.inputShape } : {}),
        filters,
        kernelSize: 5,
        padding: "same",
        activation: "relu",
        kernelInitializer: kernel(`conv${index + 1}`),
      }),
    );
    model.add(tf.layers.maxPooling2d({ name: `pool${index + 1}`, poolSize: 2 }));
  });
  model.add(tf.layers.flatten({ name: "flatten" }));
  hiddenUnits.forEach((units, index) => {
    model.add(tf.layers.dense({ name: `fc${index + 1}`, units, activation: "relu", kernelInitializer: kernel(`fc${index + 1}`) }));
  });
  model.add(
    tf.layers.dense({ name: "predictions", units: options.numClasses, activation: "softmax", kernelInitializer: kernel("predictions") }),
  );
  return model;
}
