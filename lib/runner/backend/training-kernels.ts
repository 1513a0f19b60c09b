/**
 * The kernels that training the runner's networks executes, so a backend can be checked up front
 * instead of failing with "kernel not registered" in the middle of a run.
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Every kernel that fit/evaluate/predict ran when LeNet-1/4/5 (SGD, momentum) and ResNet-8 (Adam,
 * batch norm, L2, projection shortcuts) from lib/runner/models were trained under tf.profile on the
 * cpu backend with tfjs 4.22, plus Floor (tf.dropout's mask) and Tanh (tanh activations).
 * tests/unit/runner/backend/training-kernels.test.ts re-derives the set and fails if a model starts
 * using a kernel not listed here.
 */
export const TRAINING_KERNELS: readonly string[] = [
  "Add",
  "ArgMax",
  "AvgPool",
  "AvgPoolGrad",
  "BatchMatMul",
  "Cast",
  "ClipByValue",
  "Conv2D",
  "Conv2DBackpropFilter",
  "Conv2DBackpropInput",
  "Equal",
  "Floor",
  "FusedBatchNorm",
  "FusedConv2D",
  "GatherV2",
  "GreaterEqual",
  "Identity",
  "LessEqual",
  "Log",
  "LogicalAnd",
  "MaxPool",
  "MaxPoolGrad",
  "Mean",
  "Multiply",
  "Neg",
  "OneHot",
  "RealDiv",
  "Relu",
  "Reshape",
  "Rsqrt",
  "Select",
  "Slice",
  "Softmax",
  "Sqrt",
  "Square",
  "Step",
  "Sub",
  "Sum",
  "Tanh",
  "Tile",
  "ZerosLike",
  "_FusedMatMul",
];

/**
 * Lists the kernels from `kernelNames` that `backendName` has no implementation for.
 * @param backendName a registered backend name, e.g. "wasm".
 * @param kernelNames kernels to look up; defaults to TRAINING_KERNELS.
 * @returns missing kernel names in input order; empty when training can run.
 */
export function findMissingTrainingKernels(backendName: string, kernelNames: readonly string[] = TRAINING_KERNELS): string[] {
  return kernelNames.filter((kernelName) => tf.getKernel(kernelName, backendName) === undefined);
}
