import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { weightedSoftmaxCrossEntropy } from '../loss/weightedSoftmaxCrossEntropy';
import { buildUNet } from '../model/buildUNet';
import { headLogits } from '../model/headOutputs';
import { PAPER_UNET } from '../model/unetConfig';
import { makeBlobSample } from '../synthetic/makeBlobSample';
import { GuardedTrainer } from './GuardedTrainer';
import { scheduledLearningRate } from './learningRateSchedule';

const config = { ...PAPER_UNET, depth: 1, baseChannels: 4, padding: 'same' as const, dropoutRate: 0, tileSizePx: 16 };

function blobBatch() {
  const sample = makeBlobSample(16, 3);
  return {
    images: tf.tensor4d(sample.image, [1, 16, 16, 1]),
    labels: tf.tensor3d(sample.labels, [1, 16, 16], 'int32'),
    weights: tf.ones([1, 16, 16]) as tf.Tensor3D,
  };
}

describe('GuardedTrainer', () => {
  it('trains: the loss falls with Adam, and tensor counts stay flat over 50 steps', async () => {
    const model = buildUNet(config, 1);
    const batch = blobBatch();
    const trainer = new GuardedTrainer(model, { kind: 'adam', learningRate: 0.01 });
    const losses: number[] = [];
    let countAfterWarmup = 0;
    for (let i = 0; i < 50; i++) {
      const outcome = await trainer.step(batch);
      expect(outcome.kind).toBe('ok');
      losses.push(outcome.loss);
      if (i === 1) countAfterWarmup = tf.memory().numTensors; // optimiser slots exist after the first step
      if (i > 1) expect(tf.memory().numTensors).toBe(countAfterWarmup);
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);
    trainer.dispose();
    model.dispose();
    tf.dispose([batch.images, batch.labels, batch.weights]);
  });

  it.each(['adam', 'sgd-momentum'] as const)('follows the cosine schedule over the run\'s steps with %s: each step\'s rate is the schedule\'s, tensor counts stay flat', async (kind) => {
    const model = buildUNet(config, 1);
    const batch = blobBatch();
    const spec = kind === 'adam' ? { kind, learningRate: 0.01, schedule: 'cosine' as const } : { kind, learningRate: 0.01, momentum: 0.9, schedule: 'cosine' as const };
    const trainer = new GuardedTrainer(model, spec, 8);
    expect(trainer.learningRate).toBe(0.01);
    const rates: number[] = [];
    let countAfterWarmup = 0;
    for (let i = 0; i < 8; i++) {
      expect((await trainer.step(batch)).kind).toBe('ok');
      rates.push(trainer.learningRate);
      if (i === 1) countAfterWarmup = tf.memory().numTensors;
      if (i > 1) expect(tf.memory().numTensors).toBe(countAfterWarmup);
    }
    expect(rates).toEqual(Array.from({ length: 8 }, (_, done) => scheduledLearningRate(0.01, 'cosine', done, 8)));
    expect(rates.at(-1)!).toBeLessThan(0.001);
    trainer.dispose();
    model.dispose();
    tf.dispose([batch.images, batch.labels, batch.weights]);
  });

  it('trains a UNet++ with deep supervision through the same step: the mean loss and every head\'s own loss fall, tensor counts stay flat', async () => {
    const model = buildUNet({ ...config, architecture: 'unetpp', depth: 2, deepSupervision: true }, 1);
    const batch = blobBatch();
    const headLosses = () => tf.tidy(() => headLogits(model, batch.images, false).map((logits) => weightedSoftmaxCrossEntropy(logits, batch.labels, batch.weights).dataSync()[0]!));
    const before = headLosses();
    expect(before).toHaveLength(2);
    const trainer = new GuardedTrainer(model, { kind: 'adam', learningRate: 0.01 });
    const losses: number[] = [];
    let countAfterWarmup = 0;
    for (let i = 0; i < 40; i++) {
      const outcome = await trainer.step(batch);
      expect(outcome.kind).toBe('ok');
      losses.push(outcome.loss);
      if (i === 1) countAfterWarmup = tf.memory().numTensors;
      if (i > 1) expect(tf.memory().numTensors).toBe(countAfterWarmup);
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);
    headLosses().forEach((loss, head) => expect(loss, `head ${head + 1}`).toBeLessThan(before[head]! * 0.5));
    trainer.dispose();
    model.dispose();
    tf.dispose([batch.images, batch.labels, batch.weights]);
  });

  it('recovers from a NaN loss: restores the last good weights, halves the learning rate, says so', async () => {
    const model = buildUNet(config, 2);
    const batch = blobBatch();
    const trainer = new GuardedTrainer(model, { kind: 'sgd-momentum', learningRate: 0.01, momentum: 0.99 });
    for (let i = 0; i < 10; i++) await trainer.step(batch); // snapshot at step 10
    const good = model.getWeights().map((w) => Array.from(w.dataSync()));

    const poisoned = { ...batch, images: tf.fill([1, 16, 16, 1], NaN) as tf.Tensor4D };
    const outcome = await trainer.step(poisoned);
    expect(outcome.kind).toBe('recovered');
    if (outcome.kind !== 'recovered') return;
    expect(outcome.restoredStep).toBe(10);
    expect(outcome.learningRate).toBe(0.005);
    expect(outcome.message).toMatch(/loss became NaN at step 11: restored the weights of step 10 and lowered the learning rate to 0\.005/);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(good);
    expect((await trainer.step(batch)).kind).toBe('ok');

    // Persistent NaNs: a clear error after 3 recoveries, with the good weights kept.
    for (let i = 0; i < 3; i++) expect((await trainer.step(poisoned)).kind).toBe('recovered');
    await expect(trainer.step(poisoned)).rejects.toThrow(/Training diverged.*weights of the last good step are kept/);
    expect(model.getWeights().every((w) => w.dataSync().every(Number.isFinite))).toBe(true);
    trainer.dispose();
    model.dispose();
    tf.dispose([batch.images, batch.labels, batch.weights, poisoned.images]);
  });

  it('recovers when the loss is finite but the update left weights NaN or infinite, and says that it was the weights', async () => {
    const model = buildUNet(config, 3);
    const batch = blobBatch();
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    // An infinite learning rate: the loss is computed before the update (finite), the update sends
    // weights to +Inf and -Inf (their sum is NaN) and those with no gradient to NaN (Inf x 0).
    const trainer = new GuardedTrainer(model, { kind: 'sgd-momentum', learningRate: Infinity, momentum: 0 });
    const outcome = await trainer.step(batch);
    expect(outcome.kind).toBe('recovered');
    if (outcome.kind !== 'recovered') return;
    expect(Number.isFinite(outcome.loss)).toBe(true);
    expect(outcome.message).toMatch(/^The weights became NaN or infinite at step 1: restored the weights of step 0/);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    trainer.dispose();
    model.dispose();
    tf.dispose([batch.images, batch.labels, batch.weights]);
  });
});
