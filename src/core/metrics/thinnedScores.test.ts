/**
 * The leaderboard's thinned-border scores against skimage (scripts/make_metric_fixtures.py):
 * skimage.morphology.thin on the ISBI truth, then adapted_rand_error and variation_of_information
 * on 4-connected cells of the thinned prediction and truth at every threshold.
 */
import { describe, expect, it } from 'vitest';
import { readBinFixture } from '../../testUtils/readBinFixture';
import { connectedComponents } from '../labels/connectedComponents';
import { adaptedRandError } from './adaptedRandError';
import { contingencyTable } from './contingencyTable';
import { informationScores } from './informationScores';
import { thinBoundaries } from './thinBoundaries';
import { thinnedScores } from './thinnedScores';

interface Row { threshold: number; vRandThinned: number; falseSplitsThinned: number; falseMergesThinned: number }
interface Meta { width: number; height: number; perThreshold: Row[] }

describe('thinBoundaries', () => {
  it('reproduces skimage.morphology.thin\'s documented example', () => {
    const square = new Uint8Array(49);
    for (let y = 1; y < 6; y++) for (let x = 2; x < 5; x++) square[y * 7 + x] = 1;
    square[1] = 1;
    const expected = [1, 9, 17, 24, 31]; // (0,1), (1,2), (2,3), (3,3), (4,3)
    const thin = thinBoundaries(square, 7, 7);
    expect([...thin.keys()].filter((i) => thin[i])).toEqual(expected);
  });
});

describe.each(['isbi3-merges-splits', 'isbi12-noisy'])('thinned scores vs skimage: %s', (name) => {
  const fixture = readBinFixture<Meta>(new URL(`./fixtures/${name}`, import.meta.url));
  const { width, height, perThreshold } = fixture.meta;
  const truth = fixture.array('truth').data as Int32Array;
  const probability = fixture.array('probability').data as Float32Array;

  it('thins the truth\'s membranes exactly as skimage', () => {
    const ours = thinBoundaries(Uint8Array.from(truth, (k) => (k === 0 ? 1 : 0)), width, height);
    const theirs = fixture.array('truthBorderThinned').data as Int32Array;
    let differ = 0;
    for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i]) differ++;
    expect(differ).toBe(0);
    expect(ours.reduce((n, v) => n + v, 0)).toBeLessThan(truth.filter((k) => k === 0).length / 2); // really thinner
  });

  it('V_Rand and the VI terms after thinning, at every threshold', () => {
    const cells = (border: Uint8Array) => connectedComponents(Uint8Array.from(thinBoundaries(border, width, height), (b) => 1 - b), width, height, 4).labels;
    const truthCells = cells(Uint8Array.from(truth, (k) => (k === 0 ? 1 : 0)));
    for (const row of perThreshold) {
      const table = contingencyTable(truthCells, cells(Uint8Array.from(probability, (p) => (p > row.threshold ? 0 : 1))));
      const info = informationScores(table);
      expect(adaptedRandError(table).fScore, `V_Rand at ${row.threshold}`).toBeCloseTo(row.vRandThinned, 9);
      expect(info.falseSplits).toBeCloseTo(row.falseSplitsThinned, 9);
      expect(info.falseMerges).toBeCloseTo(row.falseMergesThinned, 9);
    }
    const scores = thinnedScores(probability, truth, width, height);
    expect(scores.vRand).toBeCloseTo(Math.max(...perThreshold.map((r) => r.vRandThinned)), 9);
    expect(scores.vInfo).toBeGreaterThanOrEqual(0);
    expect(scores.vInfo).toBeLessThanOrEqual(1);
    console.info(`[metrics] ${name}: thinned V_Rand ${scores.vRand.toFixed(4)}, V_Info ${scores.vInfo.toFixed(4)}`);
  });
});
