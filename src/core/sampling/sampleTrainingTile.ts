import { StudioError, invalidConfig } from '../errors';
import { UNLABELLED } from '../labels/classMap';
import { mulberry32 } from '../random/mulberry32';
import { assertRaster } from './assertRaster';
import { cropMirrored } from './cropMirrored';
import type { TrainingSample } from './trainingSample';

export interface TileSizes {
  /** Side of the square network input, in pixels. */
  readonly inputSizePx: number;
  /** Side of the network output: inputSizePx - 2 * border for a valid U-Net, inputSizePx for same. */
  readonly outputSizePx: number;
}

/**
 * Where the tile goes: an explicit centre, or a seeded uniform draw.
 * The centre is the output pixel at index floor(outputSizePx / 2) on each axis.
 */
export type TilePosition = { readonly centrePx: { readonly x: number; readonly y: number } } | { readonly seed: number };

export interface TrainingTile {
  readonly inputSizePx: number;
  readonly outputSizePx: number;
  readonly channels: number;
  /** inputSizePx^2 * channels values, mirrored past the image border. */
  readonly image: Float32Array;
  /** outputSizePx^2 classes for the output area; UNLABELLED outside the image. */
  readonly labels: Int32Array;
  /** outputSizePx^2 weights for the output area; 0 outside the image. */
  readonly weights: Float32Array;
  /** Image coordinates of the input tile's top-left pixel (may be negative). */
  readonly inputOriginPx: { readonly x: number; readonly y: number };
  /** Image coordinates of the output area's top-left pixel. */
  readonly outputOriginPx: { readonly x: number; readonly y: number };
}

/**
 * Cuts one training tile: the network input with mirrored context and the
 * targets for the (centred) output area. Targets are never mirrored: pixels of
 * the output area outside the image get weight 0, so the loss ignores them.
 */
export function sampleTrainingTile(sample: TrainingSample, sizes: TileSizes, position: TilePosition): TrainingTile {
  const { width, height, channels } = sample;
  assertRaster({ data: sample.image, width, height, channels }, 'image');
  assertRaster({ data: sample.labels, width, height, channels: 1 }, 'label map');
  assertRaster({ data: sample.weights, width, height, channels: 1 }, 'weight map');
  const { inputSizePx, outputSizePx } = sizes;
  if (!Number.isInteger(inputSizePx) || !Number.isInteger(outputSizePx) || outputSizePx < 1 || inputSizePx < outputSizePx) {
    throw invalidConfig(`Tile sizes must be whole pixels with 1 <= output <= input (got input ${inputSizePx}, output ${outputSizePx}).`);
  }
  if ((inputSizePx - outputSizePx) % 2 !== 0) {
    throw new StudioError('invalid-tile-size', `The output (${outputSizePx} px) must sit centred in the input (${inputSizePx} px): their difference must be even.`);
  }
  const borderPx = (inputSizePx - outputSizePx) / 2;
  const origin = outputOrigin(sample, outputSizePx, position);
  const inputOriginPx = { x: origin.x - borderPx, y: origin.y - borderPx };

  const image = cropMirrored({ data: sample.image, width, height, channels }, { ...inputOriginPx, width: inputSizePx, height: inputSizePx }).data;
  const labels = new Int32Array(outputSizePx * outputSizePx).fill(UNLABELLED);
  const weights = new Float32Array(outputSizePx * outputSizePx);
  // Copy only the part of the output area that lies inside the image.
  const x0 = Math.max(0, origin.x);
  const x1 = Math.min(width, origin.x + outputSizePx);
  for (let y = Math.max(0, origin.y); y < Math.min(height, origin.y + outputSizePx); y++) {
    if (x1 <= x0) break;
    const src = y * width;
    const dst = (y - origin.y) * outputSizePx - origin.x;
    labels.set(sample.labels.subarray(src + x0, src + x1), dst + x0);
    weights.set(sample.weights.subarray(src + x0, src + x1), dst + x0);
  }
  return { inputSizePx, outputSizePx, channels, image, labels, weights, inputOriginPx, outputOriginPx: origin };
}

function outputOrigin(sample: TrainingSample, outputSizePx: number, position: TilePosition): { x: number; y: number } {
  const half = Math.floor(outputSizePx / 2);
  if ('centrePx' in position) {
    const { x, y } = position.centrePx;
    if (!Number.isInteger(x) || !Number.isInteger(y)) {
      throw invalidConfig(`A tile centre must be a whole pixel (got ${x}, ${y}).`);
    }
    return { x: x - half, y: y - half };
  }
  if (!Number.isInteger(position.seed)) throw invalidConfig(`A tile seed must be a whole number (got ${position.seed}).`);
  const random = mulberry32(position.seed);
  return { x: uniformOrigin(random, sample.width, outputSizePx), y: uniformOrigin(random, sample.height, outputSizePx) };
}

/**
 * Uniform over the origins that keep the output area inside the image, or,
 * when the output is larger than the image, that keep the image inside the output
 * (then the area outside the image simply carries weight 0).
 */
function uniformOrigin(random: () => number, imageSizePx: number, outputSizePx: number): number {
  const lo = Math.min(0, imageSizePx - outputSizePx);
  const hi = Math.max(0, imageSizePx - outputSizePx);
  return lo + Math.floor(random() * (hi - lo + 1));
}
