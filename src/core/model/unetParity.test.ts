/**
 * The tfjs U-Net against an independent PyTorch implementation
 * (scripts/make_unet_fixtures.py, float64): same weights in, same logits,
 * weighted loss and gradient of every weight out.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from '../../testUtils/compareArrays';
import { useWasmBackend } from '../../testUtils/wasmBackend';
import { weightedSoftmaxCrossEntropy } from '../loss/weightedSoftmaxCrossEntropy';
import { buildUNet } from './buildUNet';
import { namedWeights } from './namedWeights';
import type { UNetConfig } from './unetConfig';

interface Arr { shape: number[]; data: number[] }
interface Fixture {
  config: UNetConfig;
  batchNormTraining: boolean;
  input: Arr; labels: Arr; pixelWeights: Arr; logits: Arr; loss: number;
  weights: Record<string, Arr>;
  gradients: Record<string, Arr>;
  /** How far PyTorch's own float32 run is from its float64 truth, per gradient key, 'logits' and 'loss'. */
  pytorchFloat32Error: Record<string, number>;
}

/**
 * Relative error is max |a - b| / max |b| against PyTorch in float64. We require
 * 1e-4, or, where float32 itself cannot get that close (gradients through several
 * batch norms in training mode cancel badly: PyTorch's float32 run misses by up
 * to 2.3e-3 there), no more than 4x PyTorch's own float32 error.
 */
const RELATIVE_TOLERANCE = 1e-4;
const FLOAT32_SLACK = 4;

function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Fixture;
}

function loadReferenceWeights(model: tf.LayersModel, fixture: Fixture): void {
  const weights = namedWeights(model);
  expect([...weights.keys()].sort()).toEqual(Object.keys(fixture.weights).sort());
  for (const [name, variable] of weights) {
    const ref = fixture.weights[name] as Arr;
    expect(variable.shape, name).toEqual(ref.shape);
    variable.write(tf.tensor(ref.data, ref.shape, 'float32'));
  }
}

const combinations = ['cpu', 'wasm'].flatMap((backend) => ['unet-valid-d2c4', 'unet-same-bn-d2c4'].map((name) => ({ backend, name })));

describe.each(combinations)('U-Net parity with PyTorch on $backend: $name', ({ backend, name }) => {
  const fixture = loadFixture(name);
  const { config } = fixture;
  // wasm trains only with the project's Conv2DBackpropFilter kernel (src/engine/backends).
  beforeAll(async () => (backend === 'wasm' ? useWasmBackend() : void (await tf.setBackend('cpu'))));
  afterAll(async () => void (await tf.setBackend('cpu')));

  it('matches logits, weighted loss and every weight gradient', () => {
    const model = buildUNet(config, 7);
    loadReferenceWeights(model, fixture);
    const x = tf.tensor4d(fixture.input.data, fixture.input.shape as [number, number, number, number]);
    const labels = tf.tensor3d(fixture.labels.data, fixture.labels.shape as [number, number, number], 'int32');
    const pixelWeights = tf.tensor3d(fixture.pixelWeights.data, fixture.pixelWeights.shape as [number, number, number]);
    const training = fixture.batchNormTraining;

    const logits = model.apply(x, { training }) as tf.Tensor4D;
    expect(logits.shape).toEqual(fixture.logits.shape);
    const logitsError = relativeError(logits.dataSync(), fixture.logits.data);

    const variables = new Map(model.trainableWeights.map((w) => [(w.read() as tf.Variable).name, w]));
    const { value, grads } = tf.variableGrads(() =>
      weightedSoftmaxCrossEntropy(model.apply(x, { training }) as tf.Tensor4D, labels, pixelWeights),
    );
    const lossError = Math.abs(value.dataSync()[0]! - fixture.loss) / Math.abs(fixture.loss);

    const byWeight = namedWeights(model);
    const gradientErrors: Record<string, number> = {};
    for (const [key, ref] of Object.entries(fixture.gradients)) {
      const variable = byWeight.get(key);
      expect(variable, key).toBeDefined();
      const grad = grads[(variable!.read() as tf.Variable).name];
      expect(grad, `gradient of ${key}`).toBeDefined();
      gradientErrors[key] = relativeError(grad!.dataSync(), ref.data);
    }
    expect(Object.keys(gradientErrors).length).toBe(variables.size);

    const tolerance = (key: string) => Math.max(RELATIVE_TOLERANCE, FLOAT32_SLACK * (fixture.pytorchFloat32Error[key] ?? 0));
    const [worstKey, worstError] = Object.entries(gradientErrors).sort((a, b) => b[1] - a[1])[0]!;
    const withinStrict = Object.values(gradientErrors).filter((e) => e < RELATIVE_TOLERANCE).length;
    console.info(`[parity] ${backend} ${name}: logits ${logitsError.toExponential(2)}, loss ${lossError.toExponential(2)}, ` +
      `${withinStrict}/${Object.keys(gradientErrors).length} gradients within 1e-4; worst ${worstKey} ${worstError.toExponential(2)} ` +
      `(PyTorch float32: ${(fixture.pytorchFloat32Error[worstKey] ?? 0).toExponential(2)})`);
    expect(logitsError).toBeLessThan(tolerance('logits'));
    expect(lossError).toBeLessThan(tolerance('loss'));
    for (const [key, err] of Object.entries(gradientErrors)) expect(err, key).toBeLessThan(tolerance(key));

    tf.dispose([x, labels, pixelWeights, logits, value, ...Object.values(grads)]);
    model.dispose();
  });
});
