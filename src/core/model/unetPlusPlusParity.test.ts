/**
 * The tfjs UNet++ against an independent PyTorch implementation (scripts/make_unetpp_fixtures.py,
 * float64): same weights in; the logits of every head, the deep-supervision loss (the mean of the
 * heads' weighted losses) and the gradient of every weight out. Pruned models give their level's
 * head, with the parameter count PyTorch's autograd finds that head depends on.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from '../../testUtils/compareArrays';
import type { Arr, ParityFixture } from '../../testUtils/pytorchParity';
import { describeGradientErrors, gradientErrors, loadJsonFixture, loadReferenceWeights, parityTolerance } from '../../testUtils/pytorchParity';
import { useWasmBackend } from '../../testUtils/wasmBackend';
import { meanLossOverHeads } from '../loss/meanLossOverHeads';
import { buildUNet } from './buildUNet';
import { describeNetwork } from './describeNetwork';
import { headLogits } from './headOutputs';
import { pruneUNetPlusPlus } from './pruneUNetPlusPlus';
import type { UNetConfig } from './unetConfig';

type Fixture = ParityFixture<Record<string, Arr>> & { config: UNetConfig };
interface ParameterCounts { perLevel: Record<string, number> }
const pytorchParameters = loadJsonFixture<Record<string, ParameterCounts>>('unetpp-parameters');
const PARAMETERS_OF = { 'unetpp-same-bn-d2c4-ds': 'tinyBatchNorm', 'unetpp-same-d3c3-ds': 'tiny' } as const;

const trainableCount = (model: tf.LayersModel) => model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);

const combinations = ['cpu', 'wasm'].flatMap((backend) => (['unetpp-same-bn-d2c4-ds', 'unetpp-same-d3c3-ds'] as const).map((name) => ({ backend, name })));

describe.each(combinations)('UNet++ parity with PyTorch on $backend: $name', ({ backend, name }) => {
  const fixture = loadJsonFixture<Fixture>(name);
  const { config } = fixture;
  const training = fixture.batchNormTraining;
  const heads = describeNetwork(config).heads;
  // wasm trains only with the project's Conv2DBackpropFilter kernel (src/engine/backends).
  beforeAll(async () => (backend === 'wasm' ? useWasmBackend() : void (await tf.setBackend('cpu'))));
  afterAll(async () => void (await tf.setBackend('cpu')));

  const tensors = () => ({
    x: tf.tensor4d(fixture.input.data, fixture.input.shape as [number, number, number, number]),
    labels: tf.tensor3d(fixture.labels.data, fixture.labels.shape as [number, number, number], 'int32'),
    pixelWeights: tf.tensor3d(fixture.pixelWeights.data, fixture.pixelWeights.shape as [number, number, number]),
  });

  it('matches every head\'s logits, the mean loss over heads and every weight gradient', () => {
    const model = buildUNet(config, 7);
    loadReferenceWeights(model, fixture.weights);
    const { x, labels, pixelWeights } = tensors();

    expect(heads).toEqual(Object.keys(fixture.logits));
    const logits = headLogits(model, x, training);
    const logitsErrors = heads.map((head, i) => {
      expect(logits[i]!.shape, head).toEqual(fixture.logits[head]!.shape);
      return relativeError(logits[i]!.dataSync(), fixture.logits[head]!.data);
    });

    const { value, grads } = tf.variableGrads(() => meanLossOverHeads(headLogits(model, x, training), labels, pixelWeights));
    const lossError = Math.abs(value.dataSync()[0]! - fixture.loss) / Math.abs(fixture.loss);
    const errors = gradientErrors(model, grads, fixture.gradients);

    console.info(`[parity] ${backend} ${name}: logits ${heads.map((h, i) => `${h} ${logitsErrors[i]!.toExponential(2)}`).join(', ')}; ` +
      `loss ${lossError.toExponential(2)}, ${describeGradientErrors(fixture, errors)}`);
    heads.forEach((head, i) => expect(logitsErrors[i], head).toBeLessThan(parityTolerance(fixture, `logits.${head}`)));
    expect(lossError).toBeLessThan(parityTolerance(fixture, 'loss'));
    for (const [key, err] of Object.entries(errors)) expect(err, key).toBeLessThan(parityTolerance(fixture, key));

    tf.dispose([x, labels, pixelWeights, ...logits, value, ...Object.values(grads)]);
    model.dispose();
  });

  it('prunes to each level: that head\'s logits, with the parameters PyTorch finds it depends on', () => {
    const model = buildUNet(config, 7);
    loadReferenceWeights(model, fixture.weights);
    const { x, labels, pixelWeights } = tensors();
    const counts: string[] = [];
    for (let level = 1; level <= config.depth; level++) {
      const pruned = pruneUNetPlusPlus(model, config, level);
      const [logits, ...more] = headLogits(pruned.model, x, training);
      expect(more).toHaveLength(0);
      const error = relativeError(logits!.dataSync(), fixture.logits[`head${level}`]!.data);
      expect(error, `level ${level}`).toBeLessThan(parityTolerance(fixture, `logits.head${level}`));
      const parameters = trainableCount(pruned.model);
      expect(parameters).toBe(pytorchParameters[PARAMETERS_OF[name]]!.perLevel[`L${level}`]);
      counts.push(`L${level} ${parameters} (${error.toExponential(2)})`);
      tf.dispose(logits);
      pruned.model.dispose();
    }
    console.info(`[parity] ${backend} ${name} pruned: ${counts.join(', ')} of ${trainableCount(model)}`);
    tf.dispose([x, labels, pixelWeights]);
    model.dispose();
  });
});
