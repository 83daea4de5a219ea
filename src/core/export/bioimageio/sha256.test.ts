import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../random/mulberry32';
import { sha256Hex } from './sha256';

describe('sha256Hex', () => {
  it('agrees with Node\'s crypto on every padding case and a larger buffer', () => {
    const uniform = mulberry32(9);
    for (const length of [0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 1000, 300_001]) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(uniform() * 256));
      expect(sha256Hex(bytes), `${length} bytes`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});
