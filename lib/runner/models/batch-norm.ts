/**
 * Batch normalization for the ResNets: tfjs-layers' BatchNormalization, which on the native tensorflow backend
 * trains through TensorFlow's own fused kernels.
 *
 * In training, tfjs-layers computes the batch moments with tf.moments and normalises with tf.batchNorm; the
 * gradient then runs through tfjs's element-wise composition of both (about 30 TensorFlow op calls per layer,
 * most on full-size tensors: npm run profile:runner showed Multiply, Sub, Sum, Mean and FusedBatchNorm as a
 * third of ResNet-20's step on tensorflow). Here, on tensorflow only, the forward pass is one
 * FusedBatchNorm(is_training) call and the backward pass one FusedBatchNormGrad(is_training) call, as Keras in
 * Python and PyTorch do. The moving mean and variance are updated with the biased batch variance, exactly as
 * tfjs-layers does.
 *
 * This changes the floating-point order on tensorflow (results there differ in the last bits from before this
 * change; runs record the VarStudy commit) and nothing elsewhere: wasm and cpu call tfjs-layers' own code.
 */
import * as tf from "@tensorflow/tfjs";

type NodeKernelBackend = {
  binding: { TF_ATTR_FLOAT: number; TF_ATTR_BOOL: number; TF_ATTR_STRING: number; TF_ATTR_TYPE: number; TF_FLOAT: number };
  executeMultipleOutputs(name: string, opAttrs: unknown[], inputs: tf.Tensor[], numOutputs: number): tf.Tensor[];
};
type LayerVariable = { read(): tf.Tensor; write(value: tf.Tensor): void };
type BatchNormInternals = {
  axis: number;
  epsilon: number;
  momentum: number;
  center: boolean;
  scale: boolean;
  gamma: LayerVariable;
  beta: LayerVariable;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
};

function fusedAttributes(backend: NodeKernelBackend, epsilon: number): unknown[] {
  const { binding } = backend;
  // What tfjs-node's createTensorsTypeOpAttr("T", "float32") builds, without loading tfjs-node from the models.
  return [
    { name: "T", type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
    { name: "epsilon", type: binding.TF_ATTR_FLOAT, value: epsilon },
    { name: "data_format", type: binding.TF_ATTR_STRING, value: "NHWC" },
    { name: "is_training", type: binding.TF_ATTR_BOOL, value: true },
  ];
}

/**
 * Training-mode batch normalization over the batch and spatial axes of an NHWC tensor, in two TensorFlow ops.
 * @returns the normalised tensor (differentiable in x, scale and offset) and the batch mean and biased variance
 *   (not differentiable), all owned by the caller's scope.
 */
export function fusedBatchNormTraining(
  x: tf.Tensor4D,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  epsilon: number,
): { normalised: tf.Tensor4D; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const backend = tf.backend() as unknown as NodeKernelBackend;
  const attributes = fusedAttributes(backend, epsilon);
  const moments: tf.Tensor[] = [];
  const normalise = tf.customGrad((input, gamma, beta, save) => {
    // Training mode takes empty mean and variance inputs.
    const empty = [tf.tensor1d([]), tf.tensor1d([])];
    const [y, batchMean, batchVariance, savedMean, savedVariance] = backend.executeMultipleOutputs(
      "FusedBatchNorm",
      attributes,
      [input as tf.Tensor, gamma as tf.Tensor, beta as tf.Tensor, ...empty],
      5,
    );
    // savedMean and savedVariance are the batch mean and the biased batch variance; batchVariance carries
    // Bessel's correction, for TensorFlow's own moving averages.
    (save as (tensors: tf.Tensor[]) => void)([input as tf.Tensor, gamma as tf.Tensor, savedMean!, savedVariance!]);
    moments.push(tf.keep(savedMean!.clone()), tf.keep(savedVariance!.clone()));
    tf.dispose([...empty, batchMean!, batchVariance!]);
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedInput, savedGamma, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const [dx, dScale, dOffset, ...unused] = backend.executeMultipleOutputs(
          "FusedBatchNormGrad",
          attributes,
          [dy, savedInput, savedGamma, mean, variance],
          5,
        );
        tf.dispose(unused);
        return [dx!, dScale!, dOffset!];
      },
    };
  });
  const normalised = normalise(x, scale, offset) as tf.Tensor4D;
  const [mean, variance] = moments as [tf.Tensor1D, tf.Tensor1D];
  return { normalised, mean, variance };
}

/** tfjs-layers' moving-average update (doMovingAverage in its normalization.js), expression for expression. */
function updateMovingAverage(variable: LayerVariable, value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const decay = 1 - momentum;
    const original = variable.read();
    variable.write(tf.sub(original, tf.mul(tf.sub(original, value), decay)));
  });
}

/**
 * tf.layers.batchNormalization(config), training through TensorFlow's fused kernels when the active backend is
 * tensorflow and the layer normalises the last axis of a rank-4 input with scale and center (the ResNets' case);
 * otherwise exactly tfjs-layers' layer.
 */
export function batchNormalization(config: { name: string }): tf.layers.Layer {
  const layer = tf.layers.batchNormalization(config);
  const internals = layer as unknown as BatchNormInternals;
  const original = internals.call.bind(layer);
  internals.call = (inputs, kwargs) => {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const fused =
      kwargs.training === true &&
      tf.getBackend() === "tensorflow" &&
      input !== undefined &&
      input.rank === 4 &&
      input.dtype === "float32" &&
      (internals.axis === -1 || internals.axis === 3) &&
      internals.scale &&
      internals.center;
    if (!fused) return original(inputs, kwargs);
    return tf.tidy(() => {
      const { normalised, mean, variance } = fusedBatchNormTraining(
        input as tf.Tensor4D,
        internals.gamma.read() as tf.Tensor1D,
        internals.beta.read() as tf.Tensor1D,
        internals.epsilon,
      );
      updateMovingAverage(internals.movingMean, mean, internals.momentum);
      updateMovingAverage(internals.movingVariance, variance, internals.momentum);
      tf.dispose([mean, variance]);
      return normalised;
    });
  };
  return layer;
}
