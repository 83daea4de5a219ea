import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SliceRecord } from '../data/sliceRegistry';
import type { SlicePrediction } from '../predict/predictionRegistry';
import { sampleSlices } from './persistenceFixtures';
import { ProjectDb } from './projectDb';
import { planSlice } from './projectSchema';
import { quantiseProbabilities } from '../../core/predict/quantiseProbabilities';

let dbCount = 0;
const freshName = () => `prediction-store-test-${++dbCount}`;

/** A finished prediction of `k` classes over `width` x `height` with `objects` instance ids (id = row % objects). */
function prediction(width: number, height: number, k: number, objects: number): SlicePrediction {
  const probabilities = new Float32Array(width * height * k);
  for (let p = 0; p < width * height; p++) {
    const foreground = ((p * 7919) % 1000) / 1000;
    probabilities[p * k] = 1 - foreground;
    for (let c = 1; c < k; c++) probabilities[p * k + c] = foreground / (k - 1);
  }
  const instances = Int32Array.from({ length: width * height }, (_, i) => Math.floor(i / width) % (objects + 1));
  return { width, height, numClasses: k, quantised: quantiseProbabilities(probabilities, k, 0, width * height), covered: null, instances, instanceCount: objects, done: true };
}

function slice(id: string, width: number, height: number): SliceRecord {
  return { id, name: `${id}.tif`, width, height, channels: 1, dtype: 'uint8', pixels: new Uint8Array(width * height), classes: new Int32Array(width * height).fill(-1), instances: null };
}

async function saveSlices(db: ProjectDb, records: readonly SliceRecord[]): Promise<void> {
  await db.replaceSlices(records);
  for (const [order, record] of records.entries()) await db.saveSlice(record, order);
}

/** The first index where two arrays differ (-1: equal), fast on millions of values. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

afterEach(() => vi.restoreAllMocks());

describe('PredictionStore (predictions in the project database)', () => {
  it('round-trips a multi-strip two-class prediction at one Uint16 a pixel and 3 classes at two, instances exactly, with the model key', async () => {
    const db = await ProjectDb.open(freshName());
    // 1100 px wide: 1906 rows a strip (4 MiB of Uint16): 3 probability strips, 3 instance strips.
    await saveSlices(db, [slice('big', 1100, 4000), slice('three', 30, 20)]);
    const big = prediction(1100, 4000, 2, 300);
    const three = prediction(30, 20, 3, 19);
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    await db.predictions.save('big', big, 'model-A');
    const stored = put.mock.calls.filter(([, key]) => Array.isArray(key)).map(([value]) => [(value as Uint16Array).constructor.name, (value as Uint16Array).length]);
    // Probabilities, then instances (300 objects: Uint16): one value a pixel each.
    expect(stored).toEqual([...[1906, 1906, 188], ...[1906, 1906, 188]].map((rows) => ['Uint16Array', rows * 1100]));
    await db.predictions.save('three', three, 'model-B');

    const saved = await db.loadProject();
    expect(saved?.failedPredictions).toEqual([]);
    const byId = new Map(saved?.predictions.map((p) => [p.sliceId, p]));
    expect(byId.get('big')?.modelKey).toBe('model-A');
    expect(byId.get('three')?.modelKey).toBe('model-B');
    for (const [id, want] of [['big', big], ['three', three]] as const) {
      const got = byId.get(id)?.prediction as SlicePrediction;
      expect({ ...got, quantised: null, instances: null }).toEqual({ ...want, quantised: null, instances: null });
      expect(got.quantised).toBeInstanceOf(Uint16Array);
      expect(firstDifference(got.quantised, want.quantised)).toBe(-1);
      expect(got.instances).toBeInstanceOf(Int32Array);
      expect(firstDifference(got.instances ?? [], want.instances ?? [])).toBe(-1);
      expect(got.covered).toBeNull(); // every pixel predicted
    }
  });

  it('keeps instance ids past 65535 exactly (Int32 strips)', async () => {
    const db = await ProjectDb.open(freshName());
    await saveSlices(db, [slice('many', 8, 70_001)]);
    const many = prediction(8, 70_001, 2, 70_000);
    await db.predictions.save('many', many, 'm');
    const got = (await db.loadProject())?.predictions[0]?.prediction;
    expect(got?.instances?.[69_999 * 8]).toBe(69_999);
    expect(firstDifference(got?.instances ?? [], many.instances ?? [])).toBe(-1);
  });

  it('restores the other predictions when one lost a strip, and names that one', async () => {
    const name = freshName();
    const db = await ProjectDb.open(name);
    await saveSlices(db, [slice('a', 10, 10), slice('b', 10, 10)]);
    await db.predictions.save('a', prediction(10, 10, 2, 3), 'm');
    await db.predictions.save('b', prediction(10, 10, 2, 3), 'm');
    const raw = await openDB(name);
    await raw.delete('predictionStrips', ['a', 0]);
    raw.close();
    const saved = await db.loadProject();
    expect(saved?.predictions.map((p) => p.sliceId)).toEqual(['b']);
    expect(saved?.failedPredictions).toEqual(['a']);
    expect(saved?.slices.map((s) => s.id)).toEqual(['a', 'b']); // the slice itself is untouched
  });

  it('a save the browser refuses leaves no prediction of that slice and rejects; others stay', async () => {
    const db = await ProjectDb.open(freshName());
    await saveSlices(db, [slice('a', 10, 10), slice('b', 10, 10)]);
    await db.predictions.save('a', prediction(10, 10, 2, 3), 'm');
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.name === 'predictionInstanceStrips') throw new DOMException('Quota exceeded', 'QuotaExceededError');
      return realPut.call(this, value, key);
    });
    await expect(db.predictions.save('b', prediction(10, 10, 2, 3), 'm')).rejects.toThrow(/Quota/);
    vi.restoreAllMocks();
    const saved = await db.loadProject();
    expect(saved?.predictions.map((p) => p.sliceId)).toEqual(['a']);
    expect(saved?.failedPredictions).toEqual([]);
  });

  it('stops a save when a newer prediction came, and keeps none of it', async () => {
    const db = await ProjectDb.open(freshName());
    await saveSlices(db, [slice('a', 10, 10)]);
    expect(await db.predictions.save('a', prediction(10, 10, 2, 3), 'm', () => false)).toBe('superseded');
    expect((await db.loadProject())?.predictions).toEqual([]);
  });

  it('drops a prediction whose slice is gone or has another size, and clears them with a new set of slices', async () => {
    const db = await ProjectDb.open(freshName());
    await saveSlices(db, [slice('a', 10, 10), slice('b', 10, 10)]);
    await db.predictions.save('a', prediction(10, 10, 2, 3), 'm');
    await db.predictions.save('b', prediction(12, 10, 2, 3), 'm');
    const saved = await db.loadProject();
    expect(saved?.predictions.map((p) => p.sliceId)).toEqual(['a']);
    expect(saved?.failedPredictions).toEqual(['b']);
    await db.deleteSlice('a');
    expect((await db.loadProject())?.predictions).toEqual([]);
    await db.predictions.save('b', prediction(10, 10, 2, 3), 'm');
    await saveSlices(db, [slice('b', 10, 10)]);
    expect((await db.loadProject())?.predictions).toEqual([]);
  });

  it('upgrades a version-2 project: slices kept, prediction stores added', async () => {
    const name = freshName();
    const v2 = await openDB(name, 2, {
      upgrade(database) {
        database.createObjectStore('slices', { keyPath: 'id' });
        for (const store of ['meta', 'model', 'imageStrips', 'labelTiles', 'instanceStrips']) database.createObjectStore(store);
      },
    });
    const record = sampleSlices()[0] as SliceRecord;
    const { header, chunks } = planSlice(record, 0);
    for (const chunk of chunks) await v2.put(chunk.store, chunk.value(), chunk.key);
    await v2.put('slices', header);
    v2.close();

    const db = await ProjectDb.open(name);
    const saved = await db.loadProject();
    expect(saved?.slices.map((s) => [s.id, [...s.classes]])).toEqual([[record.id, [...record.classes]]]);
    expect(saved?.predictions).toEqual([]);
    await db.predictions.save(record.id, prediction(record.width, record.height, 2, 1), 'm');
    expect((await db.loadProject())?.predictions.map((p) => p.sliceId)).toEqual([record.id]);
  });
});
