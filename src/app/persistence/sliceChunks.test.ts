import { describe, expect, it } from 'vitest';
import { joinStrips, labelTileGrid, labelTilesIn, readLabelTile, readStrip, stripCount, stripRowsFor, writeLabelTile } from './sliceChunks';

describe('image strips', () => {
  it('cut a row-major array into copies of at most maxBytes and join back exactly, the last strip short', () => {
    const width = 7;
    const height = 10;
    const values = Uint16Array.from({ length: width * height * 3 }, (_, i) => (i * 2654435761) % 65536);
    const rows = stripRowsFor(width * 3, 2, 100); // 42 bytes a row -> 2 rows a strip
    expect(rows).toBe(2);
    const strips = Array.from({ length: stripCount(height, rows) }, (_, i) => readStrip(values, width * 3, rows, i));
    expect(strips.map((s) => s.length)).toEqual([42, 42, 42, 42, 42]);
    expect(strips.every((s) => s.buffer.byteLength === s.byteLength)).toBe(true); // copies, not views of the whole buffer
    expect(Array.from(joinStrips(strips, new Uint16Array(values.length)) ?? [])).toEqual(Array.from(values));

    const odd = stripRowsFor(width * 3, 2, 130); // 3 rows
    const oddStrips = Array.from({ length: stripCount(height, odd) }, (_, i) => readStrip(values, width * 3, odd, i));
    expect(oddStrips.map((s) => s.length)).toEqual([63, 63, 63, 21]);
    expect(Array.from(joinStrips(oddStrips, new Uint16Array(values.length)) ?? [])).toEqual(Array.from(values));
  });

  it('a row wider than maxBytes still gets one row a strip; a missing strip joins to null', () => {
    expect(stripRowsFor(10_000, 4, 100)).toBe(1);
    const values = new Uint8Array(12).fill(3);
    expect(joinStrips([values.slice(0, 4), undefined, values.slice(8)], new Uint8Array(12))).toBeNull();
    expect(joinStrips([values.slice(0, 4), values.slice(4, 8)], new Uint8Array(12))).toBeNull();
  });
});

describe('label tiles', () => {
  const width = 10;
  const height = 7;
  const grid = labelTileGrid(width, height, 4); // 3 columns x 2 rows, edge tiles clipped

  it('name the tiles a rectangle overlaps, clipped to the image', () => {
    expect(grid).toEqual({ columns: 3, rows: 2, tilePx: 4 });
    expect(labelTilesIn({ x: 0, y: 0, width: 1, height: 1 }, width, height, grid)).toEqual([0]);
    expect(labelTilesIn({ x: 3, y: 3, width: 2, height: 2 }, width, height, grid)).toEqual([0, 1, 3, 4]);
    expect(labelTilesIn({ x: -5, y: -5, width: 100, height: 100 }, width, height, grid)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(labelTilesIn({ x: 9.5, y: 6.2, width: 0.4, height: 0.5 }, width, height, grid)).toEqual([5]);
    expect(labelTilesIn({ x: 20, y: 0, width: 3, height: 3 }, width, height, grid)).toEqual([]);
  });

  it('store classes -1..254 in a byte each and anything else as Int32, and write back exactly', () => {
    const classes = Int32Array.from({ length: width * height }, (_, i) => (i % 5) - 1);
    const restored = new Int32Array(width * height).fill(77);
    for (let index = 0; index < 6; index++) {
      const tile = readLabelTile(classes, width, height, grid, index);
      expect(tile).toBeInstanceOf(Uint8Array);
      expect(writeLabelTile(restored, width, height, grid, index, tile)).toBe(true);
    }
    expect(Array.from(restored)).toEqual(Array.from(classes));

    classes[9] = 300; // top right tile (index 2: x 8-9, y 0-3)
    const wide = readLabelTile(classes, width, height, grid, 2);
    expect(wide).toBeInstanceOf(Int32Array);
    expect(wide.length).toBe(2 * 4);
    expect(writeLabelTile(restored, width, height, grid, 2, wide)).toBe(true);
    expect(Array.from(restored)).toEqual(Array.from(classes));
    expect(writeLabelTile(restored, width, height, grid, 0, new Uint8Array(3))).toBe(false);
  });

  it('store painted labels (long runs) as runs, 256 px tiles of strokes in a few hundred bytes, and write them back exactly', () => {
    const w = 600;
    const h = 300;
    const big = labelTileGrid(w, h); // 256 px tiles, the edge ones clipped
    const classes = new Int32Array(w * h).fill(-1);
    for (let y = 40; y < 260; y++) for (let x = 0; x < w; x++) if (Math.hypot(x - 300, y - 150) < 90 || Math.abs(y - 2 * x + 300) < 6) classes[y * w + x] = y % 50 < 25 ? 1 : 2;
    const restored = new Int32Array(w * h).fill(-1);
    for (let index = 0; index < big.columns * big.rows; index++) {
      const tile = readLabelTile(classes, w, h, big, index);
      if (tile.length > 0) expect(tile).toBeInstanceOf(Uint32Array);
      expect(tile.byteLength).toBeLessThan(4096);
      expect(writeLabelTile(restored, w, h, big, index, tile)).toBe(true);
    }
    expect(Array.from(restored)).toEqual(Array.from(classes));
    // Runs that do not cover the tile exactly are refused, not half written.
    const runs = readLabelTile(classes, w, h, big, 1) as Uint32Array;
    const short = runs.slice(0, runs.length - 1);
    expect(writeLabelTile(new Int32Array(w * h).fill(-1), w, h, big, 1, short)).toBe(false);
  });

  it('store a tile without any label as an empty array, which leaves the restored map unlabelled there', () => {
    const classes = new Int32Array(width * height).fill(-1);
    classes[width * 5 + 1] = 1; // in tile 3 (x 0-3, y 4-6: clipped at the bottom)
    const tiles = Array.from({ length: 6 }, (_, index) => readLabelTile(classes, width, height, grid, index));
    expect(tiles.map((t) => t.length)).toEqual([0, 0, 0, 12, 0, 0]);
    const restored = new Int32Array(width * height).fill(-1);
    tiles.forEach((tile, index) => expect(writeLabelTile(restored, width, height, grid, index, tile)).toBe(true));
    expect(Array.from(restored)).toEqual(Array.from(classes));
  });
});
