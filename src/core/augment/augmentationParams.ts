import { invalidConfig } from '../errors';
import { assertElasticParams, PAPER_ELASTIC, type ElasticParams } from './elasticParams';

/** What `randomAugmentation` may do; each part off when its flag is false or its amount 0. */
export interface AugmentationParams {
  /** Random left-right and up-down flips. */
  readonly flips: boolean;
  /** Random quarter turns (0, 90, 180 or 270 degrees). */
  readonly quarterTurns: boolean;
  /** Extra rotation drawn uniformly from [-max, max] degrees. */
  readonly maxRotationDeg: number;
  /** The paper's elastic deformation, or null for none. */
  readonly elastic: ElasticParams | null;
  /** Brightness shift drawn from [-max, max], a fraction of the value range. */
  readonly maxBrightnessShift: number;
  /** Contrast factor drawn from [1 - max, 1 + max]. */
  readonly maxContrastChange: number;
  /** Gamma drawn log-uniformly from [1 / (1 + max), 1 + max]. */
  readonly maxGammaChange: number;
}

/**
 * The studio's defaults. The elastic numbers are the paper's (3x3 grid, sigma
 * 10 px); the paper gives no numbers for the rotation and grey-value changes, so
 * those are modest choices of ours.
 */
export const DEFAULT_AUGMENTATION: AugmentationParams = {
  flips: true,
  quarterTurns: true,
  maxRotationDeg: 10,
  elastic: PAPER_ELASTIC,
  maxBrightnessShift: 0.1,
  maxContrastChange: 0.2,
  maxGammaChange: 0.2,
};

export function assertAugmentationParams(params: AugmentationParams): void {
  if (params.elastic !== null) assertElasticParams(params.elastic);
  const amounts = [
    ['maximum rotation', params.maxRotationDeg],
    ['maximum brightness shift', params.maxBrightnessShift],
    ['maximum gamma change', params.maxGammaChange],
  ] as const;
  for (const [name, value] of amounts) {
    if (!Number.isFinite(value) || value < 0) throw invalidConfig(`The ${name} must be a finite number >= 0 (got ${value}).`);
  }
  if (params.maxContrastChange < 0 || params.maxContrastChange > 1 || !Number.isFinite(params.maxContrastChange)) {
    throw invalidConfig(`The maximum contrast change must lie in [0, 1] (got ${params.maxContrastChange}).`);
  }
}
