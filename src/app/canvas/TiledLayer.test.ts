import { describe, expect, it } from 'vitest';
import { UNLABELLED } from '../../core/labels/classMap';
import { CLASS_COLOURS, renderImageRegion, renderLabelRegion } from './layers';
import type { TileSurface } from './TiledLayer';
import { TiledLayer } from './TiledLayer';
import { levelForScale, tileCanvasSize, tileRegion, tilesOverlapping, topLevel, visibleRegion } from './tilePyramid';

/** A surface that keeps its RGBA in an array, so tests can read what a tile shows. */
function memorySurface(width: number, height: number): TileSurface & { rgba: Uint8ClampedArray; puts: number } {
  const surface = {
    source: null as unknown as CanvasImageSource,
    rgba: new Uint8ClampedArray(width * height * 4),
    puts: 0,
    put(rgba: Uint8ClampedArray, w: number, h: number, dx: number, dy: number) {
      surface.puts++;
      for (let y = 0; y < h; y++) surface.rgba.set(rgba.subarray(y * w * 4, (y + 1) * w * 4), ((dy + y) * width + dx) * 4);
    },
  };
  return surface;
}

describe('tile pyramid geometry', () => {
  it('levels, tile regions and the tiles a view shows', () => {
    expect(topLevel(512, 512, 512)).toBe(0);
    expect(topLevel(16384, 9000, 512)).toBe(5);
    expect(levelForScale(1, 5)).toBe(0);
    expect(levelForScale(0.6, 5)).toBe(0); // finer than a screen pixel only up to 2x
    expect(levelForScale(0.45, 5)).toBe(1);
    expect(levelForScale(0.07, 5)).toBe(3);
    expect(levelForScale(1e-4, 5)).toBe(5);
    expect(tileRegion({ level: 1, column: 1, row: 0 }, 1500, 700, 512)).toEqual({ x: 1024, y: 0, width: 476, height: 700 });
    expect(tileCanvasSize({ level: 1, column: 1, row: 0 }, 1500, 700, 512)).toEqual({ width: 238, height: 350 });
    expect(tilesOverlapping({ x: 500, y: 10, width: 30, height: 600 }, 0, 1500, 700, 512).map((k) => [k.column, k.row])).toEqual([[0, 0], [1, 0], [0, 1], [1, 1]]);
    expect(visibleRegion({ scale: 2, offsetX: -100, offsetY: 40 }, 400, 300)).toEqual({ x: 50, y: -20, width: 202, height: 152 });
  });
});

describe('TiledLayer', () => {
  const width = 70;
  const height = 45;
  const pixels = Uint8Array.from({ length: width * height }, (_, i) => (i * 37) % 256);

  it('renders a tile when first shown, keeps it, and its pixels equal the whole layer\'s (every level)', () => {
    const surfaces: ReturnType<typeof memorySurface>[] = [];
    const layer = new TiledLayer(width, height, (region, step) => renderImageRegion(pixels, width, 1, { low: 0, high: 255 }, region, step),
      (w, h) => { const s = memorySurface(w, h); surfaces.push(s); return s; }, 100, 32);
    expect(layer.maxLevel).toBe(2);
    const tile = layer.get({ level: 0, column: 1, row: 1 }) as ReturnType<typeof memorySurface>;
    expect(layer.get({ level: 0, column: 1, row: 1 })).toBe(tile); // cached
    const whole = renderImageRegion(pixels, width, 1, { low: 0, high: 255 }, { x: 0, y: 0, width, height });
    // Tile (1, 1) at level 0 covers x 32-63, y 32-44.
    for (let y = 0; y < 13; y++) for (let x = 0; x < 32; x++) expect(tile.rgba[(y * 32 + x) * 4]).toBe(whole[((32 + y) * width + 32 + x) * 4]);
    // Level 2 (step 4): one tile of 18 x 12 px, each the mean of four samples of its block.
    const top = layer.get({ level: 2, column: 0, row: 0 }) as ReturnType<typeof memorySurface>;
    expect(top.rgba.length).toBe(18 * 12 * 4);
    const mean = (x: number, y: number) => ([1, 3].flatMap((dy) => [1, 3].map((dx) => pixels[(Math.min(44, y * 4 + dy)) * width + Math.min(69, x * 4 + dx)]!)).reduce((a, b) => a + b) / 4);
    expect(top.rgba[(5 * 18 + 7) * 4]).toBe(Math.round(mean(7, 5)));
  });

  it('re-renders a painted rectangle in every cached tile that shows it, at every level, and nothing else', () => {
    const classes = new Int32Array(width * height).fill(UNLABELLED);
    const render = (region: { x: number; y: number; width: number; height: number }, step: number) => renderLabelRegion(classes, width, CLASS_COLOURS, region, step);
    const layer = new TiledLayer(width, height, render, memorySurface, 100, 32);
    const a = layer.get({ level: 0, column: 0, row: 0 }) as ReturnType<typeof memorySurface>;
    const b = layer.get({ level: 0, column: 1, row: 0 }) as ReturnType<typeof memorySurface>;
    const far = layer.get({ level: 0, column: 2, row: 1 }) as ReturnType<typeof memorySurface>;
    const top = layer.get({ level: 2, column: 0, row: 0 }) as ReturnType<typeof memorySurface>;
    for (let y = 10; y < 20; y++) for (let x = 28; x < 36; x++) classes[y * width + x] = 1; // across tiles (0,0) and (1,0)
    const putsBefore = far.puts;
    layer.update({ x: 28, y: 10, width: 8, height: 10 });
    expect(far.puts).toBe(putsBefore); // untouched
    for (const [tile, key] of [[a, { level: 0, column: 0, row: 0 }], [b, { level: 0, column: 1, row: 0 }], [top, { level: 2, column: 0, row: 0 }]] as const) {
      const fresh = memorySurface(tile.rgba.length / 4, 1);
      const region = tileRegion(key, width, height, 32);
      const step = 2 ** key.level;
      fresh.put(render(region, step), tile.rgba.length / 4, 1, 0, 0); // row-major, the same order
      expect(Array.from(tile.rgba)).toEqual(Array.from(fresh.rgba));
    }
  });

  it('keeps at most maxTiles, dropping the least recently used', () => {
    const layer = new TiledLayer(width, height, (region, step) => renderImageRegion(pixels, width, 1, { low: 0, high: 255 }, region, step), memorySurface, 2, 32);
    const first = layer.get({ level: 0, column: 0, row: 0 });
    layer.get({ level: 0, column: 1, row: 0 });
    layer.peek({ level: 0, column: 0, row: 0 }); // used again
    layer.get({ level: 0, column: 2, row: 0 });
    expect(layer.cachedTiles).toBe(2);
    expect(layer.peek({ level: 0, column: 0, row: 0 })).toBe(first);
    expect(layer.peek({ level: 0, column: 1, row: 0 })).toBeUndefined();
  });
});
