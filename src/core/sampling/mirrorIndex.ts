/**
 * Folds any integer index into [0, n) by mirroring about the edge pixels
 * WITHOUT repeating them: for n = 4, ... 2 1 | 0 1 2 3 | 2 1 0 1 ...
 * This is scipy.ndimage mode='mirror' (period 2n - 2) and numpy.pad mode='reflect'
 * (numpy agrees while each pad is < n or the pads are symmetric; for larger,
 * asymmetric pads it reflects its already-padded array instead). It is
 * the one mirror convention of the studio (tiles, warps, tiled prediction).
 * Repeats as often as needed, so a tile may be many times larger than the image.
 */
export function mirrorIndex(i: number, n: number): number {
  if (i >= 0 && i < n) return i;
  if (n === 1) return 0;
  const period = 2 * n - 2;
  const r = ((i % period) + period) % period; // never -0
  return r < n ? r : period - r;
}
