import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { mulberry32 } from '../random/mulberry32';
import { cropMirrored } from '../sampling/cropMirrored';
import { zeroField } from './displacementField';
import { elasticDeform } from './elasticDeform';
import { warpImage } from './warpImage';
import { warpLabels } from './warpLabels';
import { warpWeights } from './warpWeights';

function noiseSample(width: number, height: number, channels: number, seed: number) {
  const random = mulberry32(seed);
  return {
    width, height, channels,
    image: Float32Array.from({ length: width * height * channels }, () => random()),
    labels: Int32Array.from({ length: width * height }, () => Math.floor(random() * 4) - 1),
    weights: Float32Array.from({ length: width * height }, () => random() * 10),
  };
}

function constantField(width: number, height: number, dxPx: number, dyPx: number) {
  return { width, height, dxPx: new Float32Array(width * height).fill(dxPx), dyPx: new Float32Array(width * height).fill(dyPx) };
}

describe('warps', () => {
  it.each([[17, 11, 1], [8, 13, 3], [1, 6, 1], [5, 1, 2], [1, 1, 1]])('a zero field is the identity (%ix%i, %i channels)', (w, h, c) => {
    const sample = noiseSample(w, h, c, 5);
    const out = elasticDeform(sample, zeroField(w, h));
    sample.image.forEach((v, i) => expect(Math.abs(out.image[i]! - v)).toBeLessThan(1e-6));
    expect(Array.from(out.labels)).toEqual(Array.from(sample.labels));
    // Weights are only masked where the label is UNLABELLED.
    sample.weights.forEach((v, i) => expect(out.weights[i]).toBe(sample.labels[i] === -1 ? 0 : v));
  });

  it('a whole-pixel shift equals the mirrored crop used for tiles, however far it goes', () => {
    const { width, height, channels, image, labels, weights } = noiseSample(9, 7, 2, 11);
    for (const [dx, dy] of [[3, -2], [-20, 31], [57, 0]] as const) {
      const field = constantField(width, height, dx, dy);
      const window = { x: dx, y: dy, width, height };
      const expectedImage = cropMirrored({ data: image, width, height, channels }, window).data;
      warpImage({ data: image, width, height, channels }, field).data.forEach((v, i) => expect(Math.abs(v - expectedImage[i]!)).toBeLessThan(1e-6));
      expect(Array.from(warpLabels(labels, width, height, field))).toEqual(Array.from(cropMirrored({ data: labels, width, height, channels: 1 }, window).data));
      expect(Array.from(warpWeights(weights, width, height, field))).toEqual(Array.from(cropMirrored({ data: weights, width, height, channels: 1 }, window).data));
    }
  });

  it('labels take only values present in the input; weights stay within the input range', () => {
    const sample = noiseSample(20, 20, 1, 9);
    const random = mulberry32(2);
    const field = { width: 20, height: 20, dxPx: Float32Array.from({ length: 400 }, () => 40 * random() - 20), dyPx: Float32Array.from({ length: 400 }, () => 40 * random() - 20) };
    const out = elasticDeform(sample, field);
    const classes = new Set(sample.labels);
    expect(out.labels.every((k) => classes.has(k))).toBe(true);
    expect(Math.min(...out.weights)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out.weights)).toBeLessThanOrEqual(Math.max(...sample.weights));
    out.labels.forEach((k, i) => { if (k === -1) expect(out.weights[i]).toBe(0); });
  });

  it('rejects fields and arrays of the wrong size with StudioErrors that say so', () => {
    const sample = noiseSample(6, 4, 1, 1);
    expect(() => elasticDeform(sample, zeroField(4, 6))).toThrow(/displacement field \(4x6 px\) does not match the image \(6x4 px\)/);
    expect(() => warpImage({ data: new Float32Array(10), width: 6, height: 4, channels: 1 }, zeroField(6, 4))).toThrow(/image has 10 values, but 6x4 px/);
    expect(() => warpLabels(new Int32Array(23), 6, 4, zeroField(6, 4))).toThrow(StudioError);
    expect(() => warpWeights(sample.weights, 6, 4, { ...zeroField(6, 4), dyPx: new Float32Array(3) })).toThrow(/needs 24 vectors/);
    expect(() => warpImage({ data: sample.image, width: 6, height: 4, channels: 0 }, zeroField(6, 4))).toThrow(/channels must be a whole number/);
    try {
      elasticDeform(sample, zeroField(4, 6));
    } catch (e) {
      expect((e as StudioError).code).toBe('size-mismatch');
    }
  });
});
