import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32';
import { allUnlabelled, countClasses, countsAfterChange, isLabelled, largestClassOf, mergeCounts } from './classCounts';
import { UNLABELLED } from './classMap';

/** The counts by the plainest possible loop, to compare with. */
function naive(classes: Int32Array) {
  const perClass: number[] = [];
  let unlabelled = 0;
  for (const k of classes) {
    if (k === UNLABELLED) unlabelled++;
    else perClass[k] = (perClass[k] ?? 0) + 1;
  }
  return { unlabelled, perClass: Array.from(perClass, (n) => n ?? 0) };
}

describe('class counts', () => {
  it('count every class and the unlabelled pixels as a plain loop does, values above 255 too', () => {
    const rng = mulberry32(3);
    const classes = Int32Array.from({ length: 5000 }, () => [UNLABELLED, 0, 1, 2, 7, 300][Math.floor(rng() * 6)] as number);
    expect(countClasses(classes)).toEqual(naive(classes));
    expect(countClasses(new Int32Array(10).fill(UNLABELLED))).toEqual(allUnlabelled(10));
    // Counted a part at a time (a restore does so between tasks), then merged: the same.
    expect(mergeCounts(mergeCounts(allUnlabelled(0), countClasses(classes.subarray(0, 1234))), countClasses(classes.subarray(1234)))).toEqual(countClasses(classes));
  });

  it('follow an edit (before -> after) to the same counts as counting again, and answer labelled / largest class', () => {
    const rng = mulberry32(4);
    const classes = Int32Array.from({ length: 2000 }, () => Math.floor(rng() * 4) - 1);
    let counts = countClasses(classes);
    for (let edit = 0; edit < 20; edit++) {
      const indices = Int32Array.from({ length: 50 }, () => Math.floor(rng() * classes.length));
      const unique = Int32Array.from(new Set(indices));
      const before = Int32Array.from(unique, (i) => classes[i] as number);
      const after = Int32Array.from(unique, () => Math.floor(rng() * 5) - 1);
      unique.forEach((i, k) => { classes[i] = after[k] as number; });
      counts = countsAfterChange(counts, before, after);
      expect(counts).toEqual(countClasses(classes));
    }
    expect(isLabelled(counts)).toBe(true);
    expect(largestClassOf(counts)).toBe(3);
    const erased = countsAfterChange(countClasses(Int32Array.of(-1, 2, 0)), Int32Array.of(2, 0), Int32Array.of(-1, -1));
    expect(erased).toEqual({ unlabelled: 3, perClass: [] });
    expect(isLabelled(erased)).toBe(false);
    expect(largestClassOf(erased)).toBe(UNLABELLED);
  });
});
