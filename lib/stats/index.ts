/**
 * VarStudy statistics engine: pure functions (no I/O, no clock, no Math.random). Every invalid input
 * throws a StatsInputError with one clear sentence. Methods, conventions and sources: docs/statistics.md.
 */
export * from "./errors";
export * from "./distributions";
export * from "./guards";
export * from "./random";
export * from "./descriptive";
export * from "./labels";
export * from "./proportion-ci";
export * from "./proportion-diff-ci";
export * from "./sample-size";
export * from "./stratified-proportion";
export * from "./cohen-kappa";
export * from "./fleiss-kappa";
export * from "./krippendorff-alpha";
export * from "./variance";
export * from "./levene";
export * from "./mann-whitney";
export * from "./bootstrap";
export * from "./p-adjust";
export * from "./correlation";
export * from "./root-finding";
export * from "./test-set-noise";
export * from "./prediction-disagreement";
export * from "./probability-of-outperforming";
export * from "./noncentral-t";
export * from "./runs-needed";
export * from "./wrong-winner";
export * from "./best-of-k";
export * from "./commands";
export * from "./variance-ratio";
