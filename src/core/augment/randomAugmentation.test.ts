import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import type { TrainingSample } from '../sampling/trainingSample';
import { applyAugmentation } from './applyAugmentation';
import { DEFAULT_AUGMENTATION, type AugmentationParams } from './augmentationParams';
import type { AugmentationPlan } from './augmentationPlan';
import { NO_INTENSITY_CHANGE } from './jitterIntensity';
import { randomAugmentation } from './randomAugmentation';

const NONE: AugmentationParams = {
  flips: false, quarterTurns: false, maxRotationDeg: 0, elastic: null, maxBrightnessShift: 0, maxContrastChange: 0, maxGammaChange: 0,
};

/** A 7x5 sample whose image, labels and weights all hold the pixel's own index, so any misalignment shows. */
function indexSample(width = 7, height = 5): TrainingSample {
  const n = width * height;
  return {
    width, height, channels: 1,
    image: Float32Array.from({ length: n }, (_, i) => i),
    labels: Int32Array.from({ length: n }, (_, i) => i),
    weights: Float32Array.from({ length: n }, (_, i) => i + 1),
  };
}

function plan(overrides: Partial<AugmentationPlan>): AugmentationPlan {
  return { seed: 0, flipX: false, flipY: false, quarterTurns: 0, rotationDeg: 0, elasticGrid: null, intensity: NO_INTENSITY_CHANGE, ...overrides };
}

describe('random augmentation', () => {
  it('is reproducible from the seed, as plan and as pixels', () => {
    const a = randomAugmentation(DEFAULT_AUGMENTATION, 42);
    expect(randomAugmentation(DEFAULT_AUGMENTATION, 42)).toEqual(a);
    expect(randomAugmentation(DEFAULT_AUGMENTATION, 43)).not.toEqual(a);
    const sample = indexSample(16, 12);
    expect(applyAugmentation(sample, a)).toEqual(applyAugmentation(sample, randomAugmentation(DEFAULT_AUGMENTATION, 42)));
  });

  it('does nothing when everything is off', () => {
    const drawn = randomAugmentation(NONE, 9);
    expect(drawn).toMatchObject({ flipX: false, flipY: false, quarterTurns: 0, rotationDeg: 0, elasticGrid: null, intensity: NO_INTENSITY_CHANGE });
    const sample = indexSample();
    expect(applyAugmentation(sample, drawn)).toEqual(sample);
  });

  it('switching one part off leaves what the others draw unchanged', () => {
    const full = randomAugmentation(DEFAULT_AUGMENTATION, 5);
    const noElastic = randomAugmentation({ ...DEFAULT_AUGMENTATION, elastic: null }, 5);
    const noFlips = randomAugmentation({ ...DEFAULT_AUGMENTATION, flips: false }, 5);
    expect({ ...noElastic, elasticGrid: full.elasticGrid }).toEqual(full);
    expect(noFlips.quarterTurns).toBe(full.quarterTurns);
    expect(noFlips.elasticGrid).toEqual(full.elasticGrid);
  });

  it('draws flips and quarter turns evenly', () => {
    const turns = [0, 0, 0, 0];
    let flips = 0;
    for (let seed = 0; seed < 4000; seed++) {
      const p = randomAugmentation(DEFAULT_AUGMENTATION, seed);
      turns[p.quarterTurns]!++;
      if (p.flipX) flips++;
      expect(Math.abs(p.rotationDeg)).toBeLessThanOrEqual(DEFAULT_AUGMENTATION.maxRotationDeg);
    }
    for (const t of turns) expect(t / 4000).toBeCloseTo(0.25, 1);
    expect(flips / 4000).toBeCloseTo(0.5, 1);
  });

  it('moves image, labels and weights together through flips and a quarter turn (dims swap)', () => {
    const out = applyAugmentation(indexSample(), plan({ flipX: true, quarterTurns: 1 }));
    expect([out.width, out.height]).toEqual([5, 7]);
    expect(Array.from(out.labels)).toEqual(Array.from(out.image));
    expect(Array.from(out.weights)).toEqual(Array.from(out.image, (v) => v + 1));
  });

  it('moves them together through the elastic warp too (a constant grid is a shift)', () => {
    const grid = { gridSize: 3, dxPx: new Float64Array(9).fill(2), dyPx: new Float64Array(9).fill(-1) };
    const out = applyAugmentation(indexSample(), plan({ elasticGrid: grid }));
    out.labels.forEach((k, i) => {
      expect(out.image[i]).toBeCloseTo(k, 4);
      expect(out.weights[i]).toBeCloseTo(k + 1, 4);
    });
    expect(out.labels[0]).toBe(1 * 7 + 2); // pixel (0, 0) samples (2, -1), mirrored to (2, 1)
  });

  it('applies grey-value changes to the image only', () => {
    const sample = indexSample();
    const out = applyAugmentation(sample, plan({ intensity: { brightnessShift: 0.5, contrastFactor: 1, gamma: 1 } }));
    expect(out.image[0]).toBeCloseTo(0.5 * 34, 4);
    expect(out.labels).toEqual(sample.labels);
    expect(out.weights).toEqual(sample.weights);
  });

  it('rejects bad parameters with StudioErrors', () => {
    expect(() => randomAugmentation({ ...DEFAULT_AUGMENTATION, maxRotationDeg: -5 }, 1)).toThrow(/maximum rotation must be a finite number/);
    expect(() => randomAugmentation({ ...DEFAULT_AUGMENTATION, maxContrastChange: 2 }, 1)).toThrow(/contrast change must lie in \[0, 1\]/);
    expect(() => randomAugmentation({ ...DEFAULT_AUGMENTATION, elastic: { gridSize: 3, sigmaPx: Number.NaN } }, 1)).toThrow(StudioError);
  });
});
