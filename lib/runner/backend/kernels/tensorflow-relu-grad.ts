/**
 * ReLU's gradient on the tensorflow backend in one TensorFlow op (ReluGrad) instead of tfjs's dy · cast(step(x)),
 * which costs our four-op Step kernel plus a Cast and a Multiply per ReLU (19 ReLUs in ResNet-20, on full-size
 * tensors). TensorFlow's CPU ReluGrad computes dy · (x > 0), the same product: for every x that is not NaN the
 * result has the same bits as tfjs's (dy · 1 or dy · 0, signed zero included); where x is NaN tfjs gives NaN and
 * ReluGrad 0 (a diverged run, whose loss is NaN either way). Tested in tests/unit/runner/backend/tensorflow-kernels.test.ts.
 *
 * tfjs keeps one gradient per kernel name for all backends, so the registered gradient hands every other backend
 * to tfjs's own gradient function, unchanged.
 */
import * as tf from "@tensorflow/tfjs";

type TensorflowKernelBackend = { executeSingleOutput(name: string, opAttrs: unknown[], inputs: tf.TensorInfo[]): tf.Tensor };
type TypeAttribute = (attrName: string, dtype: tf.DataType) => unknown;

let registered = false;

/** Registers the gradient once per process; `typeAttribute` is tfjs-node's createTensorsTypeOpAttr. */
export function registerTensorflowReluGradient(typeAttribute: TypeAttribute): void {
  if (registered) return;
  const original = tf.getGradient("Relu");
  if (!original) throw new Error("tfjs has no gradient registered for Relu.");
  tf.registerGradient({
    kernelName: "Relu",
    inputsToSave: original.inputsToSave ?? ["x"],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const dyTensor = dy as tf.Tensor;
      if (tf.getBackend() !== "tensorflow" || x === undefined || x.dtype !== "float32" || dyTensor.dtype !== "float32") {
        return original.gradFunc(dy, saved, attrs);
      }
      const backend = tf.backend() as unknown as TensorflowKernelBackend;
      return { x: () => backend.executeSingleOutput("ReluGrad", [typeAttribute("T", "float32")], [dyTensor, x]) };
    },
  });
  registered = true;
}
