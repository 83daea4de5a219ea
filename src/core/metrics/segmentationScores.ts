import { connectedComponents } from '../labels/connectedComponents';
import { UNLABELLED } from '../labels/classMap';
import { adaptedRandError } from './adaptedRandError';
import { CHALLENGE_THRESHOLDS } from './challengeThresholds';
import { contingencyTable } from './contingencyTable';

export interface ThresholdScores {
  readonly threshold: number;
  /** skimage.metrics.adapted_rand_error of the 4-connected cells (1 - its F-score). */
  readonly adaptedRandError: number;
  /** F-score of foreground pixels. */
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

function pixelFScore(predicted: Uint8Array, truth: Int32Array): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < predicted.length; i++) {
    const t = truth[i] as number;
    if (t === UNLABELLED) continue;
    if (predicted[i] && t === 1) tp++;
    else if (predicted[i]) fp++;
    else if (t === 1) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}
