import { describe, expect, it } from 'vitest';
import { bestOfSweep, describeSweep, sweepChartData } from './sweepChartData';

const sweep = [
  { threshold: 0, pixelError: 0.4, adaptedRandError: 0.5, vRand: 0.3 },
  { threshold: 0.1, pixelError: 0.2, adaptedRandError: Number.NaN, vRand: 0.9 },
  { threshold: 0.2, pixelError: 0.2, adaptedRandError: 0.1, vRand: 0.9 },
];

describe('sweep chart data', () => {
  it('keeps the thresholds and turns NaN into gaps', () => {
    expect(sweepChartData(sweep)).toEqual([[0, 0.1, 0.2], [0.4, 0.2, 0.2], [0.5, null, 0.1], [0.3, 0.9, 0.9]]);
  });

  it('takes the first best point of each score, as the table and Fiji do (ties keep the lower threshold)', () => {
    expect(bestOfSweep(sweep, 'pixelError')?.threshold).toBe(0.1);
    expect(bestOfSweep(sweep, 'adaptedRandError')?.threshold).toBe(0.2);
    expect(bestOfSweep(sweep, 'vRand')?.threshold).toBe(0.1);
  });

  it('says so when a score is undefined at every threshold (an empty field\'s Rand error)', () => {
    const empty = sweep.map((p) => ({ ...p, adaptedRandError: Number.NaN }));
    expect(describeSweep('s1', empty, 0.5)).toBe('Threshold sweep of s1: pixel error best 0.200 at 0.1, Rand error undefined at every threshold, ' +
      'V_Rand best 0.900 at 0.1; the slider\'s threshold 0.50 is marked');
  });
});
