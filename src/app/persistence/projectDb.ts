import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { openDB } from 'idb';
import { pixelArrayFor } from '../../core/image/imageStack';
import type { ModelFiles } from '../../core/model/modelFiles';
import type { SliceRecord } from '../data/sliceRegistry';
import type { PixelRect, StoredLabelTile } from './sliceChunks';
import { joinStrips, labelTileGrid, labelTilesIn, readLabelTile, stripCount, writeLabelTile } from './sliceChunks';
import type { ChunkWrite, ProjectMeta, ProjectSchema, ProjectStore, SliceHeader, SliceManifest } from './projectSchema';
import { CHUNK_STORES, chunkRange, manifestOf, MANIFEST_KEY, META_KEY, MODEL_KEY, planSlice, PROJECT_DB_VERSION, upgradeProjectDb } from './projectSchema';

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
  readonly meta: ProjectMeta | null;
  readonly model: ModelFiles | null;
  /** Slices the last save meant to keep that cannot be restored. */
  readonly missing: MissingSlice[];
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
  private constructor(private readonly db: IDBPDatabase<ProjectSchema>) {}

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

  /** Starts a new set of slices: deletes every stored slice and records which ones the project now holds. */
  async replaceSlices(records: readonly SliceRecord[]): Promise<void> {
    const stores: ProjectStore[] = ['slices', ...CHUNK_STORES, 'meta'];
    const tx = this.db.transaction(stores, 'readwrite');
    void tx.objectStore('slices').clear().catch(ignore);
    for (const store of CHUNK_STORES) void tx.objectStore(store).clear().catch(ignore);
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

  /** Issued and committed before this returns. */
  putModel(files: ModelFiles): Promise<void> {
    // Only the four fields: whatever else rides on the event object stays out.
    const { modelJson, weightsFileName, weights, metadataJson } = files;
    return this.putNow('model', { modelJson, weightsFileName, weights, metadataJson }, MODEL_KEY);
  }

  async deleteSlice(id: string): Promise<void> {
    const stores: ProjectStore[] = ['slices', ...CHUNK_STORES];
    const tx = this.db.transaction(stores, 'readwrite');
    void tx.objectStore('slices').delete(id).catch(ignore);
    for (const store of CHUNK_STORES) void tx.objectStore(store).delete(chunkRange(id)).catch(ignore);
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
    for (const header of headers.sort((a, b) => a.order - b.order)) {
      const record = await this.loadSlice(header);
      if (record) slices.push(record);
    }
    const restored = new Set(slices.map((s) => s.id));
    const missing = (manifest?.slices ?? []).filter((s) => !restored.has(s.id));
    return { slices, meta: meta ?? null, model: model ?? null, missing };
  }

  /** Deletes everything saved. */
  async clear(): Promise<void> {
    const stores: ProjectStore[] = ['slices', ...CHUNK_STORES, 'meta', 'model'];
    const tx = this.db.transaction(stores, 'readwrite');
    for (const store of stores) void tx.objectStore(store).clear().catch(ignore);
    tx.commit();
    await tx.done;
  }

  close(): void {
    this.db.close();
  }

  /** One slice from its chunks; null when a chunk is missing or the wrong size. */
  private async loadSlice(header: SliceHeader): Promise<SliceRecord | null> {
    const { id, name, width, height, channels, dtype } = header;
    const tx = this.db.transaction(CHUNK_STORES as ChunkWrite['store'][], 'readonly');
    const [strips, tiles, tileKeys, instanceStrips] = await Promise.all([
      tx.objectStore('imageStrips').getAll(chunkRange(id)),
      tx.objectStore('labelTiles').getAll(chunkRange(id)),
      tx.objectStore('labelTiles').getAllKeys(chunkRange(id)),
      tx.objectStore('instanceStrips').getAll(chunkRange(id)),
    ]);
    if (strips.length !== stripCount(height, header.stripRows)) return null;
    const pixels = joinStrips(strips, pixelArrayFor(dtype, width * height * channels));
    if (!pixels) return null;
    const classes = new Int32Array(width * height);
    const grid = labelTileGrid(width, height, header.labelTilePx);
    if (tiles.length !== grid.columns * grid.rows) return null;
    for (let i = 0; i < tiles.length; i++) {
      if (!writeLabelTile(classes, width, height, grid, (tileKeys[i] as [string, number])[1], tiles[i] as StoredLabelTile)) return null;
    }
    // Painting deletes the instance strips: then the slice has classes only.
    const complete = header.instanceStripRows !== null && instanceStrips.length === stripCount(height, header.instanceStripRows);
    const instances = complete ? joinStrips(instanceStrips, new Int32Array(width * height)) : null;
    return { id, name, width, height, channels, dtype, pixels, classes, instances };
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

function* batches(chunks: readonly ChunkWrite[], maxBytes: number): Generator<ChunkWrite[]> {
  let batch: ChunkWrite[] = [];
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

/** A request's own rejection; the transaction's `done` carries the error that counts. */
function ignore(): void {}

/** "QuotaExceededError: ..." or the message of anything else thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) return error.message ? `${error.name}: ${error.message}` : error.name;
  return String(error);
}
