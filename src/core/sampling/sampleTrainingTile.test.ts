import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { UNLABELLED } from '../labels/classMap';
import { mirrorIndex } from './mirrorIndex';
import { sampleTrainingTile, type TrainingTile } from './sampleTrainingTile';
import type { TrainingSample } from './trainingSample';

/**
 * An image whose two channels are its own pixel coordinates (x, y), with labels
 * holding the pixel id y * width + x: any misalignment between input and target shows.
 */
function coordinateSample(width: number, height: number): TrainingSample {
  const image = new Float32Array(width * height * 2);
  const labels = new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      image[(y * width + x) * 2] = x;
      image[(y * width + x) * 2 + 1] = y;
      labels[y * width + x] = y * width + x;
    }
  }
  return { width, height, channels: 2, image, labels, weights: new Float32Array(width * height).fill(1) };
}

/** Checks that every target pixel inside the image is the image pixel under the centre of the input tile. */
function expectAligned(tile: TrainingTile, sample: TrainingSample): void {
  const border = (tile.inputSizePx - tile.outputSizePx) / 2;
  for (let j = 0; j < tile.outputSizePx; j++) {
    for (let i = 0; i < tile.outputSizePx; i++) {
      const q = ((j + border) * tile.inputSizePx + i + border) * 2;
      const [x, y] = [tile.image[q]!, tile.image[q + 1]!];
      const imageX = tile.outputOriginPx.x + i;
      const imageY = tile.outputOriginPx.y + j;
      const inside = imageX >= 0 && imageX < sample.width && imageY >= 0 && imageY < sample.height;
      const target = tile.labels[j * tile.outputSizePx + i];
      if (inside) {
        expect([x, y]).toEqual([imageX, imageY]);
        expect(target).toBe(y * sample.width + x);
        expect(tile.weights[j * tile.outputSizePx + i]).toBe(1);
      } else {
        expect(target).toBe(UNLABELLED);
        expect(tile.weights[j * tile.outputSizePx + i]).toBe(0);
      }
    }
  }
}

describe('training tile sampler', () => {
  const sample = coordinateSample(50, 40);

  it('centres the target crop in the input tile (valid network: 60 -> 20, border 20)', () => {
    const tile = sampleTrainingTile(sample, { inputSizePx: 60, outputSizePx: 20 }, { centrePx: { x: 25, y: 18 } });
    expect(tile.outputOriginPx).toEqual({ x: 15, y: 8 });
    expect(tile.inputOriginPx).toEqual({ x: -5, y: -12 });
    expect(tile.labels[10 * 20 + 10]).toBe(18 * 50 + 25); // the centre pixel is the requested one
    expectAligned(tile, sample);
  });

  it('same network: input and target cover the same pixels', () => {
    const tile = sampleTrainingTile(sample, { inputSizePx: 16, outputSizePx: 16 }, { centrePx: { x: 30, y: 30 } });
    expectAligned(tile, sample);
    expect(tile.labels.every((k) => k >= 0)).toBe(true);
  });

  it('mirrors the context past the border and gives target pixels outside the image weight 0', () => {
    const tile = sampleTrainingTile(sample, { inputSizePx: 44, outputSizePx: 24 }, { centrePx: { x: 0, y: 39 } });
    expectAligned(tile, sample);
    for (let j = 0; j < 44; j++) {
      for (let i = 0; i < 44; i++) {
        const q = (j * 44 + i) * 2;
        expect(tile.image[q]).toBe(mirrorIndex(tile.inputOriginPx.x + i, 50));
        expect(tile.image[q + 1]).toBe(mirrorIndex(tile.inputOriginPx.y + j, 40));
      }
    }
    const labelled = tile.weights.filter((w) => w > 0).length;
    expect(labelled).toBe(12 * 13); // x in [0, 12), y in [27, 40)
  });

  it('handles tiles much larger than the image by repeated mirroring', () => {
    const tiny = coordinateSample(5, 3);
    const tile = sampleTrainingTile(tiny, { inputSizePx: 92, outputSizePx: 12 }, { seed: 4 });
    expectAligned(tile, tiny);
    expect(tile.weights.filter((w) => w > 0).length).toBe(15); // the whole image lies in the output
    const row = Array.from({ length: 12 }, (_, i) => tile.image[i * 2]);
    expect(row).toEqual(Array.from({ length: 12 }, (_, i) => mirrorIndex(tile.inputOriginPx.x + i, 5)));
  });

  it('draws seeded random positions: reproducible, inside the image, reaching both ends', () => {
    const sizes = { inputSizePx: 30, outputSizePx: 10 };
    expect(sampleTrainingTile(sample, sizes, { seed: 3 })).toEqual(sampleTrainingTile(sample, sizes, { seed: 3 }));
    const xs = new Set<number>();
    for (let seed = 0; seed < 2000; seed++) {
      const { outputOriginPx: o } = sampleTrainingTile(sample, sizes, { seed });
      expect(o.x).toBeGreaterThanOrEqual(0);
      expect(o.x).toBeLessThanOrEqual(40);
      expect(o.y).toBeGreaterThanOrEqual(0);
      expect(o.y).toBeLessThanOrEqual(30);
      xs.add(o.x);
    }
    expect(xs.size).toBe(41);
  });

  it('rejects bad sizes, positions and arrays with StudioErrors that say what is wrong', () => {
    const at = { centrePx: { x: 5, y: 5 } };
    expect(() => sampleTrainingTile(sample, { inputSizePx: 31, outputSizePx: 10 }, at)).toThrow(/difference must be even/);
    expect(() => sampleTrainingTile(sample, { inputSizePx: 10, outputSizePx: 20 }, at)).toThrow(/1 <= output <= input/);
    expect(() => sampleTrainingTile(sample, { inputSizePx: 30, outputSizePx: 10 }, { centrePx: { x: 1.5, y: 2 } })).toThrow(/whole pixel/);
    expect(() => sampleTrainingTile({ ...sample, labels: new Int32Array(5) }, { inputSizePx: 30, outputSizePx: 10 }, at)).toThrow(/label map has 5 values/);
    try {
      sampleTrainingTile(sample, { inputSizePx: 31, outputSizePx: 10 }, at);
    } catch (e) {
      expect(e).toBeInstanceOf(StudioError);
      expect((e as StudioError).code).toBe('invalid-tile-size');
    }
  });
});
