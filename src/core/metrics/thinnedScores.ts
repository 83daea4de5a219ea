import { UNLABELLED } from '../labels/classMap';
import { connectedComponents } from '../labels/connectedComponents';
import { adaptedRandError } from './adaptedRandError';
import { contingencyTable } from './contingencyTable';
import { informationScores } from './informationScores';
import { CHALLENGE_THRESHOLDS } from './segmentationScores';
import { thinBoundaries } from './thinBoundaries';

export interface ThinnedScores {
  /** Max over thresholds of the foreground-restricted Rand F-score after thinning borders (1 at best). */
  readonly vRand: number;
  /** Max over thresholds of V_Info after thinning borders (1 at best). */
  readonly vInfo: number;
  readonly perThreshold: readonly { readonly threshold: number; readonly vRand: number; readonly vInfo: number }[];
}

/** Cells as 4-connected components of what is not (thinned) border; `keep` false pixels get label 0. */
function cellsAfterThinning(border: Uint8Array, keep: (i: number) => boolean, width: number, height: number): Int32Array {
  const thin = thinBoundaries(border, width, height);
  const cells = Uint8Array.from(thin, (b, i) => (b === 0 && keep(i) ? 1 : 0));
  return connectedComponents(cells, width, height, 4).labels;
}

/**
 * The current EM leaderboard's V_Rand and V_Info, as we read its definition (PAPER.md): at each
 * threshold, thin the borders of prediction and truth to 1 px (skimage.morphology.thin), take
 * 4-connected cells, and score on the pixels that are cells in the thinned truth. Unlabelled
 * pixels are left out. Our Rand error / pixel error (segmentationScores) do not thin.
 * Caveat, measured on 128 px ISBI crops: thinning shortens membranes where they meet the image
 * edge (a band's medial line stops short of its ends), so cells can join around them there; one
 * crop's 5 true cells became 1. Score whole slices, not small crops.
 */
export function thinnedScores(foregroundProbability: Float32Array, truthClasses: Int32Array, width: number, height: number,
  thresholds: readonly number[] = CHALLENGE_THRESHOLDS): ThinnedScores {
  const truthBorder = Uint8Array.from(truthClasses, (k) => (k === 0 ? 1 : 0));
  const truthCells = cellsAfterThinning(truthBorder, (i) => truthClasses[i] !== UNLABELLED, width, height);
  const perThreshold = thresholds.map((threshold) => {
    const predictedBorder = Uint8Array.from(foregroundProbability, (p) => (p > threshold ? 0 : 1));
    const table = contingencyTable(truthCells, cellsAfterThinning(predictedBorder, () => true, width, height));
    return { threshold, vRand: adaptedRandError(table).fScore, vInfo: informationScores(table).vInfo };
  });
  return {
    vRand: Math.max(...perThreshold.map((s) => s.vRand)),
    vInfo: Math.max(...perThreshold.map((s) => s.vInfo)),
    perThreshold,
  };
}
