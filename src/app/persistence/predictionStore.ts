import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { quantisedValuesPerPixel } from '../../core/predict/quantiseProbabilities';
import type { SlicePrediction } from '../predict/predictionRegistry';
import type { PredictionHeader, StoredInstanceStrip } from './predictionChunks';
import { planPrediction } from './predictionChunks';
import type { ChunkWrite, PredictionChunkStore, ProjectSchema } from './projectSchema';
import { chunkRange, PREDICTION_CHUNK_STORES, PREDICTION_STORES } from './projectSchema';
import { batches, readChunks } from './readChunks';
import { stripCount } from './sliceChunks';

/** A prediction as restored, with the model it came from. */
export interface SavedPrediction {
  readonly sliceId: string;
  readonly prediction: SlicePrediction;
  readonly modelKey: string;
}

/**
 * Strips read per task while restoring, and bytes written per transaction: one 4 MiB strip (2 M
 * pixels of a two-class map), as dequantising took 25-55 ms a strip and quantising 15-40 ms here
 * (Node, 2 busy cores) when predictions were kept as Float32; four strips a read held a task 100-220 ms.
 */
const STRIPS_PER_READ = 1;
const TRANSACTION_BYTES = 4 * 2 ** 20;

/**
 * Finished predictions in the project database, each on its own like a slice: the header is deleted
 * first and written last, so a save cut short (or refused) restores as no prediction, never as a mix.
 * Their stores are apart from the label stores, so a prediction being written never holds up a stroke.
 */
export class PredictionStore {
  constructor(private readonly db: IDBPDatabase<ProjectSchema>) {}

  /** Stores a finished prediction; 'superseded' when `isCurrent` turns false between batches (a newer prediction came). */
  async save(sliceId: string, prediction: SlicePrediction, modelKey: string, isCurrent: () => boolean = () => true): Promise<'saved' | 'superseded'> {
    const { header, chunks } = planPrediction(sliceId, prediction, modelKey);
    try {
      await this.delete(sliceId);
      for (const batch of batches(chunks, TRANSACTION_BYTES)) {
        if (!isCurrent()) return 'superseded';
        const tx = this.db.transaction(PREDICTION_CHUNK_STORES as PredictionChunkStore[], 'readwrite');
        for (const chunk of batch) void putChunk(tx, chunk).catch(ignore);
        tx.commit();
        await tx.done;
      }
      if (!isCurrent()) return 'superseded';
      await this.db.put('predictions', header, sliceId);
      return 'saved';
    } catch (error) {
      await this.delete(sliceId).catch(ignore);
      throw error;
    }
  }

  /** Removes slice `sliceId`'s prediction (header and strips). */
  async delete(sliceId: string): Promise<void> {
    const tx = this.db.transaction(PREDICTION_STORES as ('predictions' | PredictionChunkStore)[], 'readwrite');
    void tx.objectStore('predictions').delete(sliceId).catch(ignore);
    for (const store of PREDICTION_CHUNK_STORES) void tx.objectStore(store).delete(chunkRange(sliceId)).catch(ignore);
    tx.commit();
    await tx.done;
  }

  /**
   * Every stored prediction of a slice `sizeOf` knows at that size; `failed` names the others
   * (a strip missing or the wrong size, a header that does not fit the slice).
   */
  async loadAll(sizeOf: (sliceId: string) => { width: number; height: number } | undefined): Promise<{ restored: SavedPrediction[]; failed: string[] }> {
    const restored: SavedPrediction[] = [];
    const failed: string[] = [];
    for (const header of await this.db.getAll('predictions')) {
      const size = sizeOf(header.sliceId);
      if (!size) continue; // its slice is not in the project (any more): nothing to show it on
      const prediction = size.width === header.width && size.height === header.height ? await this.load(header) : null;
      if (prediction) restored.push({ sliceId: header.sliceId, prediction, modelKey: header.modelKey });
      else failed.push(header.sliceId);
    }
    return { restored, failed };
  }

  /** One prediction from its strips (kept quantised, as stored); null when any part is missing or the wrong size. */
  private async load(header: PredictionHeader): Promise<SlicePrediction | null> {
    const { sliceId, width, height, numClasses } = header;
    const quantised = new Uint16Array(width * height * quantisedValuesPerPixel(numClasses));
    let filled = 0;
    const probabilitiesRead = await readChunks<Uint16Array>(this.db, 'predictionStrips', sliceId, stripCount(height, header.stripRows), STRIPS_PER_READ, (strips) => strips.every((strip) => {
      if (!(strip instanceof Uint16Array) || filled + strip.length > quantised.length) return false;
      quantised.set(strip, filled);
      filled += strip.length;
      return true;
    }));
    if (!probabilitiesRead || filled !== quantised.length) return null;
    const instances = new Int32Array(width * height);
    let offset = 0;
    const instancesRead = await readChunks<StoredInstanceStrip>(this.db, 'predictionInstanceStrips', sliceId, stripCount(height, header.instanceStripRows), STRIPS_PER_READ, (strips) => strips.every((strip) => {
      if (offset + strip.length > instances.length || strip.BYTES_PER_ELEMENT !== header.instanceBytes) return false;
      instances.set(strip, offset);
      offset += strip.length;
      return true;
    }));
    if (!instancesRead || offset !== instances.length) return null;
    return { width, height, numClasses, quantised, covered: null, instances, instanceCount: header.instanceCount, done: true };
  }
}

function putChunk(tx: IDBPTransaction<ProjectSchema, PredictionChunkStore[], 'readwrite'>, chunk: ChunkWrite<PredictionChunkStore>): Promise<unknown> {
  // Each store takes its own value type; planPrediction pairs them.
  return (tx.objectStore(chunk.store) as unknown as { put(value: unknown, key: unknown): Promise<unknown> }).put(chunk.value(), chunk.key);
}

/** A request's own rejection; the transaction's `done` carries the error that counts. */
function ignore(): void {}
