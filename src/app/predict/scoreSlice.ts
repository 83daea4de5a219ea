import { hasLabels } from '../../core/labels/classMap';
import { overlapScores } from '../../core/metrics/overlapScores';
import { isbiStackScores } from '../../core/metrics/isbiScores';
import type { SliceMetrics, StackMetrics } from '../../store/slices/predictionSlice';
import type { SliceRecord } from '../data/sliceRegistry';
import type { PredictionRegistry } from './predictionRegistry';
import type { SweepInput, SweepScores } from './scoring/sweepScores';
import { NO_SWEEP_SCORES } from './scoring/sweepScores';

/** A slice is scored once its prediction is finished and it has labels. */
function isScorable(record: SliceRecord, predictions: PredictionRegistry): boolean {
  return predictions.get(record.id)?.done === true && hasLabels(record.classes);
}

/** What the threshold-sweep scores of a slice are computed from; null without labels or a finished prediction. */
export function sweepInputOf(record: SliceRecord, predictions: PredictionRegistry): SweepInput | null {
  if (!isScorable(record, predictions)) return null;
  return { foreground: predictions.foregroundOf(record.id) as Float32Array, classes: record.classes, width: record.width, height: record.height };
}

/**
 * Scores a predicted slice against its labels, where it has any: foreground (class 1) IoU and Dice
 * at the chosen threshold, here and now; the pixel error, skimage's adapted Rand error and the ISBI
 * leaderboard's V_Rand / V_Info (Fiji's, threshold sweeps) as given, or pending while a worker
 * computes them. Unlabelled pixels are left out. Null without labels or prediction.
 */
export function scoreSlice(record: SliceRecord, predictions: PredictionRegistry, threshold: number, sweep: SweepScores | null): SliceMetrics | null {
  if (!isScorable(record, predictions)) return null;
  const predicted = predictions.classesOf(record.id, threshold) as Int32Array;
  const foreground = overlapScores(predicted, record.classes, predictions.get(record.id)!.numClasses).perClass[1];
  return {
    sliceId: record.id,
    name: record.name,
    iou: foreground?.iou ?? Number.NaN,
    dice: foreground?.dice ?? Number.NaN,
    pixelError: (sweep ?? NO_SWEEP_SCORES).pixelError,
    adaptedRandError: (sweep ?? NO_SWEEP_SCORES).adaptedRandError,
    vRand: (sweep ?? NO_SWEEP_SCORES).vRand,
    vInfo: (sweep ?? NO_SWEEP_SCORES).vInfo,
    scoring: sweep === null,
  };
}

/** Mean over the scored slices (each slice counts once, as in the challenge's per-slice tables); NaN while any is pending. */
export function meanMetrics(rows: readonly SliceMetrics[]): Omit<SliceMetrics, 'sliceId' | 'name' | 'scoring'> | null {
  if (rows.length === 0) return null;
  const mean = (key: 'iou' | 'dice' | 'pixelError' | 'adaptedRandError' | 'vRand' | 'vInfo') => rows.reduce((sum, r) => sum + r[key], 0) / rows.length;
  return { iou: mean('iou'), dice: mean('dice'), pixelError: mean('pixelError'), adaptedRandError: mean('adaptedRandError'), vRand: mean('vRand'), vInfo: mean('vInfo') };
}

/** The scored slices as one ISBI stack (one threshold for all); null while any is pending or when none has scores. */
export function stackMetrics(sweeps: readonly (SweepScores | null)[]): StackMetrics | null {
  if (sweeps.some((s) => s === null)) return null;
  const scored = sweeps.flatMap((s) => (s?.isbi ? [s.isbi] : []));
  if (scored.length === 0) return null;
  const stack = isbiStackScores(scored);
  return {
    slices: stack.slices,
    vRand: stack.vRand.value,
    vRandThreshold: stack.vRand.threshold,
    vInfo: stack.vInfo.value,
    vInfoThreshold: stack.vInfo.threshold,
    foregroundRestrictedRandError: stack.foregroundRestrictedRandError.value,
    foregroundRestrictedRandThreshold: stack.foregroundRestrictedRandError.threshold,
  };
}
