/**
 * Reshape, Transpose and the reductions Sum, Mean and Max on the tensorflow backend, with their small int32
 * operand (the new shape, the permutation, the axes) made once and kept, instead of once per call.
 *
 * Why: tfjs-node's kernels build that operand as a new tensor on every call (tensor1d, handed to TensorFlow, then
 * disposed), which cost about 36 µs of a Reshape's 59 µs (micro-benchmark, 2026-12-08). A LeNet-5 training step
 * runs 22 Reshapes and a dozen reductions. Same TensorFlow ops on the same inputs, so the results are the same bits.
 * Mean of anything but float32 keeps tfjs-node's kernel (which casts it first).
 *
 * The kept operands belong to the one tensorflow backend a process registers (lib/runner/backend/tensorflow.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { replaceTensorflowKernel, type TensorflowBackend } from "./tensorflow-replace";

/** Kernels this module replaces on the tensorflow backend, for run provenance. */
export const TENSORFLOW_CONSTANT_INPUT_KERNELS = ["Reshape", "Transpose", "Sum", "Mean", "Max"] as const;

type TypeAttribute = (attrName: string, dtype: tf.DataType) => unknown;

/** Kept int32 vectors by value. Not tracked by the tfjs engine: the backend owns them until the cache is cleared. */
const constants = new Map<string, tf.TensorInfo>();
/** Distinct shapes, permutations and axes a process keeps; a run needs a few dozen. */
const MAX_CONSTANTS = 512;

function int32Vector(backend: TensorflowBackend, values: readonly number[]): tf.TensorInfo {
  const key = values.join(",");
  const kept = constants.get(key);
  if (kept) return kept;
  if (constants.size >= MAX_CONSTANTS) {
    for (const info of constants.values()) backend.disposeData(info.dataId, true);
    constants.clear();
  }
  const info: tf.TensorInfo = { dataId: backend.write(Int32Array.from(values), [values.length], "int32"), shape: [values.length], dtype: "int32" };
  constants.set(key, info);
  return info;
}

/** Replaces the kernels; `typeAttribute` is tfjs-node's createTensorsTypeOpAttr. Harmless to call again. */
export function replaceTensorflowConstantInputKernels(typeAttribute: TypeAttribute): void {
  // Reshape's operand is the new shape, Transpose's the permutation; each is also a type attribute of the op.
  for (const [name, typeName, attribute] of [["Reshape", "Tshape", "shape"], ["Transpose", "Tperm", "perm"]] as const) {
    replaceTensorflowKernel(name, () => (args) => {
      const x = args.inputs.x!;
      const backend = args.backend as unknown as TensorflowBackend;
      const operand = (args.attrs as unknown as Record<typeof attribute, number[]>)[attribute];
      const attrs = [typeAttribute("T", x.dtype), typeAttribute(typeName, "int32")];
      return backend.executeSingleOutput(name, attrs, [x, int32Vector(backend, operand)]);
    });
  }
  // Sum names its axes `axis`, Max `reductionIndices`; null means all axes.
  for (const [name, axesAttribute] of [["Sum", "axis"], ["Max", "reductionIndices"]] as const) {
    replaceTensorflowKernel(name, () => (args) => {
      const x = args.inputs.x!;
      const backend = args.backend as unknown as TensorflowBackend;
      const attrs = args.attrs as unknown as Record<typeof axesAttribute, number | number[]> & { keepDims: boolean };
      const axes = tf.util.parseAxisParam(attrs[axesAttribute], x.shape);
      return backend.executeSingleOutput(name, backend.createReductionOpAttrs(x, attrs.keepDims), [x, int32Vector(backend, axes)]);
    });
  }
  // tfjs-node casts Mean's input to float32 first; for a float32 input that cast is a copy, so it is skipped.
  replaceTensorflowKernel("Mean", (original) => (args) => {
    const x = args.inputs.x!;
    if (x.dtype !== "float32") return original(args);
    const backend = args.backend as unknown as TensorflowBackend;
    const { axis, keepDims } = args.attrs as unknown as tf.MeanAttrs;
    const axes = tf.util.parseAxisParam(axis, x.shape);
    return backend.executeSingleOutput("Mean", backend.createReductionOpAttrs(x, keepDims), [x, int32Vector(backend, axes)]);
  });
}
