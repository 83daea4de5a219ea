/**
 * skimage's scores against skimage.metrics (adapted_rand_error, variation_of_information) on ISBI
 * label crops with perturbed predictions (scripts/make_metric_fixtures.py). These are skimage's
 * scales; the challenge's own V_Rand, V_Info and Rand error (Fiji) are tested in isbiScores.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readBinFixture } from '../../testUtils/readBinFixture';
import { connectedComponents } from '../labels/connectedComponents';
import { adaptedRandError } from './adaptedRandError';
import { contingencyTable } from './contingencyTable';
import { informationScores } from './informationScores';
import { overlapScores } from './overlapScores';
import { segmentationScores } from './segmentationScores';

interface Row { threshold: number; randError: number | null; precision: number | null; recall: number | null; falseSplits: number; falseMerges: number; pixelFScore: number }
interface Meta { width: number; height: number; perThreshold: Row[]; overlapAt05: { classIndex: number; iou: number; dice: number }[]; pixelErrorRateAt05: number }

const TOLERANCE = 1e-9; // both sides count pixels exactly; only float summation order differs

describe.each(['isbi3-merges-splits', 'isbi12-noisy'])('skimage\'s scores vs skimage: %s', (name) => {
  const fixture = readBinFixture<Meta>(new URL(`./fixtures/${name}`, import.meta.url));
  const { width, height, perThreshold } = fixture.meta;
  const truth = fixture.array('truth').data as Int32Array;
  const probability = fixture.array('probability').data as Float32Array;

  it('adapted Rand error, precision, recall and VI at every threshold', () => {
    const truthCc = connectedComponents(Uint8Array.from(truth), width, height, 4).labels;
    for (const row of perThreshold) {
      const predicted = connectedComponents(Uint8Array.from(probability, (p) => (p > row.threshold ? 1 : 0)), width, height, 4).labels;
      const table = contingencyTable(truthCc, predicted);
      const rand = adaptedRandError(table);
      const info = informationScores(table);
      expect(rand.error, `rand at ${row.threshold}`).toBeCloseTo(row.randError!, 9);
      expect(rand.precision).toBeCloseTo(row.precision!, 9);
      expect(rand.recall).toBeCloseTo(row.recall!, 9);
      expect(Math.abs(info.falseSplits - row.falseSplits)).toBeLessThan(TOLERANCE * 1e3);
      expect(Math.abs(info.falseMerges - row.falseMerges)).toBeLessThan(TOLERANCE * 1e3);
    }
  });

  it('the sweep takes each score\'s best threshold', () => {
    const scores = segmentationScores(probability, truth, width, height);
    const bestRand = Math.min(...perThreshold.map((r) => r.randError!));
    const bestPixelF = Math.max(...perThreshold.map((r) => r.pixelFScore));
    console.info(`[metrics] ${name}: skimage's adapted Rand error ${scores.adaptedRandError.toFixed(4)} (skimage ${bestRand.toFixed(4)}), pixel error ${scores.pixelError.toFixed(4)}`);
    expect(scores.perThreshold.map((s) => s.threshold)).toEqual(perThreshold.map((r) => r.threshold));
    expect(scores.adaptedRandError).toBeCloseTo(bestRand, 9);
    expect(scores.pixelError).toBeCloseTo(1 - bestPixelF, 9);
    expect(scores.adaptedRandError).toBeGreaterThan(0.01); // the perturbations really hurt
  });

  it('IoU, Dice and pixel error rate at 0.5', () => {
    const hard = Int32Array.from(probability, (p) => (p > 0.5 ? 1 : 0));
    const scores = overlapScores(hard, truth, 2);
    for (const expected of fixture.meta.overlapAt05) {
      expect(scores.perClass[expected.classIndex]!.iou).toBeCloseTo(expected.iou, 12);
      expect(scores.perClass[expected.classIndex]!.dice).toBeCloseTo(expected.dice, 12);
    }
    expect(scores.pixelErrorRate).toBeCloseTo(fixture.meta.pixelErrorRateAt05, 12);
  });
});

/** Fields without objects (truth all background): what each score is where 0/0 looms. */
describe.each(['empty-noisy', 'empty-dark'])('scores of an empty field vs skimage and Fiji: %s', (name) => {
  const fixture = readBinFixture<Meta>(new URL(`./fixtures/${name}`, import.meta.url));
  const { width, height, perThreshold } = fixture.meta;
  const truth = fixture.array('truth').data as Int32Array;
  const probability = fixture.array('probability').data as Float32Array;
  const scores = segmentationScores(probability, truth, width, height);

  it('adapted Rand error is NaN at every threshold, as skimage\'s (no true pairs to count)', () => {
    expect(perThreshold.every((row) => row.randError === null)).toBe(true);
    for (const row of scores.perThreshold) expect(row.adaptedRandError, `at ${row.threshold}`).toBeNaN();
    expect(scores.adaptedRandError).toBeNaN();
  });

  it('pixel F-score per threshold as Fiji\'s ClassificationStatistics (1 where nothing is predicted, 0 where anything is)', () => {
    scores.perThreshold.forEach((row, k) => expect(row.pixelFScore, `at ${row.threshold}`).toBe(perThreshold[k]!.pixelFScore));
    expect(scores.pixelError).toBe(1 - Math.max(...perThreshold.map((r) => r.pixelFScore)));
  });

  it('IoU and Dice at 0.5: 1 when nothing is predicted either, 0 when something is', () => {
    const hard = Int32Array.from(probability, (p) => (p > 0.5 ? 1 : 0));
    const overlap = overlapScores(hard, truth, 2);
    for (const expected of fixture.meta.overlapAt05) {
      expect(overlap.perClass[expected.classIndex]!.iou).toBeCloseTo(expected.iou, 12);
      expect(overlap.perClass[expected.classIndex]!.dice).toBeCloseTo(expected.dice, 12);
    }
  });
});

describe('metrics on a perfect prediction', () => {
  it('scores a perfect segmentation as errors 0', () => {
    const truth = Int32Array.from({ length: 64 }, (_, i) => (i % 8 === 3 || Math.floor(i / 8) === 4 ? 0 : 1));
    const scores = segmentationScores(Float32Array.from(truth), truth, 8, 8);
    expect(scores.adaptedRandError).toBeCloseTo(0, 12);
    expect(scores.pixelError).toBeCloseTo(0, 12);
  });
});
