import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from './debouncer';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Debouncer', () => {
  it('coalesces calls within the wait into the last one, per key', () => {
    const runs: string[] = [];
    const debouncer = new Debouncer(500);
    debouncer.schedule('a', () => runs.push('a1'));
    vi.advanceTimersByTime(300);
    debouncer.schedule('a', () => runs.push('a2'));
    debouncer.schedule('b', () => runs.push('b1'));
    vi.advanceTimersByTime(499);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual(['a2', 'b1']);
    expect(debouncer.size).toBe(0);
  });

  it('runs no later than maxWait after the first call under steady activity', () => {
    const runs: number[] = [];
    const debouncer = new Debouncer(500, 2000);
    for (let t = 0; t <= 2500; t += 100) {
      debouncer.schedule('k', () => runs.push(t));
      vi.advanceTimersByTime(100);
    }
    // First call at 0: runs at 2000 with the call made at 1900; the next burst restarts the clock.
    expect(runs).toEqual([1900]);
  });

  it('flushes and cancels', () => {
    const runs: string[] = [];
    const debouncer = new Debouncer(500);
    debouncer.schedule('labels:a', () => runs.push('a'));
    debouncer.schedule('labels:b', () => runs.push('b'));
    debouncer.schedule('meta', () => runs.push('meta'));
    debouncer.cancel('labels:');
    debouncer.flushAll();
    expect(runs).toEqual(['meta']);
    debouncer.schedule('x', () => runs.push('x'));
    debouncer.cancelAll();
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual(['meta']);
  });
});
