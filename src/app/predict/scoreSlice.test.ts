import { describe, expect, it } from 'vitest';
import type { SliceRecord } from '../data/sliceRegistry';
import { PredictionRegistry } from './predictionRegistry';
import { MAX_SCORED_PIXELS, scoreSlice, sweepInputOf, tooLargeToScore } from './scoreSlice';

/** A record whose arrays are small stand-ins: only its size and first labels matter here. */
function record(id: string, width: number, height: number): SliceRecord {
  const classes = new Int32Array(16).fill(-1);
  classes.set([1, 0, 1, 0]);
  return { id, name: `${id}.tif`, width, height, channels: 1, dtype: 'uint8', pixels: new Uint8Array(16), classes, instances: null };
}

describe('slices too large to score', () => {
  it('a finished, labelled slice over 4096 x 4096 px gets no scores and no sweep; one at the limit does', () => {
    expect(MAX_SCORED_PIXELS).toBe(4096 * 4096);
    expect([tooLargeToScore(4096, 4096), tooLargeToScore(4097, 4096), tooLargeToScore(20000, 20000)]).toEqual([false, true, true]);
    const predictions = new PredictionRegistry();
    const small = record('small', 4, 4);
    predictions.finish('small', 4, 4, 2, Uint16Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 60000 : 1000)), new Int32Array(16), 0);
    expect(scoreSlice(small, predictions, 0.5, null)?.iou).toBe(1);
    expect(sweepInputOf(small, predictions)).not.toBeNull();
    const big = record('big', 4097, 4096);
    predictions.finish('big', 4097, 4096, 2, new Uint16Array(16), new Int32Array(16), 0);
    expect(scoreSlice(big, predictions, 0.5, null)).toBeNull();
    expect(sweepInputOf(big, predictions)).toBeNull();
  });
});
