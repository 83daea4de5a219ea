import { segmentationScores } from '../../../core/metrics/segmentationScores';
import { thinnedScores } from '../../../core/metrics/thinnedScores';

/** The scores that sweep the challenge's 10 thresholds themselves: independent of the display threshold. */
export interface SweepScores {
  readonly pixelError: number;
  readonly randError: number;
  /** The EM leaderboard's V_Rand and V_Info: borders thinned to 1 px first (1 at best). */
  readonly vRand: number;
  readonly vInfo: number;
}

/** A row's sweep scores while they are computed or after they failed: shown as "…" or "–". */
export const NO_SWEEP_SCORES: SweepScores = { pixelError: Number.NaN, randError: Number.NaN, vRand: Number.NaN, vInfo: Number.NaN };

export interface SweepInput {
  readonly foreground: Float32Array;
  readonly classes: Int32Array;
  readonly width: number;
  readonly height: number;
}

/** ~0.5 s for a 512 px slice: run it off the main thread (scoreWorker.ts). */
export function computeSweepScores({ foreground, classes, width, height }: SweepInput): SweepScores {
  const em = segmentationScores(foreground, classes, width, height);
  const thinned = thinnedScores(foreground, classes, width, height);
  return { pixelError: em.pixelError, randError: em.randError, vRand: thinned.vRand, vInfo: thinned.vInfo };
}
