import { hasLabels, UNLABELLED } from '../../core/labels/classMap';
import { overlapScores } from '../../core/metrics/overlapScores';
import { isbiStackScores } from '../../core/metrics/isbiScores';
import type { MeanMetrics, SliceMetrics, StackMetrics } from '../../store/slices/predictionSlice';
import type { SliceRecord } from '../data/sliceRegistry';
import type { PredictionRegistry } from './predictionRegistry';
import type { SweepInput, SweepScores } from './scoring/sweepScores';
import { NO_SWEEP_SCORES } from './scoring/sweepScores';

/**
 * Slices above this many pixels (4096 x 4096) are not scored: the threshold sweep takes ~0.9 s for a
 * 512 px slice in the scoring worker (about a minute at 4096 px, hours at 20000 px) and the scores at
 * the threshold a main-thread pass over every pixel. The metrics table names them.
 */
export const MAX_SCORED_PIXELS = 4096 * 4096;

/** Whether a slice of this size is too large to score in the page. */
export const tooLargeToScore = (width: number, height: number): boolean => width * height > MAX_SCORED_PIXELS;

/** A slice is scored once its prediction is finished and it has labels, unless it is too large. */
function isScorable(record: SliceRecord, predictions: PredictionRegistry): boolean {
  return predictions.get(record.id)?.done === true && !tooLargeToScore(record.width, record.height) && hasLabels(record.classes);
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
  const { hasObjects, foregroundFraction } = foregroundCounts(predicted, record.classes);
  return {
    sliceId: record.id,
    name: record.name,
    hasObjects,
    foregroundFraction,
    sweep: (sweep ?? NO_SWEEP_SCORES).perThreshold,
    iou: foreground?.iou ?? Number.NaN,
    dice: foreground?.dice ?? Number.NaN,
    pixelError: (sweep ?? NO_SWEEP_SCORES).pixelError,
    adaptedRandError: (sweep ?? NO_SWEEP_SCORES).adaptedRandError,
    vRand: (sweep ?? NO_SWEEP_SCORES).vRand,
    vInfo: (sweep ?? NO_SWEEP_SCORES).vInfo,
    scoring: sweep === null,
  };
}

/** Whether the labels hold foreground (class 1), and the labelled pixels predicted foreground, as a fraction. */
function foregroundCounts(predicted: Int32Array, truth: Int32Array): { hasObjects: boolean; foregroundFraction: number } {
  let labelled = 0;
  let predictedForeground = 0;
  let hasObjects = false;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as number;
    if (t === UNLABELLED) continue;
    labelled++;
    if (t === 1) hasObjects = true;
    if (predicted[i] === 1) predictedForeground++;
  }
  return { hasObjects, foregroundFraction: labelled === 0 ? 0 : predictedForeground / labelled };
}

/**
 * Mean over the scored slices whose labels have objects (each counts once, as in the challenge's
 * per-slice tables); NaN while any is pending. Empty fields are counted, not averaged: their IoU is
 * 0 or 1 and their Rand error undefined, which says nothing about how well objects are found.
 * Null when no slice has objects.
 */
export function meanMetrics(rows: readonly SliceMetrics[]): MeanMetrics | null {
  const averaged = rows.filter((r) => r.hasObjects);
  if (averaged.length === 0) return null;
  const mean = (key: 'iou' | 'dice' | 'pixelError' | 'adaptedRandError' | 'vRand' | 'vInfo') => averaged.reduce((sum, r) => sum + r[key], 0) / averaged.length;
  return {
    iou: mean('iou'), dice: mean('dice'), pixelError: mean('pixelError'), adaptedRandError: mean('adaptedRandError'), vRand: mean('vRand'), vInfo: mean('vInfo'),
    slicesWithObjects: averaged.length,
    emptySlices: rows.length - averaged.length,
  };
}

/**
 * The scored slices with objects as one ISBI stack (one threshold for all; the challenge's slices all
 * have cells); null while any is pending or when none has scores.
 */
export function stackMetrics(sweeps: readonly (SweepScores | null)[], rows: readonly SliceMetrics[]): StackMetrics | null {
  if (sweeps.some((s) => s === null)) return null;
  const scored = sweeps.flatMap((s, k) => (s?.isbi && rows[k]?.hasObjects ? [s.isbi] : []));
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
