import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32';
import { separateInstances, separationSeeds, sortByDecreasingDepth } from './separateInstances';

function discs(width: number, height: number, list: { x: number; y: number; r: number }[]): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    if (list.some((d) => (x - d.x) ** 2 + (y - d.y) ** 2 <= d.r ** 2)) mask[y * width + x] = 1;
  }
  return mask;
}

describe('separateInstances', () => {
  it('splits two touching discs at the neck and keeps a separate one whole', () => {
    const mask = discs(80, 40, [{ x: 20, y: 20, r: 12 }, { x: 40, y: 20, r: 12 }, { x: 68, y: 20, r: 8 }]);
    const { labels, count } = separateInstances(mask, 80, 40);
    expect(count).toBe(3);
    const left = labels[20 * 80 + 14]!;
    const right = labels[20 * 80 + 46]!;
    expect(left).not.toBe(right);
    expect(left).toBeGreaterThan(0);
    // The split is near the neck at x = 30.
    for (let x = 10; x <= 27; x++) expect(labels[20 * 80 + x]).toBe(left);
    for (let x = 33; x <= 50; x++) expect(labels[20 * 80 + x]).toBe(right);
    // Every foreground pixel has an instance; background has none.
    for (let i = 0; i < mask.length; i++) expect(labels[i]! > 0).toBe(mask[i] === 1);
  });

  it('does not split a single round object', () => {
    const { count } = separateInstances(discs(40, 40, [{ x: 20, y: 20, r: 15 }]), 40, 40);
    expect(count).toBe(1);
  });
});

describe('separateInstances, typed growth', () => {
  /** The growth as first written (JS arrays, a new list per ring), from the same seeds and depths. */
  function referenceGrowth(foreground: Uint8Array, width: number, height: number, seedLabels: Int32Array, depth: Float32Array): Int32Array {
    const labels = Int32Array.from(seedLabels);
    const order: number[] = [];
    for (let i = 0; i < labels.length; i++) if (foreground[i] && labels[i] === 0) order.push(i);
    order.sort((a, b) => (depth[b] as number) - (depth[a] as number));
    let pending = order;
    while (pending.length > 0) {
      const next: number[] = [];
      for (const i of pending) {
        const x = i % width;
        const y = (i - x) / width;
        const neighbour = (x > 0 && labels[i - 1]) || (x < width - 1 && labels[i + 1]) || (y > 0 && labels[i - width]) || (y < height - 1 && labels[i + width]) || 0;
        if (neighbour) labels[i] = neighbour;
        else next.push(i);
      }
      if (next.length === pending.length) break;
      pending = next;
    }
    return labels;
  }

  it('gives the same instances as the JS-array growth on random blob masks', () => {
    const random = mulberry32(11);
    for (let trial = 0; trial < 12; trial++) {
      const width = 60 + Math.floor(random() * 70);
      const height = 40 + Math.floor(random() * 70);
      const mask = discs(width, height, Array.from({ length: 3 + Math.floor(random() * 12) }, () => ({ x: random() * width, y: random() * height, r: 2 + random() * 14 })));
      const ours = separateInstances(mask, width, height);
      // The same seeds, then the old growth.
      const { depth, seeds } = separationSeeds(mask, width, height);
      expect(ours.count).toBe(seeds.count);
      expect(Array.from(ours.labels)).toEqual(Array.from(referenceGrowth(mask, width, height, seeds.labels, depth)));
    }
  });
});

describe('sortByDecreasingDepth', () => {
  it('orders as the comparator sort does (deeper first, ties by index), over ties, large depths and Infinity', () => {
    const random = mulberry32(5);
    const depth = Float32Array.from({ length: 5000 }, () => {
      const r = random();
      return r < 0.05 ? Infinity : r < 0.5 ? Math.floor(random() * 8) : Math.sqrt(Math.floor(random() * 2 ** 30));
    });
    const order = Int32Array.from({ length: 3000 }, (_, k) => k).filter(() => random() < 0.8);
    const expected = Array.from(order).sort((a, b) => (depth[b] as number) - (depth[a] as number) || a - b);
    sortByDecreasingDepth(order, depth);
    expect(Array.from(order)).toEqual(expected);
  });
});
