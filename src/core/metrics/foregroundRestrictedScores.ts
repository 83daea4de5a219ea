/**
 * Fiji's foreground-restricted pair scores of a proposal segmentation against the truth's segments
 * (Trainable_Segmentation: RandError.getForegroundRestrictedRandIndexStatsN2(ShortProcessor,
 * ShortProcessor) and VariationOfInformation.foregroundRestrictedFscore): only pixels where the
 * truth's label is not 0 count (n of them), and a proposal pixel labelled 0 there (a border pixel)
 * is a segment of its own, the `sum(p_i0) / n` terms. Probabilities p_ij are counts / n ("N^2
 * normalisation"). skimage's adapted_rand_error differs: it counts pairs n(n-1) and makes the
 * proposal's label 0 one segment (adaptedRandError.ts).
 */

export interface PairCounts {
  /** Pairs of pixels (ordered, n^2 scale) together in both segmentations. */
  readonly truePositives: number;
  readonly trueNegatives: number;
  /** Together in the proposal only (merges). */
  readonly falsePositives: number;
  /** Together in the truth only (splits). */
  readonly falseNegatives: number;
}

export interface RandStatistics extends PairCounts {
  readonly precision: number;
  readonly recall: number;
  /** V_Rand when the proposal's borders were thinned; 1 - the old foreground-restricted Rand error's term otherwise. */
  readonly fScore: number;
}

/** ClassificationStatistics' constructor: no false positives means precision 1, no false negatives recall 1. */
export function classificationStatistics(counts: PairCounts): RandStatistics {
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = counts;
  const precision = fp === 0 ? 1 : tp / (tp + fp);
  const recall = fn === 0 ? 1 : tp / (tp + fn);
  const fScore = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { ...counts, precision, recall, fScore };
}

interface Overlap {
  /** Pixels with a true label. */
  readonly n: number;
  /** Row sums (true labels 1..) over every proposal label, 0 included, / n. */
  readonly rows: Float64Array;
  /** p_ij / n for proposal labels j > 0. */
  readonly joint: Float64Array;
  /** Column sums (proposal labels 1..) over the true labels / n. */
  readonly columns: Float64Array;
  /** Sum over true labels of p_i0 / n: the proposal's 0 pixels on the true foreground. */
  readonly aux: number;
}

function overlap(truth: Int32Array, proposal: Int32Array): Overlap {
  if (truth.length !== proposal.length) throw new Error('Label images of different sizes.');
  let maxTrue = 0;
  let maxProposal = 0;
  for (let i = 0; i < truth.length; i++) {
    maxTrue = Math.max(maxTrue, truth[i] as number);
    maxProposal = Math.max(maxProposal, proposal[i] as number);
  }
  const stride = maxProposal + 1;
  const counts = new Map<number, number>();
  const rowCounts = new Float64Array(maxTrue + 1);
  const columnCounts = new Float64Array(stride);
  let n = 0;
  let zeros = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as number;
    if (t === 0) continue;
    n++;
    const s = proposal[i] as number;
    rowCounts[t] = (rowCounts[t] as number) + 1;
    if (s === 0) {
      zeros++;
      continue;
    }
    columnCounts[s] = (columnCounts[s] as number) + 1;
    const key = t * stride + s;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // Java divides every p_ij by n and then sums, so a sum over no pixels is 0 even when n is 0.
  const fraction = (c: number) => (c === 0 ? 0 : c / n);
  return {
    n,
    rows: rowCounts.subarray(1).map(fraction),
    joint: Float64Array.from(counts.values(), fraction),
    columns: columnCounts.subarray(1).map(fraction),
    aux: fraction(zeros),
  };
}

const sumOfSquares = (values: Float64Array) => values.reduce((sum, v) => sum + v * v, 0);
const sumOfXLogX = (values: Float64Array) => values.reduce((sum, v) => (v !== 0 ? sum + v * Math.log(v) : sum), 0);

/** RandError.getForegroundRestrictedRandIndexStatsN2 on two label images (truth first). */
export function foregroundRestrictedRandStatistics(truth: Int32Array, proposal: Int32Array): RandStatistics {
  const { n, rows, joint, columns, aux } = overlap(truth, proposal);
  const sumA2 = sumOfSquares(rows);
  const sumB2 = sumOfSquares(columns) + aux / n;
  const sumAB2 = sumOfSquares(joint) + aux / n;
  const n2 = n * n;
  const truePositives = n2 * sumAB2;
  const falsePositives = n2 * sumB2 - truePositives;
  const falseNegatives = n2 * sumA2 - truePositives;
  const trueNegatives = n2 - truePositives - falsePositives - falseNegatives;
  return classificationStatistics({ truePositives, trueNegatives, falsePositives, falseNegatives });
}

/**
 * VariationOfInformation.foregroundRestrictedFscore: the F-score of I/H(truth) and I/H(proposal)
 * (natural logarithms), 0 when either entropy is 0, NaN when the mutual information is 0.
 */
export function foregroundRestrictedInformationScore(truth: Int32Array, proposal: Int32Array): number {
  const { n, rows, joint, columns, aux } = overlap(truth, proposal);
  const sumA = sumOfXLogX(rows);
  const sumB = sumOfXLogX(columns) - aux * Math.log(n);
  const sumAB = sumOfXLogX(joint) - aux * Math.log(n);
  const ha = -sumA;
  const hb = -sumB;
  const hab = sumB - sumAB;
  const hba = sumA - sumAB;
  let precision = (ha - hab) / ha;
  let recall = (hb - hba) / hb;
  if (ha === 0) {
    precision = 0;
    recall = 1;
  }
  if (hb === 0) {
    precision = 1;
    recall = 0;
  }
  return (2 * precision * recall) / (precision + recall);
}
