/** Max |actual - expected|; throws when the lengths differ (a shape bug, not a small error). */
export function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`Length ${actual.length} != expected ${expected.length}`);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs((actual[i] as number) - (expected[i] as number)));
  return max;
}

/** Max |actual - expected| over max |expected|: the relative error the parity tests state. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) maxRef = Math.max(maxRef, Math.abs(expected[i] as number));
  return maxAbsDiff(actual, expected) / Math.max(maxRef, 1e-12);
}
