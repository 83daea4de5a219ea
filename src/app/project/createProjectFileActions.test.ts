import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildUNet } from '../../core/model/buildUNet';
import type { ModelFiles } from '../../core/model/modelFiles';
import { saveModelFiles } from '../../core/model/modelFiles';
import { PAPER_UNET } from '../../core/model/unetConfig';
import type { ModelMetadata } from '../../core/model/modelMetadata';
import { testMetadata } from '../../testUtils/testMetadata';
import { showSlices } from '../data/createDataActions';
import type { SliceRecord } from '../data/sliceRegistry';
import type { EngineClient } from '../engineClient';
import type { TestStudio } from '../persistence/persistenceTestStudio';
import { freshName, load, startStudio, waitSaved } from '../persistence/persistenceTestStudio';
import { ProjectDb } from '../persistence/projectDb';
import { staleSliceIds } from '../predict/stalePredictions';
import { createProjectFileActions } from './createProjectFileActions';
import { quantiseProbabilities } from '../../core/predict/quantiseProbabilities';

const config = { ...PAPER_UNET, depth: 2, baseChannels: 4, tileSizePx: 60 };
let model: ModelFiles;

beforeAll(async () => {
  const net = buildUNet(config, 5);
  model = await saveModelFiles(net, testMetadata(config, { classNames: ['background', 'cell'] }));
  net.dispose();
});

/** Two grey slices of different pixel types, labelled with classes 0 and 1. */
function records(): SliceRecord[] {
  return [
    { id: 'a', name: 'cells-01.tif', width: 4, height: 3, channels: 1, dtype: 'uint8', pixels: Uint8Array.from({ length: 12 }, (_, i) => i * 20), classes: Int32Array.from({ length: 12 }, (_, i) => (i % 3) - 1), instances: null },
    { id: 'c', name: 'float.tif', width: 2, height: 2, channels: 1, dtype: 'float32', pixels: Float32Array.of(0.5, -1, 3, 1e-3), classes: Int32Array.of(0, 1, 1, -1), instances: Int32Array.of(0, 1, 1, 0) },
  ];
}

function probabilitiesOfA(): Float32Array {
  return Float32Array.from({ length: 24 }, (_, j) => ((j >> 1) % 4) / 3 * (j % 2 === 1 ? 1 : -1) + (j % 2 === 1 ? 0 : 1));
}

/** The engine hands over `model` when asked, as the worker does. */
function engineExports(studio: TestStudio): void {
  const send = studio.engine.send.bind(studio.engine);
  studio.engine.send = (body) => {
    const runId = send(body);
    if (body.type === 'model/export') queueMicrotask(() => studio.engine.emit({ type: 'model/exported', runId, files: model }));
    return runId;
  };
}

function actionsOf(studio: TestStudio, options: Parameters<typeof createProjectFileActions>[5] = {}) {
  return createProjectFileActions(studio.store, studio.engine as unknown as EngineClient, studio.registry, studio.predictions, studio, { now: () => new Date('2026-02-03T04:05:06Z'), ...options });
}

/** A studio with two labelled slices, a trained model, a prediction of 'a' and a training history. */
async function projectToExport(): Promise<TestStudio> {
  const studio = await startStudio(freshName());
  engineExports(studio);
  showSlices(studio.store, studio.registry, records(), 'c');
  studio.store.setState((s) => ({
    model: { ...s.model, available: true, source: 'trained', description: 'tiny', revision: 1 },
    data: { ...s.data, classNames: ['background', 'cell'] },
    training: { ...s.training, status: 'done', losses: [{ step: 1, loss: 0.9 }, { step: 2, loss: 0.7 }], totalSteps: 2 },
  }));
  studio.engine.emit({ type: 'predict/slice-done', runId: 'p', sliceId: 'a', width: 4, height: 3, numClasses: 2, quantised: quantiseProbabilities(probabilitiesOfA(), 2, 0, 12), instances: Int32Array.from({ length: 12 }, (_, i) => i % 2), instanceCount: 1, tilePx: 60, elapsedMs: 1, memory: {} as never });
  await waitSaved(studio.store);
  return studio;
}

async function exported(studio: TestStudio): Promise<File> {
  let file: File | null = null;
  await actionsOf(studio, { download: (name, parts) => { file = new File(parts as Uint8Array<ArrayBuffer>[], name); } }).exportProject();
  expect(studio.store.getState().errors).toEqual([]);
  expect(file).not.toBeNull();
  return file as unknown as File;
}

/** An in-memory sessionStorage (the report crosses the reload through it). */
function stubSessionStorage(): void {
  const items = new Map<string, string>();
  vi.stubGlobal('sessionStorage', { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => items.set(k, v), removeItem: (k: string) => items.delete(k) });
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('project file actions', () => {
  it('exports a project and imports it into another browser: same images, labels, predictions, model, history, and says what it restored', async () => {
    stubSessionStorage();
    const source = await projectToExport();
    const file = await exported(source);
    expect(file.name).toBe('project-2026-02-03.unet-project.zip');

    const name = freshName();
    const target = await startStudio(name);
    const confirm = vi.fn(() => true);
    await actionsOf(target, { confirm }).importProject(file);
    expect(target.store.getState().errors).toEqual([]);
    expect(confirm).not.toHaveBeenCalled(); // an empty project: nothing to lose
    expect(target.reload).toHaveBeenCalledTimes(1);

    const reopened = await startStudio(name);
    for (const want of records()) {
      const got = reopened.registry.get(want.id) as SliceRecord;
      expect([got.name, got.dtype, [...got.pixels], [...got.classes], got.instances ? [...got.instances] : null])
        .toEqual([want.name, want.dtype, [...want.pixels], [...want.classes], want.instances ? [...want.instances] : null]);
    }
    const state = reopened.store.getState();
    expect(state.data.currentSliceId).toBe('c');
    expect(state.training.losses).toEqual([{ step: 1, loss: 0.9 }, { step: 2, loss: 0.7 }]);
    expect(state.project.notice).toBe('Imported \u2068project-2026-02-03.unet-project.zip\u2069: 2 slices (2 labelled), 1 prediction, the model, the settings, a training history of 2 steps.');
    const prediction = reopened.predictions.get('a');
    expect([...(prediction?.quantised ?? [])]).toEqual([...quantiseProbabilities(probabilitiesOfA(), 2, 0, 12)]);
    expect(reopened.engine.sentOf('model/import')[0]?.modelJson).toBe(model.modelJson);
    reopened.store.setState((s) => ({ model: { ...s.model, available: true, revision: s.model.revision + 1 } }));
    reopened.engine.emit({ type: 'model/imported', runId: 'run-1', metadata: { classNames: ['background', 'cell'] } as unknown as ModelMetadata });
    expect(staleSliceIds(reopened.store.getState().prediction.modelRevisionOf, reopened.store.getState().model.revision)).toEqual([]);
  });

  it('asks before replacing a project, and changes nothing when the answer is no', async () => {
    const file = await exported(await projectToExport());
    const name = freshName();
    const target = await startStudio(name);
    showSlices(target.store, target.registry, [{ ...records()[1] as SliceRecord, id: 'mine', name: 'mine.tif' }]);
    await waitSaved(target.store);
    const confirm = vi.fn(() => false);
    await actionsOf(target, { confirm }).importProject(file);
    expect((confirm.mock.calls as unknown as string[][])[0]?.[0]).toMatch(/^Replace the current project \(1 slice\(s\)\) with .*project-2026-02-03.*: 2 slices \(2 labelled\), 1 prediction, the model/);
    expect(target.reload).not.toHaveBeenCalled();
    expect((await load(name))?.slices.map((s) => s.id)).toEqual(['mine']);
  });

  it('an import the browser cannot store says so, keeps the page as it was and stores its project again', async () => {
    const file = await exported(await projectToExport());
    const name = freshName();
    const target = await startStudio(name);
    showSlices(target.store, target.registry, [{ ...records()[1] as SliceRecord, id: 'mine', name: 'mine.tif' }]);
    await waitSaved(target.store);
    const realSave = ProjectDb.prototype.saveSlice;
    vi.spyOn(ProjectDb.prototype, 'saveSlice').mockImplementationOnce(async function (this: ProjectDb, record) {
      if (record.id === 'a') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realSave.call(this, record, 0);
    });
    await actionsOf(target, { confirm: () => true }).importProject(file);
    expect(target.store.getState().errors.map((e) => e.message)).toEqual([
      '\u2068project-2026-02-03.unet-project.zip\u2069 was not imported: storing it in this browser failed (QuotaExceededError: The quota has been exceeded.). Your current project is unchanged and is being saved again.',
    ]);
    expect(target.reload).not.toHaveBeenCalled();
    expect(target.registry.ids()).toEqual(['mine']);
    await waitSaved(target.store);
    expect((await load(name))?.slices.map((s) => s.id)).toEqual(['mine']);
  });

  it('needs autosave in the tab: where it is off, the import is refused and says why', async () => {
    const file = await exported(await projectToExport());
    const target = await startStudio(freshName(), { claimProject: () => Promise.resolve(false) }); // another tab owns the project
    await actionsOf(target, { confirm: () => true }).importProject(file);
    expect(target.store.getState().errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^\u2068project-2026-02-03\.unet-project\.zip\u2069 was not imported, nothing changed: importing a project needs autosave in this tab, and it is off \(Autosave is off in this tab: the studio is open in another tab/),
    ]);
    expect(target.reload).not.toHaveBeenCalled();
  });

  it('refuses a model that does not fit the labels, naming the part, before anything changes', async () => {
    const source = await projectToExport();
    source.registry.get('c')?.classes.set([2], 0); // class 2: the two-class model cannot learn it
    const file = await exported(source);
    const target = await startStudio(freshName());
    const confirm = vi.fn(() => true);
    await actionsOf(target, { confirm }).importProject(file);
    expect(target.store.getState().errors[0]?.message).toMatch(
      /^\u2068project-2026-02-03\.unet-project\.zip\u2069 was not imported, nothing changed: \u2068project-2026-02-03\.unet-project\.zip\u2069: the model \(model\/model\.json\): Your labels use class 2/);
    expect(confirm).not.toHaveBeenCalled();
    expect(target.reload).not.toHaveBeenCalled();
  });

  it('refuses a file that is not a project, and a project past the memory limit, naming why', async () => {
    const target = await startStudio(freshName());
    await actionsOf(target).importProject(new File([Uint8Array.of(1, 2, 3)], 'holiday.zip'));
    const file = await exported(await projectToExport());
    await actionsOf(target, { maxProjectPixels: 10 }).importProject(file);
    const huge = { name: 'huge.unet-project.zip', size: 5 * 2 ** 30, arrayBuffer: () => Promise.reject(new RangeError('Array buffer allocation failed')) } as unknown as File;
    await actionsOf(target).importProject(huge);
    expect(target.store.getState().errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^\u2068holiday\.zip\u2069 was not imported, nothing changed: \u2068holiday\.zip\u2069 could not be read as a zip file/),
      expect.stringMatching(/was not imported, nothing changed: .* holds 2 slices of 16 px in all; this page can hold at most 10 px at once \(its memory limit\)\.$/),
      '\u2068huge.unet-project.zip\u2069 was not imported, nothing changed: the browser could not read the 5120 MiB file into memory (Array buffer allocation failed); import it on a machine with more memory.',
    ]);
    expect(target.reload).not.toHaveBeenCalled();
  });
});
