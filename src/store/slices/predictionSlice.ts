import type { EngineMemory } from '../../engine/protocol';

/** Per-slice scores where ground truth exists (foreground = class 1). */
export interface SliceMetrics {
  readonly sliceId: string;
  readonly name: string;
  readonly iou: number;
  readonly dice: number;
  readonly pixelError: number;
  readonly randError: number;
  /** The EM leaderboard's thinned-border V_Rand and V_Info (1 at best). */
  readonly vRand: number;
  readonly vInfo: number;
  /** True while the threshold-sweep scores (pixel/Rand error, V_Rand, V_Info) are still being computed off the main thread. */
  readonly scoring: boolean;
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
    /** The engine's memory after the last predicted slice: like training's, a high-water mark since the engine started. */
    memory: EngineMemory | null;
  };
  metrics: { rows: SliceMetrics[]; overall: Omit<SliceMetrics, 'sliceId' | 'name' | 'scoring'> | null };
}

export const initialPrediction: PredictionSlice['prediction'] = {
  status: 'idle', tilesDone: 0, tilesTotal: 0, revision: 0, threshold: 0.5, testTimeAugmentation: false, predictedSliceIds: [], instanceCounts: {}, memory: null,
};
