import type { AugmentationParams } from '../augment/augmentationParams';
import { applyAugmentation } from '../augment/applyAugmentation';
import { randomAugmentation } from '../augment/randomAugmentation';
import { StudioError } from '../errors';
import type { TileSizes, TrainingTile } from '../sampling/sampleTrainingTile';
import { sampleTrainingTile } from '../sampling/sampleTrainingTile';
import type { TrainingSample } from '../sampling/trainingSample';

/**
 * Draws training tiles the way the paper trains: one large tile at a time, augmented. Tiles are
 * centred on a random labelled pixel (so sparse strokes are seen, not empty background), in a
 * slice chosen in proportion to its labelled pixels. Augmentation warps a patch larger than the
 * tile by `marginPx` per side, so rotations and elastic displacements pull in real context, then
 * the tile and its target are cut from the patch centre.
 */
export class TileDrawer {
  private readonly labelledPixels: Int32Array[];
  private readonly cumulative: Float64Array;

  constructor(private readonly samples: readonly TrainingSample[], private readonly sizes: TileSizes, private readonly augmentation: AugmentationParams | null) {
    this.labelledPixels = samples.map((s) => {
      const indices: number[] = [];
      for (let i = 0; i < s.weights.length; i++) if ((s.weights[i] as number) > 0) indices.push(i);
      return Int32Array.from(indices);
    });
    this.cumulative = new Float64Array(samples.length);
    let total = 0;
    this.labelledPixels.forEach((pixels, i) => { total += pixels.length; this.cumulative[i] = total; });
    if (total === 0) throw new StudioError('invalid-labels', 'No labelled pixels are left to train on: all of them lie where the model is checked (the last labelled slices, or the bottom band of a single labelled slice). Label another slice, or paint higher up on this one, then start again.');
  }

  /** Margin that covers the largest displacement the augmentation can make at the patch corners. */
  marginPx(): number {
    if (!this.augmentation) return 0;
    const halfDiagonal = (this.sizes.inputSizePx / 2) * Math.SQRT2;
    const rotation = halfDiagonal * 2 * Math.sin(((this.augmentation.maxRotationDeg / 2) * Math.PI) / 180);
    const elastic = this.augmentation.elastic ? 4 * this.augmentation.elastic.sigmaPx : 0;
    return Math.ceil(rotation + elastic);
  }

  draw(random: () => number, augmentationSeed: number): TrainingTile {
    const total = this.cumulative[this.cumulative.length - 1] as number;
    const pick = random() * total;
    let index = 0;
    while ((this.cumulative[index] as number) <= pick) index++;
    const sample = this.samples[index] as TrainingSample;
    const pixels = this.labelledPixels[index] as Int32Array;
    const centre = pixels[Math.floor(random() * pixels.length)] as number;
    const centrePx = { x: centre % sample.width, y: Math.floor(centre / sample.width) };
    if (!this.augmentation) return sampleTrainingTile(sample, this.sizes, { centrePx });

    const margin = this.marginPx();
    const patchPx = this.sizes.inputSizePx + 2 * margin;
    const patch = sampleTrainingTile(sample, { inputSizePx: patchPx, outputSizePx: patchPx }, { centrePx });
    const warped = applyAugmentation(
      { width: patchPx, height: patchPx, channels: sample.channels, image: patch.image, labels: patch.labels, weights: patch.weights },
      randomAugmentation(this.augmentation, augmentationSeed),
    );
    return cutCentre(warped, this.sizes, margin, patch.inputOriginPx);
  }
}

function cutCentre(patch: TrainingSample, sizes: TileSizes, marginPx: number, patchOrigin: { x: number; y: number }): TrainingTile {
  const { inputSizePx, outputSizePx } = sizes;
  const border = (inputSizePx - outputSizePx) / 2;
  const { channels } = patch;
  const image = new Float32Array(inputSizePx * inputSizePx * channels);
  for (let y = 0; y < inputSizePx; y++) {
    const src = ((y + marginPx) * patch.width + marginPx) * channels;
    image.set(patch.image.subarray(src, src + inputSizePx * channels), y * inputSizePx * channels);
  }
  const labels = new Int32Array(outputSizePx * outputSizePx);
  const weights = new Float32Array(outputSizePx * outputSizePx);
  for (let y = 0; y < outputSizePx; y++) {
    const src = (y + marginPx + border) * patch.width + marginPx + border;
    labels.set(patch.labels.subarray(src, src + outputSizePx), y * outputSizePx);
    weights.set(patch.weights.subarray(src, src + outputSizePx), y * outputSizePx);
  }
  const inputOriginPx = { x: patchOrigin.x + marginPx, y: patchOrigin.y + marginPx };
  return { inputSizePx, outputSizePx, channels, image, labels, weights, inputOriginPx, outputOriginPx: { x: inputOriginPx.x + border, y: inputOriginPx.y + border } };
}
