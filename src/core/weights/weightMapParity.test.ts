/**
 * Labels and weight maps against independent references on real data crops
 * (scripts/make_weight_fixtures.py): scipy's exact EDT, skimage's connected
 * components, scipy filters for the separation borders, and the paper's weight
 * map computed the brute-force way (a full EDT per object).
 */
import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../testUtils/compareArrays';
import { readBinFixture } from '../../testUtils/readBinFixture';
import { connectedComponents } from '../labels/connectedComponents';
import { interpretLabels } from '../labels/interpretLabels';
import { findSeparationBorders } from '../labels/separationBorders';
import { UNLABELLED } from '../labels/classMap';
import { buildTrainingTargets } from './buildTrainingTargets';
import { distanceTransform } from './distanceTransform';
import { PAPER_WEIGHT_MAP } from './computeWeightMap';

interface Meta { width: number; height: number; unlabelledRows?: number; source: string }
const load = (name: string) => readBinFixture<Meta>(new URL(`./fixtures/${name}`, import.meta.url));

/** Weight-map tolerance: float32 rounding, plus the border term's cut-off (1e-6 * w0 = 1e-5). */
const WEIGHT_TOLERANCE = 1e-4;

describe.each(['isbi-label0-crop', 'isbi-label7-crop-unlabelled-band'])('ISBI labels: %s', (name) => {
  const fixture = load(name);
  const { width, height } = fixture.meta;
  const raw = fixture.array('raw').data;
  const { classes } = interpretLabels(raw, { kind: 'binary', foregroundValue: 255 });
  for (let i = 0; i < width * (fixture.meta.unlabelledRows ?? 0); i++) classes[i] = UNLABELLED;
  const foreground = Uint8Array.from(classes, (k) => (k === 1 ? 1 : 0));

  it('reads the binary mask with white = cell', () => {
    expect(Array.from(classes)).toEqual(Array.from(fixture.array('classes').data));
  });

  it('distance transform equals scipy.ndimage.distance_transform_edt', () => {
    const err = maxAbsDiff(distanceTransform(foreground, width, height), fixture.array('edt').data);
    expect(err).toBeLessThan(1e-5);
  });

  it('connected components equal skimage.measure.label, 4- and 8-connected', () => {
    expect(Array.from(connectedComponents(foreground, width, height, 4).labels)).toEqual(Array.from(fixture.array('cc4').data));
    expect(Array.from(connectedComponents(foreground, width, height, 8).labels)).toEqual(Array.from(fixture.array('cc8').data));
  });

  it('weight map equals the brute-force reference', () => {
    const targets = buildTrainingTargets({ classes, instances: null }, width, height, { ...PAPER_WEIGHT_MAP, separateTouching: true, connectivity: 4 });
    const reference = fixture.array('weights').data;
    const err = maxAbsDiff(targets.weights, reference);
    console.info(`[weights] ${fixture.meta.source}: max |ours - reference| = ${err.toExponential(2)} (max weight ${Math.max(...reference).toFixed(3)})`);
    expect(err).toBeLessThan(WEIGHT_TOLERANCE);
    for (let i = 0; i < classes.length; i++) if (classes[i] === UNLABELLED) expect(targets.weights[i]).toBe(0);
  });
});

describe('DSB instance labels with touching nuclei', () => {
  const fixture = load('dsb-touching-crop');
  const { width, height } = fixture.meta;
  const labels = interpretLabels(fixture.array('raw').data, { kind: 'instances' });

  it('finds the separation borders scipy filters find', () => {
    const borders = findSeparationBorders(labels.instances!, width, height);
    const reference = fixture.array('borders').data;
    expect(Array.from(reference).reduce((a, b) => a + b, 0)).toBeGreaterThan(100); // the crop really has touching nuclei
    expect(Array.from(borders)).toEqual(Array.from(reference));
  });

  it('distance transform equals scipy', () => {
    const objects = Uint8Array.from(labels.instances!, (id) => (id > 0 ? 1 : 0));
    expect(maxAbsDiff(distanceTransform(objects, width, height), fixture.array('edt').data)).toBeLessThan(1e-5);
  });

  it('weight map (after separation borders) equals the brute-force reference', () => {
    const targets = buildTrainingTargets(labels, width, height, { ...PAPER_WEIGHT_MAP, separateTouching: true, connectivity: 4 });
    expect(Array.from(targets.classes)).toEqual(Array.from(fixture.array('classes').data));
    const err = maxAbsDiff(targets.weights, fixture.array('weights').data);
    console.info(`[weights] ${fixture.meta.source}: max |ours - reference| = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(WEIGHT_TOLERANCE);
  });
});
