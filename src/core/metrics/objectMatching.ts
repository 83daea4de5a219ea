import { contingencyTable } from './contingencyTable';

export interface ObjectMatchScores {
  /** Objects in the truth and in the prediction (ids > 0). */
  readonly trueObjects: number;
  readonly predictedObjects: number;
  /** Pairs whose IoU exceeds the threshold: each object is in at most one (for threshold >= 0.5). */
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** 2 TP / (2 TP + FP + FN); 1 when both images hold no object. */
  readonly f1: number;
  /** Mean IoU of the matched pairs; NaN without a match. */
  readonly meanMatchedIoU: number;
}

/**
 * Object-level detection scores of instance label images (0 = background, 1..N = objects): a true and
 * a predicted object match when their IoU exceeds `iouThreshold` (0.5 by default, as the DSB 2018 and
 * StarDist reports' lowest threshold). Above 0.5 a match is unique (two objects cannot both overlap
 * one by more than half its union), so no assignment step is needed.
 */
export function objectMatchScores(truth: ArrayLike<number>, predicted: ArrayLike<number>, iouThreshold = 0.5): ObjectMatchScores {
  if (!(iouThreshold >= 0.5 && iouThreshold < 1)) throw new Error(`The IoU threshold must be in [0.5, 1) for unique matches (got ${iouThreshold}).`);
  const area = (labels: ArrayLike<number>) => {
    const counts = new Map<number, number>();
    for (let i = 0; i < labels.length; i++) {
      const id = labels[i] as number;
      if (id !== 0) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  };
  const trueArea = area(truth);
  const predictedArea = area(predicted);
  const table = contingencyTable(truth, predicted, [0]);
  let truePositives = 0;
  let iouSum = 0;
  for (const [key, overlap] of table.counts) {
    const t = Math.floor(key / table.stride);
    const p = key % table.stride;
    if (p === 0) continue;
    const iou = overlap / ((trueArea.get(t) as number) + (predictedArea.get(p) as number) - overlap);
    if (iou > iouThreshold) {
      truePositives++;
      iouSum += iou;
    }
  }
  const falsePositives = predictedArea.size - truePositives;
  const falseNegatives = trueArea.size - truePositives;
  const denominator = 2 * truePositives + falsePositives + falseNegatives;
  return {
    trueObjects: trueArea.size,
    predictedObjects: predictedArea.size,
    truePositives,
    falsePositives,
    falseNegatives,
    f1: denominator === 0 ? 1 : (2 * truePositives) / denominator,
    meanMatchedIoU: truePositives > 0 ? iouSum / truePositives : NaN,
  };
}
