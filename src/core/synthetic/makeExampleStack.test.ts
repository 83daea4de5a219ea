import { describe, expect, it } from 'vitest';
import { connectedComponents } from '../labels/connectedComponents';
import { makeExampleStack } from './makeExampleStack';

describe('makeExampleStack', () => {
  const options = { sizePx: 128, slices: 3, cellsPerSlice: 20, seed: 7 };
  const { image, labels } = makeExampleStack(options);
  const n = 128 * 128;

  it('gives an ISBI-like stack: 8-bit grey slices and 0/255 labels of the same size', () => {
    expect(image).toMatchObject({ width: 128, height: 128, slices: 3, channels: 1, dtype: 'uint8' });
    expect(labels).toMatchObject({ width: 128, height: 128, slices: 3, channels: 1, dtype: 'uint8' });
    expect(new Set(labels.data)).toEqual(new Set([0, 255]));
  });

  it('has mostly cell pixels, darker membranes, and cells separated by membranes', () => {
    for (let z = 0; z < 3; z++) {
      const slice = labels.data.subarray(z * n, (z + 1) * n);
      const cellFraction = slice.filter((v) => v === 255).length / n;
      expect(cellFraction).toBeGreaterThan(0.6);
      expect(cellFraction).toBeLessThan(0.95);
      let cellSum = 0;
      let membraneSum = 0;
      for (let i = 0; i < n; i++) {
        if (slice[i] === 255) cellSum += image.data[z * n + i]!;
        else membraneSum += image.data[z * n + i]!;
      }
      expect(cellSum / (cellFraction * n)).toBeGreaterThan(membraneSum / ((1 - cellFraction) * n) + 50);
      const cells = connectedComponents(Uint8Array.from(slice, (v) => (v === 255 ? 1 : 0)), 128, 128, 4).count;
      expect(cells).toBeGreaterThanOrEqual(15); // about one per Voronoi centre
    }
  });

  it('is the same for the same seed and differs across slices', () => {
    expect(Array.from(makeExampleStack(options).image.data)).toEqual(Array.from(image.data));
    expect(Array.from(labels.data.subarray(0, n))).not.toEqual(Array.from(labels.data.subarray(n, 2 * n)));
  });
});
