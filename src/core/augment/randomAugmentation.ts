import { mulberry32 } from '../random/mulberry32';
import { assertAugmentationParams, type AugmentationParams } from './augmentationParams';
import type { AugmentationPlan } from './augmentationPlan';
import { randomControlGrid } from './controlGrid';

/**
 * Draws an augmentation from a seed. The same seed gives the same plan on any
 * host. The seven scalar draws always happen in the same order, so switching
 * one part off does not change what the others draw. The plan holds no image
 * size: the elastic grid is upsampled to whatever size it is applied to.
 */
export function randomAugmentation(params: AugmentationParams, seed: number): AugmentationPlan {
  assertAugmentationParams(params);
  const uniform = mulberry32(seed);
  const symmetric = (max: number) => {
    const draw = uniform(); // always drawn, so the sequence does not depend on the params
    return max === 0 ? 0 : (2 * draw - 1) * max;
  };
  const flipX = uniform() < 0.5;
  const flipY = uniform() < 0.5;
  const turns = Math.min(3, Math.floor(uniform() * 4)) as 0 | 1 | 2 | 3;
  const rotationDeg = symmetric(params.maxRotationDeg);
  const brightnessShift = symmetric(params.maxBrightnessShift);
  const contrastFactor = 1 + symmetric(params.maxContrastChange);
  const gamma = Math.exp(symmetric(Math.log1p(params.maxGammaChange)));
  return {
    seed,
    flipX: params.flips && flipX,
    flipY: params.flips && flipY,
    quarterTurns: params.quarterTurns ? turns : 0,
    rotationDeg,
    elasticGrid: params.elastic === null ? null : randomControlGrid(params.elastic, uniform),
    intensity: { brightnessShift, contrastFactor, gamma },
  };
}
