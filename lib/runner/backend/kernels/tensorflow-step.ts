/**
 * A faster Step kernel for the tensorflow backend. Step is what ReLU's gradient calls (dy · step(x)), four
 * times per LeNet-5 training step. tfjs-node 4.22 builds it from seven TensorFlow ops and three full-size
 * constant tensors made in JavaScript (isNaN, greater, ones, fill, where, select); the kernel profile
 * (npm run profile:runner -- --backend tensorflow) showed it, with the Fill, Greater and IsNan it causes, as a
 * third of LeNet-5's kernel time. This one uses four ops and two scalars, broadcasting with SelectV2:
 *   step(x) = isNaN(x) ? x : (x > 0 ? 1 : alpha)
 * which is tfjs's definition. The output holds only 1, alpha or NaN, so results are bit-identical to the
 * kernel it replaces (tested in tests/unit/runner/backend/tensorflow-kernels.test.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { replaceTensorflowKernel, type TensorflowBackend } from "./tensorflow-replace";

type TypeAttribute = (attrName: string, dtype: tf.DataType) => unknown;

/** Replaces tfjs-node's Step kernel; `typeAttribute` is tfjs-node's createTensorsTypeOpAttr. Harmless to call again. */
export function replaceTensorflowStep(typeAttribute: TypeAttribute): void {
  replaceTensorflowKernel("Step", (original) => (args) => {
    const x = args.inputs.x as tf.Tensor;
    // IsNan exists for floating-point types only; anything else keeps tfjs-node's implementation.
    if (x.dtype !== "float32") return original(args);
    const alpha = (args.attrs as unknown as { alpha: number }).alpha;
    const backend = args.backend as unknown as TensorflowBackend;
    const typeAttr = [typeAttribute("T", x.dtype)];
    const zero = tf.scalar(0, x.dtype);
    const one = tf.scalar(1, x.dtype);
    const alphaScalar = tf.scalar(alpha, x.dtype);
    const positive = backend.executeSingleOutput("Greater", typeAttr, [x, zero]);
    const stepNoNans = backend.executeSingleOutput("SelectV2", typeAttr, [positive, one, alphaScalar]);
    const nans = backend.executeSingleOutput("IsNan", typeAttr, [x]);
    const result = backend.executeSingleOutput("SelectV2", typeAttr, [nans, x, stepNoNans]);
    tf.dispose([zero, one, alphaScalar, positive, stepNoNans, nans]);
    return result;
  });
}
