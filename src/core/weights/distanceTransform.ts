/**
 * Exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012):
 * for every pixel, the distance to the nearest "site" pixel. Linear time: a 1-D
 * lower envelope of parabolas over columns, then over rows.
 */

/** Squared distance for pixels with no site at all in reach. */
const FAR = 1e20;

/**
 * @param isSite  width*height, non-zero where a site is
 * @returns       width*height Euclidean distances (0 on sites; Infinity if there is no site)
 */
export function distanceTransform(isSite: ArrayLike<number | boolean>, width: number, height: number): Float32Array {
  const squared = new Float64Array(width * height);
  for (let i = 0; i < squared.length; i++) squared[i] = isSite[i] ? 0 : FAR;
  squaredDistanceTransformInPlace(squared, width, height);
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const d = squared[i] as number;
    out[i] = d >= FAR / 2 ? Infinity : Math.sqrt(d);
  }
  return out;
}

/**
 * Distance to the nearest pixel OFF `mask` for every pixel (0 off it), in 4 bytes a pixel: the
 * squared distances are computed in place in Float32 (exact up to 4096 px, where they pass 2^24).
 * An object's depth map on a big slice without the 8-byte intermediate of distanceTransform.
 */
export function distanceToOutside(mask: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = mask[i] ? FAR : 0;
  squaredDistanceTransformInPlace(out, width, height);
  for (let i = 0; i < out.length; i++) {
    const d = out[i] as number;
    out[i] = d >= FAR / 2 ? Infinity : Math.sqrt(d);
  }
  return out;
}

/**
 * Replaces f (0 at sites, FAR elsewhere) by squared distances to the nearest site. When the caller
 * knows that all sites lie in columns [firstSiteColumn, lastSiteColumn], the column pass skips the
 * others (they hold no site, so they stay FAR until the row pass).
 */
export function squaredDistanceTransformInPlace(f: Float64Array | Float32Array, width: number, height: number, firstSiteColumn = 0, lastSiteColumn = width - 1): void {
  const n = Math.max(width, height);
  const line = new Float64Array(n);
  const result = new Float64Array(n);
  const vertices = new Int32Array(n);
  const bounds = new Float64Array(n + 1);
  for (let x = firstSiteColumn; x <= lastSiteColumn; x++) {
    for (let y = 0; y < height; y++) line[y] = f[y * width + x] as number;
    lowerEnvelope(line, height, result, vertices, bounds);
    for (let y = 0; y < height; y++) f[y * width + x] = result[y] as number;
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) line[x] = f[row + x] as number;
    lowerEnvelope(line, width, result, vertices, bounds);
    for (let x = 0; x < width; x++) f[row + x] = result[x] as number;
  }
}

/** 1-D squared distance transform of sampled function f[0..n): d[q] = min_p (q - p)^2 + f[p]. */
function lowerEnvelope(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    const fq = (f[q] as number) + q * q;
    let p = v[k] as number;
    let s = (fq - ((f[p] as number) + p * p)) / (2 * (q - p));
    // z[0] is -Infinity, so this never pops the first parabola (k stays >= 0).
    while (s <= (z[k] as number)) {
      k--;
      p = v[k] as number;
      s = (fq - ((f[p] as number) + p * p)) / (2 * (q - p));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while ((z[k + 1] as number) < q) k++;
    const p = v[k] as number;
    d[q] = (q - p) * (q - p) + (f[p] as number);
  }
}
