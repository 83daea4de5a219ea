import { describe, expect, it } from 'vitest';
import { formatStackMetrics } from './formatStackMetrics';

describe('formatStackMetrics', () => {
  it('names each score on its scale, with the one threshold the challenge would pick', () => {
    const text = formatStackMetrics({ slices: 3, vRand: 0.91234, vRandThreshold: 0.7999999999999999, vInfo: 0.8, vInfoThreshold: 0.30000000000000004,
      foregroundRestrictedRandError: 0.0612, foregroundRestrictedRandThreshold: 0.5 });
    expect(text).toBe('Scored as the ISBI 2012 challenge (Fiji), 3 slices with objects, one threshold for all: V_Rand 0.912 (threshold 0.8), V_Info 0.800 (threshold 0.3), ' +
      'higher is better; foreground-restricted Rand error 0.061 (threshold 0.5), the 2012 leaderboard\'s and the U-Net paper\'s Table 1 scale, lower is better.');
  });

  it('says so when no threshold scored above 0', () => {
    expect(formatStackMetrics({ slices: 1, vRand: 0, vRandThreshold: null, vInfo: 0, vInfoThreshold: null, foregroundRestrictedRandError: 1, foregroundRestrictedRandThreshold: null }))
      .toContain('1 slice with objects, one threshold for all: V_Rand 0.000 (no threshold)');
  });
});
