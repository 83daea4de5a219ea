/**
 * Softmax probabilities kept compactly: numClasses - 1 values of 16 bits a pixel, class c
 * (1..k-1) as round(p * 65535); class 0 is 1 minus the others (a two-class map takes 2 bytes a
 * pixel instead of 8 as Float32). A value comes back within 1/131070 of what was stored (class 0
 * within (k - 1)/131070). Not 8 bits: a barely trained model's probabilities crowd around 0.5, and
 * at 1/255 steps its threshold-sweep scores moved by 0.04 after a reload (measured, e2e).
 */
export const PROBABILITY_LEVELS = 65535;

/** Stored values (16-bit) each pixel takes once quantised. */
export function quantisedValuesPerPixel(numClasses: number): number {
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new RangeError(`a prediction has at least 2 classes, not ${numClasses}`);
  return numClasses - 1;
}

/** Pixels firstPixel .. firstPixel + pixelCount - 1 of an (h x w x k) map, quantised. */
export function quantiseProbabilities(probabilities: Float32Array, numClasses: number, firstPixel: number, pixelCount: number): Uint16Array {
  const out = new Uint16Array(pixelCount * quantisedValuesPerPixel(numClasses));
  quantiseInto(probabilities, numClasses, firstPixel, pixelCount, out, 0);
  return out;
}

/** quantiseProbabilities written into `target` (a quantised map) from pixel `targetPixel` on. */
export function quantiseInto(probabilities: Float32Array, numClasses: number, firstPixel: number, pixelCount: number, target: Uint16Array, targetPixel: number): void {
  const stored = quantisedValuesPerPixel(numClasses);
  for (let p = 0; p < pixelCount; p++) {
    const from = (firstPixel + p) * numClasses;
    const to = (targetPixel + p) * stored - 1;
    for (let c = 1; c < numClasses; c++) {
      const value = probabilities[from + c] as number;
      // NaN stores as 0; values a hair outside [0, 1] are clamped.
      target[to + c] = value > 0 ? Math.round(Math.min(1, value) * PROBABILITY_LEVELS) : 0;
    }
  }
}

/** Class c's probability at `pixel` of a quantised map (class 0: 1 minus the others). */
export function quantisedProbabilityAt(values: Uint16Array, numClasses: number, pixel: number, c: number): number {
  const stored = numClasses - 1;
  if (c > 0) return (values[pixel * stored + c - 1] as number) / PROBABILITY_LEVELS;
  let others = 0;
  for (let k = 0; k < stored; k++) others += values[pixel * stored + k] as number;
  return Math.max(0, 1 - others / PROBABILITY_LEVELS);
}

/** The most probable class at `pixel` of a quantised map (ties to the lower class, as the engine's argmax). */
export function quantisedArgmaxAt(values: Uint16Array, numClasses: number, pixel: number): number {
  const stored = numClasses - 1;
  let others = 0;
  let best = 0;
  let bestValue = -1;
  for (let k = 0; k < stored; k++) {
    const v = values[pixel * stored + k] as number;
    others += v;
    if (v > bestValue) { best = k + 1; bestValue = v; }
  }
  // Class 0 in the same 1/65535 units.
  return PROBABILITY_LEVELS - others >= bestValue ? 0 : best;
}

/** Writes quantised `values` back as probabilities from `firstPixel` on; false when they are not whole pixels or would overrun `target`. */
export function dequantiseProbabilities(values: Uint16Array, numClasses: number, target: Float32Array, firstPixel: number): boolean {
  const stored = quantisedValuesPerPixel(numClasses);
  const pixelCount = values.length / stored;
  if (!Number.isInteger(pixelCount) || (firstPixel + pixelCount) * numClasses > target.length) return false;
  for (let p = 0; p < pixelCount; p++) {
    const to = (firstPixel + p) * numClasses;
    let others = 0;
    for (let c = 1; c < numClasses; c++) {
      const value = (values[p * stored + c - 1] as number) / PROBABILITY_LEVELS;
      target[to + c] = value;
      others += value;
    }
    target[to] = Math.max(0, 1 - others);
  }
  return true;
}
