import { connectedComponents } from '../labels/connectedComponents';
import { UNLABELLED } from '../labels/classMap';
import { adaptedRandError } from './adaptedRandError';
import { contingencyTable } from './contingencyTable';
import { informationScores } from './informationScores';

/** The EM challenge's 10 threshold levels on the foreground probability. */
export const CHALLENGE_THRESHOLDS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

export interface ThresholdScores {
  readonly threshold: number;
  /** Foreground-restricted Rand (V_Rand is its F-score). */
  readonly randError: number;
  readonly vInfo: number;
  /** F-score of foreground pixels. */
  readonly pixelFScore: number;
}

export interface SegmentationScores {
  /** 1 - max over thresholds of the foreground-restricted Rand F-score (the paper's Table 1 "Rand error"). */
  readonly randError: number;
  /** 1 - max over thresholds of the pixel F-score. */
  readonly pixelError: number;
  /** Max over thresholds of V_Info. */
  readonly vInfo: number;
  readonly perThreshold: readonly ThresholdScores[];
}

/**
 * The EM challenge's scores of a foreground probability map against a binary truth
 * (1 = cell, 0 = membrane; UNLABELLED pixels are left out): threshold at each level, take
 * 4-connected components of the foreground on both sides, and score the components on the
 * true foreground only. Borders are used as they are (no thinning to 1 px).
 */
export function segmentationScores(foregroundProbability: Float32Array, truthClasses: Int32Array, width: number, height: number,
  thresholds: readonly number[] = CHALLENGE_THRESHOLDS): SegmentationScores {
  const truthMask = Uint8Array.from(truthClasses, (k) => (k === 1 ? 1 : 0));
  const truthComponents = connectedComponents(truthMask, width, height, 4).labels;
  const perThreshold = thresholds.map((threshold) => {
    const predicted = Uint8Array.from(foregroundProbability, (p) => (p > threshold ? 1 : 0));
    const table = contingencyTable(truthComponents, connectedComponents(predicted, width, height, 4).labels);
    return {
      threshold,
      randError: adaptedRandError(table).error,
      vInfo: informationScores(table).vInfo,
      pixelFScore: pixelFScore(predicted, truthClasses),
    };
  });
  return {
    randError: Math.min(...perThreshold.map((s) => s.randError)),
    pixelError: 1 - Math.max(...perThreshold.map((s) => s.pixelFScore)),
    vInfo: Math.max(...perThreshold.map((s) => s.vInfo)),
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
