/**
 * Warps against scipy (scripts/make_warp_fixtures.py): map_coordinates with
 * mode='mirror', order 3 (image, with its B-spline prefilter), order 0 (labels),
 * order 1 (weights); the coarse-grid upsampling; scipy.ndimage.rotate.
 *
 * Tolerances: images 1e-5 absolute (values in [0, 1]; the fixture stores float32,
 * whose rounding alone is 6e-8); weights 1e-5 relative to their maximum; labels
 * exactly (we fold and round coordinates with scipy's own operations, so even the
 * .5 ties the fixture plants agree); dense fields 1e-5 px.
 */
import { describe, expect, it } from 'vitest';
import { readBinFixture } from '../../testUtils/readBinFixture';
import { elasticDeform } from './elasticDeform';
import { upsampleControlGrid } from './upsampleControlGrid';
import { warpImage } from './warpImage';
import { warpLabels } from './warpLabels';
import { warpWeights } from './warpWeights';
import { rotationField } from './rotationField';

const IMAGE_TOLERANCE = 1e-5;
const FIELD_TOLERANCE_PX = 1e-5;

interface WarpMeta { width: number; height: number; channels: number; rotationDeg?: number; source: string }
const load = <M>(name: string) => readBinFixture<M>(new URL(`./fixtures/${name}`, import.meta.url));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

function countDiffering(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe.each(['warp-random-40x32', 'warp-rgb-24x20', 'warp-isbi-64'])('warps equal scipy map_coordinates: %s', (name) => {
  const fixture = load<WarpMeta>(name);
  const { width, height, channels, source } = fixture.meta;
  const image = fixture.array('image').data as Float32Array;
  const labels = fixture.array('labels').data as Int32Array;
  const weights = fixture.array('weights').data as Float32Array;
  const field = { width, height, dxPx: fixture.array('dx').data as Float32Array, dyPx: fixture.array('dy').data as Float32Array };

  it('image: order-3 spline, mirror', () => {
    const err = maxAbsDiff(warpImage({ data: image, width, height, channels }, field).data, fixture.array('image_o3').data);
    console.info(`[warp] ${source}: image max |ours - scipy| = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(IMAGE_TOLERANCE);
  });

  it('labels: nearest neighbour, exactly', () => {
    const ours = warpLabels(labels, width, height, field);
    expect(countDiffering(ours, fixture.array('labels_o0').data)).toBe(0);
  });

  it('weights: bilinear', () => {
    const reference = fixture.array('weights_o1').data;
    const err = maxAbsDiff(warpWeights(weights, width, height, field), reference);
    console.info(`[warp] ${source}: weights max |ours - scipy| = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5 * Math.max(...reference));
  });
});

describe('elasticDeform on a real ISBI crop', () => {
  const fixture = load<WarpMeta>('warp-isbi-64');
  const { width, height, channels } = fixture.meta;
  const sample = {
    width, height, channels,
    image: fixture.array('image').data as Float32Array,
    labels: fixture.array('labels').data as Int32Array,
    weights: fixture.array('weights').data as Float32Array,
  };

  it('the paper field from its 3x3 grid equals scipy, and so do all three warps', () => {
    const grid = { gridSize: 3, dxPx: fixture.array('grid_dx').data as Float64Array, dyPx: fixture.array('grid_dy').data as Float64Array };
    const field = upsampleControlGrid(grid, width, height);
    expect(maxAbsDiff(field.dxPx, fixture.array('dx').data)).toBeLessThan(FIELD_TOLERANCE_PX);
    expect(maxAbsDiff(field.dyPx, fixture.array('dy').data)).toBeLessThan(FIELD_TOLERANCE_PX);
    const stored = { width, height, dxPx: fixture.array('dx').data as Float32Array, dyPx: fixture.array('dy').data as Float32Array };
    const warped = elasticDeform(sample, stored);
    expect(maxAbsDiff(warped.image, fixture.array('image_o3').data)).toBeLessThan(IMAGE_TOLERANCE);
    expect(countDiffering(warped.labels, fixture.array('labels_o0').data)).toBe(0);
    expect(maxAbsDiff(warped.weights, fixture.array('weights_o1').data)).toBeLessThan(1e-4);
  });

  it('a small rotation equals scipy.ndimage.rotate(order=3, mode="mirror", reshape=False)', () => {
    const angle = fixture.meta.rotationDeg!;
    const rotated = warpImage({ data: sample.image, width, height, channels }, rotationField(width, height, angle)).data;
    const err = maxAbsDiff(rotated, fixture.array('rotated17_o3').data);
    console.info(`[warp] rotation by ${angle} deg: max |ours - scipy.ndimage.rotate| = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(IMAGE_TOLERANCE);
  });
});

describe('coarse grid to dense field equals scipy (map_coordinates / zoom with grid_mode=False)', () => {
  const fixture = load<{ cases: { gridSize: number; width: number; height: number }[] }>('grid-upsample');
  it.each(fixture.meta.cases.map((c) => [`${c.gridSize}x${c.gridSize} -> ${c.width}x${c.height}`, c] as const))('%s', (_, c) => {
    const g = c.gridSize;
    const grid = { gridSize: g, dxPx: fixture.array(`grid${g}_dx`).data as Float64Array, dyPx: fixture.array(`grid${g}_dy`).data as Float64Array };
    const field = upsampleControlGrid(grid, c.width, c.height);
    const err = Math.max(
      maxAbsDiff(field.dxPx, fixture.array(`dense${g}_${c.width}x${c.height}_dx`).data),
      maxAbsDiff(field.dyPx, fixture.array(`dense${g}_${c.width}x${c.height}_dy`).data),
    );
    expect(err).toBeLessThan(FIELD_TOLERANCE_PX);
  });
});
