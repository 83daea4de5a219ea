import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeTiff } from '../../core/io/decodeTiff';
import type { ModelFiles } from '../../core/model/modelFiles';
import type { ModelMetadata } from '../../core/model/modelMetadata';
import { DEFAULT_NORMALISATION } from '../../core/model/modelMetadata';
import { countParameters } from '../../core/model/countParameters';
import { FAST_UNET, PAPER_UNET } from '../../core/model/unetConfig';
import { borderPx, outputSizePx } from '../../core/geometry/tileGeometry';
import { createStudioStore } from '../../store/createStudioStore';
import { connectEngine } from '../connectEngine';
import { showSlices } from '../data/createDataActions';
import { SliceRegistry } from '../data/sliceRegistry';
import type { EngineRequestBody } from '../engineClient';
import { PredictionRegistry } from '../predict/predictionRegistry';
import { withoutIsolates } from '../../testing/plainText';
import { fakeEngine } from '../../testing/fakeEngine';
import { createModelActions } from './createModelActions';
import type { NamedBytes } from './modelZip';
import type { StarterId } from './starterModels';
import { fetchStarterFiles, STARTER_FINE_TUNE_LEARNING_RATE } from './starterModels';
import { TRAINING_PRESETS } from '../training/trainingPresets';
import { quantiseProbabilities } from '../../core/predict/quantiseProbabilities';

function setUp({ withConnectEngine = true, answer = true, starter = null as null | ((id: StarterId) => Promise<NamedBytes[]>) } = {}) {
  const store = createStudioStore();
  const predictions = new PredictionRegistry();
  const slices = new SliceRegistry();
  const { engine, sent, emit } = fakeEngine();
  if (withConnectEngine) connectEngine(engine, store); // files engine errors into the store, as in the studio
  const downloads: { name: string; bytes: Uint8Array }[] = [];
  const questions: string[] = [];
  const confirm = (question: string) => { questions.push(question); return answer; };
  const actions = createModelActions(store, engine, slices, predictions, (name, bytes) => downloads.push({ name, bytes }), confirm,
    starter ?? (() => Promise.reject(new Error('no starters in this test'))));
  return { store, slices, predictions, sent, emit, downloads, actions, questions };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await tick();
}
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

// A tiny U-Net's worth of weights (the import checks the byte count against the architecture), starting 0.25, -1, 2, ...
const TINY = { ...PAPER_UNET, depth: 1, baseChannels: 2, tileSizePx: 92 };
const PARAMETERS = countParameters(TINY);
const weights = Float32Array.from({ length: PARAMETERS }, (_, i) => (i === 0 ? 0.25 : i === 1 ? -1 : i)).buffer;
const metadata: ModelMetadata = {
  format: 'unet-studio/1', architecture: TINY, tile: { inputTilePx: 92, outputTilePx: outputSizePx(92, TINY), borderPx: borderPx(TINY) }, normalisation: DEFAULT_NORMALISATION,
  classNames: ['background', 'cell'], training: { steps: 40, preset: 'paper', finalLoss: 0.2, bestValidationLoss: null, backend: 'webgpu', savedAt: '2026-01-01T00:00:00Z' },
};
const modelJsonWith = (unetStudio: unknown) => JSON.stringify({
  format: 'layers-model', modelTopology: {}, weightsManifest: [{ paths: ['./model.weights.bin'], weights: [{ name: 'w', shape: [PARAMETERS], dtype: 'float32' }] }],
  userDefinedMetadata: { unetStudio },
});
const modelJson = modelJsonWith(metadata);
const files: ModelFiles = { modelJson, weightsFileName: 'model.weights.bin', weights, metadataJson: '{"format":"unet-studio/1"}' };

describe('model actions', () => {
  it('exports nothing without a model, and says so', async () => {
    const { store, sent, downloads, actions } = setUp();
    await actions.exportModel('files');
    expect(sent).toEqual([]);
    expect(downloads).toEqual([]);
    expect(store.getState().errors).toEqual([{ code: 'invalid-config', message: 'Train or import a model first: there is no model to export yet.', phase: 'export' }]);
  });

  it('exports the engine\'s files as three downloads, or one zip, after the reply to its own run', async () => {
    const { store, sent, emit, downloads, actions } = setUp();
    store.setState((s) => ({ model: { available: true, source: 'trained', description: 'x', revision: 1 }, data: { ...s.data, classNames: ['bg', 'nucleus'] } }));

    const asFiles = actions.exportModel('files');
    expect(sent).toEqual([{ type: 'model/export', classNames: ['bg', 'nucleus'] }]);
    emit({ type: 'model/exported', runId: 'run-999', files: { ...files, modelJson: '{}' } }); // someone else's run
    await tick();
    expect(downloads).toEqual([]);
    emit({ type: 'model/exported', runId: 'run-1', files });
    await asFiles;
    expect(downloads.map((d) => d.name)).toEqual(['model.json', 'model.weights.bin', 'model.metadata.json']);
    expect(text(downloads[0]!.bytes)).toBe(modelJson);
    expect(Array.from(new Float32Array(downloads[1]!.bytes.slice().buffer))).toEqual(Array.from(new Float32Array(weights)));
    expect(text(downloads[2]!.bytes)).toBe(files.metadataJson);

    downloads.length = 0;
    const asZip = actions.exportModel('zip');
    emit({ type: 'model/exported', runId: 'run-2', files });
    await asZip;
    expect(downloads.map((d) => d.name)).toEqual(['unet-model.zip']);
    const zip = unzipSync(downloads[0]!.bytes);
    expect(Object.keys(zip)).toEqual(['model.json', 'model.weights.bin', 'model.metadata.json']);
    expect(text(zip['model.json']!)).toBe(modelJson);
    expect(store.getState().errors).toEqual([]);

    // A UNet++ pruned to a level in the Predict panel exports pruned; a level the model does not offer is not asked for.
    store.setState((s) => ({ model: { ...s.model, pruneLevels: 3 }, prediction: { ...s.prediction, pruneLevel: 2 } }));
    const pruned = actions.exportModel('files');
    store.setState((s) => ({ model: { ...s.model, pruneLevels: 0 } }));
    const whole = actions.exportModel('files');
    expect(sent.slice(-2)).toEqual([
      { type: 'model/export', classNames: ['bg', 'nucleus'], pruneLevel: 2 },
      { type: 'model/export', classNames: ['bg', 'nucleus'] },
    ]);
    emit({ type: 'model/exported', runId: 'run-3', files });
    emit({ type: 'model/exported', runId: 'run-4', files });
    await Promise.all([pruned, whole]);
  });

  it('an engine error ends the export, shown once (by connectEngine), with nothing downloaded', async () => {
    const { store, emit, downloads, actions } = setUp();
    store.setState({ model: { available: true, source: 'trained', description: 'x', revision: 1 } });
    const exporting = actions.exportModel('zip');
    const error = { code: 'busy', message: 'Pause or stop training to export the model.', phase: 'model export' };
    emit({ type: 'error', runId: 'run-1', error });
    await exporting;
    expect(downloads).toEqual([]);
    expect(store.getState().errors).toEqual([error]);
  });

  it('imports model.json with its weights, sends them in manifest order and describes the model', async () => {
    const { store, sent, emit, actions } = setUp({ withConnectEngine: true }); // connectEngine records the model
    const importing = actions.importModel([new File([weights], 'model.weights.bin'), new File([modelJson], 'model.json')]);
    await until(() => sent.length > 0);
    expect(sent).toHaveLength(1);
    const request = sent[0] as Extract<EngineRequestBody, { type: 'model/import' }>;
    expect(request.type).toBe('model/import');
    expect(request.modelJson).toBe(modelJson);
    expect(request.weights.map((w) => Array.from(new Float32Array(w)))).toEqual([Array.from(new Float32Array(weights))]);
    emit({ type: 'model/imported', runId: 'run-1', metadata });
    await importing;
    expect(store.getState().model).toEqual({ available: true, source: 'imported', description: '\u2068paper\u2069 preset, 40 steps, tile 92 px', pruneLevels: 0, revision: 1 });
    expect(store.getState().data.classNames).toEqual(['background', 'cell']); // the class picker shows the model's classes
    expect(store.getState().errors).toEqual([]);
  });

  it('asks before replacing a model or the class list, and a "no" changes nothing', async () => {
    const { store, sent, actions, questions } = setUp({ answer: false });
    store.setState({ model: { available: true, source: 'trained', description: 'fast preset, 120 steps, tile 256 px', revision: 1 } });
    await actions.importModel([new File([weights], 'model.weights.bin'), new File([modelJson], 'model.json')]);
    expect(questions).toEqual([
      'Replace the current model (fast preset, 120 steps, tile 256 px) with \u2068model.json\u2069? The current one is not kept: export it first to keep it.\n\n' +
      "The project's classes (\u2068background\u2069, \u2068foreground\u2069) become the model's (\u2068background\u2069, \u2068cell\u2069); painted labels keep their numbers.",
    ]);
    expect(sent).toEqual([]);
    expect(store.getState().data.classNames).toEqual(['background', 'foreground']);
    expect(store.getState().model.description).toBe('fast preset, 120 steps, tile 256 px');
    expect(store.getState().errors).toEqual([]);
  });

  it('refuses, before the engine hears of it, a model that does not fit the project or arrives while a run is paused', async () => {
    const { store, slices, sent, actions, questions } = setUp();
    const record = (id: string, channels: number, label: number) => ({
      id, name: `${id}.tif`, width: 2, height: 1, channels, dtype: 'uint8' as const, pixels: new Uint8Array(2 * channels), classes: Int32Array.of(label, -1),
    });
    const choose = () => actions.importModel([new File([weights], 'model.weights.bin'), new File([modelJson], 'model.json')]);
    showSlices(store, slices, [record('rgb', 3, 0)]);
    await choose();
    showSlices(store, slices, [record('grey', 1, 2)]);
    await choose();
    showSlices(store, slices, [record('grey', 1, 1)]);
    store.setState((s) => ({ training: { ...s.training, status: 'paused' } }));
    await choose();
    const broken = structuredClone(metadata) as unknown as Record<string, unknown>;
    delete broken.normalisation;
    await actions.importModel([new File([weights], 'model.weights.bin'), new File([modelJsonWith(broken)], 'model.json')]);
    expect(sent).toEqual([]);
    expect(questions).toEqual([]);
    expect(store.getState().errors.map((e) => [e.phase, e.message])).toEqual([
      ['import', '\u2068model.json\u2069 takes grey (1 channel) images, but the loaded slices are colour (3 channels): it could not predict them. Load images like those it was trained on, or choose a model trained on these.'],
      ['import', 'Your labels use class 2, but \u2068model.json\u2069 knows 2 classes (\u2068background\u2069, \u2068cell\u2069): it could not learn from them. Choose a model with at least 3 classes.'],
      ['import', 'Stop training before importing a model: the paused run trains the current model, and the import would replace it under it.'],
      ['import', expect.stringMatching(/^model\.json: the metadata's normalisation is missing/)],
    ]);
  });

  it('imports one zip, and a crashed worker ends the wait', async () => {
    const { sent, emit, actions } = setUp();
    const zip = zipSync({ 'model.json': new TextEncoder().encode(modelJson), 'model.weights.bin': new Uint8Array(weights) });
    const importing = actions.importModel([new File([zip], 'unet-model.zip')]);
    await until(() => sent.length > 0);
    const request = sent[0] as Extract<EngineRequestBody, { type: 'model/import' }>;
    expect([request.modelJson, request.weights.map((w) => w.byteLength)]).toEqual([modelJson, [PARAMETERS * 4]]);
    emit({ type: 'error', runId: 'worker', error: { code: 'worker-crashed', message: 'gone', phase: 'engine' } });
    await importing; // resolves instead of hanging
  });

  it('files every import problem under phase "import", naming the file, without asking the engine', async () => {
    const { store, sent, actions } = setUp();
    await actions.importModel([new File([modelJson], 'model.json')]);
    await actions.importModel([new File(['{oops'], 'model.json'), new File([weights], 'model.weights.bin')]);
    await actions.importModel([new File([modelJson], 'model.json'), new File([new Uint8Array(20)], 'model.weights.bin')]);
    expect(sent).toEqual([]);
    const errors = store.getState().errors;
    expect(errors.map((e) => e.phase)).toEqual(['import', 'import', 'import']);
    expect(errors[0]!.message).toBe('\u2068model.json\u2069 names weights file \u2068model.weights.bin\u2069, which was not among the chosen files: choose it together with \u2068model.json\u2069.');
    expect(withoutIsolates(errors[1]!.message)).toMatch(/^model\.json is not valid JSON/);
    expect(withoutIsolates(errors[2]!.message)).toMatch(new RegExp(`^model\\.weights\\.bin: the weights are 20 bytes but the manifest needs ${(PARAMETERS * 4).toLocaleString('en-US')}`));
    expect(store.getState().model.available).toBe(false);
  });

  it('exports predictions as TIFF stacks or a PNG zip, and says when there are none', async () => {
    const { store, predictions, downloads, actions } = setUp();
    await actions.exportPredictions('tiff');
    expect(downloads).toEqual([]);
    expect(store.getState().errors.map((e) => [e.phase, e.message])).toEqual([['export', 'No predictions to export yet: predict this slice or all slices first.']]);

    const summary = (id: string) => ({ id, name: `${id}.tif`, width: 2, height: 1, channels: 1, dtype: 'uint8' as const, labelled: false });
    store.setState((s) => ({ data: { ...s.data, slices: [summary('a'), summary('b')] }, prediction: { ...s.prediction, threshold: 0.7 } }));
    predictions.finish('b', 2, 1, 2, quantiseProbabilities(Float32Array.from([0.4, 0.6, 0.2, 0.8]), 2, 0, 2), new Int32Array(2), 0);
    await actions.exportPredictions('tiff');
    expect(downloads.map((d) => d.name)).toEqual(['masks.tif', 'probabilities.tif']);
    expect(Array.from(decodeTiff(downloads[0]!.bytes).data)).toEqual([0, 1]); // 0.6 <= 0.7 < 0.8
    expect(Array.from(decodeTiff(downloads[1]!.bytes).data)).toEqual([0.6, 0.8].map(Math.fround));

    await actions.exportPredictions('png');
    expect(downloads[2]!.name).toBe('masks-png.zip');
    expect(Object.keys(unzipSync(downloads[2]!.bytes))).toEqual(['masks/b.png', 'probabilities/b.png']);
    expect(store.getState().errors).toHaveLength(1);
  });

  it('loads a starter model as an import (same checks and question), names it, and picks the preset that fine-tunes it', async () => {
    const fastMetadata: ModelMetadata = { ...metadata, architecture: { ...FAST_UNET }, tile: { inputTilePx: 256, outputTilePx: 256, borderPx: 0 }, training: { ...metadata.training, preset: 'fast', steps: 1500 } };
    const fastWeights = new Float32Array(countParameters(FAST_UNET)).fill(0.01).buffer;
    const fastJson = JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: [{ paths: ['./weights.bin'], weights: [{ name: 'w', shape: [countParameters(FAST_UNET)], dtype: 'float32' }] }], userDefinedMetadata: { unetStudio: fastMetadata } });
    const asked: StarterId[] = [];
    const { store, sent, emit, actions } = setUp({
      starter: async (id) => { asked.push(id); return [{ name: 'model.json', bytes: new TextEncoder().encode(fastJson) }, { name: 'weights.bin', bytes: new Uint8Array(fastWeights) }]; },
    });
    store.setState((s) => ({ trainingChoices: { ...s.trainingChoices, preset: 'tiny', freshWeights: true } }));
    const loading = actions.loadStarterModel('nuclei');
    await until(() => sent.length === 1 || store.getState().errors.length > 0);
    expect(store.getState().errors).toEqual([]);
    expect(asked).toEqual(['nuclei']);
    expect(sent[0]).toMatchObject({ type: 'model/import', modelJson: fastJson });
    emit({ type: 'model/imported', runId: 'run-1', metadata: fastMetadata });
    await loading;
    const s = store.getState();
    expect(s.errors).toEqual([]);
    expect(s.model).toMatchObject({ available: true, source: 'imported', description: 'fluorescent nuclei (DSB 2018) starter: \u2068fast\u2069 preset, 1500 steps, tile 256 px' });
    expect(s.trainingChoices).toMatchObject({ preset: 'fast', freshWeights: false, learningRate: STARTER_FINE_TUNE_LEARNING_RATE });
    expect(STARTER_FINE_TUNE_LEARNING_RATE).toBeLessThan(TRAINING_PRESETS.fast.settings.optimizer.learningRate); // fine-tuning, not the preset's rate
  });

  it('a starter that cannot be fetched is an import error naming it, and nothing is sent', async () => {
    const { store, sent, actions } = setUp({ starter: (id) => fetchStarterFiles(id, '/studio/', async () => ({ ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) })) });
    await actions.loadStarterModel('em');
    expect(sent).toEqual([]);
    expect(store.getState().errors).toEqual([{ code: 'decode-failed', message: 'The EM membranes (ISBI 2012) starter model is missing from this build (model.json: HTTP 404).', phase: 'import' }]);
  });
});

describe('fetchStarterFiles', () => {
  it('fetches model.json and the weight files its manifest names from the starter folder, and refuses paths that leave it', async () => {
    const urls: string[] = [];
    const serve = (json: string) => async (url: string) => {
      urls.push(url);
      return { ok: true, status: 200, arrayBuffer: async () => (url.endsWith('model.json') ? new TextEncoder().encode(json).buffer : new Uint8Array([1, 2, 3]).buffer) };
    };
    const files = await fetchStarterFiles('nuclei', '/studio/', serve(JSON.stringify({ weightsManifest: [{ paths: ['./group1-shard1of2.bin', 'group1-shard2of2.bin'] }] })));
    expect(urls).toEqual(['/studio/starters/nuclei/model.json', '/studio/starters/nuclei/group1-shard1of2.bin', '/studio/starters/nuclei/group1-shard2of2.bin']);
    expect(files.map((f) => f.name)).toEqual(['model.json', 'group1-shard1of2.bin', 'group1-shard2of2.bin']);
    await expect(fetchStarterFiles('nuclei', '/', serve(JSON.stringify({ weightsManifest: [{ paths: ['../../secret.bin'] }] })))).rejects.toThrow(/lists no usable weight files/);
    await expect(fetchStarterFiles('nuclei', '/', serve(JSON.stringify({ weightsManifest: [{ paths: ['https://elsewhere.example/w.bin'] }] })))).rejects.toThrow(/lists no usable weight files/);
  });
});

describe('ONNX and bioimage.io exports', () => {
  const form = { name: 'Nuclei U-Net', description: 'Segments nuclei.', authors: 'Ada Lovelace; Engine Lab\n\n  Test Bot  ', license: 'MIT' };
  const withModel = (store: ReturnType<typeof setUp>['store']) => store.setState((s) => ({
    model: { available: true, source: 'trained', description: 'x', revision: 1 },
    data: { ...s.data, classNames: ['bg', 'nucleus'], currentSliceId: 'slice-2' },
    training: { ...s.training, bestStep: 40, validationSliceIds: ['a', 'b'], splitDescription: '2 of 8 slices held out', validation: [{ step: 20, loss: 0.5, foregroundIoU: 0.6 }, { step: 40, loss: 0.3, foregroundIoU: 0.8 }] },
  }));

  it('downloads the engine\'s .onnx bytes as unet-model.onnx', async () => {
    const { store, sent, emit, downloads, actions } = setUp();
    withModel(store);
    const done = actions.exportOnnx();
    await until(() => sent.length === 1);
    expect(sent[0]).toEqual({ type: 'model/export-onnx', classNames: ['bg', 'nucleus'] });
    emit({ type: 'model/onnx-exported', runId: 'run-1', bytes: Uint8Array.of(8, 7) });
    await done;
    expect(downloads).toEqual([{ name: 'unet-model.onnx', bytes: Uint8Array.of(8, 7) }]);
  });

  it('sends the form, the current slice and the kept step\'s held-out scores, then downloads the package', async () => {
    const { store, sent, emit, downloads, actions } = setUp();
    withModel(store);
    const done = actions.exportBioimagePackage(form);
    await until(() => sent.length === 1);
    expect(sent[0]).toMatchObject({
      type: 'model/export-bioimageio', testSliceId: 'slice-2', classNames: ['bg', 'nucleus'],
      info: {
        name: 'Nuclei U-Net', license: 'MIT', authors: [{ name: 'Ada Lovelace', affiliation: 'Engine Lab' }, { name: 'Test Bot' }],
        validation: [{ value: 0.8, note: '2 held-out slice(s), step 40' }, { value: 0.3 }],
        validationNote: 'Measured by U-Net Studio; 2 of 8 slices held out.',
      },
    });
    emit({ type: 'model/bioimageio-exported', runId: 'run-1', zip: Uint8Array.of(1) });
    await done;
    expect(downloads).toEqual([{ name: 'unet-model.bioimageio.zip', bytes: Uint8Array.of(1) }]);
  });

  it('refuses an incomplete form before asking the engine, naming the field', async () => {
    const { store, sent, downloads, actions } = setUp();
    withModel(store);
    await actions.exportBioimagePackage({ ...form, authors: '  ' });
    expect(sent).toEqual([]);
    expect(downloads).toEqual([]);
    expect(store.getState().errors).toEqual([{ code: 'invalid-config', message: 'bioimage.io package: name at least one author, each with a name.', phase: 'export' }]);
  });
});
