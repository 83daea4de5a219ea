import type { PixelArray } from '../../core/image/imageStack';
import type { PixelRect } from '../../core/image/pixelRect';
import { cropRect, pasteRect, tileRect, tilesOverlapping } from '../../core/image/pixelRect';
import { UNLABELLED } from '../../core/labels/classMap';

export type { PixelRect } from '../../core/image/pixelRect';

/**
 * How a slice is cut for IndexedDB: images (and instance maps) in row strips of at most
 * STRIP_BYTES, labels in square tiles of LABEL_TILE_PX. No stored value comes near Chromium's
 * per-value limit (~133 MB), and a brush stroke rewrites only the few label tiles it touched.
 */
export const LABEL_TILE_PX = 256;
export const STRIP_BYTES = 4 * 2 ** 20;

/**
 * A label tile as stored, told apart by its array type: runs (Uint32Array: each `(class + 1) << 24 | length`,
 * row-major over the tile) when every class fits a byte and runs are the smaller; class + 1 in a byte each
 * (Uint8Array, 0 = unlabelled) when they do not; the raw Int32 classes when a class is above 254; an empty
 * Uint8Array for a tile with no label. Painted labels are long runs: a stroke's tiles are a few hundred
 * bytes each to clone into IndexedDB, where 64 KB tiles made that most of a stroke's pointer-up task.
 */
export type StoredLabelTile = Uint8Array | Int32Array | Uint32Array;

/** Rows per strip so that one strip of `valuesPerRow` values of `bytesPerValue` stays within `maxBytes`. */
export function stripRowsFor(valuesPerRow: number, bytesPerValue: number, maxBytes: number = STRIP_BYTES): number {
  return Math.max(1, Math.floor(maxBytes / Math.max(1, valuesPerRow * bytesPerValue)));
}

export function stripCount(height: number, rowsPerStrip: number): number {
  return Math.ceil(height / rowsPerStrip);
}

/** Strip `index` of a row-major array (a copy: a view would store its whole buffer). */
export function readStrip<T extends PixelArray>(values: T, valuesPerRow: number, rowsPerStrip: number, index: number): T {
  const start = index * rowsPerStrip * valuesPerRow;
  return values.slice(start, Math.min(values.length, start + rowsPerStrip * valuesPerRow)) as T;
}

/** Writes strips one after another into `target` (as they arrive: a restore reads a few a task). */
export class StripJoiner<T extends PixelArray> {
  private offset = 0;
  constructor(readonly target: T) {}

  /** False when the strip is missing or would overrun the target. */
  add(strip: T | undefined): boolean {
    if (!strip || this.offset + strip.length > this.target.length) return false;
    this.target.set(strip, this.offset);
    this.offset += strip.length;
    return true;
  }

  /** The target once the strips filled it exactly, else null. */
  result(): T | null {
    return this.offset === this.target.length ? this.target : null;
  }
}

/** Puts strips back together; null when one is missing or the wrong size. */
export function joinStrips<T extends PixelArray>(strips: readonly (T | undefined)[], target: T): T | null {
  const joiner = new StripJoiner(target);
  return strips.every((strip) => joiner.add(strip)) ? joiner.result() : null;
}

export interface TileGrid {
  readonly columns: number;
  readonly rows: number;
  readonly tilePx: number;
}

export function labelTileGrid(width: number, height: number, tilePx: number = LABEL_TILE_PX): TileGrid {
  return { columns: Math.ceil(width / tilePx), rows: Math.ceil(height / tilePx), tilePx };
}

/** Indices (row-major) of the tiles that `rect` overlaps, clipped to the image. */
export function labelTilesIn(rect: PixelRect, width: number, height: number, grid: TileGrid): number[] {
  return tilesOverlapping(rect, grid.tilePx, width, height).map(({ column, row }) => row * grid.columns + column);
}

function tileOf(index: number, width: number, height: number, grid: TileGrid): PixelRect {
  return tileRect({ column: index % grid.columns, row: Math.floor(index / grid.columns) }, grid.tilePx, width, height);
}

/**
 * One tile of a class map, encoded for storage (a fresh array): class k as byte k + 1 when all fit, else
 * the Int32 values; a tile with no label at all as an empty array (most of a big slice: 6100 such tiles
 * of a 20000 px slice take bytes, not 400 MB, and restoring skips them).
 */
export function readLabelTile(classes: Int32Array, width: number, height: number, grid: TileGrid, index: number): StoredLabelTile {
  const rect = tileOf(index, width, height, grid);
  // Most tiles of a big slice hold no label: one compare a pixel says so (the first save of a 20000 px slice reads 6100 tiles).
  if (!anyLabelIn(classes, width, rect)) return new Uint8Array(0);
  const pixels = rect.width * rect.height;
  const runs = runScratch(pixels);
  let count = 0;
  let value = -1;
  let length = 0;
  for (let y = 0; y < rect.height; y++) {
    const row = (rect.y + y) * width + rect.x;
    for (let x = 0; x < rect.width; x++) {
      const stored = (classes[row + x] as number) - UNLABELLED; // UNLABELLED -> 0, class k -> k + 1
      if (stored >>> 0 > 255) return cropRect(classes, width, rect); // below UNLABELLED or above 254: Int32 values
      if (stored === value) {
        length++;
        continue;
      }
      if (length > 0) runs[count++] = ((value << 24) | length) >>> 0;
      value = stored;
      length = 1;
    }
  }
  runs[count++] = ((value << 24) | length) >>> 0;
  return 4 * count < pixels ? runs.slice(0, count) : byteTile(classes, width, rect);
}

let scratch = new Uint32Array(0);
/** One tile's worth of runs at most (one a pixel), reused: a stroke encodes dozens of tiles in one task. */
function runScratch(pixels: number): Uint32Array {
  if (scratch.length < pixels) scratch = new Uint32Array(pixels);
  return scratch;
}

/** Class + 1 in a byte each (a tile whose runs are short: noise-like labels). */
function byteTile(classes: Int32Array, width: number, rect: PixelRect): Uint8Array {
  const bytes = new Uint8Array(rect.width * rect.height);
  for (let y = 0; y < rect.height; y++) {
    const row = (rect.y + y) * width + rect.x;
    const out = y * rect.width;
    for (let x = 0; x < rect.width; x++) bytes[out + x] = (classes[row + x] as number) - UNLABELLED;
  }
  return bytes;
}

function anyLabelIn(classes: Int32Array, width: number, rect: PixelRect): boolean {
  for (let y = 0; y < rect.height; y++) {
    const row = (rect.y + y) * width + rect.x;
    for (let i = row; i < row + rect.width; i++) if (classes[i] !== UNLABELLED) return true;
  }
  return false;
}

/** Writes a stored tile back into a class map that starts all UNLABELLED; false when its size does not match the tile. */
export function writeLabelTile(classes: Int32Array, width: number, height: number, grid: TileGrid, index: number, tile: StoredLabelTile): boolean {
  const rect = tileOf(index, width, height, grid);
  if (tile.length === 0) return true; // no label in it: the map's UNLABELLED stays
  if (tile instanceof Uint32Array) return pasteRuns(classes, width, rect, tile);
  if (tile.length !== rect.width * rect.height) return false;
  if (tile instanceof Uint8Array) pasteBytesLessOne(classes, width, rect, tile);
  else pasteRect(classes, width, rect, tile);
  return true;
}

/**
 * Byte tile k -> class k - 1, straight into the map. Plain loops in a function that only ever sees a
 * Uint8Array (so V8 keeps it monomorphic): Int32Array.from with a callback took 23 s for a 20000 px slice.
 */
function pasteBytesLessOne(classes: Int32Array, width: number, rect: PixelRect, bytes: Uint8Array): void {
  for (let y = 0; y < rect.height; y++) {
    const row = (rect.y + y) * width + rect.x;
    const from = y * rect.width;
    for (let x = 0; x < rect.width; x++) classes[row + x] = (bytes[from + x] as number) - 1;
  }
}

/** Runs back into the map, row segment by row segment; false when they do not cover the tile exactly. */
function pasteRuns(classes: Int32Array, width: number, rect: PixelRect, runs: Uint32Array): boolean {
  let total = 0;
  for (let r = 0; r < runs.length; r++) total += (runs[r] as number) & 0xffffff;
  if (total !== rect.width * rect.height) return false;
  let x = 0;
  let y = 0;
  for (let r = 0; r < runs.length; r++) {
    const value = ((runs[r] as number) >>> 24) + UNLABELLED;
    let left = (runs[r] as number) & 0xffffff;
    while (left > 0) {
      const take = Math.min(left, rect.width - x);
      const start = (rect.y + y) * width + rect.x + x;
      classes.fill(value, start, start + take);
      left -= take;
      x += take;
      if (x === rect.width) {
        x = 0;
        y++;
      }
    }
  }
  return true;
}
