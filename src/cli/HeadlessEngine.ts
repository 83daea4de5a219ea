import * as tf from '@tensorflow/tfjs';
import type { ModelFiles } from '../core/model/modelFiles';
import type { ModelMetadata } from '../core/model/modelMetadata';
import type { TrainingSettings } from '../core/train/trainingSettings';
import { EngineSession } from '../engine/EngineSession';
import type { EngineEvent, EngineEventOf, SliceData } from '../engine/protocol';

export type TrainOutcome = EngineEventOf<'train/done'>;
export type SlicePrediction = EngineEventOf<'predict/slice-done'>;

/**
 * The studio's engine (EngineSession, the code the page's worker runs) driven from Node: the same
 * slices, settings, training loop, tiled prediction and model files, with promises instead of
 * worker messages. Events go to `onEvent` as the page would receive them.
 */
export class HeadlessEngine {
  private readonly session = new EngineSession(() => tf.getBackend());
  private runs = 0;

  constructor(private readonly onEvent: (event: EngineEvent) => void = () => {}) {}

  load(slices: readonly SliceData[]): void {
    for (const slice of slices) this.session.putSlice(slice);
  }

  importModel(files: ModelFiles): Promise<ModelMetadata> {
    return this.session.importModel(files.modelJson, [files.weights]);
  }

  exportModel(classNames: readonly string[]): Promise<ModelFiles> {
    return this.session.exportModel(classNames);
  }

  /** Resolves when the run ends (completed, or stopped by `stop()`); rejects with the engine's message when it fails. */
  train(settings: TrainingSettings, freshWeights: boolean): Promise<TrainOutcome> {
    const runId = this.nextRunId('train');
    return new Promise<TrainOutcome>((resolve, reject) => {
      const post = (event: EngineEvent) => {
        if (event.runId !== runId) return;
        this.onEvent(event);
        // The run's tensors are released just after its done event: the model is free once that has happened.
        if (event.type === 'train/done') void this.session.whenTrainingEnded().then(() => resolve(event));
        if (event.type === 'error') reject(new Error(`${event.error.phase}: ${event.error.message}`));
      };
      try {
        this.session.startTraining(runId, settings, freshWeights, post);
      } catch (error) {
        reject(error);
      }
    });
  }

  /** Ends the training run after its current step, keeping the weights it reached. */
  stop(): void {
    this.session.stopTraining();
    this.session.stopPrediction();
  }

  /** Predicts the slices in order; resolves with each slice's probabilities and instances once all are done (or the run was stopped). */
  async predict(sliceIds: readonly string[], testTimeAugmentation: boolean): Promise<SlicePrediction[]> {
    const runId = this.nextRunId('predict');
    const done: SlicePrediction[] = [];
    await this.session.predict(runId, sliceIds, testTimeAugmentation, (event) => {
      this.onEvent(event);
      if (event.type === 'predict/slice-done') done.push(event);
    });
    return done;
  }

  private nextRunId(kind: string): string {
    this.runs += 1;
    return `headless-${kind}-${this.runs}`;
  }
}
