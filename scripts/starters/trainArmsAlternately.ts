import type * as tf from '@tensorflow/tfjs';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import type { TrainingRun } from '../../src/core/train/TrainingRun';
import type { StarterImage, StarterName } from './starterData';
import type { StarterScores } from './starterScores';
import { describeScores, scoreModel } from './starterScores';

/** One model in training beside others: its own steps and training time, and its scores at each checkpoint. */
export interface TrainingArm {
  readonly label: string;
  readonly unet: UNetConfig;
  readonly model: tf.LayersModel;
  readonly run: TrainingRun;
  trainMs: number;
  steps: number;
  lastLoss: number;
  readonly checkpoints: { minutes: number; steps: number; scores: StarterScores }[];
}

export function trainingArm(label: string, unet: UNetConfig, model: tf.LayersModel, run: TrainingRun): TrainingArm {
  return { label, unet, model, run, trainMs: 0, steps: 0, lastLoss: Number.NaN, checkpoints: [] };
}

/**
 * Trains the arms one step each in turn, so they all meet the same machine load, until each has
 * trained a checkpoint's minutes of its own step time; then scores every arm on the test images
 * (scoring time not counted) and goes on to the next checkpoint.
 */
export async function trainArmsAlternately(data: StarterName, arms: readonly TrainingArm[], checkpointMinutes: readonly number[], test: readonly StarterImage[], logPrefix: string): Promise<void> {
  for (const checkpoint of checkpointMinutes) {
    while (arms.some((arm) => arm.trainMs < checkpoint * 60_000)) {
      for (const arm of arms) {
        if (arm.trainMs >= checkpoint * 60_000) continue;
        const start = Date.now();
        const report = await arm.run.step();
        arm.trainMs += Date.now() - start;
        arm.steps++;
        arm.lastLoss = report.loss;
      }
    }
    for (const arm of arms) {
      // Scored as the studio would give it: the weight average, where the run keeps one.
      const scores = await arm.run.withResult(() => scoreModel(data, arm.model, arm.unet, test));
      arm.checkpoints.push({ minutes: checkpoint, steps: arm.steps, scores });
      console.log(`${logPrefix} ${arm.label}: ${(arm.trainMs / 60_000).toFixed(2)} min, ${arm.steps} steps, loss ${arm.lastLoss.toFixed(4)}: ${describeScores(scores)}`);
    }
  }
}

/** Frees every arm's run and model. */
export function disposeArms(arms: readonly TrainingArm[]): void {
  for (const arm of arms) {
    arm.run.dispose();
    arm.model.dispose();
  }
}
