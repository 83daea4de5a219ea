import type { AugmentationParams } from '../augment/augmentationParams';
import { DEFAULT_AUGMENTATION } from '../augment/augmentationParams';
import type { UNetConfig } from '../model/unetConfig';
import { FAST_UNET, PAPER_UNET } from '../model/unetConfig';
import type { TargetParams } from '../weights/buildTrainingTargets';
import { PAPER_WEIGHT_MAP } from '../weights/computeWeightMap';
import type { OptimizerSpec } from './optimizerSpec';
import { FAST_OPTIMIZER, PAPER_OPTIMIZER } from './optimizerSpec';

/** Everything a training run needs besides data and weights. Plain data: it travels to the worker and into metadata. */
export interface TrainingSettings {
  readonly preset: 'paper' | 'fast' | 'tiny' | 'custom';
  readonly unet: UNetConfig;
  readonly optimizer: OptimizerSpec;
  readonly steps: number;
  /** Tiles per step (the paper: 1, a large tile). */
  readonly batchSize: number;
  /** null: no augmentation. */
  readonly augmentation: AugmentationParams | null;
  readonly targets: TargetParams;
  /** Share of the labelled data held out for validation. */
  readonly validationFraction: number;
  /** Slices the user chose to hold out for validation (ids); absent or empty: the last `validationFraction` of the labelled ones. */
  readonly validationSliceIds?: readonly string[];
  readonly validateEverySteps: number;
  readonly seed: number;
  /**
   * Keep an exponential moving average of the weights (core/train/weightAverage.ts) and make it the
   * run's model: validated, kept as the best, and the result. Absent: the last (or best validated) weights as trained.
   */
  readonly weightAverage?: { readonly decay: number };
}

const PAPER_TARGETS: TargetParams = { ...PAPER_WEIGHT_MAP, separateTouching: true, connectivity: 4 };

/** The paper's recipe: valid U-Net with 64 base channels, SGD momentum 0.99, one 572 px tile, weight maps, elastic warps. */
export const PAPER_TRAINING: TrainingSettings = {
  preset: 'paper',
  unet: PAPER_UNET,
  optimizer: PAPER_OPTIMIZER,
  steps: 2000,
  batchSize: 1,
  augmentation: DEFAULT_AUGMENTATION,
  targets: PAPER_TARGETS,
  validationFraction: 0.2,
  validateEverySteps: 50,
  seed: 1,
};

/**
 * The weight average the Adam presets keep: a horizon of ~100 steps. On the PyTorch reference (2 seeds each) it held
 * nuclei object F1 (tiny) at 0.78-0.80 on average over steps 600-1500 where the weights as trained swung around
 * 0.70-0.76 (down to 0.24), and EM V_Rand (fast, 128 px tiles) at 0.895-0.916 over steps 600-1200 against
 * 0.851-0.908 (down to 0.706): bench/results/recipes/README.md.
 */
export const WEIGHT_AVERAGE = { decay: 0.99 } as const;

/** Quick iteration: same-padded U-Net with 16 base channels and batch norm, Adam, smaller tiles. */
export const FAST_TRAINING: TrainingSettings = {
  preset: 'fast',
  unet: FAST_UNET,
  optimizer: FAST_OPTIMIZER,
  steps: 500,
  batchSize: 2,
  augmentation: DEFAULT_AUGMENTATION,
  targets: PAPER_TARGETS,
  validationFraction: 0.2,
  validateEverySteps: 25,
  seed: 1,
  weightAverage: WEIGHT_AVERAGE,
};
