import { describe, expect, it } from 'vitest';
import { boundsOfIndices, boundsPerTile, cropRect, pasteRect, tileRect, tilesOverlapping } from './pixelRect';

describe('boundsOfIndices', () => {
  it('is the smallest rectangle holding every index, or null for none', () => {
    expect(boundsOfIndices([], 10)).toBeNull();
    expect(boundsOfIndices([0], 10)).toEqual({ x: 0, y: 0, width: 1, height: 1 });
    expect(boundsOfIndices(Int32Array.of(23, 9, 41), 10)).toEqual({ x: 1, y: 0, width: 9, height: 5 }); // (3,2) (9,0) (1,4)
  });
});

describe('tile grids and rectangles', () => {
  it('names the tiles a rectangle overlaps, clips tiles to the image, and crops and pastes rectangles exactly', () => {
    expect(tilesOverlapping({ x: 3, y: 3, width: 2, height: 2 }, 4, 10, 7)).toEqual([{ column: 0, row: 0 }, { column: 1, row: 0 }, { column: 0, row: 1 }, { column: 1, row: 1 }]);
    expect(tilesOverlapping({ x: 20, y: 0, width: 3, height: 3 }, 4, 10, 7)).toEqual([]);
    expect(tileRect({ column: 2, row: 1 }, 4, 10, 7)).toEqual({ x: 8, y: 4, width: 2, height: 3 });
    const values = Int32Array.from({ length: 5 * 4 }, (_, i) => i);
    const rect = { x: 1, y: 2, width: 3, height: 2 };
    expect(Array.from(cropRect(values, 5, rect))).toEqual([11, 12, 13, 16, 17, 18]);
    const target = new Int32Array(20);
    pasteRect(target, 5, rect, Int32Array.of(1, 2, 3, 4, 5, 6));
    expect(Array.from(target.subarray(10, 20))).toEqual([0, 1, 2, 3, 0, 0, 4, 5, 6, 0]);
  });
});

describe('boundsPerTile', () => {
  it('gives one rectangle per tile holding changed pixels, inside that tile, covering every pixel and no more rows or columns than they span', () => {
    const width = 1000;
    // A thin diagonal line across many 256 px tiles.
    const indices = Int32Array.from({ length: 900 }, (_, k) => (50 + k) * width + (30 + k));
    const rects = boundsPerTile(indices, width, 256);
    const tiles = new Set(Array.from(indices, (i) => `${Math.floor(Math.floor(i / width) / 256)},${Math.floor((i % width) / 256)}`));
    expect(rects).toHaveLength(tiles.size);
    for (const r of rects) {
      expect(Math.floor(r.x / 256)).toBe(Math.floor((r.x + r.width - 1) / 256));
      expect(Math.floor(r.y / 256)).toBe(Math.floor((r.y + r.height - 1) / 256));
    }
    for (const i of indices) {
      const x = i % width;
      const y = Math.floor(i / width);
      expect(rects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height)).toBe(true);
    }
    const area = rects.reduce((sum, r) => sum + r.width * r.height, 0);
    const box = boundsOfIndices(indices, width)!;
    expect(area).toBeLessThan((box.width * box.height) / 3); // the point: a diagonal across n tiles costs about 1/n of its bounding box
    expect(boundsPerTile(Int32Array.of(5, 6, 1005), width, 256)).toEqual([boundsOfIndices(Int32Array.of(5, 6, 1005), width)]);
    expect(boundsPerTile(new Int32Array(0), width, 256)).toEqual([]);
  });
});
