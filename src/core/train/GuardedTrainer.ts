import * as tf from '@tensorflow/tfjs';
import { StudioError } from '../errors';
import type { OptimizerSpec } from './createOptimizer';
import { createOptimizer } from './createOptimizer';
import { scheduledLearningRate } from './learningRateSchedule';
import type { TrainBatch } from './trainStep';
import { trainStep } from './trainStep';

export type StepOutcome =
  | { readonly kind: 'ok'; readonly step: number; readonly loss: number }
  /** The loss was NaN/Inf: weights were restored from `restoredStep` and the learning rate lowered. */
  | { readonly kind: 'recovered'; readonly step: number; readonly loss: number; readonly restoredStep: number; readonly learningRate: number; readonly message: string };

/** Snapshot the weights this often, so a NaN costs at most this many steps. */
const SNAPSHOT_EVERY_STEPS = 10;
/** Give up after this many recoveries in a row: the settings, not bad luck, are the problem. */
const MAX_CONSECUTIVE_RECOVERIES = 3;

/**
 * Runs optimiser steps with a guard against divergence. WGSL and GPUs do not promise NaN/Inf
 * semantics, so the loss is checked on the host after each step; a non-finite loss restores the
 * last good weights, halves the learning rate (with a fresh optimiser: momentum holds NaN too)
 * and says so. Continues from the model's current weights, so retraining after corrections
 * starts where the user left off.
 */
export class GuardedTrainer {
  private optimizer: ReturnType<typeof createOptimizer>;
  private spec: OptimizerSpec;
  private stepCount = 0;
  /** The rate the optimiser holds now: the schedule's, for the latest step. */
  private rate: number;
  private snapshot: { step: number; weights: tf.Tensor[] };
  private consecutiveRecoveries = 0;

  /** `totalSteps`: the run's length, over which the spec's schedule moves the rate (none: the rate is held). */
  constructor(private readonly model: tf.LayersModel, spec: OptimizerSpec, private readonly totalSteps = Infinity) {
    this.spec = spec;
    this.optimizer = createOptimizer(spec);
    this.rate = spec.learningRate;
    this.snapshot = { step: 0, weights: this.copyWeights() };
  }

  /** The rate of the latest step (before the first: the rate the run starts at). */
  get learningRate(): number {
    return this.rate;
  }

  get steps(): number {
    return this.stepCount;
  }

  async step(batch: TrainBatch): Promise<StepOutcome> {
    this.stepCount++;
    const rate = scheduledLearningRate(this.spec.learningRate, this.spec.schedule ?? 'constant', this.stepCount - 1, this.totalSteps);
    if (rate !== this.rate) {
      this.optimizer.setLearningRate(rate);
      this.rate = rate;
    }
    const lossTensor = trainStep(this.model, this.optimizer, batch);
    // One read-back a step (a GPU round trip each): the loss beside the weights' check.
    const checked = tf.tidy(() => tf.stack([lossTensor.reshape([]), this.sumOfWeights()]));
    lossTensor.dispose();
    const values = await checked.data();
    const loss = values[0] as number;
    const weightSum = values[1] as number;
    checked.dispose();
    if (Number.isFinite(loss) && Number.isFinite(weightSum)) {
      this.consecutiveRecoveries = 0;
      if (this.stepCount % SNAPSHOT_EVERY_STEPS === 0) this.takeSnapshot();
      return { kind: 'ok', step: this.stepCount, loss };
    }
    return this.recover(loss);
  }

  /** The model's weights now, as copies the caller owns (e.g. a best-so-far checkpoint). */
  copyWeights(): tf.Tensor[] {
    return this.model.getWeights().map((w) => w.clone());
  }

  dispose(): void {
    tf.dispose(this.snapshot.weights);
    this.optimizer.dispose();
  }

  private recover(loss: number): StepOutcome {
    // A finite loss here means the update, not the forward pass, went non-finite: say that, not "the loss became 0.41".
    const what = Number.isFinite(loss) ? 'the weights became NaN or infinite' : `the loss became ${loss}`;
    this.consecutiveRecoveries++;
    this.model.setWeights(this.snapshot.weights);
    if (this.consecutiveRecoveries > MAX_CONSECUTIVE_RECOVERIES) {
      throw new StudioError('training-diverged',
        `Training diverged: ${Number.isFinite(loss) ? 'the weights became NaN or infinite' : `the loss was ${loss}`} ${MAX_CONSECUTIVE_RECOVERIES + 1} times in a row, even at learning rate ${this.spec.learningRate}. ` +
        'The weights of the last good step are kept. Try a smaller learning rate, or check the labels.');
    }
    this.spec = { ...this.spec, learningRate: this.spec.learningRate / 2 };
    this.optimizer.dispose();
    this.optimizer = createOptimizer(this.spec);
    this.rate = this.spec.learningRate; // the next step sets the schedule's rate from the halved one
    return {
      kind: 'recovered',
      step: this.stepCount,
      loss,
      restoredStep: this.snapshot.step,
      learningRate: this.spec.learningRate,
      message: `${what.charAt(0).toUpperCase()}${what.slice(1)} at step ${this.stepCount}: restored the weights of step ${this.snapshot.step} ` +
        `and lowered the learning rate to ${this.spec.learningRate}.`,
    };
  }

  private takeSnapshot(): void {
    tf.dispose(this.snapshot.weights);
    this.snapshot = { step: this.stepCount, weights: this.copyWeights() };
  }

  /**
   * A finite loss can still come with non-finite weights after an update. The sum of every weight is
   * non-finite when any is (NaN, or an Inf: +Inf and -Inf together give NaN), and finite weights sum to
   * a finite value (they would have to reach ~1e38 to overflow): one Sum a weight, no Abs.
   */
  private sumOfWeights(): tf.Tensor {
    return tf.addN(this.model.trainableWeights.map((w) => tf.sum(w.read())));
  }
}
