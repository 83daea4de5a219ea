import { describe, expect, it } from 'vitest';
import { UNLABELLED } from '../../core/labels/classMap';
import { buildTrainingTargets, type TargetParams } from '../../core/weights/buildTrainingTargets';
import { exampleSlices } from '../data/loadExample';
import type { SliceRecord } from '../data/sliceRegistry';
import { colourBarStops, heatColour, weightMapForSlice, weightMapToImage } from './weightMapImage';

/** The paper's numbers, written out here rather than imported, so a changed preset shows up. */
const PAPER: TargetParams = { w0: 10, sigmaPx: 5, classBalance: true, separateTouching: true, connectivity: 4 };

function record(width: number, height: number, classes: Int32Array, instances: Int32Array | null = null): SliceRecord {
  return { id: 's', name: 'synthetic', width, height, channels: 1, dtype: 'uint8', pixels: new Uint8Array(width * height), classes, instances };
}

/** Discs as instance ids: disc k (1-based) covers pixels within its radius of its centre. */
function discs(width: number, height: number, list: readonly { cx: number; cy: number; r: number }[]): Int32Array {
  const ids = new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      list.forEach((d, k) => { if ((x - d.cx) ** 2 + (y - d.cy) ** 2 <= d.r * d.r) ids[y * width + x] = k + 1; });
    }
  }
  return ids;
}

const toClasses = (ids: Int32Array) => Int32Array.from(ids, (id) => (id > 0 ? 1 : 0));

describe('weightMapForSlice', () => {
  it('equals buildTrainingTargets with the paper targets on two touching discs (instance map), borders separated', () => {
    const [w, h] = [48, 32];
    const ids = discs(w, h, [{ cx: 16, cy: 16, r: 9 }, { cx: 33, cy: 16, r: 9 }]);
    const map = weightMapForSlice(record(w, h, toClasses(ids), ids));
    const expected = buildTrainingTargets({ classes: toClasses(ids), instances: ids }, w, h, PAPER);
    expect(map.weights).toEqual(expected.weights);
    expect(map.classes).toEqual(expected.classes);
    // The discs overlap at x = 24..25: those pixels became background with a large border term.
    const touching = 16 * w + 24;
    expect(ids[touching]).toBeGreaterThan(0);
    expect(map.classes[touching]).toBe(0);
    expect(map.weights[touching]).toBeGreaterThan(6);
    expect(map.weights[0]).toBeLessThan(2); // background far from both discs: w_c alone
    expect(map.max).toBe(Math.max(...expected.weights));
    expect(map.min).toBe(Math.min(...expected.weights));
    expect(map.nonzeroPixels).toBe(w * h);
    expect(map.labelled).toBe(true);
  });

  it('matches a brute-force w_c + 10 exp(-(d1+d2)^2 / 50) on two separate discs (semantic labels)', () => {
    const [w, h] = [40, 24];
    const list = [{ cx: 10, cy: 12, r: 7 }, { cx: 28, cy: 12, r: 7 }];
    const ids = discs(w, h, list);
    const classes = toClasses(ids);
    const map = weightMapForSlice(record(w, h, classes));
    const foreground = classes.reduce((n, k) => n + k, 0);
    const wc = [w * h / (2 * (w * h - foreground)), w * h / (2 * foreground)];
    let worst = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        let expected = wc[classes[i]!]!;
        if (classes[i] === 0) {
          const distances = [1, 2].map((id) => {
            let best = Infinity;
            for (let j = 0; j < ids.length; j++) if (ids[j] === id) best = Math.min(best, Math.hypot(j % w - x, Math.floor(j / w) - y));
            return best;
          });
          const sum = distances[0]! + distances[1]!;
          expected += 10 * Math.exp(-(sum * sum) / 50);
        }
        worst = Math.max(worst, Math.abs(map.weights[i]! - expected));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('gives unlabelled pixels weight 0 and counts only the rest', () => {
    const [w, h] = [30, 20];
    const classes = toClasses(discs(w, h, [{ cx: 10, cy: 10, r: 5 }, { cx: 20, cy: 10, r: 4 }]));
    for (let i = 0; i < w * 6; i++) classes[i] = UNLABELLED; // top 6 rows not annotated
    const map = weightMapForSlice(record(w, h, classes));
    expect(Array.from(map.weights.subarray(0, w * 6)).every((v) => v === 0)).toBe(true);
    expect(Array.from(map.weights.subarray(w * 6)).every((v) => v > 0)).toBe(true);
    expect(map.nonzeroPixels).toBe(w * (h - 6));
    expect(map.min).toBe(0);
    expect(map.weights).toEqual(buildTrainingTargets({ classes, instances: null }, w, h, PAPER).weights);
  });

  it('ignores an instance map that painting no longer matches (the engine drops it too)', () => {
    const [w, h] = [48, 32];
    const ids = discs(w, h, [{ cx: 16, cy: 16, r: 9 }, { cx: 33, cy: 16, r: 9 }]);
    const classes = toClasses(ids);
    classes[0] = UNLABELLED; // one erased pixel
    const map = weightMapForSlice(record(w, h, classes, ids));
    expect(map.weights).toEqual(buildTrainingTargets({ classes, instances: null }, w, h, PAPER).weights);
    expect(map.weights).not.toEqual(buildTrainingTargets({ classes, instances: ids }, w, h, PAPER).weights);
  });

  it('equals buildTrainingTargets on every slice of the built-in example; the unlabelled one is all 0', () => {
    const slices = exampleSlices();
    for (const slice of slices.slice(0, -1)) {
      const map = weightMapForSlice(slice);
      expect(map.weights).toEqual(buildTrainingTargets({ classes: slice.classes, instances: null }, slice.width, slice.height, PAPER).weights);
      expect(map.max).toBeGreaterThan(5); // membranes between cells carry the border term
      expect(map.nonzeroPixels).toBe(slice.width * slice.height);
    }
    const last = weightMapForSlice(slices[slices.length - 1]!);
    expect(last.labelled).toBe(false);
    expect(last.max).toBe(0);
    expect(last.nonzeroPixels).toBe(0);
  });
});

/** WCAG relative luminance of an sRGB colour. */
function luminance([r, g, b]: readonly [number, number, number]): number {
  const lin = (c: number) => { const v = c / 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

describe('weightMapToImage', () => {
  it('maps min to the first colour stop and max to the last, clamping outside', () => {
    const weights = Float32Array.of(0.5, 11, 0, 20, 5.75);
    const rgba = weightMapToImage(weights, 5, 1, 11, 0.5);
    const pixel = (p: number) => Array.from(rgba.subarray(p * 4, p * 4 + 4));
    expect(pixel(0)).toEqual([0, 0, 4, 255]);
    expect(pixel(1)).toEqual([252, 255, 164, 255]);
    expect(pixel(2)).toEqual(pixel(0));
    expect(pixel(3)).toEqual(pixel(1));
    const stops = colourBarStops();
    expect(stops[0]).toEqual({ offset: 0, colour: 'rgb(0, 0, 4)' });
    expect(stops[stops.length - 1]).toEqual({ offset: 1, colour: 'rgb(252, 255, 164)' });
    // Halfway between min and max: between stops 15 and 16 of 32.
    expect(pixel(4).slice(0, 3)).toEqual([187, 55, 84]);
  });

  it('has strictly rising luminance from min to max', () => {
    let previous = -1;
    for (let i = 0; i <= 255; i++) {
      const y = luminance(heatColour(i, 255));
      expect(y, `step ${i}`).toBeGreaterThan(previous);
      previous = y;
    }
    const stops = colourBarStops().map((s) => luminance(s.colour.match(/\d+/g)!.map(Number) as [number, number, number]));
    expect(stops.every((y, i) => i === 0 || y > stops[i - 1]!)).toBe(true);
  });

  it('shows a constant map in the first colour, and rejects a size mismatch by name', () => {
    expect(Array.from(weightMapToImage(Float32Array.of(0, 0), 2, 1, 0))).toEqual([0, 0, 4, 255, 0, 0, 4, 255]);
    expect(() => weightMapToImage(new Float32Array(5), 2, 2, 1)).toThrow(/5 values, but a 2x2 image needs 4/);
  });
});
