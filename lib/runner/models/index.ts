import * as tf from "@tensorflow/tfjs";
import { createLayerSeeder } from "./layer-seeds";
import { buildLeNet } from "./lenet";
import { buildResNetV1 } from "./resnet";
import { buildWideResNet } from "./wide-resnet";
import { createRng } from "../../stats/random";

import { architectureSchema, type Architecture } from "../names";

export { architectureSchema, type Architecture };

/** Trainable parameter counts reported by the study (Table 1 of Pham et al. 2020). */
export const STUDY_PARAMETER_COUNTS: Partial<Record<Architecture, number>> = {
  lenet1: 7_206,
  lenet4: 69_362,
  lenet5: 107_786,
  resnet38: 565_386,
  resnet56: 857_706,
  "wrn-28-10": 36_536_884,
};

/**
 * Builds an uncompiled model whose initial weights depend only on `initSeed`.
 * @param options.architecture network to build.
 * @param options.inputShape [height, width, channels] of one image.
 * @param options.numClasses size of the softmax output.
 * @param options.initSeed seed for every kernel initializer (biases start at zero).
 * @param options.dropoutSeed seed of the per-step dropout mask stream (only WRN uses dropout).
 * @param options.dropoutRate WRN dropout rate; ignored by the other architectures.
 * @returns a tf.LayersModel the caller must dispose.
 */
export function buildModel(options: {
  architecture: Architecture;
  inputShape: [number, number, number];
  numClasses: number;
  initSeed: number;
  dropoutSeed: number;
  dropoutRate?: number;
}): tf.LayersModel {
  const seeder = createLayerSeeder(options.initSeed);
  const common = { inputShape: options.inputShape, numClasses: options.numClasses, seeder };
  switch (options.architecture) {
    case "lenet1":
    case "lenet4":
    case "lenet5":
      return buildLeNet({ variant: options.architecture, ...common });
    case "resnet8":
      return buildResNetV1({ depth: 8, ...common });
    case "resnet20":
      return buildResNetV1({ depth: 20, ...common });
    case "resnet38":
      return buildResNetV1({ depth: 38, ...common });
    case "resnet56":
      return buildResNetV1({ depth: 56, ...common });
    case "wrn-28-10": {
      const dropoutRng = createRng(options.dropoutSeed);
      return buildWideResNet({
        depth: 28,
        widenFactor: 10,
        dropoutRate: options.dropoutRate ?? 0,
        nextDropoutSeed: () => Math.floor(dropoutRng() * 0x7fffffff),
        ...common,
      });
    }
  }
}

/**
 * Number of trainable scalars (kernels, biases, batch-norm gamma and beta; not the moving statistics).
 * @param model any built tf.LayersModel.
 */
export function countTrainableParameters(model: tf.LayersModel): number {
  // LayerVariable shapes are fully defined once the model is built; null only marks unknown batch dims of inputs.
  return model.trainableWeights.reduce((total, weight) => total + weight.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
}
