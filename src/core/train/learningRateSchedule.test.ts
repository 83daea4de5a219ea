import { describe, expect, it } from 'vitest';
import { COSINE_FLOOR, formatLearningRate, scheduledLearningRate } from './learningRateSchedule';

describe('scheduledLearningRate', () => {
  it('holds a constant rate', () => {
    expect([0, 5, 99].map((done) => scheduledLearningRate(1e-3, 'constant', done, 100))).toEqual([1e-3, 1e-3, 1e-3]);
  });

  it('starts the cosine at the rate, halves the way at mid-run and nears the floor at the last step', () => {
    const rate = 2e-3;
    expect(scheduledLearningRate(rate, 'cosine', 0, 100)).toBeCloseTo(rate, 15);
    expect(scheduledLearningRate(rate, 'cosine', 50, 100)).toBeCloseTo((rate + rate * COSINE_FLOOR) / 2, 15);
    const last = scheduledLearningRate(rate, 'cosine', 99, 100);
    expect(last).toBeGreaterThan(rate * COSINE_FLOOR);
    expect(last).toBeLessThan(rate * COSINE_FLOOR * 1.1);
    // Falls step by step, never below the floor, also past the planned end.
    const rates = Array.from({ length: 100 }, (_, done) => scheduledLearningRate(rate, 'cosine', done, 100));
    expect(rates.every((r, i) => i === 0 || r < (rates[i - 1] as number))).toBe(true);
    expect(scheduledLearningRate(rate, 'cosine', 150, 100)).toBeCloseTo(rate * COSINE_FLOOR, 15);
  });
});

describe('formatLearningRate', () => {
  it('writes three significant digits as the Learning rate field writes numbers', () => {
    expect(formatLearningRate(1e-3)).toBe('0.001');
    expect(formatLearningRate(0.000234567)).toBe('0.000235');
    expect(formatLearningRate(scheduledLearningRate(5e-3, 'cosine', 50, 150))).toBe('0.00376');
  });
});
