/**
 * A third-party package with TensorFlow.js weights (a layers model that is not a studio U-Net: channels
 * last, a softmax over 2 channels inside it) in the 0.5 layout rdf.yaml with axes b, y, x, c and
 * scale_linear + clip preprocessing. Its test output is the tfjs model run directly on the input
 * preprocessed by hand, so the check covers the loading (tf.io.fromMemory), the axis order and the
 * processing steps of the import path.
 */
import * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../core/export/bioimageio/encodeNpy';
import { mulberry32 } from '../../core/random/mulberry32';
import { EngineSession } from '../EngineSession';
import type { EngineEvent } from '../protocol';

const SIDE = 32;

async function tfjsPackage(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const input = tf.input({ shape: [null, null, 1] as unknown as number[] });
  const hidden = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'features' }).apply(input);
  const output = tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'softmax', name: 'classes' }).apply(hidden) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (saved) => { artifacts = saved; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  const saved = artifacts as unknown as tf.io.ModelArtifacts;
  const modelJson = { format: 'layers-model', modelTopology: saved.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: saved.weightSpecs }] };

  const uniform = mulberry32(3);
  const raw = Float32Array.from({ length: SIDE * SIDE }, () => Math.round(uniform() * 400));
  // By hand, as the rdf below says: scale_linear (gain 0.01, offset -1), then clip to [-0.5, 0.8].
  const preprocessed = raw.map((v) => Math.min(0.8, Math.max(-0.5, v * 0.01 - 1)));
  const expected = tf.tidy(() => (model.predict(tf.tensor4d(preprocessed, [1, SIDE, SIDE, 1])) as tf.Tensor).dataSync() as Float32Array);
  model.dispose();

  const rdf = {
    type: 'model', format_version: '0.5.7', name: 'Channels-last tfjs net',
    inputs: [{
      id: 'image', axes: [{ type: 'batch' }, { type: 'space', id: 'y', size: { min: 8, step: 1 } }, { type: 'space', id: 'x', size: { min: 8, step: 1 } }, { type: 'channel', channel_names: ['grey'] }],
      test_tensor: { source: 'in.npy' },
      preprocessing: [{ id: 'scale_linear', kwargs: { gain: 0.01, offset: -1 } }, { id: 'clip', kwargs: { min: -0.5, max: 0.8 } }],
    }],
    outputs: [{
      id: 'classes', axes: [{ type: 'batch' }, { type: 'space', id: 'y', size: { tensor_id: 'image', axis_id: 'y' } }, { type: 'space', id: 'x', size: { tensor_id: 'image', axis_id: 'x' } }, { type: 'channel', channel_names: ['background', 'cell'] }],
      test_tensor: { source: 'out.npy' }, data: { range: [0, 1] },
    }],
    weights: { tensorflow_js: { source: 'tfjs.zip', tensorflow_version: '4.22' } },
  };
  const weightsZip = zipSync({ 'model.json': new TextEncoder().encode(JSON.stringify(modelJson)), 'group1-shard1of1.bin': new Uint8Array(saved.weightData as ArrayBuffer) });
  return [
    { name: 'rdf.yaml', bytes: new TextEncoder().encode(stringify(rdf)) },
    { name: 'tfjs.zip', bytes: weightsZip },
    { name: 'in.npy', bytes: encodeNpy(raw, [1, SIDE, SIDE, 1]) },
    { name: 'out.npy', bytes: encodeNpy(expected, [1, SIDE, SIDE, 2]) },
  ];
}

describe('a third-party package with TensorFlow.js weights', () => {
  it('loads the layers model from the package, reproduces its test output and predicts 2 classes', async () => {
    const files = await tfjsPackage();
    const session = new EngineSession(() => tf.getBackend());
    const summary = await session.importForeignModel(files, 'tfjs-net.zip');
    console.info(`[parity] third-party tfjs layers model (axes byxc), test output reproduced: max |difference| ${summary.testMaxAbsDifference?.toExponential(2)}`);
    expect(summary.weights).toBe('tensorflow_js');
    expect(summary.testMaxAbsDifference as number).toBeLessThan(1e-5);
    expect(summary.classNames).toEqual(['background', 'cell']);

    session.putSlice({ id: 's', width: 40, height: 24, channels: 1, dtype: 'uint16', pixels: Uint16Array.from({ length: 960 }, (_, i) => i % 300), classes: null, instances: null });
    const events: EngineEvent[] = [];
    const tensorsBefore = tf.memory().numTensors;
    await session.predict('p', ['s'], true, (event) => void events.push(event));
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const done = events.find((e) => e.type === 'predict/slice-done');
    if (done?.type !== 'predict/slice-done') throw new Error('no slice-done');
    expect(done.numClasses).toBe(2);
    // A softmax: the two classes sum to 1 everywhere in each streamed tile (test-time augmentation averages 8 of them).
    const tiles = events.filter((e): e is Extract<EngineEvent, { type: 'predict/tile' }> => e.type === 'predict/tile');
    expect(tiles.length).toBeGreaterThan(0);
    for (const tile of tiles) for (let i = 0; i < tile.probabilities.length / 2; i++) expect(Math.abs(tile.probabilities[2 * i]! + tile.probabilities[2 * i + 1]! - 1)).toBeLessThan(1e-5);
    expect(done.quantised).toHaveLength(960);
  });
});
