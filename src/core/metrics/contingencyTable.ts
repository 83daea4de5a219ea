/**
 * Counts of pixels per (true label, test label) pair, skipping pixels whose true label is
 * ignored (0 by default: membrane / background in the EM challenge's foreground-restricted scores).
 */
export interface ContingencyTable {
  /** Pixel count per pair, keyed by `trueLabel * stride + testLabel`. */
  readonly counts: Map<number, number>;
  readonly stride: number;
  /** Pixels counted. */
  readonly total: number;
}

export function contingencyTable(trueLabels: ArrayLike<number>, testLabels: ArrayLike<number>, ignoreTrue: readonly number[] = [0]): ContingencyTable {
  if (trueLabels.length !== testLabels.length) throw new Error('Label images of different sizes.');
  let maxTest = 0;
  for (let i = 0; i < testLabels.length; i++) maxTest = Math.max(maxTest, testLabels[i] as number);
  const stride = maxTest + 1;
  const counts = new Map<number, number>();
  const ignored = new Set(ignoreTrue);
  let total = 0;
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i] as number;
    if (ignored.has(t)) continue;
    const key = t * stride + (testLabels[i] as number);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total++;
  }
  return { counts, stride, total };
}

/** Row (true) and column (test) sums of the table. */
export function marginals(table: ContingencyTable): { rows: Map<number, number>; columns: Map<number, number> } {
  const rows = new Map<number, number>();
  const columns = new Map<number, number>();
  for (const [key, n] of table.counts) {
    const t = Math.floor(key / table.stride);
    const s = key % table.stride;
    rows.set(t, (rows.get(t) ?? 0) + n);
    columns.set(s, (columns.get(s) ?? 0) + n);
  }
  return { rows, columns };
}
