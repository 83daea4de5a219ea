import type { TrainingSample } from '../sampling/trainingSample';
import type { Raster, RasterData } from '../sampling/raster';
import type { AugmentationPlan } from './augmentationPlan';
import { addFields, type DisplacementField } from './displacementField';
import { elasticDeform } from './elasticDeform';
import { flipRaster } from './flipRaster';
import { jitterIntensity } from './jitterIntensity';
import { rotate90Raster } from './rotate90Raster';
import { rotationField } from './rotationField';
import { upsampleControlGrid } from './upsampleControlGrid';

/**
 * Applies a drawn plan to an image and its targets: exact flips and quarter
 * turns first, then the small rotation and the elastic field summed into one
 * field so the image is resampled once, then the grey-value change (image only).
 */
export function applyAugmentation(sample: TrainingSample, plan: AugmentationPlan): TrainingSample {
  let current = sample;
  if (plan.flipX) current = mapRasters(current, (r) => flipRaster(r, 'x'));
  if (plan.flipY) current = mapRasters(current, (r) => flipRaster(r, 'y'));
  if (plan.quarterTurns !== 0) current = mapRasters(current, (r) => rotate90Raster(r, plan.quarterTurns));
  const field = combinedField(current.width, current.height, plan);
  if (field !== null) current = elasticDeform(current, field);
  const { brightnessShift, contrastFactor, gamma } = plan.intensity;
  if (brightnessShift !== 0 || contrastFactor !== 1 || gamma !== 1) {
    current = { ...current, image: jitterIntensity(current.image, plan.intensity) };
  }
  return current;
}

function combinedField(width: number, height: number, plan: AugmentationPlan): DisplacementField | null {
  const rotation = plan.rotationDeg !== 0 ? rotationField(width, height, plan.rotationDeg) : null;
  const elastic = plan.elasticGrid !== null ? upsampleControlGrid(plan.elasticGrid, width, height) : null;
  if (rotation !== null && elastic !== null) return addFields(rotation, elastic);
  return rotation ?? elastic;
}

/** Applies one exact geometric operation to image, labels and weights alike. */
function mapRasters(
  sample: TrainingSample,
  op: <T extends RasterData>(raster: Raster<T>) => Raster<T>,
): TrainingSample {
  const { width, height, channels } = sample;
  const image = op({ data: sample.image, width, height, channels });
  const labels = op({ data: sample.labels, width, height, channels: 1 });
  const weights = op({ data: sample.weights, width, height, channels: 1 });
  return { width: image.width, height: image.height, channels, image: image.data, labels: labels.data, weights: weights.data };
}
