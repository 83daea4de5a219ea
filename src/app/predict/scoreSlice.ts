import { UNLABELLED } from '../../core/labels/classMap';
import { overlapScores } from '../../core/metrics/overlapScores';
import { segmentationScores } from '../../core/metrics/segmentationScores';
import type { SliceMetrics } from '../../store/slices/predictionSlice';
import type { SliceRecord } from '../data/sliceRegistry';
import type { PredictionRegistry } from './predictionRegistry';

/**
 * Scores a predicted slice against its labels, where it has any: foreground (class 1) IoU and Dice
 * at the chosen threshold, and the EM challenge's pixel and Rand errors (threshold sweep,
 * 4-connected components). Unlabelled pixels are left out. Null without labels or prediction.
 */
export function scoreSlice(record: SliceRecord, predictions: PredictionRegistry, threshold: number): SliceMetrics | null {
  const prediction = predictions.get(record.id);
  if (!prediction?.done || !record.classes.some((k) => k !== UNLABELLED)) return null;
  const predicted = predictions.classesOf(record.id, threshold) as Int32Array;
  const overlap = overlapScores(predicted, record.classes, prediction.numClasses);
  const foreground = overlap.perClass[1];
  const em = segmentationScores(predictions.foregroundOf(record.id) as Float32Array, record.classes, record.width, record.height);
  return {
    sliceId: record.id,
    name: record.name,
    iou: foreground?.iou ?? Number.NaN,
    dice: foreground?.dice ?? Number.NaN,
    pixelError: em.pixelError,
    randError: em.randError,
  };
}

/** Mean over the scored slices (each slice counts once, as in the challenge's per-slice tables). */
export function meanMetrics(rows: readonly SliceMetrics[]): Omit<SliceMetrics, 'sliceId' | 'name'> | null {
  if (rows.length === 0) return null;
  const mean = (key: 'iou' | 'dice' | 'pixelError' | 'randError') => rows.reduce((sum, r) => sum + r[key], 0) / rows.length;
  return { iou: mean('iou'), dice: mean('dice'), pixelError: mean('pixelError'), randError: mean('randError') };
}
