import { testMetadata } from '../../testUtils/testMetadata';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildUNet } from './buildUNet';
import { loadModelFiles, saveModelFiles } from './modelFiles';
import { UNKNOWN_TRAINING } from './readModelMetadata';
import type { ModelMetadata } from './modelMetadata';
import { PAPER_UNET } from './unetConfig';

const config = { ...PAPER_UNET, depth: 2, baseChannels: 4, tileSizePx: 60 };
const metadata = testMetadata(config, {
  classNames: ['membrane', 'cell'],
  training: { steps: 12, preset: 'paper', finalLoss: 0.3, bestValidationLoss: 0.35, backend: 'cpu', savedAt: '2026-11-21T00:00:00Z' },
});

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

  it('reads metadata saved before the architecture field existed as a U-Net', async () => {
    const model = buildUNet(config, 14);
    const files = await saveModelFiles(model, metadata);
    const json = JSON.parse(files.modelJson) as { userDefinedMetadata: { unetStudio: { architecture: Record<string, unknown> } } };
    delete json.userDefinedMetadata.unetStudio.architecture.architecture;
    const { model: imported, metadata: read } = await loadModelFiles(JSON.stringify(json), [files.weights]);
    expect(read.architecture).toEqual(config);
    [model, imported].forEach((m) => m.dispose());
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

  it('keeps the stretch limit of a model that has one, and reads a model from before it without one', async () => {
    const model = buildUNet(config, 13);
    const limited = { kind: 'percentile' as const, lowPercent: 1, highPercent: 99.8, minRange: [42.5] };
    const withLimit = await saveModelFiles(model, { ...metadata, normalisation: limited });
    const older = await saveModelFiles(model, { ...metadata, normalisation: { kind: 'percentile', lowPercent: 1, highPercent: 99.8 } });
    model.dispose();
    const a = await loadModelFiles(withLimit.modelJson, [withLimit.weights]);
    const b = await loadModelFiles(older.modelJson, [older.weights]);
    expect(a.metadata.normalisation).toEqual(limited);
    expect(b.metadata.normalisation).toEqual({ kind: 'percentile', lowPercent: 1, highPercent: 99.8 });
    [a.model, b.model].forEach((m) => m.dispose());
  });

  it('restores a batch-norm network exactly (moving statistics included)', async () => {
    const bnConfig = { ...config, padding: 'same' as const, batchNorm: true, tileSizePx: 64 };
    const model = buildUNet(bnConfig, 5);
    // Non-default moving statistics, so a mix-up of weight order would show.
    model.setWeights(model.getWeights().map((w, i) => tf.add(w, tf.scalar(0.01 * (i + 1)))));
    const files = await saveModelFiles(model, { ...metadata, architecture: bnConfig, tile: { inputTilePx: 64, outputTilePx: 64, borderPx: 0 } });
    const { model: imported } = await loadModelFiles(files.modelJson, [files.weights]);
    const x = tf.randomNormal([1, 64, 64, 1], 0, 1, 'float32', 4);
    expect(Array.from((imported.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    tf.dispose(x);
    [model, imported].forEach((m) => m.dispose());
  });

  it('refuses hostile or broken metadata and weights before building anything it keeps, and leaks no tensor', async () => {
    const model = buildUNet(config, 13);
    const files = await saveModelFiles(model, metadata);
    model.dispose();
    const withMetadata = (edit: (m: Record<string, unknown>) => void): string => {
      const json = JSON.parse(files.modelJson) as { userDefinedMetadata: { unetStudio: Record<string, unknown> } };
      edit(json.userDefinedMetadata.unetStudio);
      return JSON.stringify(json);
    };
    const tensorsBefore = tf.memory().numTensors;
    await expect(loadModelFiles(withMetadata((m) => { delete m.normalisation; }), [files.weights])).rejects.toThrow(/normalisation is missing/);
    await expect(loadModelFiles(withMetadata((m) => { m.normalisation = { kind: 'percentile', lowPercent: -50, highPercent: 500 }; }), [files.weights]))
      .rejects.toThrow(/percentiles -50\.\.500, not 0 <= low < high <= 100/);
    await expect(loadModelFiles(withMetadata((m) => { m.normalisation = { kind: 'percentile', lowPercent: 1, highPercent: 99.8, minRange: [5, 5] }; }), [files.weights]))
      .rejects.toThrow(/normalisation\.minRange is not a list of 1 range\(s\)/);
    await expect(loadModelFiles(withMetadata((m) => { m.classNames = ['a', 'b', 'c']; }), [files.weights])).rejects.toThrow(/names 3 classes for a network of 2/);
    await expect(loadModelFiles(withMetadata((m) => { m.architecture = { ...config, depth: 3 }; }), [files.weights])).rejects.toThrow(/architecture is not a network U-Net Studio builds \(/);
    await expect(loadModelFiles(withMetadata((m) => { m.architecture = { ...config, baseChannels: 8 }; }), [files.weights])).rejects.toThrow(/weights \([\d,]+ bytes\) do not fit the network its metadata describes/);
    await expect(loadModelFiles(withMetadata((m) => { m.training = { steps: 'many' }; }), [files.weights])).rejects.toThrow(/training\.steps is not a whole number/);
    const nan = new Float32Array(files.weights.slice(0));
    nan.fill(Number.NaN, 10, 30);
    await expect(loadModelFiles(files.modelJson, [nan.buffer])).rejects.toThrow(/hold 20 values that are not numbers/);
    // A network of absurd size with no weights: refused from the metadata, nothing built.
    const absurd = JSON.parse(withMetadata((m) => { m.architecture = { ...config, padding: 'same', depth: 6, baseChannels: 1024, tileSizePx: 64 }; m.tile = { inputTilePx: 64, outputTilePx: 64, borderPx: 0 }; })) as Record<string, unknown>;
    absurd.weightsManifest = [{ paths: [], weights: [] }]; // and no weights at all: every byte count agrees
    await expect(loadModelFiles(JSON.stringify(absurd), [new ArrayBuffer(0)]))
      .rejects.toThrow(/describes a network of \d+ million parameters; U-Net Studio imports networks of up to 400 million/);
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    // A model without a training record still predicts: its history is unknown, not an error.
    const { model: untrained, metadata: read } = await loadModelFiles(withMetadata((m) => { delete m.training; }), [files.weights]);
    expect(read.training).toEqual(UNKNOWN_TRAINING);
    untrained.dispose();
  });
});
