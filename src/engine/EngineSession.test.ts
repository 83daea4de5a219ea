/**
 * The engine's session in Node on the wasm backend (the worker runs the same code): data in,
 * training with pause/resume/stop, tiled prediction streamed per tile, export -> import ->
 * identical predictions, and flat tensor counts over repeated predictions.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UNLABELLED } from '../core/labels/classMap';
import { PAPER_UNET } from '../core/model/unetConfig';
import { makeBlobSample } from '../core/synthetic/makeBlobSample';
import { FAST_TRAINING } from '../core/train/trainingSettings';
import { TrainingRun } from '../core/train/TrainingRun';
import type { TrainingSettings } from '../core/train/trainingSettings';
import { useWasmBackend } from '../testUtils/wasmBackend';
import { EngineSession } from './EngineSession';
import { unzipSync } from 'fflate';
import { buildBioimagePackage } from '../core/export/bioimageio/buildBioimagePackage';
import { normaliseImage } from '../core/image/normaliseImage';
import { withoutStretchLimit } from '../core/image/stretchLimit';
import { maxAbsDiff } from '../testUtils/compareArrays';
import { runOnnx } from '../testUtils/onnxRuntime';
import { readNpy } from '../testUtils/readNpy';
import type { EngineEvent, SliceData } from './protocol';

function slice(id: string, seed: number, sizePx: number, labelled: boolean): SliceData {
  const sample = makeBlobSample(sizePx, seed, 5);
  const pixels = Uint16Array.from(sample.image, (v) => Math.round((v + 1.5) * 1000)); // a 16-bit image, as microscopes give
  const classes = labelled ? Int32Array.from(sample.labels, (k, i) => (Math.floor(i / sizePx) % 3 === 0 ? k : UNLABELLED)) : null;
  return { id, width: sizePx, height: sizePx, channels: 1, dtype: 'uint16', pixels, classes, instances: null };
}

const settings: TrainingSettings = {
  ...FAST_TRAINING,
  preset: 'custom',
  unet: { ...PAPER_UNET, depth: 2, baseChannels: 4, tileSizePx: 44, dropoutRate: 0 },
  optimizer: { kind: 'adam', learningRate: 0.01 },
  steps: 12,
  batchSize: 1,
  validateEverySteps: 4,
};

function collector() {
  const events: EngineEvent[] = [];
  const post = (event: EngineEvent) => { events.push(event); };
  const waitFor = async (type: EngineEvent['type']) => {
    for (let i = 0; i < 2000 && !events.some((e) => e.type === type); i++) await new Promise((r) => setTimeout(r, 5));
    const event = events.find((e) => e.type === type);
    if (!event) throw new Error(`no ${type} event`);
    return event;
  };
  return { events, post, waitFor };
}

/** A session holding a labelled slice 'a' and an unlabelled 'c', with a model trained for `steps` steps. */
async function trainedSession(steps: number): Promise<EngineSession> {
  const session = new EngineSession(() => tf.getBackend());
  session.putSlice(slice('a', 1, 64, true));
  session.putSlice(slice('c', 3, 53, false));
  const training = collector();
  session.startTraining('run-1', { ...settings, steps }, true, training.post);
  await training.waitFor('train/done');
  return session;
}

describe('EngineSession', () => {
  beforeAll(useWasmBackend);
  afterAll(async () => void (await tf.setBackend('cpu')));

  it('trains with pause, resume and stop, predicts tile by tile, and exports a model that predicts the same after import', async () => {
    const session = new EngineSession(() => tf.getBackend());
    for (const [i, s] of [slice('a', 1, 64, true), slice('b', 2, 64, true), slice('c', 3, 53, false)].entries()) {
      session.putSlice(s);
      expect(session.sliceIds()).toHaveLength(i + 1);
    }
    const training = collector();
    session.startTraining('run-1', settings, true, training.post);
    expect(() => session.startTraining('run-2', settings, true, training.post)).toThrow(/already running/);
    const started = await training.waitFor('train/started');
    expect(started).toMatchObject({ totalSteps: 12, splitDescription: 'validation on 1 of 2 labelled slices', validationSliceIds: ['b'] });

    session.pauseTraining();
    await training.waitFor('train/paused');
    const stepsAtPause = training.events.filter((e) => e.type === 'train/progress').length;
    await new Promise((r) => setTimeout(r, 100));
    expect(training.events.filter((e) => e.type === 'train/progress')).toHaveLength(stepsAtPause); // really paused
    // While paused, prediction is allowed; while running it is refused.
    session.resumeTraining();
    await training.waitFor('train/resumed');
    await expect(session.predict('p', ['c'], false, () => undefined)).rejects.toThrow(/Training is running: pause or stop it to predict/);
    await training.waitFor('train/done');
    const done = training.events.find((e) => e.type === 'train/done');
    expect(done).toMatchObject({ reason: 'completed', steps: 12 });
    const progress = training.events.filter((e): e is Extract<EngineEvent, { type: 'train/progress' }> => e.type === 'train/progress');
    expect(progress.map((e) => e.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(progress.every((e) => Number.isFinite(e.etaSeconds) && e.tilesPerSecond > 0)).toBe(true);
    // Memory: the wasm heap's high-water mark, never falling within a run.
    expect(progress.every((e) => e.memory.what.startsWith('WebAssembly heap') && e.memory.bytes >= 16 * 2 ** 20)).toBe(true);
    expect(progress.every((e, i) => i === 0 || e.memory.bytes >= progress[i - 1]!.memory.bytes)).toBe(true);
    expect(training.events.filter((e) => e.type === 'train/validation')).toHaveLength(3);

    // Stop: a second run ends early, keeping its best weights.
    const second = collector();
    session.startTraining('run-3', { ...settings, steps: 1000 }, false, second.post);
    await second.waitFor('train/progress');
    session.stopTraining();
    const stopped = await second.waitFor('train/done');
    expect(stopped).toMatchObject({ reason: 'stopped' });
    expect((stopped as Extract<EngineEvent, { type: 'train/done' }>).steps).toBeLessThan(1000);

    // Prediction streams tiles, then the whole slice; tensor counts stay flat across repeats.
    const predictOnce = async () => {
      const p = collector();
      await session.predict('p', ['c'], false, p.post);
      return p.events;
    };
    const first = await predictOnce();
    const tensors = tf.memory().numTensors;
    const again = await predictOnce();
    await predictOnce();
    expect(tf.memory().numTensors).toBe(tensors);
    const tiles = first.filter((e) => e.type === 'predict/tile');
    expect(tiles.length).toBeGreaterThanOrEqual(1);
    const whole = first.find((e): e is Extract<EngineEvent, { type: 'predict/slice-done' }> => e.type === 'predict/slice-done')!;
    expect(whole).toMatchObject({ width: 53, height: 53, numClasses: 2 });
    expect(whole.memory.what).toMatch(/WebAssembly heap/);
    expect(whole.instances).toHaveLength(53 * 53);
    expect(whole.instanceCount).toBe(new Set(whole.instances).size - (whole.instances.includes(0) ? 1 : 0));
    const wholeAgain = again.find((e): e is Extract<EngineEvent, { type: 'predict/slice-done' }> => e.type === 'predict/slice-done')!;
    expect(Array.from(wholeAgain.quantised)).toEqual(Array.from(whole.quantised));

    // Export -> import into a fresh session -> identical predictions.
    const files = await session.exportModel(['background', 'blob']);
    const metadata = JSON.parse(files.metadataJson) as { classNames: string[]; training: { steps: number; backend: string } };
    expect(metadata.classNames).toEqual(['background', 'blob']);
    expect(metadata.training.backend).toBe('wasm');
    expect(metadata.training.steps).toBeGreaterThan(12);
    const other = new EngineSession(() => tf.getBackend());
    other.putSlice(slice('c', 3, 53, false));
    await other.importModel(files.modelJson, [files.weights]);
    const imported = collector();
    await other.predict('p', ['c'], false, imported.post);
    const importedWhole = imported.events.find((e): e is Extract<EngineEvent, { type: 'predict/slice-done' }> => e.type === 'predict/slice-done')!;
    expect(Array.from(importedWhole.quantised)).toEqual(Array.from(whole.quantised));
  }, 120_000);

  it('trains a UNet++ with deep supervision, predicts with every head or pruned to a level, and exports the pruned model, which imports and predicts the same', async () => {
    const session = new EngineSession(() => tf.getBackend());
    for (const s of [slice('a', 1, 64, true), slice('b', 2, 64, true), slice('c', 3, 53, false)]) session.putSlice(s);
    const training = collector();
    const unetpp = { ...settings.unet, architecture: 'unetpp' as const, padding: 'same' as const, depth: 2, tileSizePx: 32, deepSupervision: true };
    session.startTraining('run-pp', { ...settings, unet: unetpp, steps: 6 }, true, training.post);
    expect(await training.waitFor('train/done')).toMatchObject({ reason: 'completed', steps: 6 });
    const progress = training.events.filter((e): e is Extract<EngineEvent, { type: 'train/progress' }> => e.type === 'train/progress');
    expect(progress.every((e) => Number.isFinite(e.loss))).toBe(true);

    const predict = async (target: EngineSession, pruneLevel?: number) => {
      const p = collector();
      await target.predict('p', ['c'], false, p.post, pruneLevel);
      return p.events.find((e): e is Extract<EngineEvent, { type: 'predict/slice-done' }> => e.type === 'predict/slice-done')!.quantised;
    };
    const tensors = tf.memory().numTensors;
    const [accurate, level1, level2] = [await predict(session), await predict(session, 1), await predict(session, 2)];
    expect(tf.memory().numTensors).toBe(tensors); // pruned models are disposed after use
    expect(Array.from(level1)).not.toEqual(Array.from(level2));
    expect(Array.from(accurate)).not.toEqual(Array.from(level2));
    await expect(session.predict('p', ['c'], false, () => undefined, 3)).rejects.toThrow(/level from 1 to 2/);

    const files = await session.exportModel(['background', 'blob'], 1);
    const metadata = JSON.parse(files.metadataJson) as { architecture: { architecture: string; depth: number; deepSupervision: boolean }; pruning: unknown };
    expect(metadata.architecture).toMatchObject({ architecture: 'unetpp', depth: 1, deepSupervision: false });
    expect(metadata.pruning).toEqual({ level: 1, fullDepth: 2 });
    const other = new EngineSession(() => tf.getBackend());
    other.putSlice(slice('c', 3, 53, false));
    expect((await other.importModel(files.modelJson, [files.weights])).pruning).toEqual({ level: 1, fullDepth: 2 });
    expect(Array.from(await predict(other))).toEqual(Array.from(level1));
  }, 120_000);

  it('exports a model it trained as a bioimage.io package whose test output onnxruntime-web reproduces', async () => {
    const session = await trainedSession(6);
    const info = { name: 'Blob U-Net', description: 'Blobs.', authors: [{ name: 'Ada' }], license: 'MIT', validation: [] };
    const { zip, metadata } = await session.withModelToExport(['background', 'blob'], undefined, async (model, metadata) =>
      ({ ...(await buildBioimagePackage({ model, metadata, info, testImage: session.rawSlice('c') })), metadata }));
    expect(metadata.training.steps).toBe(6);
    const files = unzipSync(zip);
    const input = readNpy(files['test_input.npy']!);
    const output = readNpy(files['test_output.npy']!);
    expect(input.shape).toEqual([1, 1, 44, 44]); // the trained tile, cut from the 53 px slice c
    // The run recorded its stretch limit; the package's test tensors follow rdf.yaml's scale_range, which has none.
    expect(metadata.normalisation).toMatchObject({ kind: 'percentile', minRange: [expect.any(Number)] });
    const normalised = normaliseImage(input.values, 1, withoutStretchLimit(metadata.normalisation)); // one channel: NCHW = NHWC
    const actual = await runOnnx(files['weights.onnx']!, 'input', normalised, input.shape);
    const difference = maxAbsDiff(actual.data, output.values);
    console.info(`trained on wasm, package test output vs onnxruntime-web: max |difference| ${difference.toExponential(2)}`);
    expect(difference).toBeLessThan(1e-4);
    expect(() => session.rawSlice('missing')).not.toThrow(); // falls back to the first slice
  }, 120_000);

  it('stops a prediction after the tile in flight when asked (between slices once a slice\'s last tile is in), says it stopped, and predicts in full next time', async () => {
    const session = await trainedSession(2);
    session.putSlice(slice('big', 5, 2200, false)); // 4 tiles at the largest tile this net's budget allows
    const tensors = tf.memory().numTensors;
    const stopped = collector();
    const post = (event: EngineEvent) => {
      stopped.post(event);
      if (event.type === 'predict/tile' && event.index === 0) session.stopPrediction(); // as the worker does when predict/stop arrives
    };
    await session.predict('p', ['big', 'c'], false, post);
    const tiles = stopped.events.filter((e): e is Extract<EngineEvent, { type: 'predict/tile' }> => e.type === 'predict/tile');
    expect(tiles.length).toBe(1);
    expect(tiles[0]!.total).toBeGreaterThan(1);
    expect(stopped.events.some((e) => e.type === 'predict/slice-done')).toBe(false); // neither the stopped slice nor the next
    expect(stopped.events.at(-1)).toEqual({ type: 'predict/done', runId: 'p', stopped: true });
    expect(tf.memory().numTensors).toBe(tensors);
    // Asked during a slice's last tile: that slice finishes, the next is not started.
    const between = collector();
    await session.predict('r', ['c', 'a'], false, (event) => {
      between.post(event);
      if (event.type === 'predict/tile' && event.sliceId === 'c') session.stopPrediction();
    });
    expect(between.events.filter((e) => e.type === 'predict/slice-done').map((e) => (e as { sliceId: string }).sliceId)).toEqual(['c']);
    expect(between.events.at(-1)).toEqual({ type: 'predict/done', runId: 'r', stopped: true });
    const again = collector();
    await session.predict('q', ['c'], false, again.post);
    expect(again.events.map((e) => e.type)).toContain('predict/slice-done');
    expect(again.events.at(-1)).toEqual({ type: 'predict/done', runId: 'q' });
  }, 120_000);

  it('explains what is missing: no model, no labels, an unknown slice', async () => {
    const session = new EngineSession(() => tf.getBackend());
    session.putSlice(slice('x', 1, 32, false));
    await expect(session.predict('p', ['x'], false, () => undefined)).rejects.toThrow(/no model yet/);
    expect(() => session.startTraining('t', settings, true, () => undefined)).toThrow(/Nothing is labelled yet/);
    await expect(session.exportModel([])).rejects.toThrow(/no model to export/);
    // The paper's 572 px step cannot fit wasm's 4 GiB heap: refused at once, naming the tile that fits.
    session.putSlice(slice('y', 2, 64, true));
    const paper = { ...settings, unet: PAPER_UNET, batchSize: 1 };
    expect(() => session.startTraining('t', paper, true, () => undefined)).toThrow(/572 px tiles in batches of 1 needs about 4\.\d GiB of WebAssembly memory.*Tiles up to 524 px fit/);
  });

  it('imports atomically: a refused model leaves the current one predicting; no import while a run is paused', async () => {
    const session = await trainedSession(3);
    const predictOnce = async () => {
      const p = collector();
      await session.predict('p', ['c'], false, p.post);
      return (p.events.find((e) => e.type === 'predict/slice-done') as Extract<EngineEvent, { type: 'predict/slice-done' }>).quantised;
    };
    const before = await predictOnce();
    const files = await session.exportModel(['background', 'blob']);

    // Metadata without normalisation, and all-NaN weights: refused, and the current model is untouched.
    const json = JSON.parse(files.modelJson) as { userDefinedMetadata: { unetStudio: Record<string, unknown> } };
    delete json.userDefinedMetadata.unetStudio.normalisation;
    await expect(session.importModel(JSON.stringify(json), [files.weights])).rejects.toThrow(/normalisation is missing/);
    await expect(session.importModel(files.modelJson, [new Float32Array(files.weights.byteLength / 4).fill(Number.NaN).buffer])).rejects.toThrow(/not numbers \(NaN or infinite\)/);
    expect(Array.from(await predictOnce())).toEqual(Array.from(before));

    // A paused run trains the current model: importing over it is refused until the run stops.
    const paused = collector();
    session.startTraining('run-2', { ...settings, steps: 1000 }, false, paused.post);
    session.pauseTraining();
    await paused.waitFor('train/paused');
    await expect(session.importModel(files.modelJson, [files.weights])).rejects.toThrow(/Training is paused: stop it before importing a model/);
    session.resumeTraining();
    await paused.waitFor('train/resumed');
    session.stopTraining();
    await paused.waitFor('train/done');
    await expect(session.importModel(files.modelJson, [files.weights])).resolves.toMatchObject({ classNames: ['background', 'blob'] });
  }, 120_000);

  it('says when training cannot continue the current model and starts fresh, instead of claiming to continue', async () => {
    const session = new EngineSession(() => tf.getBackend());
    session.putSlice(slice('a', 1, 64, true));
    const first = collector();
    session.startTraining('run-1', { ...settings, steps: 2 }, true, first.post);
    await first.waitFor('train/done');
    // Same architecture: continues after the 2 steps.
    const same = collector();
    session.startTraining('run-2', { ...settings, steps: 1 }, false, same.post);
    expect(await same.waitFor('train/started')).toMatchObject({ fromStep: 2 });
    await same.waitFor('train/done');
    expect(same.events.filter((e) => e.type === 'train/notice')).toEqual([]);
    // Wider network: fresh weights, from step 0, and a notice saying why.
    const wider = collector();
    session.startTraining('run-3', { ...settings, steps: 1, unet: { ...settings.unet, baseChannels: 8 } }, false, wider.post);
    expect(await wider.waitFor('train/started')).toMatchObject({ fromStep: 0 });
    expect(await wider.waitFor('train/notice')).toMatchObject({ message: expect.stringMatching(/^Training starts from fresh weights: the current model \(depth 2, 4 channels.*differs from these settings \(depth 2, 8 channels/) });
    await wider.waitFor('train/done');
  }, 120_000);

  it('takes painted labels as rectangles: an unlabelled slice becomes trainable, and a patch that does not fit is refused', async () => {
    const session = new EngineSession(() => tf.getBackend());
    const unlabelled = slice('u', 1, 64, false);
    session.putSlice(unlabelled);
    expect(() => session.startTraining('t', settings, true, () => undefined)).toThrow(/Nothing is labelled yet/);
    const labels = makeBlobSample(64, 1, 5).labels;
    session.patchLabels('u', { x: 0, y: 0, width: 64, height: 32 }, Int32Array.from(labels.subarray(0, 64 * 32)));
    expect(() => session.patchLabels('u', { x: 60, y: 0, width: 8, height: 1 }, new Int32Array(8))).toThrow(/does not fit its 64x64 pixels/);
    const run = collector();
    session.startTraining('t', { ...settings, steps: 1 }, true, run.post);
    expect(await run.waitFor('train/started')).toMatchObject({ splitDescription: expect.stringContaining('bottom') });
    await run.waitFor('train/done');
  }, 60_000);

  it('a lost backend loses no weight: the model comes back from the kept step, at rest and mid-run, and nothing more is posted for the ended run', async () => {
    // The session believes it runs on WebGPU (whose memory can vanish), so it keeps checkpoints; the tensors live on wasm.
    const session = new EngineSession(() => 'webgpu');
    session.putSlice(slice('a', 1, 64, true));
    session.putSlice(slice('c', 3, 53, false));
    const first = collector();
    session.startTraining('run-1', { ...settings, steps: 4 }, true, first.post);
    await first.waitFor('train/done');
    const before = await session.exportModel(['background', 'blob']);

    // At rest: nothing was training; the model comes back with the same bytes and step count.
    expect(session.abandonBackend()).toEqual({ trainingRunId: null, hadModel: true });
    await expect(session.predict('p', ['c'], false, () => undefined)).rejects.toThrow(/no model yet/);
    expect(session.restoreOnNewBackend()).toBe(4);
    const after = await session.exportModel(['background', 'blob']);
    expect(new Uint8Array(after.weights)).toEqual(new Uint8Array(before.weights));
    expect((JSON.parse(after.metadataJson) as { training: { steps: number } }).training.steps).toBe(4);

    // Mid-run: the run ends at once and posts nothing more; training goes on from the kept step. What is kept is the
    // run's result so far (its weight average: FAST_TRAINING keeps one), as handed to the checkpoint.
    const handed: Float32Array[] = [];
    const resultWeights = TrainingRun.prototype.resultWeights;
    const spy = vi.spyOn(TrainingRun.prototype, 'resultWeights').mockImplementation(function (this: TrainingRun) {
      const weights = resultWeights.call(this);
      handed.splice(0, handed.length, ...weights.map((w) => Float32Array.from(w.dataSync())));
      return weights;
    });
    const run = collector();
    session.startTraining('run-2', { ...settings, steps: 1000, validateEverySteps: 1000 }, false, run.post);
    await new Promise((r) => setTimeout(r, 1500)); // copies are taken at most once a second
    expect(run.events.filter((e) => e.type === 'train/progress').length).toBeGreaterThan(2);
    expect(session.abandonBackend()).toEqual({ trainingRunId: 'run-2', hadModel: true });
    const posted = run.events.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(run.events.length).toBeLessThanOrEqual(posted + 1); // at most the progress of the step in flight
    expect(run.events.some((e) => e.type === 'train/done' || e.type === 'error')).toBe(false);
    const kept = session.restoreOnNewBackend();
    expect(kept).toBeGreaterThanOrEqual(5);
    spy.mockRestore();
    const restored = new Float32Array((await session.exportModel(['background', 'blob'])).weights);
    expect(restored).toEqual(new Float32Array(tf.io.concatenateArrayBuffers(handed.map((w) => w.buffer as ArrayBuffer))));
    const next = collector();
    session.startTraining('run-3', { ...settings, steps: 1 }, false, next.post);
    expect(await next.waitFor('train/started')).toMatchObject({ fromStep: kept });
    await next.waitFor('train/done');
    await session.predict('p', ['c'], false, () => undefined);
  }, 120_000);

  it('keeps no copies where memory cannot vanish (wasm): after a lost backend there is no model', async () => {
    const session = new EngineSession(() => tf.getBackend());
    session.putSlice(slice('a', 1, 64, true));
    const run = collector();
    session.startTraining('run-1', { ...settings, steps: 2 }, true, run.post);
    await run.waitFor('train/done');
    expect(session.abandonBackend()).toEqual({ trainingRunId: null, hadModel: true });
    expect(session.restoreOnNewBackend()).toBeNull();
    await expect(session.exportModel([])).rejects.toThrow(/no model to export/);
  }, 60_000);
});
