import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SliceRecord } from '../data/sliceRegistry';
import { sampleModel, sampleSlices } from './persistenceFixtures';
import type { ProjectMeta } from './projectDb';
import { PersistenceUnavailableError, ProjectDb } from './projectDb';

let dbCount = 0;
const freshDb = () => ProjectDb.open(`project-db-test-${++dbCount}`);

function expectSameSlice(actual: SliceRecord | undefined, expected: SliceRecord): void {
  expect(actual).toBeDefined();
  const got = actual as SliceRecord;
  expect({ ...got, pixels: null, classes: null, instances: null }).toEqual({ ...expected, pixels: null, classes: null, instances: null });
  expect(got.pixels.constructor).toBe(expected.pixels.constructor);
  expect(Array.from(got.pixels)).toEqual(Array.from(expected.pixels));
  expect(got.classes).toBeInstanceOf(Int32Array);
  expect(Array.from(got.classes)).toEqual(Array.from(expected.classes));
  if (expected.instances) expect(Array.from(got.instances ?? [])).toEqual(Array.from(expected.instances));
  else expect(got.instances).toBeNull();
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('ProjectDb', () => {
  it('is empty at first', async () => {
    const db = await freshDb();
    expect(await db.loadProject()).toBeNull();
  });

  it('round-trips slices of uint8, uint16 and float32 with classes and instances, exactly and in order', async () => {
    const db = await freshDb();
    const records = sampleSlices();
    await db.saveSlices([records[2], records[0], records[1]] as SliceRecord[]);
    const saved = await db.loadProject();
    expect(saved?.slices.map((s) => s.id)).toEqual(['c', 'a', 'b']);
    expectSameSlice(saved?.slices[0], records[2] as SliceRecord);
    expectSameSlice(saved?.slices[1], records[0] as SliceRecord);
    expectSameSlice(saved?.slices[2], records[1] as SliceRecord);
    expect(saved?.meta).toBeNull();
    expect(saved?.model).toBeNull();
  });

  it('replaces every slice on a new save', async () => {
    const db = await freshDb();
    await db.saveSlices(sampleSlices());
    await db.saveSlices(sampleSlices().slice(1, 2));
    expect((await db.loadProject())?.slices.map((s) => s.id)).toEqual(['b']);
  });

  it('saves one slice\'s labels, dropping the instance map painting superseded', async () => {
    const db = await freshDb();
    await db.saveSlices(sampleSlices());
    const painted = Int32Array.from({ length: 12 }, (_, i) => (i < 6 ? 1 : 0));
    expect(await db.saveLabels('a', painted)).toBe(true);
    expect(await db.saveLabels('missing', painted)).toBe(false);
    const a = (await db.loadProject())?.slices.find((s) => s.id === 'a');
    expect(Array.from(a?.classes ?? [])).toEqual(Array.from(painted));
    expect(a?.instances).toBeNull();
    expect(Array.from(a?.pixels ?? [])).toEqual(Array.from(sampleSlices()[0]?.pixels ?? []));
  });

  it('round-trips the model files byte for byte and the meta', async () => {
    const db = await freshDb();
    const model = sampleModel();
    const meta: ProjectMeta = {
      currentSliceId: 'b', classNames: ['background', 'cell', 'border'],
      training: { losses: [{ step: 1, loss: 0.9 }, { step: 2, loss: 0.7 }], validation: [{ step: 2, loss: 0.8, foregroundIoU: 0.5 }], bestStep: 2 },
      trainingChoices: { preset: 'tiny', steps: 2, learningRate: 0.01, tileSizePx: 92, batchSize: 1, augment: false, freshWeights: true },
      savedAt: '2025-01-02T03:04:05.000Z',
    };
    await db.saveModel(model);
    await db.saveMeta(meta);
    const saved = await db.loadProject();
    expect(saved?.slices).toEqual([]);
    expect(saved?.meta).toEqual(meta);
    expect(saved?.model?.modelJson).toBe(model.modelJson);
    expect(saved?.model?.metadataJson).toBe(model.metadataJson);
    expect(saved?.model?.weightsFileName).toBe(model.weightsFileName);
    expect(saved?.model?.weights).toBeInstanceOf(ArrayBuffer);
    expect(new Uint8Array(saved?.model?.weights ?? new ArrayBuffer(0))).toEqual(new Uint8Array(model.weights));
  });

  it('clears everything', async () => {
    const db = await freshDb();
    await db.saveSlices(sampleSlices());
    await db.saveModel(sampleModel());
    await db.clear();
    expect(await db.loadProject()).toBeNull();
  });

  it('keeps the previous slices when the browser refuses a write (quota exceeded)', async () => {
    const db = await freshDb();
    await db.saveSlices(sampleSlices());
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); });
    await expect(db.saveSlices(sampleSlices().slice(0, 1))).rejects.toMatchObject({ name: 'QuotaExceededError' });
    vi.restoreAllMocks();
    expect((await db.loadProject())?.slices.map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });

  it('says why when the browser has no IndexedDB', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const opening = ProjectDb.open('no-idb');
    await expect(opening).rejects.toBeInstanceOf(PersistenceUnavailableError);
    await expect(opening).rejects.toThrow(/no IndexedDB/);
  });
});
