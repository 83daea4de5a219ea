import { testMetadata } from '../../testUtils/testMetadata';
import * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildUNet } from '../../core/model/buildUNet';
import { loadModelFiles, saveModelFiles } from '../../core/model/modelFiles';
import { PAPER_UNET } from '../../core/model/unetConfig';
import { modelFileEntries, unzipEntries, zipModelFiles, zipNamedFiles } from './modelZip';
import { readModelFiles } from './readModelFiles';

const config = { ...PAPER_UNET, depth: 2, baseChannels: 4, tileSizePx: 60 };
const metadata = testMetadata(config, {
  classNames: ['background', 'cell'],
  training: { steps: 12, preset: 'paper', finalLoss: 0.3, bestValidationLoss: null, backend: 'cpu', savedAt: '2026-01-01T00:00:00Z' },
});

describe('model zip', () => {
  it('save -> zip -> unzip -> readModelFiles -> load gives the identical weights', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const model = buildUNet(config, 5);
    const files = await saveModelFiles(model, metadata);
    const zip = zipModelFiles(files);
    const entries = unzipEntries(zip, 'unet-model.zip');
    expect(entries.map((e) => e.name).sort()).toEqual(['model.json', 'model.metadata.json', 'model.weights.bin']);
    expect(Array.from(entries.find((e) => e.name === 'model.weights.bin')!.bytes)).toEqual(Array.from(new Uint8Array(files.weights)));

    const { modelJson, weights } = readModelFiles([{ name: 'unet-model.zip', bytes: zip }]);
    expect(modelJson).toBe(files.modelJson);
    const { model: loaded, metadata: loadedMetadata } = await loadModelFiles(modelJson, weights);
    expect(loadedMetadata).toEqual(metadata);
    const before = model.getWeights();
    const after = loaded.getWeights();
    expect(after.length).toBe(before.length);
    expect(before.length).toBeGreaterThan(10);
    before.forEach((w, i) => expect(Array.from(after[i]!.dataSync())).toEqual(Array.from(w.dataSync())));
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('lists the three export files with their bytes', () => {
    const weights = new Float32Array([1.5, -2, 3]).buffer;
    const entries = modelFileEntries({ modelJson: '{"a":1}', weightsFileName: 'model.weights.bin', weights, metadataJson: '{"m":2}' });
    expect(entries.map((e) => e.name)).toEqual(['model.json', 'model.weights.bin', 'model.metadata.json']);
    expect(new TextDecoder().decode(entries[0]!.bytes)).toBe('{"a":1}');
    expect(Array.from(new Float32Array(entries[1]!.bytes.slice().buffer))).toEqual([1.5, -2, 3]);
    expect(new TextDecoder().decode(entries[2]!.bytes)).toBe('{"m":2}');
  });

  it('flattens folders and skips directory entries and macOS clutter', () => {
    const zip = zipSync({
      'my-model/': new Uint8Array(0),
      'my-model/model.json': new Uint8Array([123, 125]),
      'my-model/model.weights.bin': new Uint8Array([1, 2, 3, 4]),
      '__MACOSX/my-model/._model.json': new Uint8Array([9]),
      'my-model/.DS_Store': new Uint8Array([9]),
    });
    const entries = unzipEntries(zip, 'my-model.zip');
    expect(entries.map((e) => [e.name, Array.from(e.bytes)])).toEqual([['model.json', [123, 125]], ['model.weights.bin', [1, 2, 3, 4]]]);
  });

  it('names the zip that cannot be read, and refuses two entries with one name', () => {
    expect(() => unzipEntries(new Uint8Array([1, 2, 3, 4, 5]), 'broken.zip')).toThrow(/^\u2068broken\.zip\u2069 could not be read as a zip file/);
    expect(() => zipNamedFiles([{ name: 'a.png', bytes: new Uint8Array(1) }, { name: 'a.png', bytes: new Uint8Array(1) }])).toThrow(/both be named \u2068a\.png\u2069/);
  });
});
