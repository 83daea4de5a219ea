import { describe, expect, it } from 'vitest';
import { UNLABELLED } from '../../core/labels/classMap';
import type { SliceRecord } from '../data/sliceRegistry';
import type { SlicePrediction } from '../predict/predictionRegistry';
import { describeHover } from './describeHover';
import { quantiseProbabilities } from '../../core/predict/quantiseProbabilities';

const slice = (over: Partial<SliceRecord> = {}): SliceRecord => ({
  id: 's', name: 's', width: 3, height: 2, channels: 1, dtype: 'uint16',
  pixels: new Uint16Array([0, 1, 2, 300, 40000, 5]), classes: new Int32Array([UNLABELLED, 0, 1, 1, 0, UNLABELLED]), ...over,
});

describe('describeHover', () => {
  it('names the pixel, its value and its label; null off the image', () => {
    expect(describeHover(slice(), null, ['membrane', 'cell'], 0.5, 1.7, 1.2)).toEqual({ x: 1, y: 1, value: '40000', label: 'membrane', prediction: '—' });
    expect(describeHover(slice(), null, ['membrane', 'cell'], 0.5, 0.2, 0.9)?.label).toBe('unlabelled');
    expect(describeHover(slice(), null, ['membrane', 'cell'], 0.5, -0.1, 0)).toBeNull();
    expect(describeHover(slice(), null, ['membrane', 'cell'], 0.5, 3, 0)).toBeNull();
  });

  it('shows every channel, and floats to four significant digits', () => {
    const rgb = slice({ width: 1, height: 1, channels: 3, dtype: 'uint8', pixels: new Uint8Array([10, 20, 30]), classes: new Int32Array([1]) });
    expect(describeHover(rgb, null, ['a', 'b'], 0.5, 0, 0)?.value).toBe('10, 20, 30');
    const float = slice({ width: 1, height: 1, dtype: 'float32', pixels: new Float32Array([0.123456]), classes: new Int32Array([1]) });
    expect(describeHover(float, null, ['a', 'b'], 0.5, 0, 0)?.value).toBe('0.1235');
  });

  it('gives the predicted class (at the threshold) and its probability where a tile has arrived', () => {
    const prediction: SlicePrediction = {
      width: 3, height: 2, numClasses: 2,
      quantised: quantiseProbabilities(new Float32Array([0.9, 0.1, 0.3, 0.7, 0, 0, 0, 0, 0, 0, 0, 0]), 2, 0, 6),
      covered: new Uint8Array([1, 1, 0, 0, 0, 0]), instances: null, instanceCount: 0, done: false,
    };
    expect(describeHover(slice(), prediction, ['membrane', 'cell'], 0.5, 0, 0)?.prediction).toBe('membrane 0.90');
    expect(describeHover(slice(), prediction, ['membrane', 'cell'], 0.5, 1, 0)?.prediction).toBe('cell 0.70');
    expect(describeHover(slice(), prediction, ['membrane', 'cell'], 0.8, 1, 0)?.prediction).toBe('membrane 0.30');
    expect(describeHover(slice(), prediction, ['membrane', 'cell'], 0.5, 2, 0)?.prediction).toBe('—');
  });
});
