import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { openDB } from 'idb';
import type { PixelArray } from '../../core/image/imageStack';
import { pixelArrayFor } from '../../core/image/imageStack';
import type { ClassCounts } from '../../core/labels/classCounts';
import { allUnlabelled, countClasses, mergeCounts } from '../../core/labels/classCounts';
import { UNLABELLED } from '../../core/labels/classMap';
import type { ModelFiles } from '../../core/model/modelFiles';
import type { SliceRecord } from '../data/sliceRegistry';
import type { PixelRect, StoredLabelTile } from './sliceChunks';
import { labelTileGrid, StripJoiner, labelTilesIn, readLabelTile, stripCount, writeLabelTile } from './sliceChunks';
import type { SavedPrediction } from './predictionStore';
import { PredictionStore } from './predictionStore';
import type { ChunkWrite, ProjectMeta, ProjectSchema, ProjectStore, SliceHeader, SliceManifest, StoredModel } from './projectSchema';
import { CHUNK_STORES, chunkRange, manifestOf, MANIFEST_KEY, META_KEY, MODEL_KEY, planSlice, PREDICTION_CHUNK_STORES, PREDICTION_STORES, PROJECT_DB_VERSION, upgradeProjectDb } from './projectSchema';
import { batches, nextTask, readChunks } from './readChunks';

export type { ProjectMeta, TrainingHistory } from './projectSchema';

export const PROJECT_DB_NAME = 'unet-studio-project';

/** At most this many bytes of chunks go into one transaction: a huge slice is never held in memory twice, and each batch is one short task (the copies are made on the main thread). */
const TRANSACTION_BYTES = 8 * 2 ** 20;

/** A slice the project should hold that was never stored completely (the tab closed, or the browser refused it). */
export interface MissingSlice {
  readonly id: string;
  readonly name: string;
  readonly width: number;
  readonly height: number;
}

export interface SavedProject {
  /** In load order. */
  readonly slices: SliceRecord[];
  /** Each slice's class counts, counted while restoring (a part a task), for SliceRegistry.replaceAll. */
  readonly classCounts: ClassCounts[];
  readonly meta: ProjectMeta | null;
  readonly model: StoredModel | null;
  /** Slices the last save meant to keep that cannot be restored. */
  readonly missing: MissingSlice[];
  /** Finished predictions of restored slices, each with the model it came from. */
  readonly predictions: SavedPrediction[];
  /** Restored slices whose stored prediction could not be read back. */
  readonly failedPredictions: string[];
}

/** Why the page cannot keep a project, as one clause for the user. */
export class PersistenceUnavailableError extends Error {
  override readonly name = 'PersistenceUnavailableError';
}

/**
 * The saved project in IndexedDB (schema in projectSchema.ts). Small writes (label tiles, meta,
 * model) are issued and committed synchronously, in the caller's task: a write that starts in a
 * pointerup handler survives a reload, a tab close or a renderer crash right after it (measured in
 * Chromium: with an explicit commit 25 of 25, without one as few as 0 of 5).
 */
export class ProjectDb {
  /** Finished predictions, stored apart from the slices. */
  readonly predictions: PredictionStore;

  private constructor(private readonly db: IDBPDatabase<ProjectSchema>) {
    this.predictions = new PredictionStore(db);
  }

  /** Opens (creating or upgrading on first use) the project database; rejects with PersistenceUnavailableError saying why not. */
  static async open(name: string = PROJECT_DB_NAME): Promise<ProjectDb> {
    if (typeof indexedDB === 'undefined') {
      throw new PersistenceUnavailableError('this browser gives the page no IndexedDB (a private window, or site data switched off?)');
    }
    try {
      const db = await openDB<ProjectSchema>(name, PROJECT_DB_VERSION, {
        upgrade: (database, oldVersion, _newVersion, tx) => {
          // A migration that fails must not leave half-converted data behind: abort, and opening fails.
          upgradeProjectDb(database, oldVersion, tx).catch(() => { try { tx.abort(); } catch { /* already over */ } });
        },
        // Another tab wants a newer version: let it, rather than block it forever.
        blocking() { db.close(); },
      });
      return new ProjectDb(db);
    } catch (error) {
      throw new PersistenceUnavailableError(`the browser refused to open the project database (${describeError(error)})`);
    }
  }

  /** Starts a new set of slices: deletes every stored slice and prediction and records which slices the project now holds. */
  async replaceSlices(records: readonly SliceRecord[]): Promise<void> {
    const stores: ProjectStore[] = ['slices', ...CHUNK_STORES, ...PREDICTION_STORES, 'meta'];
    const tx = this.db.transaction(stores, 'readwrite');
    void tx.objectStore('slices').clear().catch(ignore);
    for (const store of [...CHUNK_STORES, ...PREDICTION_STORES]) void tx.objectStore(store).clear().catch(ignore);
    void tx.objectStore('meta').put(manifestOf(records), MANIFEST_KEY).catch(ignore);
    tx.commit();
    await tx.done;
  }

  /**
   * Stores one slice: its header goes first (so a save cut short shows as missing, never as a mix
   * of old and new chunks), then its chunks in transactions of at most TRANSACTION_BYTES, then the
   * header again. Between transactions `isCurrent` is asked: when the page has replaced the record
   * (new label arrays, a dropped instance map) the save stops, returning 'superseded', for the
   * caller to save the new one. A failure removes what was written of it and rejects; other slices
   * are not touched.
   */
  async saveSlice(record: SliceRecord, order: number, isCurrent: () => boolean = () => true): Promise<'saved' | 'superseded'> {
    const { header, chunks } = planSlice(record, order);
    try {
      await this.db.delete('slices', record.id);
      for (const batch of batches(chunks, TRANSACTION_BYTES)) {
        if (!isCurrent()) return 'superseded';
        const tx = this.db.transaction(CHUNK_STORES as ChunkWrite['store'][], 'readwrite');
        for (const chunk of batch) void putChunk(tx, chunk).catch(ignore);
        tx.commit();
        await tx.done;
      }
      if (!isCurrent()) return 'superseded';
      await this.db.put('slices', header);
      return 'saved';
    } catch (error) {
      await this.deleteSlice(record.id).catch(ignore);
      throw error;
    }
  }

  /** Records which slices the project holds (after a restore that could not bring some back: they are reported once). */
  async writeManifest(records: readonly SliceRecord[]): Promise<void> {
    await this.db.put('meta', manifestOf(records), MANIFEST_KEY);
  }

  /**
   * Stores the label tiles `rects` touched (all of them when `rects` is null), dropping the slice's
   * instance map (painting supersedes it). Issued and committed before this returns; the promise
   * resolves once it is written through to the disk.
   */
  putLabelTiles(record: SliceRecord, rects: readonly PixelRect[] | null): Promise<void> {
    const { id, width, height, classes } = record;
    const grid = labelTileGrid(width, height);
    const indices = rects === null
      ? Array.from({ length: grid.columns * grid.rows }, (_, i) => i)
      : [...new Set(rects.flatMap((rect) => labelTilesIn(rect, width, height, grid)))];
    // Strict: committed to the disk itself, not just to the browser (a stroke survives a power cut too).
    const tx = this.db.transaction(['labelTiles', 'instanceStrips'], 'readwrite', { durability: 'strict' });
    const tiles = tx.objectStore('labelTiles');
    for (const index of indices) void tiles.put(readLabelTile(classes, width, height, grid, index), [id, index]).catch(ignore);
    void tx.objectStore('instanceStrips').delete(chunkRange(id)).catch(ignore);
    tx.commit();
    return tx.done;
  }

  /** Issued and committed before this returns. */
  putMeta(meta: ProjectMeta): Promise<void> {
    return this.putNow('meta', meta, META_KEY);
  }

  /** Issued and committed before this returns. `modelKey` names the model for the predictions made with it. */
  putModel(files: ModelFiles, modelKey: string): Promise<void> {
    // Only the four fields: whatever else rides on the event object stays out.
    const { modelJson, weightsFileName, weights, metadataJson } = files;
    return this.putNow('model', { modelJson, weightsFileName, weights, metadataJson, modelKey }, MODEL_KEY);
  }

  /** Removes a slice with its prediction. */
  async deleteSlice(id: string): Promise<void> {
    const stores: ProjectStore[] = ['slices', ...CHUNK_STORES, ...PREDICTION_STORES];
    const tx = this.db.transaction(stores, 'readwrite');
    void tx.objectStore('slices').delete(id).catch(ignore);
    void tx.objectStore('predictions').delete(id).catch(ignore);
    for (const store of [...CHUNK_STORES, ...PREDICTION_CHUNK_STORES]) void tx.objectStore(store).delete(chunkRange(id)).catch(ignore);
    tx.commit();
    await tx.done;
  }

  /** The saved project, or null when nothing is stored. */
  async loadProject(): Promise<SavedProject | null> {
    const [headers, meta, manifest, model] = await Promise.all([
      this.db.getAll('slices'),
      this.db.get('meta', META_KEY) as Promise<ProjectMeta | undefined>,
      this.db.get('meta', MANIFEST_KEY) as Promise<SliceManifest | undefined>,
      this.db.get('model', MODEL_KEY),
    ]);
    if (headers.length === 0 && !meta && !model && !manifest?.slices.length) return null;
    const slices: SliceRecord[] = [];
    const classCounts: ClassCounts[] = [];
    for (const header of headers.sort((a, b) => a.order - b.order)) {
      const loaded = await this.loadSlice(header);
      if (!loaded) continue;
      slices.push(loaded.record);
      classCounts.push(loaded.counts);
    }
    const restored = new Set(slices.map((s) => s.id));
    const missing = (manifest?.slices ?? []).filter((s) => !restored.has(s.id));
    const { restored: predictions, failed: failedPredictions } = await this.predictions.loadAll((id) => slices.find((s) => s.id === id));
    return { slices, classCounts, meta: meta ?? null, model: model ?? null, missing, predictions, failedPredictions };
  }

  /** Deletes everything saved. */
  async clear(): Promise<void> {
    const stores: ProjectStore[] = ['slices', ...CHUNK_STORES, ...PREDICTION_STORES, 'meta', 'model'];
    const tx = this.db.transaction(stores, 'readwrite');
    for (const store of stores) void tx.objectStore(store).clear().catch(ignore);
    tx.commit();
    await tx.done;
  }

  close(): void {
    this.db.close();
  }

  /** One slice from its chunks; null when a chunk is missing or the wrong size. A big slice is read and rebuilt over many tasks. */
  private async loadSlice(header: SliceHeader): Promise<{ record: SliceRecord; counts: ClassCounts } | null> {
    const { id, name, width, height, channels, dtype } = header;
    const pixels = await this.readStripsInto('imageStrips', id, stripCount(height, header.stripRows), pixelArrayFor(dtype, width * height * channels));
    if (!pixels) return null;
    const classes = new Int32Array(width * height);
    // Tiles without labels are stored empty, so the map starts UNLABELLED; filled a part a task (first touch of 1.6 GB takes seconds).
    for (let start = 0; start < classes.length; start += VALUES_PER_TASK) {
      classes.fill(UNLABELLED, start, Math.min(classes.length, start + VALUES_PER_TASK));
      if (start + VALUES_PER_TASK < classes.length) await nextTask();
    }
    const grid = labelTileGrid(width, height, header.labelTilePx);
    const tiles = await readChunks<StoredLabelTile>(this.db, 'labelTiles', id, grid.columns * grid.rows, TILES_PER_READ, (values, keys) => {
      for (let i = 0; i < values.length; i++) if (!writeLabelTile(classes, width, height, grid, keys[i] as number, values[i]!)) return false;
      return true;
    });
    if (!tiles) return null;
    // Painting deletes the instance strips: then the slice has classes only.
    const instances = header.instanceStripRows === null ? null
      : await this.readStripsInto('instanceStrips', id, stripCount(height, header.instanceStripRows), new Int32Array(width * height));
    let counts = allUnlabelled(0);
    for (let start = 0; start < classes.length; start += VALUES_PER_TASK) {
      counts = mergeCounts(counts, countClasses(classes.subarray(start, start + VALUES_PER_TASK)));
      await nextTask();
    }
    return { record: { id, name, width, height, channels, dtype, pixels, classes, instances }, counts };
  }

  /** Strips 0..count-1 of slice `id` written into `target` as they are read (no second whole array, no one long copy); null when one is missing or they do not fill it. */
  private async readStripsInto<T extends PixelArray>(store: 'imageStrips' | 'instanceStrips', id: string, count: number, target: T): Promise<T | null> {
    const joiner = new StripJoiner(target);
    const read = await readChunks<T>(this.db, store, id, count, STRIPS_PER_READ, (values) => values.every((strip) => joiner.add(strip)));
    return read ? joiner.result() : null;
  }

  private putNow<S extends 'meta' | 'model'>(store: S, value: ProjectSchema[S]['value'], key: string): Promise<void> {
    const tx = this.db.transaction([store], 'readwrite');
    void tx.objectStore(store).put(value, key).catch(ignore);
    tx.commit();
    return tx.done;
  }
}

function putChunk(tx: IDBPTransaction<ProjectSchema, ChunkWrite['store'][], 'readwrite'>, chunk: ChunkWrite): Promise<unknown> {
  // Each store takes its own value type; planSlice pairs them.
  return (tx.objectStore(chunk.store) as unknown as { put(value: unknown, key: unknown): Promise<unknown> }).put(chunk.value(), chunk.key);
}

/** A request's own rejection; the transaction's `done` carries the error that counts. */
function ignore(): void {}

/** "QuotaExceededError: ..." or the message of anything else thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) return error.message ? `${error.name}: ${error.message}` : error.name;
  return String(error);
}

/** Chunks read per task while restoring: ~16 MB (4 MB strips; 64 KB tiles of 256 px), some tens of ms each. */
const STRIPS_PER_READ = 4;
const TILES_PER_READ = 256;
/** Label values filled, then counted, per task while restoring (8 M: some tens of ms where memory is touched for the first time). */
const VALUES_PER_TASK = 8 * 2 ** 20;

