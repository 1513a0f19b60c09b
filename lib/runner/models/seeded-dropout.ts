import * as tf from "@tensorflow/tfjs";

/**
 * Dropout whose mask comes from a seed stream instead of Math.random.
 *
 * Why not `tf.layers.dropout({ seed })`: with a fixed seed tfjs rebuilds the same generator on every
 * call, so every training step would drop exactly the same units. Here each training call asks the
 * run's dropout stream for a fresh seed, so masks differ between steps yet replay identically.
 */
export class SeededDropout extends tf.layers.Layer {
  static className = "SeededDropout";
  private readonly rate: number;
  private readonly nextSeed: () => number;

  /**
   * @param rate fraction of units dropped during training, in [0, 1).
   * @param nextSeed returns the seed for the next training-time mask (from the run's dropout seed).
   * @param name explicit layer name (auto names depend on process-wide counters).
   */
  constructor(options: { rate: number; nextSeed: () => number; name: string }) {
    super({ name: options.name });
    if (!(options.rate >= 0 && options.rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${options.rate}`);
    this.rate = options.rate;
    this.nextSeed = options.nextSeed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (kwargs.training !== true || this.rate === 0) return input.clone();
    const seed = this.nextSeed();
    return tf.tidy(() => tf.dropout(input, this.rate, undefined, seed));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
