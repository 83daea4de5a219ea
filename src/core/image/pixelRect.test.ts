import { describe, expect, it } from 'vitest';
import { boundsOfIndices } from './pixelRect';

describe('boundsOfIndices', () => {
  it('is the smallest rectangle holding every index, or null for none', () => {
    expect(boundsOfIndices([], 10)).toBeNull();
    expect(boundsOfIndices([0], 10)).toEqual({ x: 0, y: 0, width: 1, height: 1 });
    expect(boundsOfIndices(Int32Array.of(23, 9, 41), 10)).toEqual({ x: 1, y: 0, width: 9, height: 5 }); // (3,2) (9,0) (1,4)
  });
});
