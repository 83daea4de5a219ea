/**
 * Empty fields: what a starter calls foreground where there is nothing. A user's field of view with no
 * nucleus in it is an image of its own, normalised on its own (its percentiles, the starter's stretch
 * limit), so it is measured that way: squares of a held-out image with no object within a margin,
 * each cut out of the raw pixels and predicted as a whole image by the studio's code.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Normalisation } from '../../src/core/image/normaliseImage';
import { normaliseImage } from '../../src/core/image/normaliseImage';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import type { StarterImage } from './starterData';
import { predictImage } from './starterScores';

/** Side of an empty field, px; no object within MARGIN_PX of it. */
export const EMPTY_FIELD_PX = 96;
const MARGIN_PX = 8;

/** Top-left corners of up to `count` non-overlapping squares free of class 1 (with the margin), in raster order. */
export function emptySquares(classes: Int32Array, width: number, height: number, side = EMPTY_FIELD_PX, count = 2): { x: number; y: number }[] {
  // Summed-area table of foreground pixels: any square's count in O(1).
  const sum = new Int32Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      sum[(y + 1) * (width + 1) + x + 1] = (classes[y * width + x] === 1 ? 1 : 0) + (sum[y * (width + 1) + x + 1] as number) + (sum[(y + 1) * (width + 1) + x] as number) - (sum[y * (width + 1) + x] as number);
    }
  }
  const foregroundIn = (x0: number, y0: number, x1: number, y1: number) => {
    const [a, b, c, d] = [Math.max(0, x0), Math.max(0, y0), Math.min(width, x1), Math.min(height, y1)];
    return (sum[d * (width + 1) + c] as number) - (sum[b * (width + 1) + c] as number) - (sum[d * (width + 1) + a] as number) + (sum[b * (width + 1) + a] as number);
  };
  const found: { x: number; y: number }[] = [];
  for (let y = 0; y + side <= height && found.length < count; y += 8) {
    for (let x = 0; x + side <= width && found.length < count; x += 8) {
      if (found.some((f) => Math.abs(f.x - x) < side && Math.abs(f.y - y) < side)) continue;
      if (foregroundIn(x - MARGIN_PX, y - MARGIN_PX, x + side + MARGIN_PX, y + side + MARGIN_PX) === 0) found.push({ x, y });
    }
  }
  return found;
}

export interface EmptyFieldScores {
  readonly fields: number;
  readonly sidePx: number;
  /** Mean over the fields of the share of pixels predicted foreground (argmax). */
  readonly meanForeground: number;
  readonly maxForeground: number;
  /** Fields with more than 5 % of their pixels called foreground. */
  readonly fieldsOver5Percent: number;
}

/** Each empty square of each image, cut from the raw pixels, normalised on its own and predicted whole. */
export async function emptyFieldScores(model: tf.LayersModel, config: UNetConfig, images: readonly StarterImage[], normalisation: Normalisation): Promise<EmptyFieldScores> {
  const shares: number[] = [];
  for (const image of images) {
    for (const { x, y } of emptySquares(image.labels.classes, image.width, image.height)) {
      const side = EMPTY_FIELD_PX;
      const raw = new (image.raw.constructor as Uint8ArrayConstructor)(side * side * image.channels);
      for (let row = 0; row < side; row++) {
        raw.set(image.raw.subarray(((y + row) * image.width + x) * image.channels, ((y + row) * image.width + x + side) * image.channels), row * side * image.channels);
      }
      const field: StarterImage = {
        id: `${image.id}@${x},${y}`, width: side, height: side, channels: image.channels, raw,
        image: normaliseImage(raw, image.channels, normalisation),
        labels: { ...image.labels, classes: new Int32Array(side * side), instances: null },
      };
      const predicted = await predictImage(model, config, field);
      shares.push(predicted.classes.reduce((n, c) => n + (c === 1 ? 1 : 0), 0) / (side * side));
    }
  }
  return {
    fields: shares.length, sidePx: EMPTY_FIELD_PX,
    meanForeground: shares.reduce((a, b) => a + b, 0) / Math.max(shares.length, 1),
    maxForeground: Math.max(0, ...shares),
    fieldsOver5Percent: shares.filter((s) => s > 0.05).length,
  };
}
