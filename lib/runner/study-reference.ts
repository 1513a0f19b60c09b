/**
 * The reference study's published set-level results (Pham et al., ASE 2020, Tables 2 and 3), to show
 * beside a reproduction. Values are the largest over the study's environments and both selection
 * criteria. Percentages are in percent (10.8 means 10.8 points or 10.8%); times in seconds.
 * "<0.1" in the paper is stored as 0.1 with `sdBelow` set.
 */
export type StudyAccuracyRow = {
  overallDiff: number;
  overallSd: number;
  sdBelow?: true;
  perClassDiff: number;
  perClassSd: number;
  weakModels?: string;
};
export type StudyTimeRow = {
  lossDiffSeconds: number;
  lossRelDiffPercent: number;
  lossRelSdPercent: number;
  accDiffSeconds: number;
  accRelDiffPercent: number;
  accRelSdPercent: number;
};

type StudyNetwork = "LeNet1" | "LeNet4" | "LeNet5" | "ResNet38" | "ResNet56" | "WRN-28-10";
type StudySetting = "default" | "fixed-seed";

export const STUDY_TABLE_2: Record<StudySetting, Record<StudyNetwork, StudyAccuracyRow>> = {
  default: {
    LeNet1: { overallDiff: 10.8, overallSd: 2.6, perClassDiff: 99.6, perClassSd: 24.5 },
    LeNet4: { overallDiff: 10.6, overallSd: 2.6, perClassDiff: 100.0, perClassSd: 24.7 },
    LeNet5: { overallDiff: 90.4, overallSd: 38.7, perClassDiff: 100.0, perClassSd: 44.5, weakModels: "4/16 weak" },
    ResNet38: { overallDiff: 1.9, overallSd: 0.5, perClassDiff: 11.7, perClassSd: 2.8 },
    ResNet56: { overallDiff: 2.1, overallSd: 0.6, perClassDiff: 11.9, perClassSd: 2.8 },
    "WRN-28-10": { overallDiff: 2.8, overallSd: 0.8, perClassDiff: 50.0, perClassSd: 13.3 },
  },
  "fixed-seed": {
    LeNet1: { overallDiff: 0.1, overallSd: 0.1, sdBelow: true, perClassDiff: 0.8, perClassSd: 0.3 },
    LeNet4: { overallDiff: 0.5, overallSd: 0.1, perClassDiff: 1.9, perClassSd: 0.6 },
    LeNet5: { overallDiff: 1.2, overallSd: 0.3, perClassDiff: 4.8, perClassSd: 1.3 },
    ResNet38: { overallDiff: 2.7, overallSd: 0.6, perClassDiff: 12.2, perClassSd: 3.3 },
    ResNet56: { overallDiff: 1.9, overallSd: 0.5, perClassDiff: 10.6, perClassSd: 2.3 },
    "WRN-28-10": { overallDiff: 2.9, overallSd: 0.7, perClassDiff: 52.4, perClassSd: 16.3 },
  },
};

export const STUDY_TABLE_3: Record<StudySetting, Record<StudyNetwork, StudyTimeRow>> = {
  default: {
    LeNet1: { lossDiffSeconds: 27, lossRelDiffPercent: 24.5, lossRelSdPercent: 6.5, accDiffSeconds: 41, accRelDiffPercent: 47.2, accRelSdPercent: 8.5 },
    LeNet4: { lossDiffSeconds: 22, lossRelDiffPercent: 17.4, lossRelSdPercent: 4.7, accDiffSeconds: 25, accRelDiffPercent: 19.9, accRelSdPercent: 4.0 },
    LeNet5: { lossDiffSeconds: 155, lossRelDiffPercent: 3940.7, lossRelSdPercent: 54.2, accDiffSeconds: 158, accRelDiffPercent: 4014.8, accRelSdPercent: 55.1 },
    ResNet38: { lossDiffSeconds: 434, lossRelDiffPercent: 21.4, lossRelSdPercent: 5.3, accDiffSeconds: 2953, accRelDiffPercent: 133.2, accRelSdPercent: 18.7 },
    ResNet56: { lossDiffSeconds: 699, lossRelDiffPercent: 23.9, lossRelSdPercent: 6.0, accDiffSeconds: 3813, accRelDiffPercent: 116.5, accRelSdPercent: 17.7 },
    "WRN-28-10": { lossDiffSeconds: 2333, lossRelDiffPercent: 12.9, lossRelSdPercent: 3.2, accDiffSeconds: 6316, accRelDiffPercent: 46.0, accRelSdPercent: 8.8 },
  },
  "fixed-seed": {
    LeNet1: { lossDiffSeconds: 17, lossRelDiffPercent: 14.3, lossRelSdPercent: 3.8, accDiffSeconds: 18, accRelDiffPercent: 14.4, accRelSdPercent: 3.8 },
    LeNet4: { lossDiffSeconds: 17, lossRelDiffPercent: 13.3, lossRelSdPercent: 3.6, accDiffSeconds: 25, accRelDiffPercent: 20.1, accRelSdPercent: 6.2 },
    LeNet5: { lossDiffSeconds: 31, lossRelDiffPercent: 25.8, lossRelSdPercent: 5.6, accDiffSeconds: 37, accRelDiffPercent: 30.0, accRelSdPercent: 6.0 },
    ResNet38: { lossDiffSeconds: 415, lossRelDiffPercent: 20.4, lossRelSdPercent: 4.4, accDiffSeconds: 2782, accRelDiffPercent: 115.5, accRelSdPercent: 15.9 },
    ResNet56: { lossDiffSeconds: 467, lossRelDiffPercent: 16.4, lossRelSdPercent: 3.6, accDiffSeconds: 4338, accRelDiffPercent: 145.3, accRelSdPercent: 22.5 },
    "WRN-28-10": { lossDiffSeconds: 2197, lossRelDiffPercent: 12.2, lossRelSdPercent: 2.9, accDiffSeconds: 5625, accRelDiffPercent: 38.3, accRelSdPercent: 10.1 },
  },
};

/**
 * The study's Table 2 and 3 rows for a network and setting. A cross-implementation set is compared with the
 * study's fixed-seed row: both measure what is left when every algorithmic seed is fixed (the study within
 * one GPU environment, a cross-implementation set between implementations on one CPU).
 * Source settings (vary-init, one-bit, ...) have no study row.
 * @param network as the study prints it ("LeNet1", "ResNet56", "WRN-28-10"); other names give undefined.
 */
export function studyReferenceFor(
  network: string | null,
  setting: string,
): { accuracy: StudyAccuracyRow; time: StudyTimeRow } | undefined {
  // The study has no sets that vary a single source: those rows have nothing to sit beside.
  if (setting !== "default" && setting !== "fixed-seed" && setting !== "cross-implementation") return undefined;
  const studySetting: StudySetting = setting === "default" ? "default" : "fixed-seed";
  if (!network || !(network in STUDY_TABLE_2[studySetting])) return undefined;
  const key = network as StudyNetwork;
  return { accuracy: STUDY_TABLE_2[studySetting][key], time: STUDY_TABLE_3[studySetting][key] };
}
