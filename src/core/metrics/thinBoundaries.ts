/**
 * Thins a binary mask to 1-px-wide lines, exactly as skimage.morphology.thin (Guo and Hall 1989,
 * two-subiteration parallel thinning): the same neighbourhood code and the same deletion tables,
 * built here from the algorithm's conditions G1, G2, G3 / G3' rather than copied as numbers.
 * The EM leaderboard thins cell borders to 1 px before its V_Rand and V_Info scores.
 */

/** Bit i of the neighbourhood code is the neighbour skimage weights 2^i: E, NE, N, NW, W, SW, S, SE. */
const NEIGHBOURS: readonly (readonly [number, number])[] = [[0, 1], [-1, 1], [-1, 0], [-1, -1], [0, -1], [1, -1], [1, 0], [1, 1]];

function deletionTables(): [Uint8Array, Uint8Array] {
  const first = new Uint8Array(256);
  const second = new Uint8Array(256);
  for (let n = 0; n < 256; n++) {
    const bit = (i: number) => ((n >> (i % 8)) & 1) === 1;
    let crossings = 0; // G1: exactly one 4-connected background-to-object transition around the pixel
    for (const i of [0, 2, 4, 6]) if (!bit(i) && (bit(i + 1) || bit(i + 2))) crossings++;
    let n1 = 0;
    let n2 = 0;
    for (const k of [1, 3, 5, 7]) {
      if (bit(k) || bit(k - 1)) n1++;
      if (bit(k) || bit(k + 1)) n2++;
    }
    const g12 = crossings === 1 && Math.min(n1, n2) >= 2 && Math.min(n1, n2) <= 3;
    const g3 = !((bit(1) || bit(2) || !bit(7)) && bit(0));
    const g3p = !((bit(5) || bit(6) || !bit(3)) && bit(4));
    first[n] = g12 && g3 ? 1 : 0;
    second[n] = g12 && g3p ? 1 : 0;
  }
  return [first, second];
}

const [FIRST_PASS, SECOND_PASS] = deletionTables();

/**
 * Only object pixels can be deleted, so each subiteration walks the list of object pixels left,
 * in an image padded by one background pixel (no bounds checks): ~60x faster than scanning the
 * whole image, and the same parallel passes (every code first, then the deletions).
 */
export function thinBoundaries(mask: ArrayLike<number>, width: number, height: number): Uint8Array {
  const stride = width + 2;
  const padded = new Uint8Array(stride * (height + 2));
  const objects: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      const p = (y + 1) * stride + x + 1;
      padded[p] = 1;
      objects.push(p);
    }
  }
  const offsets = NEIGHBOURS.map(([dy, dx]) => dy * stride + dx);
  const [e, ne, n, nw, w, sw, s, se] = offsets as [number, number, number, number, number, number, number, number];
  let active = Int32Array.from(objects);
  let count = active.length;
  const codes = new Uint8Array(count);
  for (;;) {
    const before = count;
    for (const table of [FIRST_PASS, SECOND_PASS]) {
      for (let k = 0; k < count; k++) {
        const p = active[k] as number;
        codes[k] = (padded[p + e] as number) | ((padded[p + ne] as number) << 1) | ((padded[p + n] as number) << 2) | ((padded[p + nw] as number) << 3)
          | ((padded[p + w] as number) << 4) | ((padded[p + sw] as number) << 5) | ((padded[p + s] as number) << 6) | ((padded[p + se] as number) << 7);
      }
      let kept = 0;
      for (let k = 0; k < count; k++) {
        const p = active[k] as number;
        if (table[codes[k] as number]) padded[p] = 0;
        else active[kept++] = p;
      }
      count = kept;
    }
    if (count === before) break;
    active = active.subarray(0, count);
  }
  const skeleton = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) skeleton.set(padded.subarray((y + 1) * stride + 1, (y + 1) * stride + 1 + width), y * width);
  return skeleton;
}
