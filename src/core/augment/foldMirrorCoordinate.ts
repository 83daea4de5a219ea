/**
 * Maps a real sample coordinate outside [0, n - 1] back inside by mirroring
 * about the edge pixel centres (period 2n - 2, the edge pixel not repeated).
 * The same operations, in the same order, as scipy.ndimage's map_coordinate for
 * mode='mirror', so rounding to the nearest pixel afterwards agrees bit for bit
 * (which matters for nearest-neighbour label warps).
 */
export function foldMirrorCoordinate(c: number, n: number): number {
  if (c < 0) {
    if (n <= 1) return 0;
    const period = 2 * n - 2;
    const r = period * Math.trunc(-c / period) + c;
    return r <= 1 - n ? r + period : -r;
  }
  if (c > n - 1) {
    if (n <= 1) return 0;
    const period = 2 * n - 2;
    const r = c - period * Math.trunc(c / period);
    return r >= n ? period - r : r;
  }
  return c;
}
