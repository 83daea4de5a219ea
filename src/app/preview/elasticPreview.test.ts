import { describe, expect, it } from 'vitest';
import { applyAugmentation } from '../../core/augment/applyAugmentation';
import { DEFAULT_AUGMENTATION } from '../../core/augment/augmentationParams';
import { randomAugmentation } from '../../core/augment/randomAugmentation';
import { DEFAULT_NORMALISATION, normaliseImage } from '../../core/image/normaliseImage';
import { UNLABELLED } from '../../core/labels/classMap';
import { createStudioStore } from '../../store/createStudioStore';
import { renderImageLayer } from '../canvas/layers';
import { exampleSlices } from '../data/loadExample';
import type { SliceRecord } from '../data/sliceRegistry';
import { createPreviewActions } from './createPreviewActions';
import { centredCrop, clampElasticControls, elasticPreview } from './elasticPreview';
import { weightMapForSlice } from './weightMapImage';

/** Byte-for-byte equality of two typed arrays (toEqual walks 262k elements slowly). */
function identical(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

const example = exampleSlices()[0]!; // 256x256, fully labelled (ISBI-style cells and membranes)
const exampleWeights = weightMapForSlice(example);
const PAPER = { gridSize: 3, sigmaPx: 10 };

/** The example with its top third erased and a third class painted in: classes {-1, 0, 1, 2}. */
function partlyLabelled(): SliceRecord {
  const classes = example.classes.slice();
  classes.fill(UNLABELLED, 0, example.width * 80);
  for (let y = 200; y < 230; y++) classes.fill(2, y * example.width + 20, y * example.width + 60);
  return { ...example, classes };
}

describe('elasticPreview', () => {
  it('is the identity with sigma 0: image (to float error), labels and weights unchanged', () => {
    const preview = elasticPreview(example, { gridSize: 3, sigmaPx: 0 }, 7, exampleWeights);
    expect(preview.crop).toEqual({ x: 0, y: 0, width: 256, height: 256 });
    expect(preview.maxDisplacementPx).toBe(0);
    const normalised = normaliseImage(example.pixels, 1, DEFAULT_NORMALISATION);
    let worst = 0;
    for (let i = 0; i < normalised.length; i++) worst = Math.max(worst, Math.abs(preview.image[i]! - normalised[i]!));
    expect(worst).toBeLessThan(1e-4);
    expect(identical(preview.labels, exampleWeights.classes)).toBe(true);
    expect(identical(preview.weights, exampleWeights.weights)).toBe(true);
    const unwarped = renderImageLayer(normalised, 256, 256, 1, { low: 0, high: 1 });
    let worstByte = 0;
    for (let i = 0; i < unwarped.length; i++) worstByte = Math.max(worstByte, Math.abs(preview.imageRgba[i]! - unwarped[i]!));
    expect(worstByte).toBeLessThanOrEqual(1);
    // Whatever the seed, sigma 0 changes nothing: only the elastic field of the drawn plan is applied.
    for (let seed = 1; seed <= 6; seed++) {
      const other = elasticPreview(example, { gridSize: 3, sigmaPx: 0 }, seed, exampleWeights);
      expect(identical(other.labels, exampleWeights.classes), `seed ${seed}`).toBe(true);
      expect(identical(other.image, preview.image), `seed ${seed}`).toBe(true);
    }
  });

  it('gives the same output for the same seed and a different warp for another seed', () => {
    const a = elasticPreview(example, PAPER, 42, exampleWeights);
    const b = elasticPreview(example, PAPER, 42, exampleWeights);
    expect(identical(b.imageRgba, a.imageRgba)).toBe(true);
    expect(identical(b.labels, a.labels)).toBe(true);
    expect(identical(b.weightsRgba, a.weightsRgba)).toBe(true);
    expect(identical(b.gridMask, a.gridMask)).toBe(true);
    const c = elasticPreview(example, PAPER, 43, exampleWeights);
    expect(c.controlGrid.dxPx).not.toEqual(a.controlGrid.dxPx);
    const changed = a.labels.reduce((n, k, i) => n + (k !== c.labels[i] ? 1 : 0), 0);
    expect(changed).toBeGreaterThan(1000);
    expect(a.maxDisplacementPx).toBeGreaterThan(1);
  });

  it('warps exactly as training does: applyAugmentation with an elastic-only plan; the grid is the one training draws for that seed', () => {
    const seed = 9;
    const elastic = { gridSize: 4, sigmaPx: 15 };
    const preview = elasticPreview(example, elastic, seed, exampleWeights);
    const plan = randomAugmentation({ flips: false, quarterTurns: false, maxRotationDeg: 0, elastic, maxBrightnessShift: 0, maxContrastChange: 0, maxGammaChange: 0 }, seed);
    const expected = applyAugmentation({
      width: 256, height: 256, channels: 1,
      image: normaliseImage(example.pixels, 1, DEFAULT_NORMALISATION),
      labels: exampleWeights.classes,
      weights: exampleWeights.weights,
    }, plan);
    expect(identical(preview.image, expected.image)).toBe(true);
    expect(identical(preview.labels, expected.labels)).toBe(true);
    expect(identical(preview.weights, expected.weights)).toBe(true);
    expect(preview.controlGrid).toEqual(randomAugmentation({ ...DEFAULT_AUGMENTATION, elastic }, seed).elasticGrid);
  });

  it('keeps warped labels within the class set (nearest neighbour) and weight 0 where unlabelled', () => {
    const record = partlyLabelled();
    const preview = elasticPreview(record, { gridSize: 3, sigmaPx: 25 }, 3);
    const allowed = new Set([UNLABELLED, 0, 1, 2]);
    expect(new Set(preview.labels).size).toBe(4);
    expect([...new Set(preview.labels)].every((k) => allowed.has(k))).toBe(true);
    for (let i = 0; i < preview.labels.length; i++) if (preview.labels[i] === UNLABELLED) expect(preview.weights[i]).toBe(0);
    // Labels are drawn in class colours over the image; unlabelled pixels show the image alone.
    const p = preview.labels.indexOf(UNLABELLED);
    expect(Array.from(preview.labelsRgba.subarray(p * 4, p * 4 + 4))).toEqual(Array.from(preview.imageRgba.subarray(p * 4, p * 4 + 4)));
    const q = preview.labels.indexOf(2);
    expect(Array.from(preview.labelsRgba.subarray(q * 4, q * 4 + 4))).not.toEqual(Array.from(preview.imageRgba.subarray(q * 4, q * 4 + 4)));
  });

  it('previews a centred 512x512 crop of a 2048x2048 slice', () => {
    expect(centredCrop(2048, 2048)).toEqual({ x: 768, y: 768, width: 512, height: 512 });
    expect(centredCrop(300, 1000)).toEqual({ x: 0, y: 244, width: 300, height: 512 });
    const size = 2048;
    const pixels = new Uint16Array(size * size);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) pixels[y * size + x] = x + 3 * y;
    const big: SliceRecord = { id: 'big', name: 'big', width: size, height: size, channels: 1, dtype: 'uint16', pixels, classes: new Int32Array(size * size).fill(UNLABELLED) };
    const preview = elasticPreview(big, { gridSize: 3, sigmaPx: 0 }, 1);
    expect(preview.crop).toEqual({ x: 768, y: 768, width: 512, height: 512 });
    expect(preview.image.length).toBe(512 * 512);
    expect(preview.imageRgba.length).toBe(512 * 512 * 4);
    // The crop's own ramp: x + 3y rises by 1 per column, so the normalised image does too.
    expect(preview.image[1]! - preview.image[0]!).toBeGreaterThan(0);
    expect(Math.abs((preview.image[512]! - preview.image[0]!) / (preview.image[1]! - preview.image[0]!) - 3)).toBeLessThan(1e-3);
  });

  it('draws the control grid lines where the warp moves them', () => {
    const still = elasticPreview(example, { gridSize: 3, sigmaPx: 0 }, 1, exampleWeights);
    const at = (x: number, y: number) => still.gridMask[y * 256 + x];
    expect(at(128, 128)).toBe(3); // the centre control point
    expect(at(128, 60)).toBe(2); // the middle vertical control line (x = 127.5)
    expect(at(64, 100)).toBe(1); // a minor line (x = 63.75)
    expect(at(60, 100)).toBe(0);
    const moved = elasticPreview(example, { gridSize: 3, sigmaPx: 10 }, 5, exampleWeights);
    expect(identical(moved.gridMask, still.gridMask)).toBe(false);
  });

  it('refuses a grid below 2 points with the core message; rejects a weight map of another slice', () => {
    expect(() => elasticPreview(example, { gridSize: 1, sigmaPx: 10 }, 1, exampleWeights)).toThrow(/at least 2x2 control points \(got 1\)/);
    expect(() => elasticPreview(example, PAPER, 1, weightMapForSlice(partlyLabelledSmall()))).toThrow(/does not belong to slice "example slice 1" \(256x256 px\)/);
  });
});

function partlyLabelledSmall(): SliceRecord {
  return { id: 'small', name: 'small', width: 4, height: 4, channels: 1, dtype: 'uint8', pixels: new Uint8Array(16), classes: new Int32Array(16) };
}

describe('clampElasticControls and the preview actions', () => {
  const current = { gridSize: 3, sigmaPx: 10, seed: 1 };

  it('clamps out-of-range values and says so, naming the control', () => {
    expect(clampElasticControls(current, { gridSize: 1 })).toEqual({
      next: { ...current, gridSize: 2 }, messages: ['Grid points must be a whole number from 2 to 10 (got 1); using 2.'],
    });
    expect(clampElasticControls(current, { gridSize: 12 }).next.gridSize).toBe(10);
    expect(clampElasticControls(current, { gridSize: 4.4 })).toEqual({
      next: { ...current, gridSize: 4 }, messages: ['Grid points must be a whole number from 2 to 10 (got 4.4); using 4.'],
    });
    expect(clampElasticControls(current, { sigmaPx: -1 })).toEqual({
      next: { ...current, sigmaPx: 0 }, messages: ['Displacement sigma must be from 0 to 40 px (got -1 px); using 0 px.'],
    });
    expect(clampElasticControls(current, { sigmaPx: 55 }).next.sigmaPx).toBe(40);
    expect(clampElasticControls(current, { gridSize: 5, sigmaPx: 12.5 })).toEqual({ next: { ...current, gridSize: 5, sigmaPx: 12.5 }, messages: [] });
  });

  it('refuses values that are not numbers and keeps the current ones', () => {
    expect(clampElasticControls(current, { gridSize: Number.NaN, sigmaPx: Number.POSITIVE_INFINITY })).toEqual({
      next: current,
      messages: [
        'Grid points must be a whole number from 2 to 10 (got not a number); kept 3.',
        'Displacement sigma must be a number from 0 to 40 px (got Infinity); kept 10 px.',
      ],
    });
  });

  it('act on the store: clamped values stored, new sample = next seed', () => {
    const store = createStudioStore();
    const actions = createPreviewActions(store);
    expect(actions.setElastic({ gridSize: 1, sigmaPx: -1 })).toHaveLength(2);
    expect(store.getState().preview.elastic).toEqual({ gridSize: 2, sigmaPx: 0, seed: 1 });
    expect(actions.setElastic({ sigmaPx: Number.NaN })).toEqual(['Displacement sigma must be a number from 0 to 40 px (got not a number); kept 0 px.']);
    expect(store.getState().preview.elastic.sigmaPx).toBe(0);
    expect(actions.setElastic({ gridSize: 6, sigmaPx: 20 })).toEqual([]);
    actions.newElasticSample();
    actions.newElasticSample();
    expect(store.getState().preview.elastic).toEqual({ gridSize: 6, sigmaPx: 20, seed: 3 });
  });
});
