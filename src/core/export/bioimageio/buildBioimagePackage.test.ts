/**
 * The bioimage.io package: its rdf.yaml validates against the format's JSON Schema (from
 * ../shared/reference/bioimageio, ajv, draft 2020-12), its hashes are those of its files, and an
 * independent runtime reproduces its test output from its test input as a consumer would:
 * the rdf's scale_range done here, then the package's weights.onnx in onnxruntime-web.
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../../testUtils/compareArrays';
import { runOnnx, setTrainedLikeWeights } from '../../../testUtils/onnxRuntime';
import { readNpy } from '../../../testUtils/readNpy';
import { bioimageioSchemaValidator, BIOIMAGEIO_SCHEMA, scaleRange } from '../../../testUtils/bioimageioReference';
import { hasSharedReference } from '../../../testing/testPeers';
import { borderPx, outputSizePx } from '../../geometry/tileGeometry';
import { normaliseImage } from '../../image/normaliseImage';
import { withoutStretchLimit } from '../../image/stretchLimit';
import { loadModelFiles } from '../../model/modelFiles';
import { buildUNet } from '../../model/buildUNet';
import { headProbabilities } from '../../model/headOutputs';
import { rebuildForTileSize } from '../../model/rebuildForTileSize';
import type { ModelMetadata } from '../../model/modelMetadata';
import type { UNetConfig } from '../../model/unetConfig';
import { mulberry32 } from '../../random/mulberry32';
import { buildBioimagePackage, PACKAGE_FILES } from './buildBioimagePackage';
import type { PackageInfo } from './packageInfo';

const TOLERANCE = 1e-4;

const info: PackageInfo = {
  name: 'Nuclei U-Net (studio test)',
  description: 'A small U-Net exported by the unit tests.',
  authors: [{ name: 'Ada Lovelace', affiliation: 'Analytical Engine Lab', orcid: '0000-0002-1825-0097' }, { name: 'Test Bot' }],
  license: 'CC-BY-4.0',
  validation: [{ name: 'IoU (foreground)', value: 0.8123, note: '2 held-out slices' }, { name: 'V_Rand', value: 0.91 }],
  validationNote: 'Scores of the held-out slices at threshold 0.5.',
};

function metadataFor(config: UNetConfig, minRange?: number): ModelMetadata {
  const outputTilePx = outputSizePx(config.tileSizePx, config);
  return {
    format: 'unet-studio/1',
    architecture: config,
    tile: { inputTilePx: config.tileSizePx, outputTilePx, borderPx: borderPx(config) },
    normalisation: { kind: 'percentile', lowPercent: 1, highPercent: 99.8, ...(minRange === undefined ? {} : { minRange: [minRange] }) },
    classNames: Array.from({ length: config.numClasses }, (_, k) => (k === 0 ? 'background' : `nucleus ${k}`)),
    training: { steps: 120, preset: 'tiny', finalLoss: 0.21, bestValidationLoss: 0.25, backend: 'cpu', savedAt: '2026-11-30T02:00:00.000Z' },
  };
}

/** A raw 16-bit slice with bright blobs on a dim, noisy background, narrower than some test tiles (mirrored there). */
function syntheticSlice(width: number, height: number) {
  const uniform = mulberry32(4);
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const blob = Math.max(0, 1 - Math.hypot((x % 24) - 12, (y % 20) - 10) / 8);
      data[y * width + x] = Math.round(300 + 2500 * blob + 200 * uniform());
    }
  }
  return { data, width, height, channels: 1 };
}

const base = { architecture: 'unet', baseChannels: 4, inputChannels: 1, numClasses: 2, dropoutRate: 0.2, batchNorm: false } as const;
const cases: { name: string; config: UNetConfig; expected: { min: number; step: number; offset: number; halo: number }; minRange?: number }[] = [
  // Depth 2, valid: 44 -> 4 is the smallest tile, every 4 px more, 20 px of context per side. A stretch limit far above
  // the test image's range (~2700): the test tensors must still follow rdf.yaml's scale_range, which has no limit.
  { name: 'valid padding, a stretch limit', config: { ...base, depth: 2, padding: 'valid', tileSizePx: 60 }, expected: { min: 44, step: 4, offset: -40, halo: 0 }, minRange: 100_000 },
  // Same: any multiple of 4; the studio discards 4 px at tile edges (32 / 8 rounded to the grid), so at least 12 px.
  { name: 'same padding with batch norm, 3 classes', config: { ...base, depth: 2, padding: 'same', batchNorm: true, numClasses: 3, tileSizePx: 32 }, expected: { min: 12, step: 4, offset: 0, halo: 4 } },
  // Trained on 8 px tiles, below the package's smallest (12 px): the test tile is 12 px, from the same weights rebuilt.
  { name: 'same padding, trained on tiles below the smallest package tile', config: { ...base, depth: 2, padding: 'same', tileSizePx: 8 }, expected: { min: 12, step: 4, offset: 0, halo: 4 } },
  // A deep-supervised UNet++: one output, the mean of its heads' softmax, as the studio predicts.
  { name: 'UNet++ with deep supervision', config: { ...base, architecture: 'unetpp', depth: 2, padding: 'same', tileSizePx: 32, deepSupervision: true }, expected: { min: 12, step: 4, offset: 0, halo: 4 } },
];

const measured: string[] = [];
beforeAll(async () => void (await tf.setBackend('cpu')));
afterAll(() => console.info(`bioimage.io package, test output reproduced by onnxruntime-web, max |difference|:\n${measured.join('\n')}`));

describe.each(cases)('buildBioimagePackage: $name', ({ config, expected, minRange }) => {
  let files: Record<string, Uint8Array>;
  let rdf: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML, checked by the schema
  beforeAll(async () => {
    const model = buildUNet(config, 3);
    setTrainedLikeWeights(model, 8);
    const tensors = tf.memory().numTensors;
    const built = await buildBioimagePackage({ model, metadata: metadataFor(config, minRange), info, testImage: syntheticSlice(70, 50), timestamp: '2026-11-30T02:30:00Z' });
    expect(tf.memory().numTensors, 'tensors left behind by the export').toBe(tensors);
    model.dispose();
    files = unzipSync(built.zip);
    const yaml = new TextDecoder().decode(files[PACKAGE_FILES.rdf]);
    expect(yaml, 'plain YAML, no anchors or aliases').not.toMatch(/[&*]a\d/);
    rdf = parse(yaml) as typeof rdf;
    expect(rdf).toEqual(built.rdf);
  });

  it('holds every file the rdf names, with the rdf\'s SHA-256', () => {
    expect(Object.keys(files).sort()).toEqual(Object.values(PACKAGE_FILES).sort());
    const described = [rdf.inputs[0].test_tensor, rdf.outputs[0].test_tensor, rdf.weights.onnx, rdf.weights.tensorflow_js];
    for (const { source, sha256 } of described) expect(createHash('sha256').update(files[source]!).digest('hex'), source).toBe(sha256);
    expect(rdf.covers).toEqual([PACKAGE_FILES.cover]);
    const readme = new TextDecoder().decode(files[PACKAGE_FILES.documentation]);
    expect(readme).toMatch(/## Validation[\s\S]*\| IoU \(foreground\) \| 0\.8123 \| 2 held-out slices \|/);
    // The stretch limit, which rdf.yaml cannot carry, is said in words where the model has one.
    if (minRange === undefined) expect(readme).not.toContain('taken as at least');
    else expect(readme).toContain(`taken as at least ${minRange} (per channel, raw units`);
  });

  it.skipIf(!hasSharedReference(BIOIMAGEIO_SCHEMA))('validates against the bioimage.io JSON Schema (format 0.5)', () => {
    const validate = bioimageioSchemaValidator();
    const valid = validate(rdf);
    expect(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 1)).toBe(true);
    // And the schema does check: the same package with a broken axis is refused.
    expect(validate({ ...rdf, inputs: [{ ...rdf.inputs[0], axes: [{ type: 'space', id: 'y' }] }] })).toBe(false);
  });

  it('describes the tile geometry of its padding, and the ONNX weights follow it', async () => {
    const [, , y, x] = rdf.inputs[0].axes;
    expect(y.size).toEqual({ min: expected.min, step: expected.step });
    expect(x.size).toEqual(y.size);
    const outY = rdf.outputs[0].axes[2];
    expect(outY.size).toEqual({ tensor_id: 'input', axis_id: 'y', offset: expected.offset });
    expect(outY.halo).toBe(expected.halo || undefined);
    // At the two smallest sizes the rdf allows, onnxruntime's output has the size the rdf says.
    for (const sizePx of [expected.min, expected.min + expected.step]) {
      const input = new Float32Array(sizePx * sizePx).fill(0.5);
      const out = await runOnnx(files[PACKAGE_FILES.onnx]!, 'input', input, [1, 1, sizePx, sizePx]);
      expect(out.dims, `${sizePx} px`).toEqual([1, config.numClasses, sizePx + expected.offset, sizePx + expected.offset]);
      expect(sizePx + expected.offset - 2 * expected.halo, 'output left after the halo').toBeGreaterThan(0);
    }
  });

  it('reproduces its test output from its test input with onnxruntime-web, preprocessing as the rdf says', async () => {
    const input = readNpy(files[PACKAGE_FILES.testInput]!);
    const output = readNpy(files[PACKAGE_FILES.testOutput]!);
    const [ensure, scale, ensureAgain] = rdf.inputs[0].preprocessing;
    expect([ensure.id, scale.id, ensureAgain.id]).toEqual(['ensure_dtype', 'scale_range', 'ensure_dtype']);
    expect(scale.kwargs).toMatchObject({ axes: ['y', 'x'], min_percentile: 1, max_percentile: 99.8 });
    const actual = await runOnnx(files[PACKAGE_FILES.onnx]!, rdf.inputs[0].id, scaleRange(input.values, input.shape, scale.kwargs), input.shape);
    expect([...actual.dims]).toEqual(output.shape);
    const difference = maxAbsDiff(actual.data, output.values);
    measured.push(`  ${config.architecture === 'unetpp' ? 'UNet++ ' : ''}${config.padding}${config.batchNorm ? '+bn' : ''} d${config.depth}, test tile ${input.shape[3]} -> ${output.shape[3]} px: ${difference.toExponential(2)}`);
    expect(difference).toBeLessThan(TOLERANCE);
    expect(output.values.filter((p) => p > 0.02 && p < 0.98).length / output.values.length, 'unsaturated share').toBeGreaterThan(0.05);
  });

  it('ships tensorflow_js weights that the studio loads back and that give the test output', async () => {
    const inner = unzipSync(files[PACKAGE_FILES.tensorflowJs]!);
    expect(Object.keys(inner).sort()).toEqual(['model.json', 'model.weights.bin']);
    const json = JSON.parse(new TextDecoder().decode(inner['model.json'])) as { modelTopology: { config: { layers: { class_name: string }[] } } };
    // Probabilities, as the ONNX weights: a softmax, or the mean of a UNet++'s heads' softmax.
    expect(json.modelTopology.config.layers.at(-1)?.class_name).toBe(config.deepSupervision ? 'Average' : 'Softmax');
    const { model, metadata } = await loadModelFiles(new TextDecoder().decode(inner['model.json']), [inner['model.weights.bin']!.slice().buffer]);
    expect(metadata.architecture).toEqual(config);
    const input = readNpy(files[PACKAGE_FILES.testInput]!);
    const output = readNpy(files[PACKAGE_FILES.testOutput]!);
    const sizePx = input.shape[3]!;
    // One channel: NCHW and NHWC agree. Without the stretch limit, as rdf.yaml's scale_range (a package holds what it declares).
    expect(metadata.normalisation).toEqual(metadataFor(config, minRange).normalisation);
    const normalised = normaliseImage(input.values, 1, withoutStretchLimit(metadata.normalisation));
    const sized = sizePx === config.tileSizePx ? model : rebuildForTileSize(model, config, sizePx).model;
    const probabilities = tf.tidy(() => headProbabilities(sized, tf.tensor4d(normalised, [1, sizePx, sizePx, 1])).transpose([0, 3, 1, 2]).dataSync());
    expect(maxAbsDiff(probabilities, output.values)).toBeLessThan(1e-6);
    if (sized !== model) sized.dispose();
    model.dispose();
  });
});
