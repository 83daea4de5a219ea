import { testMetadata } from '../../testUtils/testMetadata';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadJsonFixture } from '../../testUtils/pytorchParity';
import { buildUNet } from './buildUNet';
import { countParameters } from './countParameters';
import { loadModelFiles, saveModelFiles } from './modelFiles';
import { prunedConfig, pruneUNetPlusPlus } from './pruneUNetPlusPlus';
import type { UNetConfig } from './unetConfig';

/** PyTorch's count of the parameters each head depends on (scripts/make_unetpp_fixtures.py). */
interface ParameterCounts { config: UNetConfig; perLevel: Record<string, number> }
const pytorch = loadJsonFixture<Record<'reference' | 'referenceBatchNorm', ParameterCounts>>('unetpp-parameters');

const TINY: UNetConfig = {
  architecture: 'unetpp', depth: 3, baseChannels: 3, padding: 'same', inputChannels: 1, numClasses: 2,
  dropoutRate: 0.5, batchNorm: true, tileSizePx: 32, deepSupervision: true,
};

const trainableCount = (model: tf.LayersModel) => model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);

describe('pruneUNetPlusPlus', () => {
  it('at the reference widths 32..512 keeps per level the parameters PyTorch counts (the paper: 0.1 / 0.5 / 2.2 / 9.0 M)', () => {
    for (const level of [1, 2, 3, 4]) {
      expect(countParameters(prunedConfig(pytorch.reference.config, level))).toBe(pytorch.reference.perLevel[`L${level}`]);
      // With batch norm tfjs also stores the moving statistics, which PyTorch keeps as buffers: compare trainable weights.
      const model = buildUNet({ ...prunedConfig(pytorch.referenceBatchNorm.config, level), tileSizePx: 16 });
      expect(trainableCount(model), `L${level} with batch norm`).toBe(pytorch.referenceBatchNorm.perLevel[`L${level}`]);
      expect(countParameters({ ...prunedConfig(pytorch.referenceBatchNorm.config, level), tileSizePx: 16 })).toBe(model.countParams());
      model.dispose();
    }
  });

  it('gives a plain layers model that saves, loads with tf.loadLayersModel and through our import, predicting as the full model\'s head', async () => {
    const full = buildUNet(TINY, 3);
    const { model, config } = pruneUNetPlusPlus(full, TINY, 2);
    expect(model.countParams()).toBeLessThan(full.countParams());
    const metadata = testMetadata(config, { classNames: ['background', 'cell'] });
    const files = await saveModelFiles(model, metadata);
    const json = JSON.parse(files.modelJson) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
    const plain = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: files.weights }));
    const { model: imported, metadata: read } = await loadModelFiles(files.modelJson, [files.weights]);
    expect(read.architecture).toEqual(config);

    const x = tf.randomNormal([1, 32, 32, 1], 0, 1, 'float32', 5);
    const fullHeads = full.predict(x) as tf.Tensor[];
    const expected = Array.from(fullHeads[1]!.dataSync()); // head2
    full.dispose(); // the pruned model holds its own references to the weights
    for (const m of [model, plain, imported]) expect(Array.from((m.predict(x) as tf.Tensor).dataSync())).toEqual(expected);
    tf.dispose([x, ...fullHeads]);
    [model, plain, imported].forEach((m) => m.dispose());
  });

  it('refuses what it cannot prune', () => {
    expect(() => prunedConfig({ ...TINY, deepSupervision: false }, 2)).toThrow(/only deep supervision trains/);
    expect(prunedConfig({ ...TINY, deepSupervision: false }, 3).depth).toBe(3);
    expect(() => prunedConfig(TINY, 0)).toThrow(/level from 1 to 3/);
    expect(() => prunedConfig({ ...TINY, architecture: 'unet' }, 2)).toThrow(/Only a UNet\+\+/);
  });
});
