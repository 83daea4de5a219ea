import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelMetadata } from '../../core/model/modelMetadata';
import { createStudioStore } from '../../store/createStudioStore';
import { showSlices } from '../data/createDataActions';
import type { SliceRecord } from '../data/sliceRegistry';
import { SliceRegistry } from '../data/sliceRegistry';
import type { EngineClient } from '../engineClient';
import { PredictionRegistry } from '../predict/predictionRegistry';
import { connectPersistence } from './connectPersistence';
import { sampleModel, sampleSlices } from './persistenceFixtures';
import { FakeEngine, freshName, load, sleep, startStudio, waitSaved } from './persistenceTestStudio';
import { PersistenceUnavailableError, ProjectDb } from './projectDb';

/** A grey slice of zeros, unlabelled. */
function bigRecord(id: string, width: number, height: number): SliceRecord {
  return { id, name: `${id}.tif`, width, height, channels: 1, dtype: 'uint8', pixels: new Uint8Array(width * height), classes: new Int32Array(width * height).fill(-1), instances: null };
}

function metadata(classNames: string[]): ModelMetadata {
  return { classNames } as unknown as ModelMetadata;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('connectPersistence', () => {
  it('starts idle on an empty database and sends nothing to the engine', async () => {
    const { store, engine } = await startStudio(freshName());
    expect(store.getState().project).toEqual({ persistence: 'idle', lastSavedAt: null, message: null, storagePersisted: null, notice: null });
    expect(engine.sent).toEqual([]);
  });

  it('saves shown slices and restores them, with the current slice, into a fresh store and registry without saving again', async () => {
    const name = freshName();
    const first = await startStudio(name, { now: () => new Date('2025-03-04T05:06:07.000Z') });
    showSlices(first.store, first.registry, sampleSlices(), 'b');
    expect(first.store.getState().project.persistence).toBe('saving');
    await waitSaved(first.store);
    await vi.waitFor(async () => expect((await load(name))?.meta?.currentSliceId).toBe('b'));
    expect(first.store.getState().project.lastSavedAt).toBe('2025-03-04T05:06:07.000Z');

    const saveSlice = vi.spyOn(ProjectDb.prototype, 'saveSlice');
    const putMeta = vi.spyOn(ProjectDb.prototype, 'putMeta');
    const second = await startStudio(name);
    const expected = sampleSlices();
    expect(second.registry.ids()).toEqual(['a', 'b', 'c']);
    for (const want of expected) {
      const got = second.registry.get(want.id) as SliceRecord;
      expect(got.pixels.constructor).toBe(want.pixels.constructor);
      expect(Array.from(got.pixels)).toEqual(Array.from(want.pixels));
      expect(Array.from(got.classes)).toEqual(Array.from(want.classes));
      expect(got.instances ? Array.from(got.instances) : null).toEqual(want.instances ? Array.from(want.instances) : null);
    }
    const state = second.store.getState();
    expect(state.data.slices.map((s) => [s.id, s.labelled])).toEqual([['a', true], ['b', false], ['c', true]]);
    expect(state.data.currentSliceId).toBe('b');
    expect(state.project).toMatchObject({ persistence: 'saved', lastSavedAt: '2025-03-04T05:06:07.000Z', message: null });
    await sleep(150); // past every debounce
    expect(saveSlice).not.toHaveBeenCalled();
    expect(putMeta).not.toHaveBeenCalled();
    expect(second.store.getState().project.persistence).toBe('saved');
  });

  it('leaves the saved project alone in a second tab: autosave off there, with why', async () => {
    const name = freshName();
    const first = await startStudio(name, { claimProject: () => Promise.resolve(true) });
    showSlices(first.store, first.registry, sampleSlices(), 'a');
    await waitSaved(first.store);
    const saveSlice = vi.spyOn(ProjectDb.prototype, 'saveSlice');
    const second = await startStudio(name, { claimProject: () => Promise.resolve(false) });
    expect(second.store.getState().project).toMatchObject({ persistence: 'unavailable' });
    expect(second.store.getState().project.message).toMatch(/^Autosave is off in this tab: the studio is open in another tab/);
    expect(second.registry.ids()).toEqual([]); // nothing restored: its edits could not be kept
    showSlices(second.store, second.registry, sampleSlices().slice(0, 1), 'a');
    expect(second.hasUnsavedWork()).toBe(false); // nothing painted yet
    second.registry.labelsChanged('a', [{ x: 0, y: 0, width: 1, height: 1 }]);
    expect(second.hasUnsavedWork()).toBe(true); // painted where nothing is kept: leaving asks first
    await sleep(150);
    expect(saveSlice).not.toHaveBeenCalled();
    expect((await load(name))?.slices.map((r) => r.id)).toEqual(['a', 'b', 'c']); // the first tab's project is intact
  });

  it('asks the browser once, after the first save, to keep the storage, and records the answer', async () => {
    const requestPersistentStorage = vi.fn(() => Promise.resolve(false));
    const { store, registry } = await startStudio(freshName(), { requestPersistentStorage });
    expect(requestPersistentStorage).not.toHaveBeenCalled(); // nothing saved yet: nothing to keep
    showSlices(store, registry, sampleSlices(), 'a');
    await waitSaved(store);
    await vi.waitFor(() => expect(store.getState().project.storagePersisted).toBe(false));
    showSlices(store, registry, sampleSlices().slice(0, 1), 'a');
    await waitSaved(store);
    await sleep(100);
    expect(requestPersistentStorage).toHaveBeenCalledTimes(1);
  });

  it('writes a stroke\'s label tiles at once, says saving until they are on disk, and a reload restores them', async () => {
    const name = freshName();
    const first = await startStudio(name);
    showSlices(first.store, first.registry, sampleSlices());
    await waitSaved(first.store);
    expect(first.hasUnsavedWork()).toBe(false);
    const putLabelTiles = vi.spyOn(ProjectDb.prototype, 'putLabelTiles');
    const record = first.registry.get('c') as SliceRecord;
    for (let stroke = 0; stroke < 3; stroke++) {
      record.classes[stroke] = 5 + stroke; // painted in place, as the paint tools do
      first.registry.labelsChanged('c', [{ x: stroke % 2, y: Math.floor(stroke / 2), width: 1, height: 1 }]);
      // Issued in the stroke's own task, not after a quiet time: a reload right now keeps it.
      expect(putLabelTiles).toHaveBeenCalledTimes(stroke + 1);
      expect(first.store.getState().project.persistence).toBe('saving');
      expect(first.hasUnsavedWork()).toBe(true);
    }
    await waitSaved(first.store);
    expect(first.hasUnsavedWork()).toBe(false);

    const second = await startStudio(name);
    expect(Array.from(second.registry.get('c')?.classes ?? [])).toEqual([5, 6, 7, -1]);
  });

  it('says which slices a restore could not bring back', async () => {
    const name = freshName();
    const db = await ProjectDb.open(name);
    const records = sampleSlices();
    await db.replaceSlices(records);
    await db.saveSlice(records[0] as SliceRecord, 0); // 'b' and 'c' never finished saving
    db.close();
    const { store, registry } = await startStudio(name);
    expect(registry.ids()).toEqual(['a']);
    expect(store.getState().errors).toEqual([{
      code: 'restore-incomplete', phase: 'restore',
      message: 'Not restored: \u2068rgb.png\u2069 (5×2 px), \u2068float.tif\u2069 (2×2 px) were never saved completely (the browser refused to store them, ' +
        'or the tab closed while saving). Load them again.',
    }]);
  });

  it('saves exported model files and restores them byte for byte through model/import', async () => {
    const name = freshName();
    const first = await startStudio(name);
    const model = sampleModel();
    first.engine.emit({ type: 'model/exported', runId: 'run-download', files: model });
    await waitSaved(first.store);

    const second = await startStudio(name);
    const imports = second.engine.sentOf('model/import');
    expect(imports).toHaveLength(1);
    expect(imports[0]?.modelJson).toBe(model.modelJson);
    expect(imports[0]?.weights).toHaveLength(1);
    expect(new Uint8Array(imports[0]?.weights[0] ?? new ArrayBuffer(0))).toEqual(new Uint8Array(model.weights));
    // The page's handler marks an import; ours says where it came from.
    second.store.setState({ model: { available: true, source: 'imported', description: 'fast preset', revision: 1 } });
    second.engine.emit({ type: 'model/imported', runId: 'run-1', metadata: metadata(['background', 'foreground']) });
    expect(second.store.getState().model).toEqual({ available: true, source: 'restored', description: 'fast preset', revision: 1 });
    expect(second.engine.sentOf('model/export')).toEqual([]); // its own restore is not exported again
  });

  it('asks the engine for the model after training ends and after a user import', async () => {
    const { store, engine } = await startStudio(freshName());
    store.setState((s) => ({ data: { ...s.data, classNames: ['background', 'nucleus'] }, training: { ...s.training, status: 'running' } }));
    store.setState((s) => ({ training: { ...s.training, status: 'paused' } }));
    expect(engine.sentOf('model/export')).toEqual([]);
    store.setState((s) => ({ training: { ...s.training, status: 'done' }, model: { ...s.model, available: true } }));
    expect(engine.sentOf('model/export')).toEqual([{ type: 'model/export', classNames: ['background', 'nucleus'] }]);
    store.setState((s) => ({ training: { ...s.training, step: 3 } })); // still done: no second export
    engine.emit({ type: 'model/imported', runId: 'run-user', metadata: metadata(['bg', 'cell', 'edge']) });
    expect(engine.sentOf('model/export')).toEqual([
      { type: 'model/export', classNames: ['background', 'nucleus'] },
      { type: 'model/export', classNames: ['bg', 'cell', 'edge'] },
    ]);
  });

  it('restores the training history, class names and training choices', async () => {
    const name = freshName();
    const first = await startStudio(name);
    const losses = [{ step: 1, loss: 0.9 }, { step: 2, loss: 0.6 }, { step: 3, loss: 0.4 }];
    const validation = [{ step: 3, loss: 0.5, foregroundIoU: 0.7 }];
    const choices = { preset: 'tiny' as const, steps: 3, learningRate: 0.02, tileSizePx: 92, batchSize: 1, augment: false, freshWeights: true, validationSliceIds: [] as string[] };
    first.store.setState((s) => ({ data: { ...s.data, classNames: ['background', 'nucleus'] }, training: { ...s.training, status: 'running' } }));
    first.store.setState((s) => ({ training: { ...s.training, losses, validation, step: 3, status: 'done', bestStep: 3 }, trainingChoices: choices }));
    await waitSaved(first.store);
    await vi.waitFor(async () => expect((await load(name))?.meta?.training.losses).toEqual(losses));

    const { store } = await startStudio(name);
    const state = store.getState();
    expect(state.training).toMatchObject({ status: 'done', step: 3, losses, validation, bestStep: 3 });
    expect(state.trainingChoices).toEqual(choices);
    expect(state.data.classNames).toEqual(['background', 'nucleus']);
  });

  it('new project deletes everything, drops pending saves and reloads', async () => {
    const name = freshName();
    const first = await startStudio(name);
    showSlices(first.store, first.registry, sampleSlices());
    first.engine.emit({ type: 'model/exported', runId: 'run-x', files: sampleModel() });
    await waitSaved(first.store);
    expect((await load(name))?.model).not.toBeNull();
    first.registry.labelsChanged('a', null); // in flight: must not come back after the delete
    await first.newProject();
    expect(first.reload).toHaveBeenCalledTimes(1);
    await sleep(120);
    expect(await load(name)).toBeNull();
  });

  it('reports a refused slice as failed, naming it and its size, keeps the others, and stores it once there is room', async () => {
    const name = freshName();
    const { store, registry, hasUnsavedWork } = await startStudio(name);
    const slice = (id: string, size: number): SliceRecord => ({
      id, name: `${id}.tif`, width: size, height: size, channels: 1, dtype: 'uint8', pixels: new Uint8Array(size * size), classes: new Int32Array(size * size),
    });
    const realPut = IDBObjectStore.prototype.put;
    // A disk with room for small writes only: the 2000 px slice's 4 MB image strip does not fit.
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      const value = args[0] as { byteLength?: number };
      if ((value.byteLength ?? 0) > 1e6) throw new DOMException('Quota exceeded.', 'QuotaExceededError');
      return realPut.apply(this, args);
    });
    showSlices(store, registry, [slice('x', 100), slice('big', 2000), slice('z', 100)]);
    const message = 'Autosave failed: the browser refused to store \u2068big.tif\u2069 (2000×2000 px, image and labels), 8.0 MB (storage full). ' +
      'Free some disk space; autosave tries again with your next change.';
    await vi.waitFor(() => expect(store.getState().project).toMatchObject({ persistence: 'failed', message }));
    expect(store.getState().errors).toContainEqual({ code: 'quota-exceeded', phase: 'autosave', message });
    expect(hasUnsavedWork()).toBe(true);
    expect((await load(name))?.slices.map((s) => s.id)).toEqual(['x', 'z']); // one slice's failure takes no other with it

    // Painting on with the disk still full: the stroke's tiles are stored, the slice is retried and fails again, once in the errors.
    registry.labelsChanged('x', [{ x: 0, y: 0, width: 5, height: 5 }]);
    await vi.waitFor(() => expect(store.getState().project).toMatchObject({ persistence: 'failed', message }));

    // Once there is room, the next change stores the slice and clears the failure.
    put.mockRestore();
    registry.labelsChanged('z', [{ x: 0, y: 0, width: 5, height: 5 }]);
    await waitSaved(store);
    const saved = await load(name);
    expect(saved?.slices.map((s) => s.id)).toEqual(['x', 'big', 'z']);
    expect(saved?.missing).toEqual([]);
    expect(store.getState().project.message).toBeNull();
    expect(store.getState().errors.map((e) => e.message)).toEqual([message]);
  });

  it('a stroke that saves after an earlier stroke failed does not hide that failure: the labels are written whole again', async () => {
    const name = freshName();
    const { store, registry } = await startStudio(name);
    showSlices(store, registry, [bigRecord('s', 600, 300)]);
    await waitSaved(store);
    const put = vi.spyOn(ProjectDb.prototype, 'putLabelTiles');
    put.mockImplementationOnce(() => Promise.reject(new DOMException('Quota exceeded.', 'QuotaExceededError')));
    const record = registry.get('s') as SliceRecord;
    for (let x = 0; x < 200; x++) record.classes[10 * 600 + x] = 1; // a long line: fails
    registry.labelsChanged('s', [{ x: 0, y: 10, width: 200, height: 1 }]);
    record.classes[250 * 600 + 550] = 0; // a dab far away: stored
    registry.labelsChanged('s', [{ x: 550, y: 250, width: 1, height: 1 }]);
    await waitSaved(store);
    // The dab's success did not clear the line's failure: a whole write followed, so the line is on disk too.
    expect(put.mock.calls.map((call) => call[1])).toEqual([[{ x: 0, y: 10, width: 200, height: 1 }], [{ x: 550, y: 250, width: 1, height: 1 }], null]);
    const saved = (await load(name))?.slices[0];
    expect(saved?.classes[10 * 600 + 199]).toBe(1);
    expect(saved?.classes[250 * 600 + 550]).toBe(0);
  });

  it('a failed replace is retried as the whole set (the list, then every slice), never as a list that wipes slices saved since', async () => {
    const name = freshName();
    const { store, registry } = await startStudio(name);
    vi.spyOn(ProjectDb.prototype, 'replaceSlices').mockRejectedValueOnce(new DOMException('Transient.', 'UnknownError'));
    showSlices(store, registry, sampleSlices());
    await vi.waitFor(() => expect(store.getState().project.persistence).toBe('saved'));
    expect((await load(name))?.slices.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('a slice whose arrays the page replaces while it is being stored is stored again from the new ones (no stale instance map)', async () => {
    const name = freshName();
    const { store, registry } = await startStudio(name);
    const record = { ...bigRecord('s', 2048, 2048), instances: Int32Array.from({ length: 2048 * 2048 }, (_, i) => 1 + (i % 5)) };
    const realPut = IDBObjectStore.prototype.put;
    let puts = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      const request = realPut.apply(this, args);
      // In the middle of the slice's chunks (its 8 MB batches), a stroke: painting drops the instance map.
      if (this.name === 'instanceStrips' && ++puts === 2) setTimeout(() => registry.labelsChanged('s', [{ x: 0, y: 0, width: 1, height: 1 }]), 0);
      return request;
    });
    showSlices(store, registry, [record]);
    await vi.waitFor(() => expect(puts).toBeGreaterThanOrEqual(2));
    await waitSaved(store);
    vi.restoreAllMocks();
    const saved = (await load(name))?.slices[0];
    expect(saved?.instances).toBeNull();
  });

  it('says autosave is unavailable, and why, without IndexedDB', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const store = createStudioStore();
    connectPersistence(store, new SliceRegistry(), new PredictionRegistry(), new FakeEngine() as unknown as EngineClient, { reload: vi.fn() });
    await vi.waitFor(() => expect(store.getState().project.persistence).toBe('unavailable'));
    expect(store.getState().project.message).toMatch(/^Autosave unavailable: this browser gives the page no IndexedDB/);
    showSlices(store, new SliceRegistry(), sampleSlices());
    expect(store.getState().project.persistence).toBe('unavailable');
  });

  it('reports a project that cannot be read', async () => {
    vi.spyOn(ProjectDb.prototype, 'loadProject').mockRejectedValue(new DOMException('The data is corrupt.', 'DataError'));
    const { store } = await startStudio(freshName());
    const message = 'Could not restore your last session: reading the saved project failed (DataError: The data is corrupt.).';
    expect(store.getState().project).toMatchObject({ persistence: 'failed', message });
    expect(store.getState().errors).toEqual([{ code: 'restore-failed', phase: 'restore', message }]);
  });

  it('rejects nothing when the database cannot be opened: autosave is off with the reason', async () => {
    const { store } = await startStudio(freshName(), { openDb: () => Promise.reject(new PersistenceUnavailableError('the browser refused to open the project database (SecurityError)')) });
    expect(store.getState().project).toMatchObject({ persistence: 'unavailable', message: 'Autosave unavailable: the browser refused to open the project database (SecurityError).' });
  });
});
