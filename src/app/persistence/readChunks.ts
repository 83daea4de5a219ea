import type { IDBPDatabase } from 'idb';
import type { ChunkStore, PredictionChunkStore, ProjectSchema } from './projectSchema';

/**
 * Chunks 0..count-1 of slice `id`, `perRead` to a read, each read in its own task (one read of a 20000 px
 * slice's 800 MB held the page for 3 s), handed to `consume` as they come. False when any chunk is
 * missing or `consume` refuses one.
 */
export async function readChunks<T>(db: IDBPDatabase<ProjectSchema>, store: ChunkStore | PredictionChunkStore, id: string, count: number, perRead: number,
  consume: (values: readonly T[], keys: readonly number[]) => boolean): Promise<boolean> {
  for (let start = 0; start < count; start += perRead) {
    const range = IDBKeyRange.bound([id, start], [id, Math.min(count, start + perRead) - 1]);
    const tx = db.transaction([store], 'readonly');
    const [values, keys] = (await Promise.all([tx.objectStore(store).getAll(range), tx.objectStore(store).getAllKeys(range)])) as unknown as [T[], IDBValidKey[]];
    if (values.length !== Math.min(count, start + perRead) - start) return false;
    if (!consume(values, keys.map((key) => (key as [string, number])[1]))) return false;
    await nextTask();
  }
  return true;
}

/** Resolves in a later task, so rendering and input run in between. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Splits chunk writes into groups of at most `maxBytes` (one transaction each; a lone bigger chunk goes alone). */
export function* batches<C extends { readonly bytes: number }>(chunks: readonly C[], maxBytes: number): Generator<C[]> {
  let batch: C[] = [];
  let bytes = 0;
  for (const chunk of chunks) {
    if (batch.length > 0 && bytes + chunk.bytes > maxBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(chunk);
    bytes += chunk.bytes;
  }
  if (batch.length > 0) yield batch;
}
