/** ProgressBatch: the first item at once, later ones together at most once an interval, none lost, order kept. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressBatch } from './ProgressBatch';

describe('ProgressBatch', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('hands on the first item at once, then what came within the interval in one batch when it ends', () => {
    const batches: number[][] = [];
    const batch = new ProgressBatch<number>((items) => batches.push([...items]), 250);
    batch.add(1);
    expect(batches).toEqual([[1]]);
    vi.advanceTimersByTime(70);
    batch.add(2);
    vi.advanceTimersByTime(70);
    batch.add(3);
    expect(batches).toEqual([[1]]);
    vi.advanceTimersByTime(109);
    expect(batches).toEqual([[1]]);
    vi.advanceTimersByTime(1); // 250 ms after the first batch
    expect(batches).toEqual([[1], [2, 3]]);
    vi.advanceTimersByTime(1000);
    batch.add(4); // after a quiet spell: at once
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('flush hands on what is pending now, and the interval still holds for the next; restart lets the next through at once', () => {
    const batches: number[][] = [];
    const batch = new ProgressBatch<number>((items) => batches.push([...items]), 250);
    batch.add(1);
    batch.add(2);
    batch.flush();
    expect(batches).toEqual([[1], [2]]);
    batch.add(3);
    expect(batches).toEqual([[1], [2]]);
    batch.restart();
    expect(batches).toEqual([[1], [2], [3]]);
    batch.add(4);
    expect(batches).toEqual([[1], [2], [3], [4]]);
    vi.advanceTimersByTime(1000);
    expect(batches).toEqual([[1], [2], [3], [4]]); // no timer left behind
    batch.flush(); // nothing pending: nothing handed on
    expect(batches).toHaveLength(4);
  });
});
