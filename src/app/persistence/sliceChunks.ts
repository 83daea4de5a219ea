import type { PixelArray } from '../../core/image/imageStack';
import type { PixelRect } from '../../core/image/pixelRect';
import { UNLABELLED } from '../../core/labels/classMap';

export type { PixelRect } from '../../core/image/pixelRect';

/**
 * How a slice is cut for IndexedDB: images (and instance maps) in row strips of at most
 * STRIP_BYTES, labels in square tiles of LABEL_TILE_PX. No stored value comes near Chromium's
 * per-value limit (~133 MB), and a brush stroke rewrites only the few label tiles it touched.
 */
export const LABEL_TILE_PX = 256;
export const STRIP_BYTES = 4 * 2 ** 20;

/** A label tile as stored: class + 1 in a byte (0 = unlabelled) when every class fits, else the raw Int32 classes. */
export type StoredLabelTile = Uint8Array | Int32Array;

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

/** Puts strips back together; null when one is missing or the wrong size. */
export function joinStrips<T extends PixelArray>(strips: readonly (T | undefined)[], target: T): T | null {
  let offset = 0;
  for (const strip of strips) {
    if (!strip || offset + strip.length > target.length) return null;
    target.set(strip, offset);
    offset += strip.length;
  }
  return offset === target.length ? target : null;
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
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(height, Math.ceil(rect.y + rect.height));
  if (x1 <= x0 || y1 <= y0) return [];
  const tiles: number[] = [];
  for (let row = Math.floor(y0 / grid.tilePx); row <= Math.floor((y1 - 1) / grid.tilePx); row++) {
    for (let column = Math.floor(x0 / grid.tilePx); column <= Math.floor((x1 - 1) / grid.tilePx); column++) tiles.push(row * grid.columns + column);
  }
  return tiles;
}

function tileBounds(index: number, width: number, height: number, grid: TileGrid) {
  const x0 = (index % grid.columns) * grid.tilePx;
  const y0 = Math.floor(index / grid.columns) * grid.tilePx;
  return { x0, y0, tileWidth: Math.min(grid.tilePx, width - x0), tileHeight: Math.min(grid.tilePx, height - y0) };
}

/** One tile of a class map, encoded for storage (a fresh array). */
export function readLabelTile(classes: Int32Array, width: number, height: number, grid: TileGrid, index: number): StoredLabelTile {
  const { x0, y0, tileWidth, tileHeight } = tileBounds(index, width, height, grid);
  const raw = new Int32Array(tileWidth * tileHeight);
  let fitsInByte = true;
  for (let y = 0; y < tileHeight; y++) {
    const row = classes.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + tileWidth);
    raw.set(row, y * tileWidth);
  }
  for (const k of raw) if (k < UNLABELLED || k > 254) { fitsInByte = false; break; }
  if (!fitsInByte) return raw;
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = (raw[i] as number) + 1;
  return bytes;
}

/** Writes a stored tile back into a class map; false when its size does not match the tile. */
export function writeLabelTile(classes: Int32Array, width: number, height: number, grid: TileGrid, index: number, tile: StoredLabelTile): boolean {
  const { x0, y0, tileWidth, tileHeight } = tileBounds(index, width, height, grid);
  if (tile.length !== tileWidth * tileHeight) return false;
  const offset = tile instanceof Uint8Array ? -1 : 0;
  for (let y = 0; y < tileHeight; y++) {
    for (let x = 0; x < tileWidth; x++) classes[(y0 + y) * width + x0 + x] = (tile[y * tileWidth + x] as number) + offset;
  }
  return true;
}
