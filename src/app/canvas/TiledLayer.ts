import type { Region } from './layers';
import { regionSize } from './layers';
import type { TileKey } from './tilePyramid';
import { TILE_PX, tileId, tileRegion, topLevel } from './tilePyramid';

/** Where a tile's pixels live: an offscreen canvas in the page, a fake in tests. */
export interface TileSurface {
  /** What drawImage takes. */
  readonly source: CanvasImageSource;
  /** Writes `rgba` (width x height) at (dx, dy). */
  put(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, dx: number, dy: number): void;
}

export type SurfaceFactory = (width: number, height: number) => TileSurface;

/** Renders a region of the layer, one pixel per `step` x `step` block (regionSize gives the output size). */
export type RegionRenderer = (region: Region, step: number) => Uint8ClampedArray<ArrayBuffer>;

/** An offscreen-canvas surface (the page's). */
export const offscreenSurface: SurfaceFactory = (width, height) => {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  return { source: canvas, put: (rgba, w, h, dx, dy) => context.putImageData(new ImageData(rgba, w, h), dx, dy) };
};

/**
 * One layer of the canvas (image, labels or prediction) as a pyramid of tiles, rendered on first
 * use and kept in a bounded cache (least recently used out first). Every level renders straight
 * from the slice's arrays, so showing a zoomed-out 16384 px slice renders a few tiles, not the
 * whole slice; a paint stroke re-renders just its rectangle in the tiles that hold it.
 */
export class TiledLayer {
  readonly maxLevel: number;
  private readonly tiles = new Map<string, { readonly key: TileKey; readonly surface: TileSurface }>();

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly render: RegionRenderer,
    private readonly makeSurface: SurfaceFactory = offscreenSurface,
    private readonly maxTiles = 160,
    readonly tilePx = TILE_PX,
  ) {
    this.maxLevel = topLevel(width, height, tilePx);
  }

  /** A cached tile, marked as just used; undefined when it is not rendered yet. */
  peek(key: TileKey): TileSurface | undefined {
    const id = tileId(key);
    const entry = this.tiles.get(id);
    if (!entry) return undefined;
    this.tiles.delete(id);
    this.tiles.set(id, entry);
    return entry.surface;
  }

  /** The tile, rendered now if it is not cached. */
  get(key: TileKey): TileSurface {
    const cached = this.peek(key);
    if (cached) return cached;
    const region = tileRegion(key, this.width, this.height, this.tilePx);
    const step = 2 ** key.level;
    const size = regionSize(region, step);
    const surface = this.makeSurface(size.width, size.height);
    surface.put(this.render(region, step), size.width, size.height, 0, 0);
    this.tiles.set(tileId(key), { key, surface });
    while (this.tiles.size > this.maxTiles) this.tiles.delete(this.tiles.keys().next().value as string);
    return surface;
  }

  /** Re-renders `rect` (image pixels) in every cached tile that shows it; tiles not cached render fresh when needed. */
  update(rect: Region): void {
    for (const { key, surface } of this.tiles.values()) {
      const region = tileRegion(key, this.width, this.height, this.tilePx);
      const step = 2 ** key.level;
      // The tile's output pixels that rect touches, then the image rectangle behind them (aligned to the tile's blocks).
      const outX0 = Math.floor((Math.max(rect.x, region.x) - region.x) / step);
      const outY0 = Math.floor((Math.max(rect.y, region.y) - region.y) / step);
      const outX1 = Math.ceil((Math.min(rect.x + rect.width, region.x + region.width) - region.x) / step);
      const outY1 = Math.ceil((Math.min(rect.y + rect.height, region.y + region.height) - region.y) / step);
      if (outX1 <= outX0 || outY1 <= outY0) continue;
      const x = region.x + outX0 * step;
      const y = region.y + outY0 * step;
      const sub = { x, y, width: Math.min(region.x + region.width, region.x + outX1 * step) - x, height: Math.min(region.y + region.height, region.y + outY1 * step) - y };
      const size = regionSize(sub, step);
      surface.put(this.render(sub, step), size.width, size.height, outX0, outY0);
    }
  }

  /** Drops every tile (the layer's inputs changed everywhere). */
  clear(): void {
    this.tiles.clear();
  }

  get cachedTiles(): number {
    return this.tiles.size;
  }
}
