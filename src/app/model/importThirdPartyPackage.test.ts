/**
 * The page's side of a third-party bioimage.io import (the committed PyTorch-made package): recognised by
 * its rdf.yaml, checked by the core and against the project before anything is sent, asked, sent to the
 * engine as files; the reply makes the model predict-only, and Train refuses to continue it with the
 * reason. Refusals leave the store and the engine untouched.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { ForeignModelSummary } from '../../engine/protocol';
import { createStudioStore } from '../../store/createStudioStore';
import { withoutIsolates } from '../../testing/plainText';
import { fakeEngine } from '../../testing/fakeEngine';
import { connectEngine } from '../connectEngine';
import { SliceRegistry } from '../data/sliceRegistry';
import { PredictionRegistry } from '../predict/predictionRegistry';
import { createTrainingActions } from '../training/createTrainingActions';
import { createModelActions } from './createModelActions';

const FIXTURE = path.resolve(import.meta.dirname, '../../core/bioimageioImport/fixtures/thirdparty-0.5');

function packageZip(editRdf: (rdf: { inputs: { axes: Record<string, unknown>[] }[] }) => void = () => undefined): File {
  const entries = Object.fromEntries(readdirSync(FIXTURE).map((name) => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURE, name)));
    if (name !== 'rdf.yaml') return [name, bytes];
    const rdf = parse(new TextDecoder().decode(bytes)) as { inputs: { axes: Record<string, unknown>[] }[] };
    editRdf(rdf);
    return [name, new TextEncoder().encode(stringify(rdf))];
  }));
  return new File([zipSync(entries)], 'blobnet.bioimageio.zip');
}

function setUp(answer = true) {
  const store = createStudioStore();
  const { engine, sent, emit } = fakeEngine();
  connectEngine(engine, store);
  sent.length = 0; // engine/init
  const questions: string[] = [];
  const actions = createModelActions(store, engine, new SliceRegistry(), new PredictionRegistry(), () => undefined, (q) => { questions.push(q); return answer; });
  const training = createTrainingActions(store, engine);
  return { store, sent, questions, actions, training, emit };
}

const summary: ForeignModelSummary = {
  name: 'BlobNet 2D nuclei (third-party test model)', packageName: 'blobnet.bioimageio.zip', formatVersion: '0.5.7', weights: 'onnx',
  classNames: ['background', 'nucleus'], assumptions: ['Its one output channel is read as the probability of nucleus: 2 classes, background and nucleus.'], testMaxAbsDifference: 3e-6,
};

describe('importing a third-party bioimage.io package in the page', () => {
  it('asks, sends the package files to the engine, and makes the model predict-only', async () => {
    const { store, sent, questions, actions, training, emit } = setUp();
    const importing = actions.importModel([packageZip()]);
    for (let i = 0; i < 50 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 0));
    expect(withoutIsolates(questions.join('\n'))).toContain('blobnet.bioimageio.zip is a third-party model: the studio predicts with it but cannot train it.');
    const request = sent[0];
    if (request?.type !== 'model/import-foreign') throw new Error(`sent ${request?.type}`);
    expect(request.files.map((f) => f.name).sort()).toEqual(['README.md', 'rdf.yaml', 'test_input.npy', 'test_output.npy', 'weights.onnx']);
    emit({ type: 'model/foreign-imported', runId: 'run-1', summary });
    await importing;

    const { model, data, errors } = store.getState();
    expect(errors).toEqual([]);
    expect(model.source).toBe('third-party');
    expect(withoutIsolates(model.description ?? '')).toBe('BlobNet 2D nuclei (third-party test model) (bioimage.io 0.5.7, ONNX weights, predict only)');
    expect(data.classNames).toEqual(['background', 'foreground']); // two classes either way: the project's names stay

    training.startTraining();
    expect(sent).toHaveLength(1); // nothing more went to the engine
    expect(withoutIsolates(store.getState().errors.at(-1)?.message ?? '')).toMatch(/^The current model is the third-party bioimage\.io model BlobNet .*predict only: training needs a studio model\. Choose "Start from: fresh weights"/);
  });

  it('refuses before asking when the loaded images are not one channel, changing nothing', async () => {
    const { store, sent, questions, actions } = setUp();
    store.setState((s) => ({ data: { ...s.data, slices: [{ id: 'a', name: 'rgb.png', width: 64, height: 64, channels: 3, dtype: 'uint8', labelled: false }] } }));
    const before = store.getState().model;
    await actions.importModel([packageZip()]);
    expect(sent).toEqual([]);
    expect(questions).toEqual([]);
    expect(store.getState().model).toBe(before);
    expect(withoutIsolates(store.getState().errors[0]?.message ?? '')).toBe('blobnet.bioimageio.zip takes grey (1 channel) images, but the loaded slices are colour (3 channels): it could not predict them. Load one-channel images, or choose a model made for these.');
  });

  it('refuses a package whose model takes 3 channels, in the page, before the engine hears of it', async () => {
    const { store, sent, questions, actions } = setUp();
    await actions.importModel([packageZip((rdf) => { rdf.inputs[0]!.axes[1]!.channel_names = ['r', 'g', 'b']; })]);
    expect(sent).toEqual([]);
    expect(questions).toEqual([]);
    expect(store.getState().model.available).toBe(false);
    expect(withoutIsolates(store.getState().errors[0]?.message ?? '')).toBe('blobnet.bioimageio.zip cannot be run here: it takes 3 input channels, and the studio runs third-party models on one-channel (grey) images only. ' +
      'Use a one-channel model, or run this one in bioimageio.core or deepImageJ.');
  });
});
