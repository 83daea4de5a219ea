import { connectedComponents } from '../labels/connectedComponents';
import { CHALLENGE_THRESHOLDS } from './challengeThresholds';
import type { PairCounts } from './foregroundRestrictedScores';
import { classificationStatistics, foregroundRestrictedInformationScore, foregroundRestrictedRandStatistics } from './foregroundRestrictedScores';
import { watershedTransform } from './watershedTransform';

/**
 * The ISBI 2012 challenge's scores exactly as Fiji computes them (docs/metrics.md; fixtures from
 * scripts/fiji_isbi_metrics.py, a port checked against Fiji's Java):
 * - V_Rand and V_Info (the current leaderboard, "after thinning", 1 at best): at each threshold the
 *   proposal's cells are p > th; its border (the rest) is thinned by Fiji's watershed; the truth's
 *   4-connected cells are NOT thinned; only true-cell pixels count and each proposal watershed pixel
 *   there is a segment of its own. Stack: mean over slices at each threshold, then the best
 *   threshold (one for the whole stack; V_Rand and V_Info each pick their own).
 * - The old foreground-restricted Rand error (the 2012 leaderboard's, the U-Net paper's Table 1
 *   "Rand error", 0 at best): the same Rand statistics on the proposal's 4-connected cells,
 *   borders unthinned; stack: pair counts summed over slices, 1 - the best F-score.
 */

export interface IsbiThresholdScores {
  readonly threshold: number;
  /** Rand F-score after thinning (1 at best); precision: merges, recall: splits. */
  readonly vRand: number;
  readonly vRandPrecision: number;
  readonly vRandRecall: number;
  /** Information-theoretic F-score after thinning (1 at best); NaN when the mutual information is 0, as in Fiji. */
  readonly vInfo: number;
  /** The old challenge's pair counts (unthinned), summed over slices for the stack's Rand error. */
  readonly foregroundRestricted: PairCounts;
}

export interface IsbiSliceScores {
  readonly perThreshold: readonly IsbiThresholdScores[];
}

const SHORT_LABEL = 0xffff;

/** Region numbers as Fiji's 16-bit region image keeps them ((short) k, read back & 0xffff). */
function regions(mask: Uint8Array, width: number, height: number): Int32Array {
  const labels = connectedComponents(mask, width, height, 4).labels;
  for (let i = 0; i < labels.length; i++) labels[i] = (labels[i] as number) & SHORT_LABEL;
  return labels;
}

/**
 * One slice at every threshold. `truthCells` is non-zero on true cell pixels (the ISBI label's 255;
 * Fiji's `label > th` is the same mask for every threshold below 1); membrane and unlabelled
 * pixels are 0 and do not count. `foreground` is the probability of cell.
 */
export function isbiSliceScores(foreground: Float32Array, truthCells: ArrayLike<number>, width: number, height: number,
  thresholds: readonly number[] = CHALLENGE_THRESHOLDS): IsbiSliceScores {
  const n = width * height;
  if (foreground.length !== n || truthCells.length !== n) throw new Error('Probability and labels of different sizes.');
  const truth = regions(Uint8Array.from({ length: n }, (_, i) => (truthCells[i] ? 1 : 0)), width, height);
  const cells = new Uint8Array(n);
  const levels = new Uint8Array(n);
  const perThreshold = thresholds.map((threshold) => {
    for (let i = 0; i < n; i++) {
      const cell = (foreground[i] as number) > threshold;
      cells[i] = cell ? 1 : 0;
      levels[i] = cell ? 0 : 255; // Fiji floods the border: cells are the minima
    }
    const basins = watershedTransform(levels, width, height);
    const rand = foregroundRestrictedRandStatistics(truth, basins);
    const unthinned = foregroundRestrictedRandStatistics(truth, regions(cells, width, height));
    return {
      threshold,
      vRand: rand.fScore,
      vRandPrecision: rand.precision,
      vRandRecall: rand.recall,
      vInfo: foregroundRestrictedInformationScore(truth, basins),
      foregroundRestricted: {
        truePositives: unthinned.truePositives,
        trueNegatives: unthinned.trueNegatives,
        falsePositives: unthinned.falsePositives,
        falseNegatives: unthinned.falseNegatives,
      },
    };
  });
  return { perThreshold };
}

export interface BestScore {
  readonly value: number;
  /** The first threshold reaching the value; null when no threshold scores above 0 (Fiji's strict >). */
  readonly threshold: number | null;
}

export interface IsbiStackScores {
  readonly slices: number;
  readonly perThreshold: readonly { readonly threshold: number; readonly vRand: number; readonly vInfo: number; readonly foregroundRestrictedRandFScore: number }[];
  /** getMaximalVRandAfterThinning(0, 1, 0.1, true): the best per-threshold mean over slices. */
  readonly vRand: BestScore;
  /** getMaximalVInfoAfterThinning(0, 1, 0.1). */
  readonly vInfo: BestScore;
  /** 1 - getForegroundRestrictedRandIndexMaximalFScore(0, 1, 0.1): the 2012 leaderboard's Rand error. */
  readonly foregroundRestrictedRandError: BestScore;
}

function best(values: readonly number[], thresholds: readonly number[]): BestScore {
  let value = 0;
  let threshold: number | null = null;
  values.forEach((v, k) => {
    if (v > value) {
      value = v;
      threshold = thresholds[k] as number;
    }
  });
  return { value, threshold };
}

/** The stack's scores from its slices' (each swept over the same thresholds). */
export function isbiStackScores(slices: readonly IsbiSliceScores[]): IsbiStackScores {
  if (slices.length === 0) throw new Error('No slices to score.');
  const first = (slices[0] as IsbiSliceScores).perThreshold;
  const thresholds = first.map((t) => t.threshold);
  const at = (k: number) => slices.map((s) => {
    const row = s.perThreshold[k];
    if (!row || row.threshold !== thresholds[k]) throw new Error('Slices swept over different thresholds.');
    return row;
  });
  const perThreshold = thresholds.map((threshold, k) => {
    const rows = at(k);
    const sum = (f: (r: IsbiThresholdScores) => number) => rows.reduce((s, r) => s + f(r), 0);
    const pooled = classificationStatistics({
      truePositives: sum((r) => r.foregroundRestricted.truePositives),
      trueNegatives: sum((r) => r.foregroundRestricted.trueNegatives),
      falsePositives: sum((r) => r.foregroundRestricted.falsePositives),
      falseNegatives: sum((r) => r.foregroundRestricted.falseNegatives),
    });
    return { threshold, vRand: sum((r) => r.vRand) / rows.length, vInfo: sum((r) => r.vInfo) / rows.length, foregroundRestrictedRandFScore: pooled.fScore };
  });
  const fr = best(perThreshold.map((r) => r.foregroundRestrictedRandFScore), thresholds);
  return {
    slices: slices.length,
    perThreshold,
    vRand: best(perThreshold.map((r) => r.vRand), thresholds),
    vInfo: best(perThreshold.map((r) => r.vInfo), thresholds),
    foregroundRestrictedRandError: { value: 1 - fr.value, threshold: fr.threshold },
  };
}
