import * as tf from '@tensorflow/tfjs';

/** How often, at most, a running training copies its weights out of the GPU. */
const MIN_INTERVAL_MS = 1000;
/** ...and at most this share of the training time goes to those copies. */
const MAX_OVERHEAD = 0.05;

interface SavedWeights {
  readonly step: number;
  readonly values: readonly Float32Array[];
  readonly shapes: readonly (readonly number[])[];
}

/**
 * The last good weights in ordinary memory, for a backend whose memory can vanish (a lost GPU
 * device takes every tensor with it). Taken after steps that finished (the NaN guard has passed
 * them), at pause and at the end of a run, of the run's result so far (its weight average where it
 * keeps one, as a pause presents it: not the swinging weights as trained); a copy out of the GPU
 * costs a read-back, so during a run it is taken at most every second and within 5 % of the
 * training time.
 */
export class WeightCheckpoint {
  private saved: SavedWeights | null = null;
  private lastAt = -Infinity;
  private lastCostMs = 0;

  constructor(private readonly wanted: () => boolean) {}

  /** The training step the kept weights come from (the model's total steps); null when none are kept. */
  get step(): number | null {
    return this.saved?.step ?? null;
  }

  /** Copies out `weights()` (in the order of model.getWeights(): a training run's result so far, or a model's own), unless one was taken too recently. */
  async take(weights: () => readonly tf.Tensor[], step: number, force: boolean): Promise<void> {
    if (!this.wanted()) return;
    const started = Date.now();
    if (!force && started - this.lastAt < Math.max(MIN_INTERVAL_MS, this.lastCostMs / MAX_OVERHEAD)) return;
    const tensors = weights();
    const values = await Promise.all(tensors.map(async (w) => Float32Array.from(await w.data())));
    this.saved = { step, values, shapes: tensors.map((w) => w.shape) };
    this.lastAt = Date.now();
    this.lastCostMs = this.lastAt - started;
  }

  /** Puts the kept weights into a model of the same architecture (built on the new backend). */
  restoreInto(model: tf.LayersModel): void {
    if (!this.saved) throw new Error('There are no kept weights to restore.');
    const tensors = this.saved.values.map((v, i) => tf.tensor(v, this.saved?.shapes[i] as number[]));
    try {
      model.setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
  }

  clear(): void {
    this.saved = null;
    this.lastAt = -Infinity;
  }
}
