import { tileRect, tilesOverlapping as tilesInRect } from '../../core/image/pixelRect';
import type { Region } from './layers';
import type { Viewport } from './viewport';

/**
 * The geometry of a tile pyramid over one slice: level 0 cuts the image into TILE_PX squares at
 * full resolution; each level up halves the resolution, so a level-L tile covers TILE_PX * 2^L
 * image pixels in a TILE_PX canvas. The canvas draws the level whose pixels are about the size
 * of a screen pixel, so a 16384 px slice zoomed out costs a few tiles, not 268 million pixels.
 */
export const TILE_PX = 512;

export interface TileKey {
  readonly level: number;
  readonly column: number;
  readonly row: number;
}

/** The highest level: one tile holds the whole image. */
export function topLevel(width: number, height: number, tilePx: number = TILE_PX): number {
  return Math.max(0, Math.ceil(Math.log2(Math.max(width, height) / tilePx)));
}

/** The level to draw at `scale` (screen px per image px): the finest whose pixels are not smaller than a screen pixel. */
export function levelForScale(scale: number, maxLevel: number): number {
  if (!(scale > 0)) return maxLevel;
  return Math.max(0, Math.min(maxLevel, Math.floor(Math.log2(1 / scale))));
}

/** Image pixels a tile covers (clipped to the image). */
export function tileRegion(key: TileKey, width: number, height: number, tilePx: number = TILE_PX): Region {
  return tileRect(key, tilePx * 2 ** key.level, width, height);
}

/** The canvas size of a tile: its region at the level's resolution (at least 1 px). */
export function tileCanvasSize(key: TileKey, width: number, height: number, tilePx: number = TILE_PX): { width: number; height: number } {
  const region = tileRegion(key, width, height, tilePx);
  const factor = 2 ** key.level;
  return { width: Math.max(1, Math.ceil(region.width / factor)), height: Math.max(1, Math.ceil(region.height / factor)) };
}

/** Tiles of `level` that a rectangle of image pixels overlaps, row by row. */
export function tilesOverlapping(rect: Region, level: number, width: number, height: number, tilePx: number = TILE_PX): TileKey[] {
  return tilesInRect(rect, tilePx * 2 ** level, width, height).map(({ column, row }) => ({ level, column, row }));
}

/** The image pixels a canvas of `canvasWidth` x `canvasHeight` shows through `view`. */
export function visibleRegion(view: Viewport, canvasWidth: number, canvasHeight: number): Region {
  const x = -view.offsetX / view.scale;
  const y = -view.offsetY / view.scale;
  return { x: Math.floor(x), y: Math.floor(y), width: Math.ceil(canvasWidth / view.scale) + 2, height: Math.ceil(canvasHeight / view.scale) + 2 };
}

/** The tile one level up that holds `key`. */
export function parentOf(key: TileKey): TileKey {
  return { level: key.level + 1, column: Math.floor(key.column / 2), row: Math.floor(key.row / 2) };
}

export const tileId = (key: TileKey): string => `${key.level}/${key.column}/${key.row}`;
