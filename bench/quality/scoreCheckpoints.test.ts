import { describe, expect, it } from 'vitest';
import { findCrossings } from './scoreCheckpoints';

/** findCrossings over fixed answers, recording which checkpoints it asked about. */
async function cross(atBar: readonly boolean[], stride: number, hold: number) {
  const asked: number[] = [];
  const found = await findCrossings(atBar.length, { stride, hold }, async (i) => {
    asked.push(i);
    return atBar[i] as boolean;
  });
  return { ...found, asked };
}

const T = true;
const F = false;

describe('findCrossings', () => {
  it('finds the first checkpoint at the bar coarse to fine, and the first of three in a row', async () => {
    const found = await cross([F, F, F, F, T, T, T, T, T], 3, 3);
    expect(found.first).toBe(4);
    expect(found.held).toBe(4);
    // Coarse 2 (no), 5 (yes), then 3 and 4 below it; held: 4, 5 (known) and 6.
    expect(found.asked).toEqual([2, 5, 3, 4, 4, 5, 6]);
  });

  it('tells a score that swings about the bar from one that stays there', async () => {
    const found = await cross([F, T, F, T, T, F, T, T, T, F], 1, 3);
    expect(found.first).toBe(1);
    expect(found.held).toBe(6);
  });

  it('gives no held crossing when the bar is reached but never held, and none at all when never reached', async () => {
    expect(await cross([F, T, F, T, F, T], 1, 2)).toMatchObject({ first: 1, held: null });
    const never = await cross([F, F, F, F], 2, 3);
    expect(never).toMatchObject({ first: null, held: null });
    expect(never.asked).toEqual([1, 3]);
  });

  it('does not count a run cut off by the end of training as held', async () => {
    expect(await cross([F, F, F, T, T], 1, 3)).toMatchObject({ first: 3, held: null });
  });

  it('checks the last checkpoint even when it is not on the stride', async () => {
    expect(await cross([F, F, F, F, T], 3, 1)).toMatchObject({ first: 4, held: 4 });
  });
});
