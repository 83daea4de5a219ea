import type { IsbiSliceScores } from '../../../core/metrics/isbiScores';
import { isbiSliceScores, isbiStackScores } from '../../../core/metrics/isbiScores';
import { segmentationScores } from '../../../core/metrics/segmentationScores';
import type { SweepPoint } from '../../../store/slices/predictionSlice';

/** The scores that sweep the challenge's 11 thresholds themselves: independent of the display threshold. */
export interface SweepScores {
  /** 1 - the best pixel F-score. */
  readonly pixelError: number;
  /** skimage's adapted Rand error at its best threshold (not the challenge's foreground-restricted one). */
  readonly adaptedRandError: number;
  /** The ISBI 2012 leaderboard's V_Rand and V_Info as Fiji computes them, the slice alone at its best threshold (1 at best). */
  readonly vRand: number;
  readonly vInfo: number;
  /** Every threshold's ISBI scores, for the stack line (one threshold for all slices); null when scoring failed. */
  readonly isbi: IsbiSliceScores | null;
  /** The sweep the best values above come from, threshold by threshold (the sweep chart); empty when scoring failed. */
  readonly perThreshold: readonly SweepPoint[];
}

/** A row's sweep scores while they are computed or after they failed: shown as "…" or "–". */
export const NO_SWEEP_SCORES: SweepScores = { pixelError: Number.NaN, adaptedRandError: Number.NaN, vRand: Number.NaN, vInfo: Number.NaN, isbi: null, perThreshold: [] };

export interface SweepInput {
  readonly foreground: Float32Array;
  readonly classes: Int32Array;
  readonly width: number;
  readonly height: number;
}

/** ~0.9 s for a 512 px slice here (11 thresholds, each a watershed and two labellings): run it off the main thread (scoreWorker.ts). */
export function computeSweepScores({ foreground, classes, width, height }: SweepInput): SweepScores {
  const skimage = segmentationScores(foreground, classes, width, height);
  // True cells are class 1; membrane and unlabelled pixels are not counted, as the challenge's membrane.
  const isbi = isbiSliceScores(foreground, Uint8Array.from(classes, (k) => (k === 1 ? 1 : 0)), width, height);
  const alone = isbiStackScores([isbi]);
  const perThreshold = skimage.perThreshold.map((row, k) => ({
    threshold: row.threshold,
    pixelError: 1 - row.pixelFScore,
    adaptedRandError: row.adaptedRandError,
    vRand: isbi.perThreshold[k]?.vRand ?? Number.NaN,
  }));
  return { pixelError: skimage.pixelError, adaptedRandError: skimage.adaptedRandError, vRand: alone.vRand.value, vInfo: alone.vInfo.value, isbi, perThreshold };
}
