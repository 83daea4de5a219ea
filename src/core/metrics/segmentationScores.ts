import { connectedComponents } from '../labels/connectedComponents';
import { UNLABELLED } from '../labels/classMap';
import { adaptedRandError } from './adaptedRandError';
import { CHALLENGE_THRESHOLDS } from './challengeThresholds';
import { contingencyTable } from './contingencyTable';
import { classificationStatistics } from './foregroundRestrictedScores';

export interface ThresholdScores {
  readonly threshold: number;
  /** skimage.metrics.adapted_rand_error of the 4-connected cells (1 - its F-score). */
  readonly adaptedRandError: number;
  /** F-score of foreground pixels, Fiji's ClassificationStatistics: 1 when truth and prediction both have none. */
  readonly pixelFScore: number;
}

export interface SegmentationScores {
  /**
   * The best (lowest) of skimage's adapted Rand error over the thresholds: pairs counted n(n-1),
   * the predicted border (label 0) one segment. Not the challenge's foreground-restricted Rand
   * error (Fiji, the U-Net paper's Table 1: isbiScores.ts), nor 1 - V_Rand.
   */
  readonly adaptedRandError: number;
  /** 1 - max over thresholds of the pixel F-score. */
  readonly pixelError: number;
  readonly perThreshold: readonly ThresholdScores[];
}

/**
 * skimage's adapted Rand error and the pixel error of a foreground probability map against a
 * binary truth (1 = cell, 0 = membrane; UNLABELLED pixels are left out), each at its best of the
 * challenge's thresholds: threshold, take 4-connected components of the foreground on both sides,
 * and score the components on the true foreground only. Borders are used as they are.
 */
export function segmentationScores(foregroundProbability: Float32Array, truthClasses: Int32Array, width: number, height: number,
  thresholds: readonly number[] = CHALLENGE_THRESHOLDS): SegmentationScores {
  const truthMask = Uint8Array.from(truthClasses, (k) => (k === 1 ? 1 : 0));
  const truthComponents = connectedComponents(truthMask, width, height, 4).labels;
  const perThreshold = thresholds.map((threshold) => {
    const predicted = Uint8Array.from(foregroundProbability, (p) => (p > threshold ? 1 : 0));
    const table = contingencyTable(truthComponents, connectedComponents(predicted, width, height, 4).labels);
    return { threshold, adaptedRandError: adaptedRandError(table).error, pixelFScore: pixelFScore(predicted, truthClasses) };
  });
  return {
    adaptedRandError: Math.min(...perThreshold.map((s) => s.adaptedRandError)),
    pixelError: 1 - Math.max(...perThreshold.map((s) => s.pixelFScore)),
    perThreshold,
  };
}

/**
 * The pixel F-score as Fiji's PixelError scores it (ClassificationStatistics: precision 1 without
 * false positives, recall 1 without false negatives), so an empty truth predicted empty scores 1,
 * not 0/0; with any true foreground it is 2 TP / (2 TP + FP + FN).
 */
function pixelFScore(predicted: Uint8Array, truth: Int32Array): number {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (let i = 0; i < predicted.length; i++) {
    const t = truth[i] as number;
    if (t === UNLABELLED) continue;
    if (predicted[i] && t === 1) truePositives++;
    else if (predicted[i]) falsePositives++;
    else if (t === 1) falseNegatives++;
  }
  return classificationStatistics({ truePositives, trueNegatives: 0, falsePositives, falseNegatives }).fScore;
}
