import type { ContingencyTable } from './contingencyTable';
import { marginals } from './contingencyTable';

export interface InformationScores {
  /** H(test | true), bits: over-segmentation (skimage's variation_of_information()[0]). */
  readonly falseSplits: number;
  /** H(true | test), bits: under-segmentation (skimage's variation_of_information()[1]). */
  readonly falseMerges: number;
  /** The leaderboard's V_Info: 2 I(true; test) / (H(true) + H(test)), 1 at best. */
  readonly vInfo: number;
}

/** Entropy-based scores of a segmentation against the truth, base 2. */
export function informationScores(table: ContingencyTable): InformationScores {
  const { rows, columns } = marginals(table);
  const entropy = (counts: Iterable<number>) => {
    let h = 0;
    for (const n of counts) {
      const p = n / table.total;
      if (p > 0) h -= p * Math.log2(p);
    }
    return h;
  };
  const hTrue = entropy(rows.values());
  const hTest = entropy(columns.values());
  const hJoint = entropy(table.counts.values());
  const mutual = hTrue + hTest - hJoint;
  return {
    falseSplits: hJoint - hTrue,
    falseMerges: hJoint - hTest,
    vInfo: hTrue + hTest > 0 ? (2 * mutual) / (hTrue + hTest) : 1,
  };
}
