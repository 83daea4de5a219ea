/**
 * Softmax probabilities kept compactly: numClasses - 1 bytes a pixel, class c (1..k-1) as
 * round(p * 255); class 0 is 1 minus the others (a two-class map takes one byte a pixel, a
 * quarter of its Float32 class-1 value and an eighth of the whole map). A value comes back within
 * 1/510 of what was stored (class 0 within (k - 1)/510).
 */
export const PROBABILITY_LEVELS = 255;

/** Bytes each pixel takes once quantised. */
export function quantisedBytesPerPixel(numClasses: number): number {
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new RangeError(`a prediction has at least 2 classes, not ${numClasses}`);
  return numClasses - 1;
}

/** Pixels firstPixel .. firstPixel + pixelCount - 1 of an (h x w x k) map, as bytes. */
export function quantiseProbabilities(probabilities: Float32Array, numClasses: number, firstPixel: number, pixelCount: number): Uint8Array {
  const stored = quantisedBytesPerPixel(numClasses);
  const out = new Uint8Array(pixelCount * stored);
  for (let p = 0; p < pixelCount; p++) {
    const from = (firstPixel + p) * numClasses;
    for (let c = 1; c < numClasses; c++) {
      const value = probabilities[from + c] as number;
      // NaN stores as 0; values a hair outside [0, 1] are clamped.
      out[p * stored + c - 1] = value > 0 ? Math.round(Math.min(1, value) * PROBABILITY_LEVELS) : 0;
    }
  }
  return out;
}

/** Writes quantised `bytes` back as probabilities from `firstPixel` on; false when they are not whole pixels or would overrun `target`. */
export function dequantiseProbabilities(bytes: Uint8Array, numClasses: number, target: Float32Array, firstPixel: number): boolean {
  const stored = quantisedBytesPerPixel(numClasses);
  const pixelCount = bytes.length / stored;
  if (!Number.isInteger(pixelCount) || (firstPixel + pixelCount) * numClasses > target.length) return false;
  for (let p = 0; p < pixelCount; p++) {
    const to = (firstPixel + p) * numClasses;
    let others = 0;
    for (let c = 1; c < numClasses; c++) {
      const value = (bytes[p * stored + c - 1] as number) / PROBABILITY_LEVELS;
      target[to + c] = value;
      others += value;
    }
    target[to] = Math.max(0, 1 - others);
  }
  return true;
}
