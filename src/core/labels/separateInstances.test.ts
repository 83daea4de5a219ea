import { describe, expect, it } from 'vitest';
import { separateInstances } from './separateInstances';

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
