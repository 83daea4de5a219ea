import type { EngineMemory } from '../../engine/protocol';

/** Per-slice scores where ground truth exists (foreground = class 1). */
export interface SliceMetrics {
  readonly sliceId: string;
  readonly name: string;
  readonly iou: number;
  readonly dice: number;
  readonly pixelError: number;
  readonly randError: number;
}

/** Prediction progress and display; probabilities live in the PredictionRegistry, not here. */
export interface PredictionSlice {
  prediction: {
    status: 'idle' | 'running' | 'done' | 'failed';
    tilesDone: number;
    tilesTotal: number;
    /** Bumps when any prediction pixels change (tile arrived, slice done). */
    revision: number;
    threshold: number;
    testTimeAugmentation: boolean;
    predictedSliceIds: string[];
    instanceCounts: Record<string, number>;
    /** The engine's memory high-water mark in the last prediction run. */
    memory: EngineMemory | null;
  };
  metrics: { rows: SliceMetrics[]; overall: Omit<SliceMetrics, 'sliceId' | 'name'> | null };
}

export const initialPrediction: PredictionSlice['prediction'] = {
  status: 'idle', tilesDone: 0, tilesTotal: 0, revision: 0, threshold: 0.5, testTimeAugmentation: false, predictedSliceIds: [], instanceCounts: {}, memory: null,
};
