import type { EngineMemory } from '../../engine/protocol';

/** One threshold of a slice's sweep, for the sweep chart: the scores that pick their best threshold, at each. */
export interface SweepPoint {
  readonly threshold: number;
  /** 1 - the pixel F-score at this threshold. */
  readonly pixelError: number;
  /** skimage's adapted Rand error at this threshold (NaN on an empty truth, as skimage's). */
  readonly adaptedRandError: number;
  /** V_Rand (Fiji) at this threshold. */
  readonly vRand: number;
}

/** Per-slice scores where ground truth exists (foreground = class 1). */
export interface SliceMetrics {
  readonly sliceId: string;
  readonly name: string;
  /**
   * False when the labels hold no foreground (an empty field): the row is shown apart and left out
   * of the mean and the stack line, since IoU / Rand there measure only false alarms or are undefined.
   */
  readonly hasObjects: boolean;
  /** Labelled pixels predicted foreground at the threshold, as a fraction: what an empty field's row reports. */
  readonly foregroundFraction: number;
  /** The sweep behind pixelError, adaptedRandError and vRand (empty while scoring). */
  readonly sweep: readonly SweepPoint[];
  readonly iou: number;
  readonly dice: number;
  /** 1 - the best pixel F-score over the challenge's thresholds. */
  readonly pixelError: number;
  /** skimage's adapted Rand error at its best threshold (0 at best): not the challenge's foreground-restricted Rand error. */
  readonly adaptedRandError: number;
  /** The ISBI 2012 leaderboard's V_Rand and V_Info as Fiji computes them, the slice at its own best threshold (1 at best). */
  readonly vRand: number;
  readonly vInfo: number;
  /** True while the threshold-sweep scores (pixel/Rand error, V_Rand, V_Info) are still being computed off the main thread. */
  readonly scoring: boolean;
}

/** The table's footer: the mean over the slices with objects, and how many of each kind there are. */
export interface MeanMetrics extends Pick<SliceMetrics, 'iou' | 'dice' | 'pixelError' | 'adaptedRandError' | 'vRand' | 'vInfo'> {
  /** Slices averaged (their labels have objects). */
  readonly slicesWithObjects: number;
  /** Scored slices without objects, shown in the table but not averaged. */
  readonly emptySlices: number;
}

/**
 * The scored slices as the ISBI 2012 challenge scores a stack (Fiji): at each threshold the mean
 * over slices, then one best threshold for them all (V_Rand and V_Info each their own); the old
 * leaderboard's foreground-restricted Rand error pools pair counts over slices (0 at best).
 */
export interface StackMetrics {
  readonly slices: number;
  readonly vRand: number;
  readonly vRandThreshold: number | null;
  readonly vInfo: number;
  readonly vInfoThreshold: number | null;
  readonly foregroundRestrictedRandError: number;
  readonly foregroundRestrictedRandThreshold: number | null;
}

/** Prediction progress and display; probabilities live in the PredictionRegistry, not here. */
export interface PredictionSlice {
  prediction: {
    /** stopped: the user stopped it; slices finished before keep their results, the one in flight its tiles so far. */
    status: 'idle' | 'running' | 'done' | 'stopped' | 'failed';
    /** Tiles of the slice being predicted: done so far, and in all (0 until its first tile arrives). */
    tilesDone: number;
    tilesTotal: number;
    /** Slices of the run: finished so far, and in all. */
    slicesDone: number;
    slicesTotal: number;
    /** Bumps when any prediction pixels change (tile arrived, slice done). */
    revision: number;
    threshold: number;
    testTimeAugmentation: boolean;
    /** UNet++: predict with the network pruned to this level; null: every head, probabilities averaged ("accurate"). */
    pruneLevel: number | null;
    /** The pruning level the running (or last) prediction used: null for every head. */
    runPruneLevel: number | null;
    /**
     * The last measured time of one slice per UNet++ choice ('all' or the level), shown beside the
     * choice so the user sees what pruning buys; cleared when the model changes.
     */
    sliceTimes: Readonly<Record<string, { readonly ms: number; readonly width: number; readonly height: number; readonly modelRevision: number }>>;
    predictedSliceIds: string[];
    /** The model revision each slice's prediction came from (model.revision at its slice-done). */
    modelRevisionOf: Record<string, number>;
    instanceCounts: Record<string, number>;
    /** The engine's memory after the last predicted slice: like training's, a high-water mark since the engine started. */
    memory: EngineMemory | null;
  };
  /**
   * overall: the mean of the rows whose labels have objects (null when none has); stack: those slices
   * as one ISBI stack, null while any row is scoring or when none could be scored.
   */
  metrics: { rows: SliceMetrics[]; overall: MeanMetrics | null; stack: StackMetrics | null };
}

export const initialPrediction: PredictionSlice['prediction'] = {
  status: 'idle', tilesDone: 0, tilesTotal: 0, slicesDone: 0, slicesTotal: 0, revision: 0, threshold: 0.5, testTimeAugmentation: false, pruneLevel: null, runPruneLevel: null, sliceTimes: {}, predictedSliceIds: [], modelRevisionOf: {}, instanceCounts: {}, memory: null,
};
