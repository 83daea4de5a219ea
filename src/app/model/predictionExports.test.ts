import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../../core/io/decodePng';
import { decodeTiff } from '../../core/io/decodeTiff';
import { PredictionRegistry } from '../predict/predictionRegistry';
import { buildPngZip, buildTiffExports, collectPredictedSlices, maskToGrey, probabilityToUint16 } from './predictionExports';
import { dequantiseProbabilities, quantiseProbabilities } from '../../core/predict/quantiseProbabilities';

/** Softmax-like maps from a seeded LCG: h x w x k, each pixel's k values summing to 1. */
function randomProbabilities(width: number, height: number, k: number, seed: number): Float32Array {
  let state = seed;
  const next = () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const out = new Float32Array(width * height * k);
  for (let i = 0; i < width * height; i++) {
    const raw = Array.from({ length: k }, () => next() + 0.01);
    const sum = raw.reduce((a, b) => a + b, 0);
    raw.forEach((v, c) => (out[i * k + c] = v / sum));
  }
  return out;
}

/** A finished prediction of random probabilities; returns them as the registry holds them (16-bit steps). */
function finish(registry: PredictionRegistry, id: string, width: number, height: number, k: number, seed: number): Float32Array {
  const quantised = quantiseProbabilities(randomProbabilities(width, height, k, seed), k, 0, width * height);
  registry.finish(id, width, height, k, quantised, new Int32Array(width * height), 0);
  const held = new Float32Array(width * height * k);
  dequantiseProbabilities(quantised, k, held, 0);
  return held;
}

// Independent of the registry: the class a pixel gets, from its k probabilities.
function expectedClass(p: Float32Array, i: number, k: number, threshold: number): number {
  const values = Array.from(p.subarray(i * k, (i + 1) * k));
  if (k === 2) return values[1]! > threshold ? 1 : 0;
  return values.indexOf(Math.max(...values));
}

describe('prediction exports', () => {
  it('masks.tif holds the thresholded classes and probabilities.tif the foreground, one page per predicted slice in slice order', () => {
    const registry = new PredictionRegistry();
    const pa = finish(registry, 'a', 5, 3, 2, 1);
    const pb = finish(registry, 'b', 5, 3, 2, 2);
    // 'c' is still streaming: not exported.
    registry.writeTile('c', 5, 3, 2, { inputX: 0, inputY: 0, outX: 0, outY: 0, outWidth: 5, outHeight: 3 }, new Float32Array(30));
    const threshold = 0.3;
    const slices = collectPredictedSlices([{ id: 'b', name: 'b.png' }, { id: 'c', name: 'c.png' }, { id: 'a', name: 'a.png' }, { id: 'x', name: 'x.png' }], registry, threshold);
    expect(slices.map((s) => s.name)).toEqual(['b.png', 'a.png']);

    const files = buildTiffExports(slices);
    expect(files.map((f) => f.name)).toEqual(['masks.tif', 'probabilities.tif']);
    const masks = decodeTiff(files[0]!.bytes, 'masks.tif');
    expect([masks.width, masks.height, masks.slices, masks.channels, masks.dtype]).toEqual([5, 3, 2, 1, 'uint8']);
    const expected = [pb, pa].flatMap((p) => Array.from({ length: 15 }, (_, i) => expectedClass(p, i, 2, threshold)));
    expect(Array.from(masks.data)).toEqual(expected);
    // Both classes occur, and the threshold (not argmax) decides some pixels: the check means something.
    expect(new Set(expected).size).toBe(2);
    const argmax = [pb, pa].flatMap((p) => Array.from({ length: 15 }, (_, i) => expectedClass(p, i, 2, 0.5)));
    expect(argmax).not.toEqual(expected);

    const probabilities = decodeTiff(files[1]!.bytes, 'probabilities.tif');
    expect([probabilities.slices, probabilities.dtype]).toEqual([2, 'float32']);
    const foreground = [pb, pa].flatMap((p) => Array.from({ length: 15 }, (_, i) => p[i * 2 + 1]!));
    expect(Array.from(probabilities.data)).toEqual(foreground);
  });

  it('takes the argmax for three classes', () => {
    const registry = new PredictionRegistry();
    const p = finish(registry, 'm', 4, 4, 3, 7);
    const files = buildTiffExports(collectPredictedSlices([{ id: 'm', name: 'm' }], registry, 0.9));
    const expected = Array.from({ length: 16 }, (_, i) => expectedClass(p, i, 3, 0.9));
    expect(new Set(expected).size).toBe(3);
    expect(Array.from(decodeTiff(files[0]!.bytes).data)).toEqual(expected);
  });

  it('writes one pair of stacks per slice size, named by size', () => {
    const registry = new PredictionRegistry();
    finish(registry, 'a', 4, 2, 2, 1);
    finish(registry, 'b', 3, 3, 2, 2);
    finish(registry, 'c', 4, 2, 2, 3);
    const files = buildTiffExports(collectPredictedSlices(['a', 'b', 'c'].map((id) => ({ id, name: id })), registry, 0.5));
    expect(files.map((f) => f.name)).toEqual(['masks-4x2.tif', 'probabilities-4x2.tif', 'masks-3x3.tif', 'probabilities-3x3.tif']);
    expect(files.map((f) => decodeTiff(f.bytes).slices)).toEqual([2, 2, 1, 1]);
  });

  it('PNG zip: masks as class x 255/(k-1) in 8 bits and probabilities x 65535 in 16 bits, named after the slices', () => {
    const registry = new PredictionRegistry();
    const p = finish(registry, 's1', 6, 2, 3, 11);
    finish(registry, 's2', 6, 2, 3, 12);
    const slices = collectPredictedSlices([{ id: 's1', name: 'cells 01.tif' }, { id: 's2', name: 'cells 01.tif' }], registry, 0.5);
    const zip = unzipSync(buildPngZip(slices));
    expect(Object.keys(zip).sort()).toEqual(['masks/cells_01-2.png', 'masks/cells_01.png', 'probabilities/cells_01-2.png', 'probabilities/cells_01.png']);
    const mask = decodePng(zip['masks/cells_01.png']!);
    expect([mask.width, mask.height, mask.dtype]).toEqual([6, 2, 'uint8']);
    expect(Array.from(mask.data)).toEqual(Array.from({ length: 12 }, (_, i) => [0, 128, 255][expectedClass(p, i, 3, 0.5)]));
    const probability = decodePng(zip['probabilities/cells_01.png']!);
    expect(probability.dtype).toBe('uint16');
    expect(Array.from(probability.data)).toEqual(Array.from({ length: 12 }, (_, i) => Math.round(p[i * 3 + 1]! * 65535)));
  });

  it('scales masks and probabilities as documented', () => {
    expect(Array.from(maskToGrey(Int32Array.from([0, 1]), 2))).toEqual([0, 255]);
    expect(Array.from(maskToGrey(Int32Array.from([0, 1, 2, 3, 4]), 5))).toEqual([0, 64, 128, 191, 255]);
    expect(Array.from(probabilityToUint16(Float32Array.from([0, 0.5, 1, 1.0000001, -0.1])))).toEqual([0, 32768, 65535, 65535, 0]);
  });
});
