import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { PixelArray } from '../../core/image/imageStack';
import type { ModelFiles } from '../../core/model/modelFiles';
import type { TrainingSlice } from '../../store/slices/trainingSlice';
import type { SliceRecord } from '../data/sliceRegistry';
import type { PredictionHeader, StoredInstanceStrip } from './predictionChunks';
import type { StoredLabelTile } from './sliceChunks';
import { LABEL_TILE_PX, labelTileGrid, readLabelTile, readStrip, stripCount, stripRowsFor } from './sliceChunks';

/**
 * The project database, version 3: a slice is a small header plus its data in chunks (image and
 * instance strips, label tiles), so no stored value nears the browser's per-value limit and a
 * brush stroke rewrites only the tiles it touched; a finished prediction is a header plus strips of
 * quantised probabilities and instance ids (predictionChunks.ts). Version 1 kept each slice as one
 * record; the upgrade below cuts those into chunks in place. Version 2 had no predictions: the
 * upgrade adds their (empty) stores.
 */
export const PROJECT_DB_VERSION = 3;
export const META_KEY = 'project';
export const MANIFEST_KEY = 'manifest';
export const MODEL_KEY = 'current';

/** A slice's description. Written after all of its chunks: a slice without a header was never saved completely. */
export interface SliceHeader extends Pick<SliceRecord, 'id' | 'name' | 'width' | 'height' | 'channels' | 'dtype'> {
  /** Place in the load order. */
  readonly order: number;
  readonly stripRows: number;
  /** Rows per instance strip; null when the labels did not come as an instance map. */
  readonly instanceStripRows: number | null;
  readonly labelTilePx: number;
}

/** Every slice the project should hold, written before any slice: tells a restore what did not make it. */
export interface SliceManifest {
  readonly slices: readonly { readonly id: string; readonly name: string; readonly width: number; readonly height: number }[];
}

/** The manifest of `records`, in their order. */
export function manifestOf(records: readonly Pick<SliceRecord, 'id' | 'name' | 'width' | 'height'>[]): SliceManifest {
  return { slices: records.map(({ id, name, width, height }) => ({ id, name, width, height })) };
}

/** Training as history only: what ran, never whether it is running (a reload ends any run). */
export interface TrainingHistory {
  readonly losses: TrainingSlice['training']['losses'];
  readonly validation: TrainingSlice['training']['validation'];
  readonly bestStep: number | null;
  /** Absent in projects saved before they were kept. */
  readonly totalSteps?: number;
  readonly fromStep?: number;
  readonly earlier?: TrainingSlice['training']['earlier'];
}

/** The small, plain part of a project. */
export interface ProjectMeta {
  readonly currentSliceId: string | null;
  readonly classNames: readonly string[];
  /** The user's class colours ('#rrggbb' or null: the default), index = class; absent in projects saved before they were kept. */
  readonly classColours?: readonly (string | null)[];
  readonly training: TrainingHistory;
  readonly trainingChoices: TrainingSlice['trainingChoices'];
  /** The prediction threshold of the overlay, masks and scores (0-1); absent in projects saved before it was kept (0.5). */
  readonly predictionThreshold?: number;
  /** ISO time of this write. */
  readonly savedAt: string;
}

/** The saved model: its files and which model it is (predictions name it; absent in projects saved before they were kept). */
export interface StoredModel extends ModelFiles {
  readonly modelKey?: string;
}

/** Chunks are keyed [slice id, chunk index]. */
export type ChunkKey = [string, number];

export interface ProjectSchema extends DBSchema {
  slices: { key: string; value: SliceHeader };
  imageStrips: { key: ChunkKey; value: PixelArray };
  labelTiles: { key: ChunkKey; value: StoredLabelTile };
  instanceStrips: { key: ChunkKey; value: Int32Array };
  meta: { key: string; value: ProjectMeta | SliceManifest };
  model: { key: string; value: StoredModel };
  predictions: { key: string; value: PredictionHeader };
  predictionStrips: { key: ChunkKey; value: Uint16Array };
  predictionInstanceStrips: { key: ChunkKey; value: StoredInstanceStrip };
}

export type ProjectStore = StoreNames<ProjectSchema>;
export type ChunkStore = 'imageStrips' | 'labelTiles' | 'instanceStrips';
export const CHUNK_STORES: readonly ChunkStore[] = ['imageStrips', 'labelTiles', 'instanceStrips'];
export type PredictionChunkStore = 'predictionStrips' | 'predictionInstanceStrips';
export const PREDICTION_CHUNK_STORES: readonly PredictionChunkStore[] = ['predictionStrips', 'predictionInstanceStrips'];
/** Everything a slice's prediction is kept in. */
export const PREDICTION_STORES: readonly ('predictions' | PredictionChunkStore)[] = ['predictions', ...PREDICTION_CHUNK_STORES];

/** Every chunk of slice `id`. */
export function chunkRange(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id, 0], [id, Infinity]);
}

/** One chunk to store: the value is cut only when its turn comes, so a big slice is never copied whole. */
export interface ChunkWrite<S extends ChunkStore | PredictionChunkStore = ChunkStore> {
  readonly store: S;
  readonly key: ChunkKey;
  readonly bytes: number;
  readonly value: () => PixelArray;
}

/** How a slice is stored: its header and the chunk writes that must land before it. */
export function planSlice(record: SliceRecord, order: number): { header: SliceHeader; chunks: ChunkWrite[] } {
  const { id, width, height, channels, pixels, classes } = record;
  const instances = record.instances ?? null;
  const valuesPerRow = width * channels;
  const stripRows = stripRowsFor(valuesPerRow, pixels.BYTES_PER_ELEMENT);
  const instanceStripRows = instances ? stripRowsFor(width, 4) : null;
  const grid = labelTileGrid(width, height, LABEL_TILE_PX);
  const chunks: ChunkWrite[] = [];
  for (let i = 0; i < stripCount(height, stripRows); i++) {
    chunks.push({ store: 'imageStrips', key: [id, i], bytes: stripRows * valuesPerRow * pixels.BYTES_PER_ELEMENT, value: () => readStrip(pixels, valuesPerRow, stripRows, i) });
  }
  for (let i = 0; i < grid.columns * grid.rows; i++) {
    // Counted as the class map bytes cutting it reads, not the byte tile it stores: a transaction is one task's work.
    chunks.push({ store: 'labelTiles', key: [id, i], bytes: LABEL_TILE_PX * LABEL_TILE_PX * classes.BYTES_PER_ELEMENT, value: () => readLabelTile(classes, width, height, grid, i) });
  }
  if (instances && instanceStripRows !== null) {
    for (let i = 0; i < stripCount(height, instanceStripRows); i++) {
      chunks.push({ store: 'instanceStrips', key: [id, i], bytes: instanceStripRows * width * 4, value: () => readStrip(instances, width, instanceStripRows, i) });
    }
  }
  const header: SliceHeader = { id, name: record.name, width, height, channels, dtype: record.dtype, order, stripRows, instanceStripRows, labelTilePx: LABEL_TILE_PX };
  return { header, chunks };
}

/** A version-1 slice record: pixels and labels inline. */
interface SliceRecordV1 extends SliceRecord {
  readonly order: number;
}

type UpgradeTransaction = IDBPTransaction<ProjectSchema, ProjectStore[], 'versionchange'>;

/** Creates the stores a database of `oldVersion` lacks, and cuts version-1 slices into chunks (their data kept, byte for byte). */
export async function upgradeProjectDb(db: IDBPDatabase<ProjectSchema>, oldVersion: number, tx: UpgradeTransaction): Promise<void> {
  if (oldVersion < 1) {
    db.createObjectStore('slices', { keyPath: 'id' });
    db.createObjectStore('meta');
    db.createObjectStore('model');
  }
  if (oldVersion < 2) for (const name of CHUNK_STORES) db.createObjectStore(name);
  if (oldVersion < 3) for (const name of PREDICTION_STORES) db.createObjectStore(name);
  if (oldVersion === 1) await cutVersion1Slices(tx);
}

async function cutVersion1Slices(tx: UpgradeTransaction): Promise<void> {
  const slices = tx.objectStore('slices');
  // Version 1 stored slices whole; the old records have the v2 store's keyPath, so each is rewritten in place.
  const old = ((await slices.getAll()) as unknown as SliceRecordV1[]).sort((a, b) => a.order - b.order);
  for (const record of old) {
    const { header, chunks } = planSlice(record, record.order);
    await Promise.all(chunks.map((chunk) => tx.objectStore(chunk.store).put(chunk.value(), chunk.key)));
    await slices.put(header);
  }
  await tx.objectStore('meta').put(manifestOf(old), MANIFEST_KEY);
}
