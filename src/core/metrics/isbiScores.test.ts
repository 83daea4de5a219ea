/**
 * The ISBI 2012 scores against scripts/fiji_isbi_metrics.py (scripts/make_isbi_fixtures.py), a port
 * that agrees with Fiji's own Java to 1e-14 on these inputs (scripts/fiji-check/run.sh).
 */
import { describe, expect, it } from 'vitest';
import { readBinFixture } from '../../testUtils/readBinFixture';
import { CHALLENGE_THRESHOLDS } from './challengeThresholds';
import type { IsbiSliceScores } from './isbiScores';
import { isbiSliceScores, isbiStackScores } from './isbiScores';
import { watershedTransform } from './watershedTransform';

interface SliceRow {
  threshold: number; vRand: number | null; vRandPrecision: number | null; vRandRecall: number | null; vInfo: number | null;
  frTruePositives: number | null; frFalsePositives: number | null; frFalseNegatives: number | null; frFScore: number;
  basinCount: number; watershedPixels: number;
}
interface StackSummary {
  perThreshold: { threshold: number; vRand: number | null; vInfo: number | null; foregroundRestrictedRandFScore: number }[];
  vRand: number; vRandThreshold: number | null; vInfo: number; vInfoThreshold: number | null;
  foregroundRestrictedRandError: number; foregroundRestrictedRandThreshold: number | null;
}
interface StackMeta { width: number; height: number; slices: number; thresholds: number[]; perSlice: SliceRow[][]; stack: StackSummary }
interface EdgeMeta { width: number; height: number; cases: { name: string; label: number[]; probability: number[]; perThreshold: SliceRow[]; stack: StackSummary }[] }

/** Equal within `tolerance` relative to the magnitude; null in JSON is NaN. */
function close(actual: number, expected: number | null, tolerance: number, what: string) {
  if (expected === null) {
    expect(actual, what).toBeNaN();
    return;
  }
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

const TOLERANCE = 1e-12; // same formulas; only the order of float summation differs (sparse here, dense there)

function checkSlice(ours: IsbiSliceScores, rows: SliceRow[], name: string) {
  expect(ours.perThreshold.map((r) => r.threshold)).toEqual(rows.map((r) => r.threshold));
  ours.perThreshold.forEach((r, k) => {
    const e = rows[k]!;
    const at = `${name} @ ${e.threshold}`;
    close(r.vRand, e.vRand, TOLERANCE, `V_Rand ${at}`);
    close(r.vRandPrecision, e.vRandPrecision, TOLERANCE, `precision ${at}`);
    close(r.vRandRecall, e.vRandRecall, TOLERANCE, `recall ${at}`);
    close(r.vInfo, e.vInfo, TOLERANCE, `V_Info ${at}`);
    // Pair counts: fp and fn are differences of n^2-sized terms, so compare on the scale of n^2.
    const { truePositives: tp, trueNegatives: tn, falsePositives: fp, falseNegatives: fn } = r.foregroundRestricted;
    const n2 = tp + tn + fp + fn;
    close(tp / n2, e.frTruePositives === null ? null : e.frTruePositives / n2, TOLERANCE, `tp ${at}`);
    close(fp / n2, e.frFalsePositives === null ? null : e.frFalsePositives / n2, TOLERANCE, `fp ${at}`);
    close(fn / n2, e.frFalseNegatives === null ? null : e.frFalseNegatives / n2, TOLERANCE, `fn ${at}`);
  });
}

function checkStack(slices: IsbiSliceScores[], expected: StackSummary) {
  const stack = isbiStackScores(slices);
  stack.perThreshold.forEach((r, k) => {
    const e = expected.perThreshold[k]!;
    expect(r.threshold).toBe(e.threshold);
    close(r.vRand, e.vRand, TOLERANCE, `stack V_Rand @ ${e.threshold}`);
    close(r.vInfo, e.vInfo, TOLERANCE, `stack V_Info @ ${e.threshold}`);
    close(r.foregroundRestrictedRandFScore, e.foregroundRestrictedRandFScore, TOLERANCE, `stack Rand F @ ${e.threshold}`);
  });
  close(stack.vRand.value, expected.vRand, TOLERANCE, 'best V_Rand');
  expect(stack.vRand.threshold).toBe(expected.vRandThreshold);
  close(stack.vInfo.value, expected.vInfo, TOLERANCE, 'best V_Info');
  expect(stack.vInfo.threshold).toBe(expected.vInfoThreshold);
  close(stack.foregroundRestrictedRandError.value, expected.foregroundRestrictedRandError, TOLERANCE, 'Rand error');
  expect(stack.foregroundRestrictedRandError.threshold).toBe(expected.foregroundRestrictedRandThreshold);
  return stack;
}

describe('isbiScores vs the port of Fiji: three perturbed ISBI crops as a stack', () => {
  const fixture = readBinFixture<StackMeta>(new URL('./fixtures/isbi-stack', import.meta.url));
  const { width, height, slices, perSlice } = fixture.meta;
  const area = width * height;
  const labels = fixture.array('labels').data as Uint8Array;
  const probability = fixture.array('probability').data as Float32Array;
  const input = (k: number) => ({ foreground: probability.subarray(k * area, (k + 1) * area), truth: labels.subarray(k * area, (k + 1) * area) });

  it('sweeps Fiji\'s 11 accumulated thresholds', () => {
    expect(CHALLENGE_THRESHOLDS).toEqual(fixture.meta.thresholds);
    expect(CHALLENGE_THRESHOLDS.at(-1)).toBe(0.9999999999999999);
  });

  it('thins the proposal\'s border exactly as Fiji\'s watershed', () => {
    const { foreground } = input(0);
    const basins = watershedTransform(Uint8Array.from(foreground, (p) => (p > 0.5 ? 0 : 255)), width, height);
    expect([...basins]).toEqual([...(fixture.array('basinsSlice0At05').data as Uint16Array)]);
    for (let k = 0; k < slices; k++) {
      for (const row of perSlice[k]!) {
        const b = watershedTransform(Uint8Array.from(input(k).foreground, (p) => (p > row.threshold ? 0 : 255)), width, height);
        expect(Math.max(...b), `basins, slice ${k} @ ${row.threshold}`).toBe(row.basinCount);
        expect(b.filter((l) => l === 0).length, `watershed pixels, slice ${k} @ ${row.threshold}`).toBe(row.watershedPixels);
      }
    }
  });

  it('gives every slice\'s V_Rand, V_Info and pair counts at every threshold, and the stack\'s best', () => {
    const ours = Array.from({ length: slices }, (_, k) => isbiSliceScores(input(k).foreground, input(k).truth, width, height));
    ours.forEach((s, k) => checkSlice(s, perSlice[k]!, `slice ${k}`));
    const stack = checkStack(ours, fixture.meta.stack);
    const perSliceBest = ours.map((s) => Math.max(...s.perThreshold.map((r) => r.vRand)));
    // One threshold for the stack: no better than each slice at its own best.
    expect(stack.vRand.value).toBeLessThanOrEqual(perSliceBest.reduce((a, b) => a + b, 0) / slices);
    console.info(`[metrics] isbi-stack: V_Rand ${stack.vRand.value.toFixed(4)} at ${stack.vRand.threshold}, V_Info ${stack.vInfo.value.toFixed(4)} at ${stack.vInfo.threshold}, ` +
      `foreground-restricted Rand error ${stack.foregroundRestrictedRandError.value.toFixed(4)}`);
  });
});

describe('isbiScores vs the port of Fiji: where Fiji\'s guards decide', () => {
  const fixture = readBinFixture<EdgeMeta>(new URL('./fixtures/isbi-edge-cases', import.meta.url));
  const { width, height } = fixture.meta;
  it.each(fixture.meta.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const ours = isbiSliceScores(Float32Array.from(c.probability), c.label, width, height);
    checkSlice(ours, c.perThreshold, c.name);
    checkStack([ours], c.stack);
  });
});

describe('isbiScores on a perfect prediction', () => {
  it('scores 1 for V_Rand and V_Info and 0 for the Rand error', () => {
    const truth = Array.from({ length: 100 }, (_, i) => (i % 10 === 4 || Math.floor(i / 10) === 6 ? 0 : 1));
    const stack = isbiStackScores([isbiSliceScores(Float32Array.from(truth), truth, 10, 10)]);
    expect(stack.vRand.value).toBeCloseTo(1, 12);
    expect(stack.vInfo.value).toBeCloseTo(1, 12);
    expect(stack.foregroundRestrictedRandError.value).toBeCloseTo(0, 12);
  });
});
