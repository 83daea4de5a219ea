import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { borderPx, outputSizePx } from '../geometry/tileGeometry';
import { buildUNet } from './buildUNet';
import { loadModelFiles, saveModelFiles } from './modelFiles';
import type { ModelMetadata } from './modelMetadata';
import { DEFAULT_NORMALISATION } from './modelMetadata';
import { PAPER_UNET } from './unetConfig';

const config = { ...PAPER_UNET, depth: 2, baseChannels: 4, tileSizePx: 60 };
const metadata: ModelMetadata = {
  format: 'unet-studio/1',
  architecture: config,
  tile: { inputTilePx: 60, outputTilePx: outputSizePx(60, config), borderPx: borderPx(config) },
  normalisation: DEFAULT_NORMALISATION,
  classNames: ['membrane', 'cell'],
  training: { steps: 12, preset: 'paper', finalLoss: 0.3, bestValidationLoss: 0.35, backend: 'cpu', savedAt: '2026-11-21T00:00:00Z' },
};

describe('model files', () => {
  it('export -> import gives identical predictions, and plain tf.loadLayersModel reads the export', async () => {
    const model = buildUNet(config, 11);
    const files = await saveModelFiles(model, metadata);
    const json = JSON.parse(files.modelJson) as { format: string; weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[]; userDefinedMetadata: { unetStudio: ModelMetadata } };
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0]!.paths).toEqual(['./model.weights.bin']);
    const manifestBytes = json.weightsManifest[0]!.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
    expect(files.weights.byteLength).toBe(manifestBytes);
    expect(json.userDefinedMetadata.unetStudio).toEqual(metadata);
    expect(JSON.parse(files.metadataJson)).toEqual(metadata);

    const { model: imported, metadata: importedMetadata } = await loadModelFiles(files.modelJson, [files.weights]);
    expect(importedMetadata).toEqual(metadata);
    const x = tf.randomNormal([1, 60, 60, 1], 0, 1, 'float32', 3);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (imported.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));

    // The standard path a user's own code takes.
    const plain = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: (JSON.parse(files.modelJson) as { modelTopology: object }).modelTopology,
      weightSpecs: json.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[],
      weightData: files.weights,
    }));
    expect(Array.from((plain.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(a));
    tf.dispose(x);
    [model, imported, plain].forEach((m) => m.dispose());
  });

  it('rejects files that are not ours or do not match, with clear messages', async () => {
    const model = buildUNet(config, 12);
    const files = await saveModelFiles(model, metadata);
    await expect(loadModelFiles('{not json', [files.weights])).rejects.toThrow(/not valid JSON/);
    await expect(loadModelFiles('{"format":"graph-model"}', [files.weights])).rejects.toThrow(/not a TensorFlow\.js layers model/);
    const foreign = JSON.parse(files.modelJson) as Record<string, unknown>;
    delete foreign.userDefinedMetadata;
    await expect(loadModelFiles(JSON.stringify(foreign), [files.weights])).rejects.toThrow(/not saved by U-Net Studio/);
    await expect(loadModelFiles(files.modelJson, [files.weights.slice(0, 100)])).rejects.toThrow(/weights file has 100 bytes, but model.json describes \d+/);
    model.dispose();
  });
});
