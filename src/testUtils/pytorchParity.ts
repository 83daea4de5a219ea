/**
 * What the PyTorch parity tests share (scripts/make_unet_fixtures.py, make_unetpp_fixtures.py):
 * the fixture arrays, loading the reference weights by layer name, and the tolerance rule.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { relativeError } from './compareArrays';
import { namedWeights } from '../core/model/namedWeights';

export interface Arr { shape: number[]; data: number[] }

export interface ParityFixture<Logits> {
  batchNormTraining: boolean;
  input: Arr; labels: Arr; pixelWeights: Arr; logits: Logits; loss: number;
  weights: Record<string, Arr>;
  gradients: Record<string, Arr>;
  /** How far PyTorch's own float32 run is from its float64 truth, per gradient key, logits and 'loss'. */
  pytorchFloat32Error: Record<string, number>;
}

/**
 * Relative error is max |a - b| / max |b| against PyTorch in float64. We require
 * 1e-4, or, where float32 itself cannot get that close (gradients through several
 * batch norms in training mode cancel badly: PyTorch's float32 run misses by up
 * to 2.3e-3 there), no more than 4x PyTorch's own float32 error.
 */
export const RELATIVE_TOLERANCE = 1e-4;
const FLOAT32_SLACK = 4;

export function parityTolerance(fixture: { pytorchFloat32Error: Record<string, number> }, key: string): number {
  return Math.max(RELATIVE_TOLERANCE, FLOAT32_SLACK * (fixture.pytorchFloat32Error[key] ?? 0));
}

export function loadJsonFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../core/model/fixtures/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** A fixture's input tile, labels and pixel weights as tensors (the caller disposes them). */
export function fixtureTensors(fixture: Pick<ParityFixture<Arr>, 'input' | 'labels' | 'pixelWeights'>): { x: tf.Tensor4D; labels: tf.Tensor3D; pixelWeights: tf.Tensor3D } {
  return {
    x: tf.tensor4d(fixture.input.data, fixture.input.shape as [number, number, number, number]),
    labels: tf.tensor3d(fixture.labels.data, fixture.labels.shape as [number, number, number], 'int32'),
    pixelWeights: tf.tensor3d(fixture.pixelWeights.data, fixture.pixelWeights.shape as [number, number, number]),
  };
}

/** Writes the fixture's weights into the model by layer name; every weight must be there, with its shape. */
export function loadReferenceWeights(model: tf.LayersModel, weights: Record<string, Arr>): void {
  const byName = namedWeights(model);
  expect([...byName.keys()].sort()).toEqual(Object.keys(weights).sort());
  for (const [name, variable] of byName) {
    const ref = weights[name] as Arr;
    expect(variable.shape, name).toEqual(ref.shape);
    variable.write(tf.tensor(ref.data, ref.shape, 'float32'));
  }
}

/** Each fixture gradient beside the model's gradient of the same weight, keyed `layer.weight`; every weight must be there. */
function pairGradients(model: tf.LayersModel, grads: tf.NamedTensorMap, reference: Record<string, Arr>): [string, tf.Tensor, Arr][] {
  const byWeight = namedWeights(model);
  const pairs = Object.entries(reference).map(([key, ref]): [string, tf.Tensor, Arr] => {
    const variable = byWeight.get(key);
    expect(variable, key).toBeDefined();
    const grad = grads[(variable!.read() as tf.Variable).name];
    expect(grad, `gradient of ${key}`).toBeDefined();
    return [key, grad!, ref];
  });
  expect(pairs.length).toBe(model.trainableWeights.length);
  return pairs;
}

/** The relative error of every weight's gradient against the fixture's, keyed `layer.weight`. */
export function gradientErrors(model: tf.LayersModel, grads: tf.NamedTensorMap, reference: Record<string, Arr>): Record<string, number> {
  return Object.fromEntries(pairGradients(model, grads, reference).map(([key, grad, ref]) => [key, relativeError(grad.dataSync(), ref.data)]));
}

/** gradientErrors for a backend that cannot read synchronously (WebGPU in Node). */
export async function gradientErrorsAsync(model: tf.LayersModel, grads: tf.NamedTensorMap, reference: Record<string, Arr>): Promise<Record<string, number>> {
  const pairs = pairGradients(model, grads, reference);
  const values = await Promise.all(pairs.map(([, grad]) => grad.data()));
  return Object.fromEntries(pairs.map(([key, , ref], i) => [key, relativeError(values[i] as Float32Array, ref.data)]));
}

/** The worst gradient and how many are within 1e-4, for the test's log line. */
export function describeGradientErrors(fixture: { pytorchFloat32Error: Record<string, number> }, errors: Record<string, number>): string {
  const [worstKey, worstError] = Object.entries(errors).sort((a, b) => b[1] - a[1])[0]!;
  const withinStrict = Object.values(errors).filter((e) => e < RELATIVE_TOLERANCE).length;
  return `${withinStrict}/${Object.keys(errors).length} gradients within 1e-4; worst ${worstKey} ${worstError.toExponential(2)} ` +
    `(PyTorch float32: ${(fixture.pytorchFloat32Error[worstKey] ?? 0).toExponential(2)})`;
}
