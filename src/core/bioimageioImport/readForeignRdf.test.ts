/**
 * rdf.yaml of third-party packages as the studio reads it: the committed 0.5 package validates against
 * bioimage.io's JSON Schema (../shared/reference), both layouts (0.5 and 0.4) give the same geometry and
 * processing, valid-padded and fixed-size models tile as their rdf says, the axis orders round-trip, and
 * scale_range matches a reference written from bioimage.io's documentation.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { bioimageioSchemaValidator, scaleRange } from '../../testUtils/bioimageioReference';
import { maxAbsDiff } from '../../testUtils/compareArrays';
import { hasSharedReference } from '../../testing/testPeers';
import { applyProcessing } from './applyProcessing';
import { predictionPostprocessing } from './foreignModelSpec';
import { foreignPredictionTiling } from './foreignTiling';
import { readForeignRdf } from './readForeignRdf';
import { fromModelLayout, toModelLayout } from './tensorLayout';

const rdfOf = (variant: '0.5' | '0.4') => parse(readFileSync(path.resolve(import.meta.dirname, `fixtures/thirdparty-${variant}/rdf.yaml`), 'utf8')) as Record<string, unknown>;

describe('reading a third-party rdf.yaml', () => {
  it.skipIf(!hasSharedReference('bioimageio/bioimageio_schema.json'))('the committed 0.5 package validates against the bioimage.io JSON Schema', () => {
    const validate = bioimageioSchemaValidator();
    expect(validate(rdfOf('0.5')), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('reads the 0.5 and 0.4 layouts of the same model alike', () => {
    const v05 = readForeignRdf(rdfOf('0.5'), 'a.zip');
    const v04 = readForeignRdf(rdfOf('0.4'), 'b.zip');
    for (const spec of [v05, v04]) {
      expect(spec.input.axes).toEqual(['b', 'c', 'y', 'x']);
      expect(spec.input.sizes).toEqual({ y: { minPx: 32, stepPx: 16 }, x: { minPx: 32, stepPx: 16 } });
      expect(spec.output).toMatchObject({ channels: 1, haloPx: 16, offsetPx: 0, postprocessing: [{ kind: 'sigmoid' }] });
      expect(spec.weights).toEqual({ kind: 'onnx', source: 'weights.onnx' });
      expect(spec.testTensors).toEqual({ input: 'test_input.npy', output: 'test_output.npy' });
    }
    expect(v05.input.preprocessing).toEqual([{ kind: 'zero_mean_unit_variance', eps: 1e-6 }]);
    expect(v04.input.preprocessing).toEqual([{ kind: 'scale_range', lowPercent: 1, highPercent: 99.8, eps: 1e-6 }]);
    expect(v05.classNames).toEqual(['background', 'nucleus']);
  });

  it('tiles a valid-padded 0.4 model by its negative offset, and a fixed-size model at its size', () => {
    const valid = rdfOf('0.4') as { outputs: { shape: { offset: number[] }; halo: number[] }[] };
    valid.outputs[0]!.shape.offset = [0, 0, -46, -46];
    valid.outputs[0]!.halo = [0, 0, 0, 0];
    const spec = readForeignRdf(valid, 'valid.zip');
    expect(spec.output.offsetPx).toBe(-92);
    // 696 x 520 px: larger than the 512 px cap, so the largest allowed tile under it; its output is 92 px smaller, no margin, no overlap.
    expect(foreignPredictionTiling(spec, 696, 520)).toEqual({ inputTilePx: 512, outputTilePx: 420, marginPx: 0, overlapPx: 0, alignPx: 16 });

    const fixed = rdfOf('0.4') as { inputs: { shape: unknown }[]; outputs: { shape: unknown }[] };
    fixed.inputs[0]!.shape = [1, 1, 256, 256];
    fixed.outputs[0]!.shape = [1, 1, 256, 256];
    const fixedSpec = readForeignRdf(fixed, 'fixed.zip');
    expect(foreignPredictionTiling(fixedSpec, 100, 100)?.inputTilePx).toBe(256);
  });

  it('keeps binarize for the test tensors and leaves it to the threshold slider in prediction, saying so', () => {
    const rdf = rdfOf('0.5') as { outputs: { postprocessing: unknown[] }[] };
    rdf.outputs[0]!.postprocessing = [{ id: 'sigmoid' }, { id: 'binarize', kwargs: { threshold: 0.4 } }];
    const spec = readForeignRdf(rdf, 'binary.zip');
    expect(spec.output.postprocessing).toEqual([{ kind: 'sigmoid' }, { kind: 'binarize', threshold: 0.4 }]);
    expect(predictionPostprocessing(spec)).toEqual([{ kind: 'sigmoid' }]);
    expect(spec.assumptions.join(' ')).toContain('binarize step (threshold 0.4) is left to the studio\'s threshold slider');
  });

  it('says what it assumed of an output without a sigmoid or a probability range', () => {
    const rdf = rdfOf('0.5') as { outputs: { postprocessing: unknown[]; data: unknown; axes: { channel_names?: string[] }[] }[] };
    rdf.outputs[0]!.postprocessing = [];
    rdf.outputs[0]!.data = { type: 'float32' };
    rdf.outputs[0]!.axes[1]!.channel_names = ['background', 'cell', 'border'];
    const spec = readForeignRdf(rdf, 'scores.zip');
    expect(spec.classNames).toEqual(['background', 'cell', 'border']);
    expect(spec.assumptions.join(' ')).toMatch(/3 output channels are read as the probabilities of 3 classes.*taken as probabilities as they are, clipped to 0\.\.1/);
  });

  it('puts a tile in the model\'s axis order and reads its output back, whatever the order', () => {
    const image = { data: Float32Array.from({ length: 6 }, (_, i) => i), width: 3, height: 2, channels: 1 };
    for (const axes of [['b', 'c', 'y', 'x'], ['b', 'y', 'x', 'c'], ['b', 'c', 'x', 'y'], ['y', 'x']] as const) {
      const tensor = toModelLayout(image, axes);
      expect(fromModelLayout(tensor, axes)).toEqual(image);
    }
    expect(Array.from(toModelLayout(image, ['b', 'c', 'x', 'y']).data)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('applies scale_range as a reference written from bioimage.io\'s documentation does', () => {
    const values = Float32Array.from({ length: 400 }, (_, i) => Math.sin(i * 0.37) * 1000 + i);
    const kwargs = { min_percentile: 2, max_percentile: 99.5, eps: 1e-6 };
    const ours = applyProcessing(values, 1, [{ kind: 'scale_range', lowPercent: 2, highPercent: 99.5, eps: 1e-6 }]);
    expect(maxAbsDiff(ours, scaleRange(values, [1, 1, 20, 20], kwargs))).toBeLessThan(1e-6);
  });
});
