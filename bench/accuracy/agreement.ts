/** Welch's comparison of two sides' per-seed values: how far apart the means are, in standard errors. */
export interface Agreement {
  readonly difference: number;
  readonly standardError: number;
  /** |difference| / standard error; below ~2 the sides differ by no more than their run-to-run noise shows. */
  readonly t: number;
}

function sampleVariance(xs: readonly number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
}

export function welch(ours: readonly number[], theirs: readonly number[]): Agreement {
  if (ours.length < 2 || theirs.length < 2) throw new Error('Welch needs at least two seeds a side.');
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const difference = mean(ours) - mean(theirs);
  const standardError = Math.sqrt(sampleVariance(ours) / ours.length + sampleVariance(theirs) / theirs.length);
  return { difference, standardError, t: standardError > 0 ? Math.abs(difference) / standardError : difference === 0 ? 0 : Number.POSITIVE_INFINITY };
}
