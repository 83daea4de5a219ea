import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { mulberry32 } from '../random/mulberry32';
import { randomControlGrid } from './controlGrid';
import { PAPER_ELASTIC } from './elasticParams';
import { randomDisplacementField } from './randomDisplacementField';
import { upsampleControlGrid } from './upsampleControlGrid';

const SIZE = 65; // odd, so the 3x3 control points fall on pixels 0, 32, 64

describe('random elastic field', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    const a = randomDisplacementField(40, 30, PAPER_ELASTIC, mulberry32(7));
    const b = randomDisplacementField(40, 30, PAPER_ELASTIC, mulberry32(7));
    const c = randomDisplacementField(40, 30, PAPER_ELASTIC, mulberry32(8));
    expect(Array.from(a.field.dxPx)).toEqual(Array.from(b.field.dxPx));
    expect(Array.from(a.field.dyPx)).toEqual(Array.from(b.field.dyPx));
    expect(Array.from(a.field.dxPx)).not.toEqual(Array.from(c.field.dxPx));
  });

  it('passes through its control vectors at the corners, edge midpoints and centre', () => {
    const { grid, field } = randomDisplacementField(SIZE, SIZE, PAPER_ELASTIC, mulberry32(3));
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const p = i * 32 * SIZE + j * 32;
        expect(field.dxPx[p]).toBeCloseTo(grid.dxPx[i * 3 + j]!, 4);
        expect(field.dyPx[p]).toBeCloseTo(grid.dyPx[i * 3 + j]!, 4);
      }
    }
  });

  it('has displacement std sigma at the control points over many seeds, and the spline-predicted std between them', () => {
    const seeds = 3000;
    const sigmaPx = 10;
    // Per-pixel variance of a linear interpolant of iid N(0, sigma^2) values: sigma^2 * sum of squared cardinal functions.
    const cardinalSq = new Float64Array(SIZE * SIZE);
    for (let k = 0; k < 9; k++) {
      const impulse = new Float64Array(9);
      impulse[k] = 1;
      const cardinal = upsampleControlGrid({ gridSize: 3, dxPx: impulse, dyPx: impulse }, SIZE, SIZE).dxPx;
      for (let p = 0; p < cardinal.length; p++) cardinalSq[p]! += cardinal[p]! ** 2;
    }
    const probes = [0, 32 * SIZE + 32, 64 * SIZE + 64, 16 * SIZE + 16, 48 * SIZE + 20];
    const sumSq = new Float64Array(probes.length);
    let allSq = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const { field } = randomDisplacementField(SIZE, SIZE, { gridSize: 3, sigmaPx }, mulberry32(seed));
      probes.forEach((p, k) => { sumSq[k]! += field.dxPx[p]! ** 2 + field.dyPx[p]! ** 2; });
      for (let p = 0; p < field.dxPx.length; p += 7) allSq += field.dxPx[p]! ** 2;
    }
    probes.forEach((p, k) => {
      const measured = Math.sqrt(sumSq[k]! / (2 * seeds));
      const expected = sigmaPx * Math.sqrt(cardinalSq[p]!);
      expect(measured / expected).toBeGreaterThan(0.96);
      expect(measured / expected).toBeLessThan(1.04);
    });
    expect(Math.sqrt(cardinalSq[0]!)).toBeCloseTo(1, 6); // control points: exactly sigma
    const rms = Math.sqrt(allSq / (seeds * Math.ceil((SIZE * SIZE) / 7)));
    expect(rms).toBeGreaterThan(0.7 * sigmaPx); // smooth between control points, but not much damped
    expect(rms).toBeLessThan(sigmaPx);
  });

  it('scales with sigma and is zero for sigma 0', () => {
    const grid = randomControlGrid({ gridSize: 3, sigmaPx: 0 }, mulberry32(1));
    expect(grid.dxPx.every((v) => v === 0)).toBe(true);
    const a = randomControlGrid({ gridSize: 3, sigmaPx: 10 }, mulberry32(1));
    const b = randomControlGrid({ gridSize: 3, sigmaPx: 20 }, mulberry32(1));
    a.dxPx.forEach((v, i) => expect(b.dxPx[i]).toBeCloseTo(2 * v, 12));
  });

  it('rejects a grid under 2x2, a negative sigma and an empty image', () => {
    const bad = [
      () => randomControlGrid({ gridSize: 1, sigmaPx: 10 }, mulberry32(1)),
      () => randomControlGrid({ gridSize: 2.5, sigmaPx: 10 }, mulberry32(1)),
      () => randomControlGrid({ gridSize: 3, sigmaPx: -1 }, mulberry32(1)),
      () => randomDisplacementField(0, 10, PAPER_ELASTIC, mulberry32(1)),
    ];
    for (const f of bad) {
      expect(f).toThrow(StudioError);
      expect(f).toThrow(/grid|sigma|size/);
    }
  });
});
