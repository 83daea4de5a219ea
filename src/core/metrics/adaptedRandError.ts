import type { ContingencyTable } from './contingencyTable';
import { marginals } from './contingencyTable';

export interface RandScore {
  /** 1 - F-score. */
  readonly error: number;
  readonly fScore: number;
  readonly precision: number;
  readonly recall: number;
}

/**
 * The adapted Rand error of the EM challenges (Arganda-Carreras et al. 2015), computed exactly as
 * skimage.metrics.adapted_rand_error: pair counts n(n-1) per cell of the contingency table, with
 * "precision" over the true segments and "recall" over the test segments (skimage's naming).
 */
export function adaptedRandError(table: ContingencyTable): RandScore {
  const pairs = (values: Iterable<number>) => {
    let sum = 0;
    for (const n of values) sum += n * n - n;
    return sum;
  };
  const { rows, columns } = marginals(table);
  const joint = pairs(table.counts.values());
  const precision = joint / pairs(rows.values());
  const recall = joint / pairs(columns.values());
  const fScore = (2 * precision * recall) / (precision + recall);
  return { error: 1 - fScore, fScore, precision, recall };
}
