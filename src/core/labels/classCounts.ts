import { UNLABELLED } from './classMap';

/**
 * How many pixels of a class map carry each class, and how many are unlabelled: enough to say whether
 * a slice is labelled and which classes it uses without reading its pixels (a 20000 px slice is 400
 * million of them, ~0.5 s a scan on the page's main thread). Plain data, so a worker can send it.
 */
export interface ClassCounts {
  readonly unlabelled: number;
  /** perClass[k]: pixels of class k (0 where none). */
  readonly perClass: readonly number[];
}

/** One scan of `classes`. */
export function countClasses(classes: Int32Array): ClassCounts {
  const small = new Float64Array(256); // class values are small; anything else goes through the map
  let unlabelled = 0;
  const other = new Map<number, number>();
  for (let i = 0; i < classes.length; i++) {
    const k = classes[i] as number;
    if (k === UNLABELLED) unlabelled++;
    else if (k >= 0 && k < 256) small[k] = (small[k] as number) + 1;
    else other.set(k, (other.get(k) ?? 0) + 1);
  }
  const perClass = Array.from(small);
  for (const [k, n] of other) if (k >= 0) perClass[k] = (perClass[k] ?? 0) + n;
  return { unlabelled, perClass: trimmed(perClass) };
}

/** The counts of two parts of one map together (a big map counted a part at a time). */
export function mergeCounts(a: ClassCounts, b: ClassCounts): ClassCounts {
  const length = Math.max(a.perClass.length, b.perClass.length);
  return { unlabelled: a.unlabelled + b.unlabelled, perClass: Array.from({ length }, (_, k) => (a.perClass[k] ?? 0) + (b.perClass[k] ?? 0)) };
}

/** The counts of a map of `pixels` pixels, all unlabelled (a freshly loaded image): no scan. */
export function allUnlabelled(pixels: number): ClassCounts {
  return { unlabelled: pixels, perClass: [] };
}

/** The counts after pixels went from `before[k]` to `after[k]` (an edit's undo record). */
export function countsAfterChange(counts: ClassCounts, before: ArrayLike<number>, after: ArrayLike<number>): ClassCounts {
  let unlabelled = counts.unlabelled;
  const perClass = [...counts.perClass];
  const shift = (k: number, by: number) => {
    if (k === UNLABELLED) unlabelled += by;
    else if (k >= 0) perClass[k] = (perClass[k] ?? 0) + by;
  };
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    shift(before[i] as number, -1);
    shift(after[i] as number, 1);
  }
  return { unlabelled, perClass: trimmed(perClass) };
}

export function isLabelled(counts: ClassCounts): boolean {
  return counts.perClass.some((n) => n > 0);
}

/** The highest class with any pixel; UNLABELLED when none. */
export function largestClassOf(counts: ClassCounts): number {
  for (let k = counts.perClass.length - 1; k >= 0; k--) if ((counts.perClass[k] ?? 0) > 0) return k;
  return UNLABELLED;
}

function trimmed(perClass: number[]): number[] {
  let end = perClass.length;
  while (end > 0 && !(perClass[end - 1]! > 0)) end--;
  return Array.from({ length: end }, (_, k) => perClass[k] ?? 0);
}
