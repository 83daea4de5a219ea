/**
 * The tfjs U-Net against an independent PyTorch implementation
 * (scripts/make_unet_fixtures.py, float64): same weights in, same logits,
 * weighted loss and gradient of every weight out.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from '../../testUtils/compareArrays';
import type { Arr, ParityFixture } from '../../testUtils/pytorchParity';
import { describeGradientErrors, fixtureTensors, gradientErrors, loadJsonFixture, loadReferenceWeights, parityTolerance } from '../../testUtils/pytorchParity';
import { useWasmBackend } from '../../testUtils/wasmBackend';
import { weightedSoftmaxCrossEntropy } from '../loss/weightedSoftmaxCrossEntropy';
import { buildUNet } from './buildUNet';
import { namedWeights } from './namedWeights';
import type { UNetConfig } from './unetConfig';

type Fixture = ParityFixture<Arr> & { config: UNetConfig; movingStatisticsAfterForward?: Record<string, Arr> };

const combinations = ['cpu', 'wasm'].flatMap((backend) => ['unet-valid-d2c4', 'unet-same-bn-d2c4'].map((name) => ({ backend, name })));

describe.each(combinations)('U-Net parity with PyTorch on $backend: $name', ({ backend, name }) => {
  const fixture = loadJsonFixture<Fixture>(name);
  const { config } = fixture;
  // wasm trains only with the project's Conv2DBackpropFilter kernel (src/engine/backends).
  beforeAll(async () => (backend === 'wasm' ? useWasmBackend() : void (await tf.setBackend('cpu'))));
  afterAll(async () => void (await tf.setBackend('cpu')));

  it('matches logits, weighted loss and every weight gradient', () => {
    const model = buildUNet(config, 7);
    loadReferenceWeights(model, fixture.weights);
    const { x, labels, pixelWeights } = fixtureTensors(fixture);
    const training = fixture.batchNormTraining;

    const logits = model.apply(x, { training }) as tf.Tensor4D;
    expect(logits.shape).toEqual(fixture.logits.shape);
    const logitsError = relativeError(logits.dataSync(), fixture.logits.data);

    const { value, grads } = tf.variableGrads(() =>
      weightedSoftmaxCrossEntropy(model.apply(x, { training }) as tf.Tensor4D, labels, pixelWeights),
    );
    const lossError = Math.abs(value.dataSync()[0]! - fixture.loss) / Math.abs(fixture.loss);
    const errors = gradientErrors(model, grads, fixture.gradients);

    console.info(`[parity] ${backend} ${name}: logits ${logitsError.toExponential(2)}, loss ${lossError.toExponential(2)}, ${describeGradientErrors(fixture, errors)}`);
    expect(logitsError).toBeLessThan(parityTolerance(fixture, 'logits'));
    expect(lossError).toBeLessThan(parityTolerance(fixture, 'loss'));
    for (const [key, err] of Object.entries(errors)) expect(err, key).toBeLessThan(parityTolerance(fixture, key));

    tf.dispose([x, labels, pixelWeights, logits, value, ...Object.values(grads)]);
    model.dispose();
  });
});

describe.each(['cpu', 'wasm'])('U-Net batch norm\'s moving statistics against PyTorch on %s', (backend) => {
  const fixture = loadJsonFixture<Fixture>('unet-same-bn-d2c4');
  beforeAll(async () => (backend === 'wasm' ? useWasmBackend() : void (await tf.setBackend('cpu'))));
  afterAll(async () => void (await tf.setBackend('cpu')));

  it('are PyTorch\'s after a training forward (the moving variance from the unbiased batch variance)', () => {
    const model = buildUNet(fixture.config, 7);
    loadReferenceWeights(model, fixture.weights);
    const { x, labels, pixelWeights } = fixtureTensors(fixture);
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    const expected = Object.entries(fixture.movingStatisticsAfterForward ?? {});
    expect(expected.length).toBe(20); // a moving mean and variance for each of the 10 batch norms
    const weights = namedWeights(model);
    for (const [key, ref] of expected) {
      expect(relativeError(weights.get(key)!.read().dataSync(), ref.data), key).toBeLessThan(1e-5);
    }
    tf.dispose([x, labels, pixelWeights]);
    model.dispose();
  });
});
