import * as tf from '@tensorflow/tfjs';
import { movingAverageUpdate } from '../model/movingAverageUpdate';

/**
 * The share of the average one step keeps: the decay, but less over the first steps, (1 + step) /
 * (10 + step) (TensorFlow's ExponentialMovingAverage with num_updates), so the weights a run starts
 * from do not linger in a short run.
 */
export function averageKeepsAt(decay: number, step: number): number {
  return Math.min(decay, (1 + step) / (10 + step));
}

/**
 * An exponential moving average of every weight of a model (kernels, biases and batch norm's moving
 * statistics), updated after each step: average <- keep * average + (1 - keep) * weight. With Adam at
 * the presets' rates the weights swing from step to step (a nuclei model's object F1 0.24-0.81 between
 * checkpoints 100 steps apart); their average does not (0.66-0.83, and higher at the end): bench/results/
 * recipes/README.md. scripts/train_starter.py --ema is the PyTorch reference.
 */
export class WeightAverage {
  private readonly averages: tf.Variable[];

  constructor(private readonly model: tf.LayersModel, private readonly decay: number) {
    this.averages = model.getWeights().map((w) => tf.variable(w, false));
  }

  /** Folds the model's weights after step `step` (1-based, this run's) into the average. */
  update(step: number): void {
    const rate = 1 - averageKeepsAt(this.decay, step);
    const weights = this.model.getWeights();
    tf.tidy(() => this.averages.forEach((average, i) => average.assign(movingAverageUpdate(average, weights[i] as tf.Tensor, rate))));
  }

  /** The average itself, to read (a checkpoint copies it out): never dispose or change these. */
  get weights(): readonly tf.Tensor[] {
    return this.averages;
  }

  /** The average as copies the caller owns, in the order of model.getWeights() (what setWeights takes). */
  copy(): tf.Tensor[] {
    return this.averages.map((average) => average.clone());
  }

  dispose(): void {
    tf.dispose(this.averages);
  }
}
