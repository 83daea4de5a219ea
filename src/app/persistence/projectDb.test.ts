import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SliceRecord } from '../data/sliceRegistry';
import { sampleModel, sampleSlices } from './persistenceFixtures';
import type { ProjectMeta } from './projectDb';
import { PersistenceUnavailableError, ProjectDb } from './projectDb';
import { LABEL_TILE_PX, STRIP_BYTES } from './sliceChunks';

let dbCount = 0;
const freshName = () => `project-db-test-${++dbCount}`;
const freshDb = () => ProjectDb.open(freshName());

/** The first index where two arrays differ (-1: equal), fast on millions of values. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectSameSlice(actual: SliceRecord | undefined, expected: SliceRecord): void {
  expect(actual).toBeDefined();
  const got = actual as SliceRecord;
  expect({ ...got, pixels: null, classes: null, instances: null }).toEqual({ ...expected, pixels: null, classes: null, instances: null });
  expect(got.pixels.constructor).toBe(expected.pixels.constructor);
  expect(firstDifference(got.pixels, expected.pixels)).toBe(-1);
  expect(got.classes).toBeInstanceOf(Int32Array);
  expect(firstDifference(got.classes, expected.classes)).toBe(-1);
  if (expected.instances) expect(firstDifference(got.instances ?? [], expected.instances)).toBe(-1);
  else expect(got.instances).toBeNull();
}

async function saveAll(db: ProjectDb, records: readonly SliceRecord[]): Promise<void> {
  await db.replaceSlices(records);
  for (const [order, record] of records.entries()) await db.saveSlice(record, order);
}

/** A big grey slice with labels of several classes and unlabelled pixels. */
function bigSlice(id: string, width: number, height: number): SliceRecord {
  const pixels = Uint8Array.from({ length: width * height }, (_, i) => (i * 31 + (i >> 11)) % 256);
  const classes = Int32Array.from({ length: width * height }, (_, i) => ((i % width) + Math.floor(i / width)) % 4 - 1);
  return { id, name: `${id}.png`, width, height, channels: 1, dtype: 'uint8', pixels, classes, instances: null };
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
    await saveAll(db, [records[2], records[0], records[1]] as SliceRecord[]);
    const saved = await db.loadProject();
    expect(saved?.slices.map((s) => s.id)).toEqual(['c', 'a', 'b']);
    expectSameSlice(saved?.slices[0], records[2] as SliceRecord);
    expectSameSlice(saved?.slices[1], records[0] as SliceRecord);
    expectSameSlice(saved?.slices[2], records[1] as SliceRecord);
    expect(saved?.meta).toBeNull();
    expect(saved?.model).toBeNull();
    expect(saved?.missing).toEqual([]);
  });

  it('cuts a big slice into strips and tiles no bigger than their limits, and puts it back exactly', async () => {
    const name = freshName();
    const db = await ProjectDb.open(name);
    const record = bigSlice('big', 2100, 2300); // 4.8 MB of pixels: two strips; 9 x 9 label tiles, the last ones clipped
    await saveAll(db, [record]);
    expectSameSlice((await db.loadProject())?.slices[0], record);

    const raw = await openDB(name);
    const strips = (await raw.getAll('imageStrips')) as Uint8Array[];
    const tiles = (await raw.getAll('labelTiles')) as Uint8Array[];
    raw.close();
    expect(strips.map((s) => s.byteLength)).toEqual([Math.floor(STRIP_BYTES / 2100) * 2100, 2100 * 2300 - Math.floor(STRIP_BYTES / 2100) * 2100]);
    expect(tiles).toHaveLength(81);
    expect(Math.max(...tiles.map((t) => t.byteLength))).toBe(LABEL_TILE_PX * LABEL_TILE_PX); // classes -1..2 fit a byte each
    expect(tiles.at(-1)?.byteLength).toBe((2100 - 8 * 256) * (2300 - 8 * 256));
  });

  it('replaces every slice on a new set', async () => {
    const db = await freshDb();
    await saveAll(db, sampleSlices());
    await saveAll(db, sampleSlices().slice(1, 2));
    const saved = await db.loadProject();
    expect(saved?.slices.map((s) => s.id)).toEqual(['b']);
    expect(saved?.missing).toEqual([]);
  });

  it('writes only the label tiles a change touched, committed before it returns, and drops the instance map', async () => {
    const db = await freshDb();
    const record = { ...bigSlice('s', 600, 520), instances: Int32Array.from({ length: 600 * 520 }, (_, i) => i % 7) };
    await saveAll(db, [record]);
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    const commit = vi.spyOn(IDBTransaction.prototype, 'commit');
    for (let y = 300; y < 310; y++) for (let x = 250; x < 262; x++) record.classes[y * 600 + x] = 5; // across tiles 4 and 5 (x 256 boundary)
    const written = db.putLabelTiles(record, [{ x: 250, y: 300, width: 12, height: 10 }]);
    expect(commit).toHaveBeenCalledTimes(1); // issued and committed in this task: survives an unload right after
    expect(put).toHaveBeenCalledTimes(2);
    await written;
    const saved = (await db.loadProject())?.slices[0];
    expect(Array.from(saved?.classes ?? [])).toEqual(Array.from(record.classes));
    expect(saved?.instances).toBeNull();
  });

  it('lists a slice of the set whose save never finished as missing, and keeps the others', async () => {
    const db = await freshDb();
    const records = sampleSlices();
    await db.replaceSlices(records);
    await db.saveSlice(records[0] as SliceRecord, 0);
    await db.putLabelTiles(records[1] as SliceRecord, null); // labels alone do not make a slice
    await db.saveSlice(records[2] as SliceRecord, 2);
    const saved = await db.loadProject();
    expect(saved?.slices.map((s) => s.id)).toEqual(['a', 'c']);
    expect(saved?.missing).toEqual([{ id: 'b', name: 'rgb.png', width: 5, height: 2 }]);
  });

  it('a refused slice rejects, leaves none of its chunks, and takes no other slice with it', async () => {
    const db = await freshDb();
    const records = [bigSlice('ok', 300, 300), bigSlice('too-big', 900, 900), bigSlice('after', 200, 100)];
    await db.replaceSlices(records);
    await db.saveSlice(records[0] as SliceRecord, 0);
    const realPut = IDBObjectStore.prototype.put;
    let puts = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (++puts > 5) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); // some chunks land first
      return realPut.apply(this, args);
    });
    await expect(db.saveSlice(records[1] as SliceRecord, 1)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    vi.restoreAllMocks();
    await db.saveSlice(records[2] as SliceRecord, 2);
    const saved = await db.loadProject();
    expect(saved?.slices.map((s) => s.id)).toEqual(['ok', 'after']);
    expectSameSlice(saved?.slices[0], records[0] as SliceRecord);
    expect(saved?.missing.map((m) => m.id)).toEqual(['too-big']);
  });

  it('round-trips the model files byte for byte and the meta', async () => {
    const db = await freshDb();
    const model = sampleModel();
    const meta: ProjectMeta = {
      currentSliceId: 'b', classNames: ['background', 'cell', 'border'],
      training: { losses: [{ step: 1, loss: 0.9 }, { step: 2, loss: 0.7 }], validation: [{ step: 2, loss: 0.8, foregroundIoU: 0.5 }], bestStep: 2 },
      trainingChoices: { preset: 'tiny', steps: 2, learningRate: 0.01, tileSizePx: 92, batchSize: 1, augment: false, freshWeights: true, validationSliceIds: [] },
      savedAt: '2025-01-02T03:04:05.000Z',
    };
    await db.putModel(model, 'model-1');
    await db.putMeta(meta);
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
    await saveAll(db, sampleSlices());
    await db.putModel(sampleModel(), 'model-1');
    await db.clear();
    expect(await db.loadProject()).toBeNull();
  });

  it('upgrades a version-1 project (slices stored whole) in place, keeping every value', async () => {
    const name = freshName();
    const records = sampleSlices();
    const v1 = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore('slices', { keyPath: 'id' });
        database.createObjectStore('meta');
        database.createObjectStore('model');
      },
    });
    for (const [order, r] of [records[1], records[0], records[2]].entries()) await v1.put('slices', { ...r, instances: r?.instances ?? null, order });
    await v1.put('model', sampleModel(), 'current');
    v1.close();

    const db = await ProjectDb.open(name);
    const saved = await db.loadProject();
    expect(saved?.slices.map((s) => s.id)).toEqual(['b', 'a', 'c']);
    for (const record of records) expectSameSlice(saved?.slices.find((s) => s.id === record.id), { ...record, instances: record.instances ?? null });
    expect(saved?.missing).toEqual([]);
    expect(new Uint8Array(saved?.model?.weights ?? new ArrayBuffer(0))).toEqual(new Uint8Array(sampleModel().weights));
  });

  it('says why when the browser has no IndexedDB', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const opening = ProjectDb.open('no-idb');
    await expect(opening).rejects.toBeInstanceOf(PersistenceUnavailableError);
    await expect(opening).rejects.toThrow(/no IndexedDB/);
  });
});
