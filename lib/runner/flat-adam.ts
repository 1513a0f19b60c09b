/**
 * Adam with one set of element-wise ops for all variables, for the native tensorflow backend.
 *
 * tfjs's AdamOptimizer updates each variable on its own: about fourteen element-wise ops per variable plus a
 * scalar tensor made from a JavaScript number for most of them. ResNet-20 has 82 trainable variables, so that
 * is over a thousand TensorFlow op calls and hundreds of tensor creations per step, almost all on tiny tensors:
 * on tfjs-node each call costs far more than its arithmetic (npm run profile:runner: Multiply 907, Add 529,
 * RealDiv 289 calls per ResNet-20 step). This optimizer keeps the first and second moments of all variables in
 * two flat vectors, joins the gradients into one, runs tfjs's Adam expressions once on the joined vector and
 * splits the update back.
 *
 * Every op is element-wise and computes each element from the same operands as tfjs's optimizer does, in the
 * same order, so the weights are bit-identical to tf.train.adam's (tests/unit/runner/flat-adam.test.ts).
 */
import * as tf from "@tensorflow/tfjs";

/** A name and a tensor, as optimizers save their state (tfjs-core does not re-export the type). */
type NamedTensor = { name: string; tensor: tf.Tensor };

type Layout = { names: string[]; shapes: number[][]; sizes: number[] };

export class FlatAdamOptimizer extends tf.AdamOptimizer {
  private layout: Layout | undefined;
  private firstMoment: tf.Variable | undefined;
  private secondMoment: tf.Variable | undefined;

  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    // tf.train.adam passes null for a missing epsilon; AdamOptimizer then takes the backend's.
    super(learningRate, beta1, beta2, epsilon as number);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries = (
      Array.isArray(variableGradients)
        ? variableGradients.map((entry) => ({ name: entry.name, gradient: entry.tensor }))
        : Object.keys(variableGradients).map((name) => ({ name, gradient: variableGradients[name] }))
    ).filter((entry): entry is { name: string; gradient: tf.Tensor } => entry.gradient != null);
    if (entries.length === 0) {
      this.incrementIterations();
      return;
    }
    const variables = tf.engine().registeredVariables;
    const layout = this.layoutFor(entries.map((entry) => entry.name), variables);
    const self = this as unknown as { learningRate: number; beta1: number; beta2: number; epsilon: number; accBeta1: tf.Variable; accBeta2: tf.Variable };
    const { learningRate, beta1, beta2, epsilon } = self;
    tf.tidy(() => {
      const firstMoment = this.firstMoment!;
      const secondMoment = this.secondMoment!;
      const oneMinusAccBeta1 = tf.sub(1, self.accBeta1);
      const oneMinusAccBeta2 = tf.sub(1, self.accBeta2);
      const gradient = entries.length === 1 ? entries[0]!.gradient.reshape([-1]) : tf.concat(entries.map((entry) => entry.gradient.reshape([-1])));
      // The expressions of tfjs-core 4.22's AdamOptimizer.applyGradients, operand for operand.
      const newFirstMoment = tf.add(tf.mul(firstMoment, beta1), tf.mul(gradient, 1 - beta1));
      const newSecondMoment = tf.add(tf.mul(secondMoment, beta2), tf.mul(tf.square(gradient), 1 - beta2));
      const biasCorrectedFirstMoment = tf.div(newFirstMoment, oneMinusAccBeta1);
      const biasCorrectedSecondMoment = tf.div(newSecondMoment, oneMinusAccBeta2);
      firstMoment.assign(newFirstMoment);
      secondMoment.assign(newSecondMoment);
      const step = tf.mul(tf.div(biasCorrectedFirstMoment, tf.add(tf.sqrt(biasCorrectedSecondMoment), epsilon)), -learningRate);
      const parts = entries.length === 1 ? [step] : tf.split(step, layout.sizes);
      layout.names.forEach((name, index) => {
        const value = variables[name]!;
        value.assign(tf.add(parts[index]!.reshape(layout.shapes[index]!), value));
      });
      self.accBeta1.assign(tf.mul(self.accBeta1, beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, beta2));
    });
    this.incrementIterations();
  }

  /** The flat layout, made on the first step; later steps must update the same variables. */
  private layoutFor(names: string[], variables: Record<string, tf.Variable>): Layout {
    if (this.layout) {
      const same = this.layout.names.length === names.length && this.layout.names.every((name, index) => name === names[index]);
      if (!same) throw new Error("FlatAdamOptimizer updates one fixed list of variables; this step's gradients are for a different list.");
      return this.layout;
    }
    const shapes = names.map((name) => {
      const variable = variables[name];
      if (!variable) throw new Error(`FlatAdamOptimizer: no variable named ${name}.`);
      return [...variable.shape];
    });
    const sizes = shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
    const total = sizes.reduce((a, b) => a + b, 0);
    this.firstMoment = tf.zeros([total]).variable(false);
    this.secondMoment = tf.zeros([total]).variable(false);
    this.layout = { names, shapes, sizes };
    return this.layout;
  }

  override dispose(): void {
    super.dispose();
    tf.dispose([this.firstMoment, this.secondMoment].filter((v): v is tf.Variable => v !== undefined));
  }

  /** Moments per variable, named and shaped as tfjs's AdamOptimizer saves them. */
  override async getWeights(): Promise<NamedTensor[]> {
    const iterations = await this.saveIterations();
    if (!this.layout) return [iterations];
    const layout = this.layout;
    const split = (moment: tf.Variable, suffix: string) =>
      tf.split(moment, layout.sizes).map((part, index) => ({ name: `${layout.names[index]}/${suffix}`, tensor: part.reshape(layout.shapes[index]!) }));
    return [iterations, ...split(this.firstMoment!, "m"), ...split(this.secondMoment!, "v")];
  }

  /** Restores what getWeights (or tfjs's AdamOptimizer) saved: iterations, then every m, then every v. */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const moments = await this.extractIterations(weightValues);
    const self = this as unknown as { beta1: number; beta2: number; accBeta1: tf.Variable; accBeta2: tf.Variable; iterations_: number };
    tf.tidy(() => {
      self.accBeta1.assign(tf.pow(self.beta1, self.iterations_ + 1));
      self.accBeta2.assign(tf.pow(self.beta2, self.iterations_ + 1));
    });
    tf.dispose([this.firstMoment, this.secondMoment].filter((v): v is tf.Variable => v !== undefined));
    this.layout = undefined;
    this.firstMoment = undefined;
    this.secondMoment = undefined;
    const count = moments.length / 2;
    if (count === 0) return;
    const first = moments.slice(0, count);
    const shapes = first.map((entry) => [...entry.tensor.shape]);
    this.layout = {
      names: first.map((entry) => entry.name.replace(/\/m$/, "")),
      shapes,
      sizes: shapes.map((shape) => shape.reduce((a, b) => a * b, 1)),
    };
    const join = (list: NamedTensor[]) => tf.tidy(() => tf.concat(list.map((entry) => entry.tensor.reshape([-1]))).variable(false));
    this.firstMoment = join(first);
    this.secondMoment = join(moments.slice(count));
  }
}

/**
 * The Adam optimizer for the active backend: the flat one on tensorflow (per-op cost dominates there), tfjs's
 * own elsewhere (wasm and cpu keep exactly the optimizer their recorded runs used).
 */
export function createAdam(learningRate: number): tf.Optimizer {
  return tf.getBackend() === "tensorflow" ? new FlatAdamOptimizer(learningRate) : tf.train.adam(learningRate);
}
