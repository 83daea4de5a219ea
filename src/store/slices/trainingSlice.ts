import type { LearningRateSchedule } from '../../core/train/learningRateSchedule';
import type { EngineMemory } from '../../engine/protocol';

/** Training as the UI shows it; the model itself stays in the worker. */
export interface TrainingSlice {
  training: {
    status: 'idle' | 'running' | 'paused' | 'done' | 'failed';
    /** A start was sent and the engine has not answered yet (train/started or an error ends it). */
    starting: boolean;
    step: number;
    totalSteps: number;
    /** Steps the model had before this run (continued training). */
    fromStep: number;
    losses: { step: number; loss: number }[];
    validation: { step: number; loss: number; foregroundIoU: number }[];
    tilesPerSecond: number | null;
    /** The rate of the latest step: it moves under a schedule, and halves when the NaN guard steps in. */
    learningRate: number | null;
    etaSeconds: number | null;
    splitDescription: string | null;
    /** The slices validation scores; the panel names them, and hides the split once they are gone (another dataset). */
    validationSliceIds: readonly string[];
    notices: string[];
    /** How the last run ended: ran all its steps, stopped by the user, or cut short by a lost GPU. */
    endReason: 'completed' | 'stopped' | 'device-lost' | null;
    /** The curves of the earlier runs this model continues, in the model's own step numbers (the chart draws them before this run's). */
    earlier: { losses: { step: number; loss: number }[]; validation: { step: number; loss: number; foregroundIoU: number }[] };
    bestStep: number | null;
    /** The engine's memory after the latest step: the wasm heap or the GPU pool, which never shrink, so a high-water mark since the engine started (earlier runs included). */
    memory: EngineMemory | null;
  };
  /** What the user picked in the training panel; turned into TrainingSettings on start. */
  trainingChoices: {
    preset: 'tiny' | 'fast' | 'paper';
    /** The preset's widths and depth as a U-Net or a UNet++ (same padding only); absent: U-Net (projects saved before). */
    architecture?: 'unet' | 'unetpp';
    /** UNet++: a head on every top node, trained on their mean loss; it is what pruning at prediction needs. Absent: on. */
    deepSupervision?: boolean;
    steps: number;
    learningRate: number;
    /** Over each run's steps; absent: the preset's (projects saved before schedules). */
    schedule?: LearningRateSchedule;
    /** Keep a moving average of the weights and make it the model (TrainingSettings.weightAverage); absent: the preset's. */
    averageWeights?: boolean;
    tileSizePx: number;
    batchSize: number;
    augment: boolean;
    freshWeights: boolean;
    /** Slices to hold out for validation; empty: the studio picks (the last fifth of the labelled ones). */
    validationSliceIds: string[];
  };
}

export const initialTraining: TrainingSlice['training'] = {
  status: 'idle', starting: false, step: 0, totalSteps: 0, fromStep: 0, losses: [], validation: [], tilesPerSecond: null, learningRate: null, etaSeconds: null, splitDescription: null, validationSliceIds: [], notices: [], bestStep: null, memory: null,
  endReason: null, earlier: { losses: [], validation: [] },
};

export const initialTrainingChoices: TrainingSlice['trainingChoices'] = {
  preset: 'fast', steps: 200, learningRate: 1e-3, tileSizePx: 256, batchSize: 2, augment: true, freshWeights: false, validationSliceIds: [],
};
