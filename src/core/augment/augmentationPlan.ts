import type { ControlGrid } from './controlGrid';
import type { IntensityChange } from './jitterIntensity';

/**
 * One drawn augmentation: everything `applyAugmentation` will do, as plain
 * data the preview can show. Applied in this order: flips, quarter turns, one
 * resampling for rotation plus elastic field, grey values.
 */
export interface AugmentationPlan {
  readonly seed: number;
  readonly flipX: boolean;
  readonly flipY: boolean;
  /** Counter-clockwise quarter turns as displayed. */
  readonly quarterTurns: 0 | 1 | 2 | 3;
  /** Counter-clockwise as displayed, about the image centre. */
  readonly rotationDeg: number;
  /** Elastic control vectors, upsampled to the image size when applied; null for none. */
  readonly elasticGrid: ControlGrid | null;
  readonly intensity: IntensityChange;
}
