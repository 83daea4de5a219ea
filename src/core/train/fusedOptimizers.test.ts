import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from '../../testUtils/compareArrays';
import { useWasmBackend } from '../../testUtils/wasmBackend';
import { ADAM_UPDATE, FusedAdamOptimizer, FusedMomentumOptimizer, MOMENTUM_UPDATE } from './fusedOptimizers';
import { scheduledLearningRate } from './learningRateSchedule';

/** torch.optim.Adam / SGD(momentum) in float64 over fixed gradients (scripts/make_optimizer_fixtures.py); ...Cosine: with CosineAnnealingLR. */
interface Run { initial: Record<string, number[]>; gradients: Record<string, number[]>[]; after: Record<string, number[]>[] }
type AdamRun = Run & { learningRate: number; beta1: number; beta2: number; epsilon: number };
type MomentumRun = Run & { learningRate: number; momentum: number };
const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/optimizers.json'), 'utf8')) as {
  adam: AdamRun; momentum: MomentumRun; adamCosine: AdamRun; momentumCosine: MomentumRun;
};

const makers = {
  'ours, Adam': () => new FusedAdamOptimizer(fixture.adam.learningRate, fixture.adam.beta1, fixture.adam.beta2, fixture.adam.epsilon),
  "tfjs's Adam": () => tf.train.adam(fixture.adam.learningRate, fixture.adam.beta1, fixture.adam.beta2, fixture.adam.epsilon),
  'ours, momentum': () => new FusedMomentumOptimizer(fixture.momentum.learningRate, fixture.momentum.momentum),
  "tfjs's momentum": () => tf.train.momentum(fixture.momentum.learningRate, fixture.momentum.momentum),
};
type Maker = keyof typeof makers;
const runOf = (maker: Maker) => (maker.endsWith('Adam') ? fixture.adam : fixture.momentum);

let unique = 0;
/** Weights named after the fixture's, registered under fresh names (tfjs's registry is global). */
function variables(run: Run): Record<string, tf.Variable> {
  unique += 1;
  return Object.fromEntries(Object.entries(run.initial).map(([name, values]) => [name, tf.variable(tf.tensor1d(values), true, `${name}_${unique}`)]));
}

function applyStep(optimizer: tf.Optimizer, weights: Record<string, tf.Variable>, gradients: Record<string, number[]>): void {
  tf.tidy(() => optimizer.applyGradients(Object.fromEntries(Object.entries(weights).map(([name, w]) => [w.name, tf.tensor1d(gradients[name]!)]))));
}

/** Per step, the relative error of each weight's total change from its start, against PyTorch's. */
function updateErrors(maker: Maker, steps = runOf(maker).gradients.length): number[] {
  const run = runOf(maker);
  const optimizer = makers[maker]();
  const weights = variables(run);
  const errors: number[] = [];
  for (let step = 0; step < steps; step++) {
    applyStep(optimizer, weights, run.gradients[step]!);
    for (const [name, w] of Object.entries(weights)) {
      const change = (values: ArrayLike<number>) => Float64Array.from(values, (v, i) => v - run.initial[name]![i]!);
      errors.push(relativeError(change(w.dataSync() as Float32Array), change(run.after[step]![name]!)));
    }
  }
  optimizer.dispose();
  tf.dispose(Object.values(weights));
  return errors;
}

describe('the fused optimisers (one op a weight)', () => {
  beforeAll(useWasmBackend);
  afterAll(async () => void (await tf.setBackend('cpu')));

  for (const backend of ['cpu', 'wasm']) {
    it.each(Object.keys(makers) as Maker[])(`%s on ${backend} follows PyTorch's update step by step`, async (maker) => {
      await tf.setBackend(backend);
      const errors = updateErrors(maker);
      console.info(`[parity] ${maker} on ${backend} vs torch.optim (float64), worst relative error of a weight's change over ${runOf(maker).gradients.length} steps: ${Math.max(...errors).toExponential(2)}`);
      // The changes are ~1e-2 of weights ~1: float32 leaves ~1e-5 of a change.
      for (const e of errors) expect(e).toBeLessThan(1e-4);
    });
  }

  for (const backend of ['cpu', 'wasm']) {
    it.each(['adamCosine', 'momentumCosine'] as const)(`ours with the cosine schedule (%s) on ${backend} follows PyTorch's CosineAnnealingLR step by step`, async (name) => {
      await tf.setBackend(backend);
      const run = fixture[name];
      const optimizer = name === 'adamCosine' ? new FusedAdamOptimizer(run.learningRate, fixture.adam.beta1, fixture.adam.beta2, fixture.adam.epsilon) : new FusedMomentumOptimizer(run.learningRate, fixture.momentum.momentum);
      const weights = variables(run);
      const steps = run.gradients.length;
      const errors: number[] = [];
      for (let step = 0; step < steps; step++) {
        optimizer.setLearningRate(scheduledLearningRate(run.learningRate, 'cosine', step, steps));
        applyStep(optimizer, weights, run.gradients[step]!);
        for (const [key, w] of Object.entries(weights)) {
          const change = (values: ArrayLike<number>) => Float64Array.from(values, (v, i) => v - run.initial[key]![i]!);
          errors.push(relativeError(change(w.dataSync() as Float32Array), change(run.after[step]![key]!)));
        }
      }
      console.info(`[parity] ${name} on ${backend} vs torch.optim + CosineAnnealingLR (float64), worst relative error of a weight's change: ${Math.max(...errors).toExponential(2)}`);
      for (const e of errors) expect(e).toBeLessThan(1e-4);
      // The schedule mattered: the same updates at a constant rate end far from PyTorch's.
      expect(relativeError(Float64Array.from(run.after.at(-1)!['kernel']!), Float64Array.from((name === 'adamCosine' ? fixture.adam : fixture.momentum).after.at(-1)!['kernel']!))).toBeGreaterThan(1e-3);
      optimizer.dispose();
      tf.dispose(Object.values(weights));
    });
  }

  it('fails on a wrong formula: a learning rate 1 % off is far over the bound', async () => {
    await tf.setBackend('cpu');
    const run = fixture.adam;
    const optimizer = new FusedAdamOptimizer(run.learningRate * 1.01, run.beta1, run.beta2, run.epsilon);
    const weights = variables(run);
    applyStep(optimizer, weights, run.gradients[0]!);
    const kernel = weights['kernel']!;
    const change = (values: ArrayLike<number>) => Float64Array.from(values, (v, i) => v - run.initial['kernel']![i]!);
    expect(relativeError(change(kernel.dataSync() as Float32Array), change(run.after[0]!['kernel']!))).toBeGreaterThan(5e-3);
    optimizer.dispose();
    tf.dispose(Object.values(weights));
  });

  it.each(['ours, Adam', 'ours, momentum'] as Maker[])('%s keeps tfjs\'s state: getWeights names, and setWeights resumes the same run', async (maker) => {
    await tf.setBackend('cpu');
    const run = runOf(maker);
    const reference = makers[maker === 'ours, Adam' ? "tfjs's Adam" : "tfjs's momentum"]();
    const first = makers[maker]();
    const weights = variables(run);
    const referenceWeights = variables(run);
    for (let step = 0; step < 3; step++) {
      applyStep(first, weights, run.gradients[step]!);
      applyStep(reference, referenceWeights, run.gradients[step]!);
    }
    const state = await first.getWeights();
    const names = (named: typeof state) => named.map((n) => n.name.replace(/_\d+\//, '/'));
    expect(names(state)).toEqual(names(await reference.getWeights()));
    // A fresh optimiser given that state continues as the first would have.
    const resumed = makers[maker]();
    await resumed.setWeights(state);
    for (let step = 3; step < run.gradients.length; step++) applyStep(resumed, weights, run.gradients[step]!);
    const kernel = weights['kernel']!.dataSync() as Float32Array;
    expect(relativeError(kernel, Float64Array.from(run.after.at(-1)!['kernel']!))).toBeLessThan(1e-6);
    tf.dispose([...Object.values(weights), ...Object.values(referenceWeights)]);
    for (const o of [first, reference, resumed]) o.dispose();
  });

  // The engine registers the updates as kernels on wasm (engine/backends/wasmOptimizerUpdates.ts): the parity above is theirs there.
  it.each([['ours, Adam', ADAM_UPDATE], ['ours, momentum', MOMENTUM_UPDATE]] as [Maker, string][])('%s on wasm is one kernel a weight, %s, and no op of tfjs', async (maker, kernelName) => {
    await tf.setBackend('wasm');
    const run = runOf(maker);
    const optimizer = makers[maker]();
    const weights = variables(run);
    applyStep(optimizer, weights, run.gradients[0]!); // creates the optimiser's slots
    const profile = await tf.profile(() => applyStep(optimizer, weights, run.gradients[1]!));
    const kernels = profile.kernels.map((k) => k.name).filter((name) => name !== 'Identity' && name !== 'Cast');
    expect(kernels).toEqual(Object.keys(weights).map(() => kernelName));
    optimizer.dispose();
    tf.dispose(Object.values(weights));
  });

  it.each(['cpu', 'wasm'])('leaks no tensor on %s', async (backend) => {
    await tf.setBackend(backend);
    for (const maker of ['ours, Adam', 'ours, momentum'] as Maker[]) {
      const run = runOf(maker);
      const optimizer = makers[maker]();
      const weights = variables(run);
      applyStep(optimizer, weights, run.gradients[0]!); // creates the optimiser's slots
      const before = tf.memory().numTensors;
      for (let step = 1; step < 4; step++) applyStep(optimizer, weights, run.gradients[step]!);
      expect(tf.memory().numTensors).toBe(before);
      optimizer.dispose();
      tf.dispose(Object.values(weights));
    }
  });
});
