import { UNLABELLED } from '../labels/classMap';
import { assertRaster } from '../sampling/assertRaster';
import type { TrainingSample } from '../sampling/trainingSample';
import type { DisplacementField } from './displacementField';
import { warpImage } from './warpImage';
import { warpLabels } from './warpLabels';
import { warpWeights } from './warpWeights';

/**
 * Warps an image and its targets with one field, consistently: the image by
 * cubic spline, the labels by nearest neighbour, the weights bilinearly (all
 * mirror at the borders). Where the warped label is UNLABELLED the weight is set
 * to 0, so a blended weight never makes an unannotated pixel count in the loss.
 */
export function elasticDeform(sample: TrainingSample, field: DisplacementField): TrainingSample {
  const { width, height, channels } = sample;
  assertRaster({ data: sample.image, width, height, channels }, 'image');
  const image = warpImage({ data: sample.image, width, height, channels }, field).data;
  const labels = warpLabels(sample.labels, width, height, field);
  const weights = warpWeights(sample.weights, width, height, field);
  for (let i = 0; i < labels.length; i++) if (labels[i] === UNLABELLED) weights[i] = 0;
  return { width, height, channels, image, labels, weights };
}
