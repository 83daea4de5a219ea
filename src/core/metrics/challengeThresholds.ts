/**
 * The ISBI 2012 challenge's thresholds on the foreground (cell) probability, as Fiji's sweeps make
 * them (RandError.java 628, VariationOfInformation.java 830: `for (th = 0.0; th <= 1.0; th += 0.1)`
 * with maxThreshold 1.0 for probability maps): a double accumulated step by step, so 11 values,
 * 0.30000000000000004 and, last, 0.9999999999999999, above which a saturated p = 1.0 is still a cell.
 */
function accumulatedThresholds(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  for (let th = min; th <= max; th += step) out.push(th);
  return out;
}

export const CHALLENGE_THRESHOLDS: readonly number[] = Object.freeze(accumulatedThresholds(0, 1, 0.1));
