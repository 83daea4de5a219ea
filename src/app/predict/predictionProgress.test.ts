import { describe, expect, it } from 'vitest';
import { predictionProgress } from './predictionProgress';

const base = { status: 'running' as const, tilesDone: 0, tilesTotal: 0, slicesDone: 0, slicesTotal: 1, predictedSliceIds: [] };

describe('predictionProgress', () => {
  it('names the slice and the tile of a stack, and fills the bar over the whole stack', () => {
    expect(predictionProgress({ ...base, slicesTotal: 30, slicesDone: 2, tilesDone: 1, tilesTotal: 1 }))
      .toEqual({ value: 3, max: 30, text: 'slice 3 of 30, tile 1 of 1' });
    // Between slices: the next one's tiles are not known yet.
    expect(predictionProgress({ ...base, slicesTotal: 30, slicesDone: 3 })).toEqual({ value: 3, max: 30, text: 'slice 4 of 30, first tile…' });
    expect(predictionProgress({ ...base, slicesTotal: 4, slicesDone: 1, tilesDone: 2, tilesTotal: 4 }).value).toBeCloseTo(1.5);
  });

  it('says only the tile for one slice, and what happened at the end', () => {
    expect(predictionProgress({ ...base, tilesDone: 3, tilesTotal: 9 })).toEqual({ value: 1 / 3, max: 1, text: 'tile 3 of 9' });
    expect(predictionProgress({ ...base, status: 'done', slicesDone: 2, slicesTotal: 2, predictedSliceIds: ['a', 'b'] }).text).toBe('done: 2 slice(s) predicted');
    expect(predictionProgress({ ...base, status: 'idle' }).text).toBe('not run yet');
    expect(predictionProgress({ ...base, status: 'stopped', slicesDone: 1, slicesTotal: 3, tilesDone: 5, tilesTotal: 20, predictedSliceIds: ['a'] }))
      .toEqual({ value: 1.25, max: 3, text: 'stopped: 1 of 3 slice(s) predicted; slice 2 stopped at tile 5 of 20 (its predicted tiles are shown)' });
  });
});
