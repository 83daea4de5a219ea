import { describe, expect, it } from 'vitest';
import { averageKeepsAt } from './weightAverage';

describe('averageKeepsAt', () => {
  it('keeps (1 + step) / (10 + step) over the first steps, then the decay (TensorFlow\'s ExponentialMovingAverage warm-up)', () => {
    expect(averageKeepsAt(0.99, 1)).toBeCloseTo(2 / 11, 12); // the first step's weights count ~82 %
    expect(averageKeepsAt(0.99, 100)).toBeCloseTo(101 / 110, 12);
    expect(averageKeepsAt(0.99, 890)).toBeCloseTo(891 / 900, 12); // 0.99 reached here
    expect(averageKeepsAt(0.99, 891)).toBe(0.99);
    expect(averageKeepsAt(0.99, 10_000)).toBe(0.99);
  });
});
