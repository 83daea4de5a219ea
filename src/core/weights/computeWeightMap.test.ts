import { describe, expect, it } from 'vitest';
import { UNLABELLED } from '../labels/classMap';
import { computeWeightMap, PAPER_WEIGHT_MAP } from './computeWeightMap';
import { distanceTransform } from './distanceTransform';

describe('distanceTransform', () => {
  it('is 0 on sites, exact Euclidean elsewhere, Infinity with no sites', () => {
    const sites = new Uint8Array(5 * 4);
    sites[0] = 1; // (0, 0)
    const d = distanceTransform(sites, 5, 4);
    expect(d[0]).toBe(0);
    expect(d[4 + 3 * 5]).toBeCloseTo(5, 6); // (4, 3): a 3-4-5 triangle
    expect(Array.from(distanceTransform(new Uint8Array(6), 3, 2))).toEqual(Array(6).fill(Infinity));
  });
});

describe('computeWeightMap', () => {
  it('balances classes over labelled pixels: each class gets the same total, mean 1', () => {
    const classes = Int32Array.of(0, 1, 1, 1, UNLABELLED);
    const w = computeWeightMap(classes, null, 5, 1, PAPER_WEIGHT_MAP);
    expect(w[0]).toBeCloseTo(4 / (2 * 1), 6);
    expect(w[1]).toBeCloseTo(4 / (2 * 3), 6);
    expect(w[4]).toBe(0);
    expect(computeWeightMap(classes, null, 5, 1, { ...PAPER_WEIGHT_MAP, classBalance: false })[0]).toBe(1);
  });

  it('adds w0 exp(-(d1+d2)^2/2sigma^2) on background between two objects, nothing next to a lone one', () => {
    // Row: object 1 at x=0, gap at x=1..2, object 2 at x=3; a lone object far away has no second neighbour in reach.
    const instances = Int32Array.of(1, 0, 0, 2);
    const classes = Int32Array.of(1, 0, 0, 1);
    const w = computeWeightMap(classes, instances, 4, 1, { w0: 10, sigmaPx: 5, classBalance: false });
    expect(w[1]).toBeCloseTo(1 + 10 * Math.exp(-((1 + 2) ** 2) / 50), 5);
    expect(w[0]).toBe(1); // object pixels: no border term
    const lone = computeWeightMap(Int32Array.of(1, 0, 0), Int32Array.of(1, 0, 0), 3, 1, { w0: 10, sigmaPx: 5, classBalance: false });
    expect(Array.from(lone)).toEqual([1, 1, 1]);
  });

  it('rejects a non-positive sigma', () => {
    expect(() => computeWeightMap(Int32Array.of(0), null, 1, 1, { ...PAPER_WEIGHT_MAP, sigmaPx: 0 })).toThrow(/sigma > 0/);
  });
});
