import { UNLABELLED } from '../labels/classMap';

export interface ClassOverlap {
  readonly classIndex: number;
  /**
   * |P ∩ T| / |P ∪ T|; 1 when the class is absent from both (they agree: nothing there, nothing
   * predicted), as sklearn's jaccard_score(zero_division=1); 0 when only the prediction has it.
   */
  readonly iou: number;
  /** 2|P ∩ T| / (|P| + |T|); 1 when absent from both, as IoU. */
  readonly dice: number;
}

export interface OverlapScores {
  readonly perClass: readonly ClassOverlap[];
  /** Fraction of labelled pixels whose predicted class is wrong. */
  readonly pixelErrorRate: number;
}

/** IoU and Dice per class and the plain pixel error, over labelled pixels (UNLABELLED ignored). */
export function overlapScores(predicted: Int32Array, truth: Int32Array, numClasses: number): OverlapScores {
  const intersection = new Float64Array(numClasses);
  const predictedCount = new Float64Array(numClasses);
  const truthCount = new Float64Array(numClasses);
  let labelled = 0;
  let wrong = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as number;
    if (t === UNLABELLED) continue;
    const p = predicted[i] as number;
    labelled++;
    truthCount[t] = (truthCount[t] as number) + 1;
    predictedCount[p] = (predictedCount[p] as number) + 1;
    if (p === t) intersection[t] = (intersection[t] as number) + 1;
    else wrong++;
  }
  const perClass = Array.from({ length: numClasses }, (_, k) => {
    const inter = intersection[k] as number;
    const sum = (predictedCount[k] as number) + (truthCount[k] as number);
    return { classIndex: k, iou: sum === 0 ? 1 : inter / (sum - inter), dice: sum === 0 ? 1 : (2 * inter) / sum };
  });
  return { perClass, pixelErrorRate: labelled === 0 ? 0 : wrong / labelled };
}
