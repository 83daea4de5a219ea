import { describe, expect, it } from 'vitest';
import type { ImageStack } from '../image/imageStack';
import { checkLabelStack } from './checkLabelStack';

const stack = (width: number, height: number, slices: number, channels = 1, data?: Float32Array): ImageStack => ({
  width, height, slices, channels, dtype: data ? 'float32' : 'uint8', data: data ?? new Uint8Array(width * height * slices * channels),
});

describe('checkLabelStack', () => {
  it('accepts labels of the image\'s size and slice count', () => {
    expect(() => checkLabelStack(stack(4, 3, 2), 'a.tif', stack(4, 3, 2), 'a_mask.tif')).not.toThrow();
  });

  it('names both files and the sizes when they differ', () => {
    expect(() => checkLabelStack(stack(512, 512, 20), 'train-volume.tif', stack(512, 512, 19), 'train-labels.tif'))
      .toThrow('train-labels.tif (512x512 px, 19 slices) does not match its image train-volume.tif (512x512 px, 20 slices)');
    expect(() => checkLabelStack(stack(4, 3, 1), 'x.png', stack(3, 4, 1), 'x_mask.png')).toThrow(/x_mask\.png \(3x4 px, 1 slice\)/);
  });

  it('rejects colour or fractional label files', () => {
    expect(() => checkLabelStack(stack(2, 2, 1), 'x.png', stack(2, 2, 1, 3), 'x_mask.png')).toThrow(/3 channels; label files must be single-channel/);
    expect(() => checkLabelStack(stack(2, 1, 1), 'x.tif', stack(2, 1, 1, 1, Float32Array.of(0, 0.5)), 'x_mask.tif')).toThrow(/fractional values \(e\.g\. 0\.5\)/);
  });
});
