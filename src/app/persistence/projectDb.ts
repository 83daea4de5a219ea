import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { openDB } from 'idb';
import type { ModelFiles } from '../../core/model/modelFiles';
import type { TrainingSlice } from '../../store/slices/trainingSlice';
import type { SliceRecord } from '../data/sliceRegistry';

export const PROJECT_DB_NAME = 'unet-studio-project';
const PROJECT_DB_VERSION = 1;
const META_KEY = 'project';
const MODEL_KEY = 'current';

/** A slice as stored: the registry record plus its place in the load order (typed arrays are stored as they are). */
export interface StoredSlice extends Omit<SliceRecord, 'instances'> {
  readonly instances: Int32Array | null;
  readonly order: number;
}

/** Training as history only: what ran, never whether it is running (a reload ends any run). */
export interface TrainingHistory {
  readonly losses: TrainingSlice['training']['losses'];
  readonly validation: TrainingSlice['training']['validation'];
  readonly bestStep: number | null;
}

/** The small, plain part of a project. */
export interface ProjectMeta {
  readonly currentSliceId: string | null;
  readonly classNames: readonly string[];
  readonly training: TrainingHistory;
  readonly trainingChoices: TrainingSlice['trainingChoices'];
  /** ISO time of this write. */
  readonly savedAt: string;
}

export interface SavedProject {
  /** In load order. */
  readonly slices: SliceRecord[];
  readonly meta: ProjectMeta | null;
  readonly model: ModelFiles | null;
}

interface ProjectSchema extends DBSchema {
  slices: { key: string; value: StoredSlice };
  meta: { key: string; value: ProjectMeta };
  model: { key: string; value: ModelFiles };
}

type ProjectStore = StoreNames<ProjectSchema>;

/** Why the page cannot keep a project, as one clause for the user. */
export class PersistenceUnavailableError extends Error {
  override readonly name = 'PersistenceUnavailableError';
}

/** The saved project in IndexedDB: slices (pixels and labels), one meta record and one model. */
export class ProjectDb {
  private constructor(private readonly db: IDBPDatabase<ProjectSchema>) {}

  /** Opens (creating on first use) the project database; rejects with PersistenceUnavailableError saying why not. */
  static async open(name: string = PROJECT_DB_NAME): Promise<ProjectDb> {
    if (typeof indexedDB === 'undefined') {
      throw new PersistenceUnavailableError('this browser gives the page no IndexedDB (a private window, or site data switched off?)');
    }
    try {
      const db = await openDB<ProjectSchema>(name, PROJECT_DB_VERSION, {
        upgrade(database) {
          database.createObjectStore('slices', { keyPath: 'id' });
          database.createObjectStore('meta');
          database.createObjectStore('model');
        },
        // Another tab wants a newer version: let it, rather than block it forever.
        blocking() { db.close(); },
      });
      return new ProjectDb(db);
    } catch (error) {
      throw new PersistenceUnavailableError(`the browser refused to open the project database (${describeError(error)})`);
    }
  }

  /** Replaces every stored slice with `records`, in their order (one transaction: all or nothing). */
  async saveSlices(records: readonly SliceRecord[]): Promise<void> {
    await this.write(['slices'], async (tx) => {
      const store = tx.objectStore('slices');
      await store.clear();
      await Promise.all(records.map((record, order) => store.put(toStored(record, order))));
    });
  }

  /**
   * Stores one slice's painted classes. Painting supersedes an imported instance map (the engine
   * sync drops it too), so that is cleared. Returns false when the slice is not stored.
   */
  async saveLabels(id: string, classes: Int32Array): Promise<boolean> {
    let found = false;
    await this.write(['slices'], async (tx) => {
      const store = tx.objectStore('slices');
      const stored = await store.get(id);
      if (!stored) return;
      found = true;
      await store.put({ ...stored, classes, instances: null });
    });
    return found;
  }

  async saveMeta(meta: ProjectMeta): Promise<void> {
    await this.write(['meta'], (tx) => tx.objectStore('meta').put(meta, META_KEY));
  }

  async saveModel(files: ModelFiles): Promise<void> {
    // Only the four fields: whatever else rides on the event object stays out.
    const { modelJson, weightsFileName, weights, metadataJson } = files;
    await this.write(['model'], (tx) => tx.objectStore('model').put({ modelJson, weightsFileName, weights, metadataJson }, MODEL_KEY));
  }

  /** The saved project, or null when nothing is stored. */
  async loadProject(): Promise<SavedProject | null> {
    const tx = this.db.transaction(['slices', 'meta', 'model'], 'readonly');
    const [stored, meta, model] = await Promise.all([
      tx.objectStore('slices').getAll(),
      tx.objectStore('meta').get(META_KEY),
      tx.objectStore('model').get(MODEL_KEY),
      tx.done,
    ]);
    if (stored.length === 0 && !meta && !model) return null;
    const slices = stored.sort((a, b) => a.order - b.order).map(fromStored);
    return { slices, meta: meta ?? null, model: model ?? null };
  }

  /** Deletes everything saved. */
  async clear(): Promise<void> {
    await this.write(['slices', 'meta', 'model'], async (tx) => {
      await Promise.all([tx.objectStore('slices').clear(), tx.objectStore('meta').clear(), tx.objectStore('model').clear()]);
    });
  }

  close(): void {
    this.db.close();
  }

  /**
   * Runs `body` in one readwrite transaction and waits until it is committed. A request that throws
   * (e.g. QuotaExceededError) aborts the transaction, so a failed save never half-replaces the project.
   */
  private async write<S extends ProjectStore>(stores: S[], body: (tx: IDBPTransaction<ProjectSchema, S[], 'readwrite'>) => Promise<unknown>): Promise<void> {
    const tx = this.db.transaction(stores, 'readwrite');
    try {
      await body(tx);
    } catch (error) {
      tx.done.catch(() => undefined); // the abort below rejects it; the body's error is the one to report
      try { tx.abort(); } catch { /* already finished */ }
      throw error;
    }
    await tx.done;
  }
}

function toStored(record: SliceRecord, order: number): StoredSlice {
  const { id, name, width, height, channels, dtype, pixels, classes } = record;
  return { id, name, width, height, channels, dtype, pixels, classes, instances: record.instances ?? null, order };
}

function fromStored(stored: StoredSlice): SliceRecord {
  const { id, name, width, height, channels, dtype, pixels, classes, instances } = stored;
  return { id, name, width, height, channels, dtype, pixels, classes, instances };
}

/** "QuotaExceededError: ..." or the message of anything else thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) return error.message ? `${error.name}: ${error.message}` : error.name;
  return String(error);
}
